"""What every back-office page stands on: zone isolation, refusals as pages, read-only
and zone-scoped model admins (programs and the registry subclass these)."""

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext

from gaoxin.core.errors import ApplicationError
from gaoxin.core.models import Zone
from gaoxin.core.rules import in_zone, restrict_to_zone
from gaoxin.core.selectors import zones_for_user


def copy_saved(obj, saved) -> None:
    """Make the admin's instance the record the service wrote, for the
    redirect and Django's own action log."""
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False
    obj._state.db = saved._state.db


def error_text(exc: ApplicationError) -> str:
    return "；".join(str(m) for m in exc.fields.values()) or exc.message


def raise_for_status(exc: ApplicationError) -> None:
    if exc.status == 404:
        raise Http404(exc.message) from exc
    if exc.status == 403:
        raise PermissionDenied(exc.message) from exc


def refused(request, exc: ApplicationError):
    """A service said no after the form validated: say why on the same page."""
    raise_for_status(exc)
    messages.error(request, error_text(exc))
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
            return refused(request, exc)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ApplicationError as exc:
            return refused(request, exc)


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
        copy_saved(obj, saved)

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
