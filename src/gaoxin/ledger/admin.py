"""Ledger entries in the back office: read-only, restricted to the user's zone.

Entries are append-only; a correction is a reversing posting made through
`gaoxin.ledger.services.ledger_reverse`, never an edit here.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from gaoxin.core.admin import ReadOnlyZoneAdmin
from gaoxin.core.numbers import yuan
from gaoxin.ledger.models import LedgerEntry


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyZoneAdmin):
    list_display = (
        "created_at",
        "idempotency_key",
        "leg",
        "account",
        "amount",
        "memo",
        "actor",
        "zone",
    )
    list_select_related = ("zone", "actor")
    search_fields = ("=idempotency_key", "account", "memo", "=reference_id")
    view_fields = (
        "created_at",
        "idempotency_key",
        "leg",
        "account",
        "amount_fen",
        "memo",
        "reference_type",
        "reference_id",
        "reverses_key",
        "actor",
    )

    @admin.display(description=_("金额（元）"), ordering="amount_fen")
    def amount(self, obj):
        return yuan(obj.amount_fen)
