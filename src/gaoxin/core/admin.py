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
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gaoxin.core import services
from gaoxin.core.enums import Role
from gaoxin.core.errors import ApplicationError
from gaoxin.core.forms import (
    DepartmentForm,
    EnterpriseForm,
    PersonForm,
    RevealForm,
    UserAddForm,
    UserEditForm,
    UserPasswordForm,
)
from gaoxin.core.models import AuditEntry, Department, Enterprise, Person, User, Zone
from gaoxin.core.rules import in_zone, restrict_to_zone
from gaoxin.core.selectors import full_identifier, person_search_q, zones_for_user

EMPLOYER_FILTER_LIMIT = 200


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


class EmployerFilter(admin.SimpleListFilter):
    """所在企业, listing only enterprises of the user's zone (the first
    EMPLOYER_FILTER_LIMIT by name; any id still filters, within the zone)."""

    title = _("所在企业")
    parameter_name = "employer"

    def lookups(self, request, model_admin):
        qs = restrict_to_zone(Enterprise.objects.order_by("name"), request.user)
        return list(qs.values_list("pk", "name")[:EMPLOYER_FILTER_LIMIT])

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not str(value).isdigit():
            return queryset.none()
        return queryset.filter(employer_id=int(value))


def _model_label(label: str) -> str:
    """`core.Person` → 人员; labels of models that no longer exist stay as stored."""
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


class ObjectTypeFilter(admin.SimpleListFilter):
    """对象类型 by the model's Chinese name, from the types the user can see."""

    title = _("对象类型")
    parameter_name = "object_type"

    def lookups(self, request, model_admin):
        types = model_admin.get_queryset(request).order_by().values_list("object_type", flat=True)
        return sorted(((t, _model_label(t)) for t in set(types.distinct())), key=lambda c: c[1])

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(object_type=value) if value else queryset


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


@admin.register(Enterprise)
class EnterpriseAdmin(ZoneScopedAdmin):
    form = EnterpriseForm
    list_display = (
        "name",
        "uscc",
        "industry",
        "new_economy",
        "contact_name",
        "contact_phone_masked",
        "zone",
    )
    search_fields = ("name", "name_initials", "=uscc")
    search_help_text = _("企业名称、拼音首字母或统一社会信用代码")
    extra_list_filter = ("is_new_economy", "industry")
    edit_fields = (
        "name",
        "uscc",
        "industry",
        "address",
        "contact_name",
        "contact_phone",
        "is_new_economy",
    )
    view_fields = (
        "name",
        "uscc",
        "industry",
        "address",
        "contact_name",
        "contact_phone_masked",
        "is_new_economy",
    )

    @admin.display(description=_("新业态"), boolean=True, ordering="is_new_economy")
    def new_economy(self, obj):
        return obj.is_new_economy

    def service_save(self, request, obj, form, change):
        data = form.service_data()
        if change:
            return services.enterprise_update(actor=request.user, enterprise=obj, data=data)
        return services.enterprise_create(actor=request.user, zone=form.target_zone(), data=data)

    def delete_model(self, request, obj):
        services.enterprise_delete(actor=request.user, enterprise=obj)


@admin.register(Person)
class PersonAdmin(ZoneScopedAdmin):
    form = PersonForm
    list_display = (
        "name",
        "id_number_masked",
        "phone_masked",
        "gender",
        "role",
        "job_type",
        "employer",
        "zone",
    )
    list_select_related = ("zone", "employer")
    search_fields = ("name",)  # shows the box; the search itself is person_search_q
    search_help_text = _("姓名、拼音或拼音首字母（如 fls）、完整手机号或身份证号")
    extra_list_filter = ("role", "job_type", EmployerFilter)
    autocomplete_fields = ("employer",)
    edit_fields = ("name", "id_number", "phone", "role", "job_type", "employer")
    # No birth_date: with the masked ID it would give away 8 of the 10 hidden digits.
    view_fields = (
        "name",
        "id_number_masked",
        "phone_masked",
        "gender",
        "role",
        "job_type",
        "employer",
    )

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.filter(person_search_q(term)), False

    def changelist_view(self, request, extra_context=None):
        """A search by a whole ID or phone number does not stay in the URL: the
        list's own links (pages, filters, "show all", the language switch)
        would repeat it into access logs and Referer headers. One match opens
        that person; none or several (cross-zone users) go back to the list,
        without the number, saying what was found."""
        term = request.GET.get(SEARCH_VAR, "")
        if request.method != "GET" or not full_identifier(term):
            return super().changelist_view(request, extra_context)
        found = list(self.get_queryset(request).filter(person_search_q(term))[:21])
        if len(found) == 1:
            return HttpResponseRedirect(reverse("admin:core_person_change", args=[found[0].pk]))
        if not found:
            messages.warning(request, gettext("没有找到使用该身份证号或手机号的人员"))
        else:
            links = format_html_join(
                "、",
                '<a href="{}">{}（{}）</a>',
                ((reverse("admin:core_person_change", args=[p.pk]), p.name, p.zone) for p in found),
            )
            messages.info(request, format_html("{}{}", gettext("找到多名人员："), links))
        return HttpResponseRedirect(reverse("admin:core_person_changelist"))

    def service_save(self, request, obj, form, change):
        data = form.service_data()
        if change:
            saved = services.person_update(actor=request.user, person=obj, data=data)
        else:
            saved = services.person_create(actor=request.user, zone=form.target_zone(), data=data)
        for warning in getattr(saved, "warnings", []):
            messages.warning(request, warning)
        return saved

    def delete_model(self, request, obj):
        services.person_delete(actor=request.user, person=obj)

    # --------------------------------------------------------------- reveal

    def get_urls(self):
        reveal = path(
            "<path:object_id>/reveal/",
            self.admin_site.admin_view(self.reveal_view),
            name="core_person_reveal",
        )
        return [reveal, *super().get_urls()]

    def changeform_extra_context(self, request, object_id) -> dict:
        context = super().changeform_extra_context(request, object_id)
        if object_id is not None and request.user.has_perm("core.reveal_person"):
            context["reveal_url"] = reverse("admin:core_person_reveal", args=[object_id])
        return context

    def reveal_view(self, request, object_id):
        """GET asks which identifier and why; only a POST with both shows that
        one identifier, once, after services.person_reveal has written the
        audit entry. A field key that cannot decrypt it is said on the page."""
        person = self.get_object(request, unquote(object_id))
        if not request.user.has_perm("core.reveal_person"):
            raise PermissionDenied
        form = RevealForm(request.POST if request.method == "POST" else None)
        revealed = None
        if form.is_bound and form.is_valid():
            field = form.cleaned_data["field"]
            try:
                value = services.person_reveal(
                    actor=request.user,
                    person=person,
                    field=field,
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as exc:
                _raise_for_status(exc)
                form.add_error(None, _error_text(exc))
            else:
                label = dict(form.fields["field"].choices)[field]
                revealed = {"field": field, "label": label, "value": value}
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("查看完整信息"),
            "subtitle": str(person),
            "opts": self.opts,
            "original": person,
            "form": form,
            "revealed": revealed,
            "change_url": reverse("admin:core_person_change", args=[person.pk]),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/core/person/reveal.html", context)


@admin.register(Department)
class DepartmentAdmin(ZoneScopedAdmin):
    form = DepartmentForm
    list_display = ("name", "kind", "contact_name", "zone")
    search_fields = ("name", "contact_name")
    extra_list_filter = ("kind",)
    edit_fields = ("name", "kind", "contact_name")

    def service_save(self, request, obj, form, change):
        data = form.service_data()
        if change:
            return services.department_update(actor=request.user, department=obj, data=data)
        return services.department_create(actor=request.user, zone=form.target_zone(), **data)

    def delete_model(self, request, obj):
        services.department_delete(actor=request.user, department=obj)


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
            kwargs["queryset"] = restrict_to_zone(Person.objects.all(), request.user)
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
