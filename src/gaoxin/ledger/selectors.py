"""Reading the ledger: balances from the day roll-ups, entries for people.

Periods are half-open local-date ranges [since, until): `until` is the first
day *not* counted, so consecutive periods never count a day twice.
"""

import datetime as dt

from django.db.models import F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from gaoxin.core.models import User, Zone
from gaoxin.core.rules import require_perm, restrict_to_zone
from gaoxin.ledger.models import LedgerDaily, LedgerEntry


def _zone_id(zone: Zone | int) -> int:
    return zone.pk if isinstance(zone, Zone) else zone


def ledger_daily(
    *, zone: Zone | int | None, prefix: str = "", suffix: str = "",
    since: dt.date | None = None, until: dt.date | None = None,
) -> QuerySet[LedgerDaily]:  # fmt: skip
    """Day rows of accounts matching prefix/suffix (zone None: every zone)."""
    qs = LedgerDaily.objects.all()
    if zone is not None:
        qs = qs.filter(zone_id=_zone_id(zone))
    if prefix:
        qs = qs.filter(account__startswith=prefix)
    if suffix:
        qs = qs.filter(account__endswith=suffix)
    if since:
        qs = qs.filter(day__gte=since)
    if until:
        qs = qs.filter(day__lt=until)
    return qs


def ledger_balances(*, zone: Zone | int, prefix: str) -> dict[str, int]:
    """Balance of every account under `prefix` (sum of all its entries, in fen)."""
    rows = (
        ledger_daily(zone=zone, prefix=prefix)
        .values("account")
        .annotate(debit=Sum("debit_fen"), credit=Sum("credit_fen"))
    )
    return {r["account"]: (r["debit"] or 0) + (r["credit"] or 0) for r in rows}


def ledger_balance(*, zone: Zone | int, account: str) -> int:
    agg = LedgerDaily.objects.filter(zone_id=_zone_id(zone), account=account).aggregate(
        debit=Sum("debit_fen"), credit=Sum("credit_fen")
    )
    return (agg["debit"] or 0) + (agg["credit"] or 0)


def balance_subquery(account, *, zone_ref: str = "zone_id") -> Coalesce:
    """An annotation: the balance of the account named by `account` (an
    expression over the outer row), so a list of N records reads its
    balances in one query instead of N."""
    rows = (
        LedgerDaily.objects.filter(zone_id=OuterRef(zone_ref), account=account)
        .values("zone_id")
        .annotate(total=Sum(F("debit_fen") + F("credit_fen")))
        .values("total")[:1]
    )
    return Coalesce(Subquery(rows), 0)


def ledger_entries_for_user(
    *, user: User, zone_id: int | None = None, account_prefix: str = "",
    reference_type: str = "", reference_id: str = "",
) -> QuerySet[LedgerEntry]:  # fmt: skip
    require_perm(user, "ledger.view_ledgerentry")
    qs = restrict_to_zone(LedgerEntry.objects.select_related("actor"), user).order_by(
        "created_at", "id"
    )
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    if account_prefix:
        qs = qs.filter(account__startswith=account_prefix)
    if reference_type:
        qs = qs.filter(reference_type=reference_type)
    if reference_id:
        qs = qs.filter(reference_id=str(reference_id))
    return qs


def ledger_rollup_mismatches(*, zone: Zone | int) -> list[str]:
    """Accounts whose day roll-ups disagree with their raw entries (should be none)."""
    raw = {
        r["account"]: r["total"]
        for r in LedgerEntry.objects.filter(zone_id=_zone_id(zone))
        .values("account")
        .annotate(total=Sum("amount_fen"))
    }
    rolled = ledger_balances(zone=zone, prefix="")
    counts = LedgerDaily.objects.filter(zone_id=_zone_id(zone)).aggregate(
        n=Sum("debit_count") + Sum("credit_count")
    )
    problems = [a for a in sorted(set(raw) | set(rolled)) if raw.get(a, 0) != rolled.get(a, 0)]
    if (counts["n"] or 0) != LedgerEntry.objects.filter(zone_id=_zone_id(zone)).count():
        problems.append("*entry-count*")
    return problems
