"""The audit trail in the back office: read-only, filterable by object type (labels of
models that moved app since an entry was written included)."""

import json

from django.apps import apps
from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gaoxin.core.admin.base import NotFoundMixin, ReadOnlyMixin
from gaoxin.core.audit import current_label, earlier_labels
from gaoxin.core.models import PLATFORM_ZONE_ID, AuditEntry, Zone
from gaoxin.core.rules import restrict_to_zone


def _model_label(label: str) -> str:
    """`registry.Person` (or its earlier `core.Person`) → 人员; labels of models that no
    longer exist stay as stored."""
    try:
        return str(apps.get_model(current_label(label))._meta.verbose_name)
    except (LookupError, ValueError):
        return label


class ObjectTypeFilter(admin.SimpleListFilter):
    """对象类型 by the model's Chinese name, from the types the user can see."""

    title = _("对象类型")
    parameter_name = "object_type"

    def lookups(self, request, model_admin):
        types = model_admin.get_queryset(request).order_by().values_list("object_type", flat=True)
        labels = {current_label(t) for t in types.distinct()}
        return sorted(((t, _model_label(t)) for t in labels), key=lambda c: c[1])

    def queryset(self, request, queryset):
        """A model's entries, including those written before it moved app."""
        value = self.value()
        if not value:
            return queryset
        return queryset.filter(object_type__in=[value, *earlier_labels(value)])


@admin.register(AuditEntry)
class AuditEntryAdmin(NotFoundMixin, ReadOnlyMixin, admin.ModelAdmin):
    """The audit trail, read-only for everyone (superusers too): entries are
    hash-chained, and an edit would break `gaoxin audit verify`."""

    list_display = (
        "created_at",
        "zone_name",
        "actor_name",
        "action",
        "object_type_label",
        "object_repr",
        "note",
    )
    list_filter = ("action", ObjectTypeFilter)
    search_fields = ("object_repr", "actor_name", "note")
    show_full_result_count = False
    fields = (
        "created_at",
        "zone_name",
        "seq",
        "actor_name",
        "action",
        "object_type_label",
        "object_id",
        "object_repr",
        "note",
        "before_pretty",
        "after_pretty",
        "chain_prev_hash",
        "chain_hash",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        zone_name = Zone.objects.filter(pk=OuterRef("zone_id")).values("name")[:1]
        queryset = super().get_queryset(request).annotate(zone_label=Subquery(zone_name))
        return restrict_to_zone(queryset, request.user)

    def get_list_filter(self, request):
        zone = ("zone",) if request.user.spans_zones else ()
        return (*zone, *self.list_filter)

    @admin.display(description=_("园区"))
    def zone_name(self, obj):
        """The platform's chain has a zone id no zone has, so no join: a name per row."""
        return _("平台") if obj.zone_id == PLATFORM_ZONE_ID else obj.zone_label

    @admin.display(description=_("对象类型"), ordering="object_type")
    def object_type_label(self, obj):
        return _model_label(obj.object_type)

    @admin.display(description=_("前一条哈希"))
    def chain_prev_hash(self, obj):
        return obj.prev_hash

    @admin.display(description=_("哈希"))
    def chain_hash(self, obj):
        return obj.hash

    @admin.display(description=_("变更前"))
    def before_pretty(self, obj):
        return _pretty_json(obj.before)

    @admin.display(description=_("变更后"))
    def after_pretty(self, obj):
        return _pretty_json(obj.after)


def _pretty_json(value):
    if value is None:
        return "-"
    text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
    return format_html('<pre style="margin:0">{}</pre>', text)
