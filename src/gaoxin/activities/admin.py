"""Minimal admin: zone-restricted, read-only lists that lead to the workflow pages.

Writes go through the officer pages (/activities/office/), which call the
services, so the admin never sets a status or a counter behind their back.
Children are not listed here at all: their details live on rosters, masked.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gaoxin.activities.models import Activity, SignUp
from gaoxin.core.admin import ReadOnlyZoneAdmin


@admin.register(Activity)
class ActivityAdmin(ReadOnlyZoneAdmin):
    list_display = ("title", "kind", "status", "starts_at", "organiser", "workflow", "zone")
    search_fields = ("title", "organiser", "place")
    extra_list_filter = ("status", "kind")
    view_fields = (
        "title",
        "kind",
        "status",
        "organiser",
        "partners",
        "place",
        "station_id",
        "signup_mode",
        "audience",
        "min_age",
        "max_age",
        "capacity",
        "confirmed",
        "waitlisted",
        "starts_at",
        "ends_at",
    )
    edit_fields = view_fields

    @admin.display(description=_("工作台"))
    def workflow(self, obj):
        url = reverse("activities:office-detail", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("打开"))


@admin.register(SignUp)
class SignUpAdmin(ReadOnlyZoneAdmin):
    list_display = ("activity", "person", "child", "status", "signed_up_at", "zone")
    list_select_related = ("zone", "activity", "person", "child")
    extra_list_filter = ("status",)
    search_fields = ("activity__title", "person__name")
    view_fields = (
        "activity",
        "session",
        "person",
        "child",
        "status",
        "signed_up_at",
        "confirmed_at",
        "cancelled_at",
        "attended_at",
        "note",
    )
    edit_fields = view_fields
