"""Zones, logins and roles in the back office; every write goes through core's services."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gaoxin.core import services
from gaoxin.core.admin.base import NotFoundMixin, ReadOnlyMixin, RefusalMixin, copy_saved, refused
from gaoxin.core.enums import Role
from gaoxin.core.errors import ApplicationError
from gaoxin.core.forms import (
    UserAddForm,
    UserEditForm,
    UserPasswordForm,
)
from gaoxin.core.models import User, Zone
from gaoxin.core.rules import in_zone, restrict_to_zone
from gaoxin.core.selectors import zones_for_user


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
        copy_saved(obj, saved)


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
            copy_saved(obj, saved)
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
        copy_saved(obj, saved)

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
            return refused(request, exc)
        self.log_change(request, saved, self.construct_change_message(request, form, None))
        messages.success(request, gettext("密码已修改"))
        update_session_auth_hash(request, saved)  # only when it is the officer's own
        return HttpResponseRedirect(reverse("admin:core_user_change", args=[saved.pk]))


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ReadOnlyMixin, DjangoGroupAdmin):
    """Role groups are rewritten from roles.py after every migrate, so they
    are shown to superusers only, read-only."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
