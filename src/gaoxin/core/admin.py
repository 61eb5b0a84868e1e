"""Back office (Django admin) for the registry and reference data.

Three rules hold on every page here:

- Zone isolation: every queryset goes through `rules.restrict_to_zone`, and a
  record outside the user's zone is a real 404 (not Django's "doesn't exist"
  redirect), so an id from another zone looks exactly like a missing one.
- Services write: adds, changes and deletes call `gaoxin.core.services`, which
  check, write and audit in one transaction; nothing here calls `save()`.
- Masking: lists and pages show the stored masks; showing a full identifier
  is a separate permission, asked for with a reason, and audited.
"""

import json
from urllib.parse import urlencode

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gaoxin.core import services
from gaoxin.core.audit import current_label, earlier_labels
from gaoxin.core.enums import Role
from gaoxin.core.errors import ApplicationError
from gaoxin.core.forms import (
    UserAddForm,
    UserEditForm,
    UserPasswordForm,
)
from gaoxin.core.models import AuditEntry, User, Zone
from gaoxin.core.rules import in_zone, restrict_to_zone
from gaoxin.core.selectors import zones_for_user


def _copy_saved(obj, saved) -> None:
    """Make the admin's instance the record the service wrote, for the
    redirect and Django's own action log."""
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False
    obj._state.db = saved._state.db


def _error_text(exc: ApplicationError) -> str:
    return "；".join(str(m) for m in exc.fields.values()) or exc.message


def _raise_for_status(exc: ApplicationError) -> None:
    if exc.status == 404:
        raise Http404(exc.message) from exc
    if exc.status == 403:
        raise PermissionDenied(exc.message) from exc


def _refused(request, exc: ApplicationError):
    """A service said no after the form validated: say why on the same page."""
    _raise_for_status(exc)
    messages.error(request, _error_text(exc))
    return HttpResponseRedirect(request.get_full_path())


class NotFoundMixin:
    """Django admin answers an unknown id with a redirect to the index and a
    message; a real 404 makes another zone's record (filtered out by
    get_queryset) indistinguishable from a missing one, on every view that
    loads one object: change, delete, history, password, reveal."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(gettext("记录不存在"))
        return obj


class RefusalMixin:
    """Services may still refuse after the form validated (a race with another
    officer); show why instead of a 500. Nothing was written: the admin's
    transaction and the service's roll back together."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ApplicationError as exc:
            return _refused(request, exc)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ApplicationError as exc:
            return _refused(request, exc)


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


class ReadOnlyMixin:
    """Shown, never written from the admin: records that only services write."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ZoneScopedAdmin(NotFoundMixin, RefusalMixin, admin.ModelAdmin):
    """Base for tenant tables.

    Zone-bound users see and edit their zone only, never see the zone field
    (new records go to their zone), and pick related records from their zone
    only. Cross-zone users other than superusers (national viewers) only read.
    """

    list_select_related = ("zone",)
    show_full_result_count = False
    edit_fields: tuple[str, ...] = ()
    view_fields: tuple[str, ...] = ()
    extra_list_filter: tuple = ()

    # ---------------------------------------------------------------- scope

    def get_queryset(self, request):
        return restrict_to_zone(super().get_queryset(request), request.user)

    def can_write(self, request, obj=None) -> bool:
        """Writes need a zone to write into; national viewers never write."""
        user = request.user
        if obj is not None and not in_zone(user, getattr(obj, "zone_id", None)):
            return False
        return user.is_superuser or (user.zone_id is not None and not user.spans_zones)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and self.can_write(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.can_write(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.can_write(request, obj)

    def get_list_filter(self, request):
        zone = ("zone",) if request.user.spans_zones else ()
        return (*zone, *self.extra_list_filter)

    def _related_choices(self, db_field, request):
        """Choices for a relation: the user's zone(s), or their zone's records."""
        model = db_field.remote_field.model
        if model is Zone:
            return zones_for_user(user=request.user)
        if any(f.name == "zone" for f in model._meta.concrete_fields):
            return restrict_to_zone(model._default_manager.all(), request.user)
        return None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        choices = self._related_choices(db_field, request)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        choices = self._related_choices(db_field, request)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # ----------------------------------------------------------------- forms

    def get_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            fields = list(self.view_fields or self.edit_fields)
        else:
            fields = list(self.edit_fields)
        if request.user.spans_zones:
            fields.insert(0, "zone")
        return fields

    def get_readonly_fields(self, request, obj=None):
        return ("zone",) if obj is not None and request.user.spans_zones else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def changeform_extra_context(self, request, object_id) -> dict:
        if object_id is None or not request.user.has_perm("core.view_auditentry"):
            return {}
        query = urlencode({"object_type": self.opts.label, "object_id": unquote(object_id)})
        return {"audit_url": f"{reverse('admin:core_auditentry_changelist')}?{query}"}

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        context = {**self.changeform_extra_context(request, object_id), **(extra_context or {})}
        return super().changeform_view(request, object_id, form_url, context)

    # ---------------------------------------------------------------- writes

    def save_model(self, request, obj, form, change):
        saved = self.service_save(request, obj, form, change)
        _copy_saved(obj, saved)

    def save_related(self, request, form, formsets, change):
        """Nothing related is edited here; the service wrote everything."""

    def delete_queryset(self, request, queryset):
        """Bulk delete is one audited service call per record, all or none."""
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    def service_save(self, request, obj, form, change):
        raise NotImplementedError


class ReadOnlyZoneAdmin(ReadOnlyMixin, ZoneScopedAdmin):
    """Zone-restricted (ZoneScopedAdmin) and read-only: the programs' records."""


@admin.register(Zone)
class ZoneAdmin(NotFoundMixin, RefusalMixin, admin.ModelAdmin):
    """Superusers create zones and correct their name, province and city,
    through services.zone_create / zone_update (audited). The code is
    read-only once created: URLs and the command line name the zone by it.
    There is no delete service, so nobody deletes a zone here."""

    list_display = ("name", "code", "province", "city", "created_at")
    search_fields = ("name", "code")
    fields = ("code", "name", "province", "city")

    def get_queryset(self, request):
        return zones_for_user(user=request.user)

    def has_view_permission(self, request, obj=None):
        """Staff bound to a zone may look at their own zone (the queryset
        holds nothing else)."""
        user = request.user
        return super().has_view_permission(request, obj) or (
            user.is_staff and user.zone_id is not None
        )

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        """The same rule as adding: superusers only."""
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in ("name", "province", "city")}
        if change:
            saved = services.zone_update(actor=request.user, zone=obj, data=data)
        else:
            saved = services.zone_create(actor=request.user, code=form.cleaned_data["code"], **data)
        _copy_saved(obj, saved)


@admin.register(User)
class UserAdmin(NotFoundMixin, RefusalMixin, DjangoUserAdmin):
    """Logins. Zone-bound zone admins see, create and edit users of their own
    zone only, never superusers or cross-zone users (those are a 404).

    Every write is a service: services.user_create, user_update (roles,
    active, person…; deactivating also revokes API tokens) and
    user_set_password for the "change password" page, all audited. Username
    and zone are read-only once created, staff status follows the roles, and
    nobody can deactivate or demote themselves. There is no delete service:
    deactivate instead.
    """

    add_form = UserAddForm
    form = UserEditForm
    change_password_form = UserPasswordForm
    change_user_password_template = "admin/core/user/change_password.html"
    list_display = (
        "username",
        "display_name",
        "zone",
        "role_names",
        "is_active",
        "is_staff",
        "last_login",
    )
    list_select_related = ("zone",)
    search_fields = ("username", "display_name")
    ordering = ("username",)
    show_full_result_count = False
    autocomplete_fields = ("person",)

    def get_queryset(self, request):
        qs = restrict_to_zone(super().get_queryset(request), request.user)
        if not request.user.is_superuser:
            qs = qs.exclude(is_superuser=True)
        return qs.prefetch_related("groups")

    def get_list_filter(self, request):
        zone = ("zone",) if request.user.spans_zones else ()
        return (*zone, "is_active", "is_staff", "groups")

    def get_fieldsets(self, request, obj=None):
        if obj is not None:
            editable = self.has_change_permission(request, obj)
            superuser = ("is_superuser",) if request.user.is_superuser else ()
            return (
                # No "password" field: it would print (part of) the hash; a link instead.
                (
                    None,
                    {
                        "fields": (
                            "username",
                            *(("password_link",) if editable else ()),
                            "display_name",
                            "zone",
                            "person",
                        )
                    },
                ),
                (
                    _("权限"),
                    {
                        "fields": (
                            "is_active",
                            "is_staff",
                            *superuser,
                            "roles" if editable else "role_names",
                        )
                    },
                ),
                (_("重要日期"), {"fields": ("last_login", "date_joined")}),
            )
        head = ["username", "display_name"]
        if request.user.spans_zones:
            head.append("zone")
        head.append("person")
        access = ["roles"] + (["is_superuser"] if request.user.is_superuser else [])
        return (
            (None, {"classes": ("wide",), "fields": head}),
            (_("权限"), {"fields": access}),
            (_("密码"), {"fields": ("password1", "password2")}),
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("username", "password_link", "zone", "is_staff", "last_login", "date_joined")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "zone":
            kwargs["queryset"] = zones_for_user(user=request.user)
        elif db_field.name == "person":
            person_model = db_field.related_model  # gaoxin.registry's Person, named by string
            kwargs["queryset"] = restrict_to_zone(person_model.objects.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        user = request.user
        return super().has_add_permission(request) and (
            user.is_superuser or user.zone_id is not None
        )

    def has_change_permission(self, request, obj=None):
        """Whoever may add users may edit those they see (services.user_update
        checks the same): superusers anyone, zone admins their zone's
        non-superusers."""
        user = request.user
        allowed = super().has_change_permission(request) and self.has_add_permission(request)
        if obj is None or not allowed:
            return allowed
        return in_zone(user, obj.zone_id) and (user.is_superuser or not obj.is_superuser)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("角色"))
    def role_names(self, obj):
        labels = dict(Role.choices)
        return "、".join(str(labels.get(g.name, g.name)) for g in obj.groups.all())

    @admin.display(description=_("密码"))
    def password_link(self, obj):
        url = reverse("admin:auth_user_password_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("重设密码"))

    def save_model(self, request, obj, form, change):
        if change:
            saved = services.user_update(actor=request.user, user=obj, data=form.service_data())
            _copy_saved(obj, saved)
            return
        data = form.cleaned_data
        saved = services.user_create(
            actor=request.user,
            username=data["username"],
            password=data["password1"],
            zone=form.target_zone(),
            roles=list(data.get("roles") or []),
            display_name=data.get("display_name", ""),
            person=data.get("person"),
            is_superuser=bool(data.get("is_superuser")) and request.user.is_superuser,
        )
        _copy_saved(obj, saved)

    def save_related(self, request, form, formsets, change):
        """Roles were set by services.user_create or user_update."""

    def user_change_password(self, request, id, form_url=""):
        """Django's page, but the write is services.user_set_password (checked,
        audited, ends the user's other sessions). Django renders the page and,
        for an invalid form, its errors next to the fields; its form never saves.
        """
        if request.method != "POST":
            return super().user_change_password(request, id, form_url)
        user = self.get_object(request, unquote(id))
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        form = self.change_password_form(user, request.POST)
        if not form.is_valid():
            return super().user_change_password(request, id, form_url)
        try:
            saved = services.user_set_password(
                actor=request.user, user=user, password=form.cleaned_data["password1"]
            )
        except ApplicationError as exc:
            return _refused(request, exc)
        self.log_change(request, saved, self.construct_change_message(request, form, None))
        messages.success(request, gettext("密码已修改"))
        update_session_auth_hash(request, saved)  # only when it is the officer's own
        return HttpResponseRedirect(reverse("admin:core_user_change", args=[saved.pk]))


@admin.register(AuditEntry)
class AuditEntryAdmin(NotFoundMixin, ReadOnlyMixin, admin.ModelAdmin):
    """The audit trail, read-only for everyone (superusers too): entries are
    hash-chained, and an edit would break `gaoxin audit verify`."""

    list_display = (
        "created_at",
        "zone",
        "actor_name",
        "action",
        "object_type_label",
        "object_repr",
        "note",
    )
    list_select_related = ("zone",)
    list_filter = ("action", ObjectTypeFilter)
    search_fields = ("object_repr", "actor_name", "note")
    show_full_result_count = False
    fields = (
        "created_at",
        "zone",
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
        return restrict_to_zone(super().get_queryset(request), request.user)

    def get_list_filter(self, request):
        zone = ("zone",) if request.user.spans_zones else ()
        return (*zone, *self.list_filter)

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


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ReadOnlyMixin, DjangoGroupAdmin):
    """Role groups are rewritten from roles.py after every migrate, so they
    are shown to superusers only, read-only."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
