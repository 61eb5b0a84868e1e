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
    *,
    zone: Zone | int | None,
    prefix: str = "",
    suffix: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[LedgerDaily]:
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
    *,
    user: User,
    zone_id: int | None = None,
    account_prefix: str = "",
    reference_type: str = "",
    reference_id: str = "",
) -> QuerySet[LedgerEntry]:
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


def ledger_verify() -> tuple[str, int, list[str]]:
    """Every entry against its seal, every posting balanced, every zone's day
    roll-ups equal to its entries: ("台账", entries checked, problems), for
    `gaoxin audit verify`. A problem names the entry (id, zone, key, leg)."""
    from gaoxin.core import crypto
    from gaoxin.ledger.models import SEAL_KIND, seal_text

    checked, problems = 0, []
    fields = [
        "pk",
        "zone_id",
        "idempotency_key",
        "leg",
        "account",
        "amount_fen",
        "reference_type",
        "reference_id",
        "memo",
        "reverses_key",
        "actor_id",
        "created_at",
        "seal",
    ]
    rows = LedgerEntry.objects.order_by("pk").values_list(*fields, named=True)
    for row in rows.iterator(chunk_size=5000):
        checked += 1
        if not row.seal or not crypto.seal_valid(SEAL_KIND, seal_text(row), row.seal):
            problems.append(
                f"台账分录被改动：园区 {row.zone_id} 分录编号 {row.pk}（幂等键 {row.idempotency_key} "
                f"第 {row.leg} 条，{row.account} {row.amount_fen:+d} 分）：内容与封签不符"
            )
    unbalanced = (
        LedgerEntry.objects.values("zone_id", "idempotency_key")
        .annotate(total=Sum("amount_fen"))
        .exclude(total=0)
        .order_by("zone_id", "idempotency_key")
    )
    for row in unbalanced:
        problems.append(
            f"台账记账不平：园区 {row['zone_id']} 幂等键 {row['idempotency_key']} "
            f"的分录合计 {row['total']:+d} 分（应为 0，有分录被删除或改动）"
        )
    zone_ids = LedgerEntry.objects.order_by().values_list("zone_id", flat=True).distinct()
    for zone_id in sorted(
        set(zone_ids)
        | set(LedgerDaily.objects.order_by().values_list("zone_id", flat=True).distinct())
    ):
        for account in ledger_rollup_mismatches(zone=zone_id):
            problems.append(f"台账日汇总与分录不符：园区 {zone_id} 科目 {account}")
    return "台账", checked, problems
