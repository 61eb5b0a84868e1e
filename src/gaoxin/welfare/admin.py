"""Welfare records in the back office: read-only lists, restricted to the user's zone.

Campaigns are created and moved through their states on the workflow pages
(/welfare/office/), which call the services; the admin only shows records.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gaoxin.core.admin import ReadOnlyZoneAdmin
from gaoxin.core.numbers import yuan
from gaoxin.welfare.models import Campaign, Claim


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyZoneAdmin):
    list_display = (
        "title",
        "kind",
        "sponsor_name",
        "status",
        "unit_value",
        "issued",
        "stock",
        "redeemed",
        "claim_starts_at",
        "claim_ends_at",
        "workflow",
        "zone",
    )
    list_select_related = ("zone",)
    search_fields = ("title", "sponsor_name")
    extra_list_filter = ("status", "kind", "sponsor_kind")
    view_fields = (
        "title",
        "kind",
        "description",
        "sponsor_kind",
        "sponsor_name",
        "unit_value_fen",
        "stock",
        "per_worker_limit",
        "budget_fen",
        "eligible_job_types",
        "eligible_enterprise",
        "claim_starts_at",
        "claim_ends_at",
        "redeem_until",
        "redeem_place_hint",
        "status",
        "issued",
        "redeemed",
        "created_by",
        "created_at",
        "approved_by",
        "approved_at",
        "opened_at",
        "closed_at",
    )

    @admin.display(description=_("单份价值（元）"), ordering="unit_value_fen")
    def unit_value(self, obj):
        return yuan(obj.unit_value_fen)

    @admin.display(description=_("工作台"))
    def workflow(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("welfare:office-detail", args=[obj.pk]), _("打开")
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "workflow_url": reverse("welfare:office-list")}
        return super().changelist_view(request, extra_context)


@admin.register(Claim)
class ClaimAdmin(ReadOnlyZoneAdmin):
    list_display = (
        "masked_code",
        "campaign",
        "person",
        "value",
        "claimed_at",
        "redeemed_at",
        "redeemed_place",
        "zone",
    )
    list_select_related = ("zone", "campaign", "person")
    search_fields = ("person__name", "campaign__title")
    extra_list_filter = ("campaign__kind",)
    view_fields = (
        "campaign",
        "person",
        "slot",
        "value_fen",
        "claimed_at",
        "claimed_by",
        "redeemed_at",
        "redeemed_by",
        "redeemed_place",
    )

    @admin.display(description=_("券码"))
    def masked_code(self, obj):
        return f"{obj.code[:5]}-*****"

    @admin.display(description=_("价值（元）"), ordering="value_fen")
    def value(self, obj):
        return yuan(obj.value_fen)
