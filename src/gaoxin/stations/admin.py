"""Back office (Django admin) of the stations program: read-only lists.

Stations are created, edited, paused and re-postered on the stations office
pages (/stations/office/), which go through the services and their audit
trail; here every page is read-only and links there. Check-ins, service
records and walk-in counts are append-only events: nobody edits them.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gaoxin.core.admin import ReadOnlyZoneAdmin
from gaoxin.stations.enums import Amenity
from gaoxin.stations.models import Checkin, ServiceRecord, Station, WalkinBatch

AMENITY_LABELS = dict(Amenity.choices)


def _services(values) -> str:
    return "、".join(str(AMENITY_LABELS.get(v, v)) for v in values or []) or "-"


class StationsRecordAdmin(ReadOnlyZoneAdmin):
    """Every field shown read-only, the zone first for users who span zones."""

    def get_fields(self, request, obj=None):
        fields = list(self.view_fields)
        return ["zone", *fields] if request.user.spans_zones else fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)


@admin.register(Station)
class StationAdmin(StationsRecordAdmin):
    list_display = ("name", "kind", "status", "address", "keeper", "office_link", "zone")
    list_select_related = ("zone", "keeper")
    search_fields = ("name", "address")
    extra_list_filter = ("kind", "status")
    view_fields = (
        "name",
        "kind",
        "status",
        "address",
        "lat",
        "lng",
        "is_24h",
        "hours",
        "amenities",
        "capacity",
        "phone",
        "keeper",
        "poster_version",
        "office_link",
    )

    @admin.display(description=_("管理"))
    def office_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("stations:office_detail", args=[obj.pk]),
            _("在驿站管理页修改、暂停或打印海报"),
        )


@admin.register(Checkin)
class CheckinAdmin(StationsRecordAdmin):
    list_display = (
        "occurred_at",
        "station",
        "worker",
        "worker_phone",
        "job_type",
        "service_list",
        "source",
        "zone",
    )
    list_select_related = ("zone", "station", "person")
    search_fields = ("station__name",)
    extra_list_filter = ("source", "job_type")
    date_hierarchy = "occurred_at"
    view_fields = (
        "occurred_at",
        "station",
        "worker",
        "worker_phone",
        "job_type",
        "service_list",
        "source",
    )

    @admin.display(description=_("劳动者"))
    def worker(self, obj):
        return obj.person.name

    @admin.display(description=_("手机号码"))
    def worker_phone(self, obj):
        return obj.person.phone_masked

    @admin.display(description=_("服务项目"))
    def service_list(self, obj):
        return _services(obj.services)


@admin.register(ServiceRecord)
class ServiceRecordAdmin(StationsRecordAdmin):
    list_display = ("occurred_at", "station", "service_label", "count", "source", "zone")
    list_select_related = ("zone", "station")
    search_fields = ("station__name",)
    extra_list_filter = ("source", "service")
    date_hierarchy = "occurred_at"
    view_fields = ("occurred_at", "station", "service_label", "count", "source", "entered_by")

    @admin.display(description=_("服务项目"), ordering="service")
    def service_label(self, obj):
        return AMENITY_LABELS.get(obj.service, obj.service)


@admin.register(WalkinBatch)
class WalkinBatchAdmin(StationsRecordAdmin):
    list_display = ("day", "station", "visits", "service_list", "note", "entered_by", "zone")
    list_select_related = ("zone", "station", "entered_by")
    search_fields = ("station__name", "note")
    date_hierarchy = "day"
    view_fields = ("day", "station", "visits", "service_list", "note", "entered_by", "entered_at")

    @admin.display(description=_("服务项目"))
    def service_list(self, obj):
        return _services(obj.services)

    def has_view_permission(self, request, obj=None):
        # roles.py grants no view_walkinbatch yet; whoever may see check-ins sees these too
        return super().has_view_permission(request, obj) or request.user.has_perm(
            "stations.view_checkin"
        )

    def has_module_permission(self, request):
        return self.has_view_permission(request)
