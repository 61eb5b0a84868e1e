"""Writing to the ledger: postings that happen exactly once, and reversals.

`ledger_post` is a building block for other programs' services: it checks no
permission and writes no audit entry of its own, because the business act
that moves the money (a claim, a redemption, a disbursement) is checked and
audited by the caller in the same transaction. `ledger_reverse` is an act of
its own (a correction) and is checked and audited here.
"""

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit import audit_record
from gaoxin.core.enums import AuditAction
from gaoxin.core.errors import Conflict, InvalidInput, NotFound
from gaoxin.core.models import User, Zone
from gaoxin.core.rules import require_actor
from gaoxin.ledger.models import LedgerDaily, LedgerEntry, seal_of

ACCOUNT_RE = re.compile(r"^[a-z][a-z0-9_]*(:[a-z0-9_-]+)+$")
MAX_AMOUNT_FEN = 10**15  # ten trillion yuan: anything larger is a typo or an attack


@dataclass(frozen=True)
class Leg:
    account: str
    amount_fen: int


def _legs(entries: Iterable) -> list[Leg]:
    legs = [e if isinstance(e, Leg) else Leg(*e) for e in entries]
    if not legs:
        raise InvalidInput({"entries": _("至少需要一条分录")})
    for leg in legs:
        if not ACCOUNT_RE.match(leg.account) or len(leg.account) > 120:
            raise InvalidInput({"entries": _("科目名称“%(a)s”格式不正确") % {"a": leg.account}})
        if isinstance(leg.amount_fen, bool) or not isinstance(leg.amount_fen, int):
            raise InvalidInput({"entries": _("金额必须是整数（单位：分）")})
        if leg.amount_fen == 0 or abs(leg.amount_fen) > MAX_AMOUNT_FEN:
            raise InvalidInput({"entries": _("分录金额不能为零或超出范围")})
    if sum(leg.amount_fen for leg in legs) != 0:
        raise InvalidInput({"entries": _("借贷不平衡：同一笔记账的分录金额之和必须为零")})
    return legs


def _same(existing: Sequence[LedgerEntry], legs: Sequence[Leg]) -> bool:
    return [(e.account, e.amount_fen) for e in existing] == [
        (g.account, g.amount_fen) for g in legs
    ]


def _existing(zone_id: int, key: str) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(zone_id=zone_id, idempotency_key=key).order_by("leg"))


def _replay(zone_id: int, key: str, legs: Sequence[Leg]) -> list[LedgerEntry] | None:
    existing = _existing(zone_id, key)
    if not existing:
        return None
    if not _same(existing, legs):
        raise Conflict(_("该幂等键已用于另一笔不同的记账"), code="idempotency_key_reused")
    return existing


def _roll_up(zone_id: int, legs: Sequence[Leg], day: dt.date) -> None:
    """Add the legs to their day rows in one upsert (INSERT … ON CONFLICT DO
    UPDATE, on SQLite and PostgreSQL alike). Accounts go in sorted order so
    concurrent postings lock day rows in the same order and cannot deadlock."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for leg in legs:
        row = sums[leg.account]
        if leg.amount_fen > 0:
            row[0] += leg.amount_fen
            row[2] += 1
        else:
            row[1] += leg.amount_fen
            row[3] += 1
    qn = connection.ops.quote_name
    table = qn(LedgerDaily._meta.db_table)
    counters = ("debit_fen", "credit_fen", "debit_count", "credit_count")
    params: list = []
    for account in sorted(sums):
        params += [zone_id, account, connection.ops.adapt_datefield_value(day), *sums[account]]
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(sums))
    updates = ", ".join(f"{qn(c)} = {table}.{qn(c)} + excluded.{qn(c)}" for c in counters)
    columns = ", ".join(qn(c) for c in ("zone_id", "account", "day", *counters))
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES {values} "
        f"ON CONFLICT ({qn('zone_id')}, {qn('account')}, {qn('day')}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def ledger_post(
    *,
    zone: Zone | int,
    entries: Iterable[Leg | tuple[str, int]],
    idempotency_key: str,
    actor: User | None,
    memo: str = "",
    reference_type: str = "",
    reference_id: str | int = "",
    at: dt.datetime | None = None,
    reverses_key: str = "",
) -> list[LedgerEntry]:
    """Write one balanced posting exactly once.

    A second call with the same key returns the entries of the first and
    writes nothing (whether it is a retry in sequence or a race); the same
    key with different legs is a conflict. `at` back-dates the posting for
    loaders of historical records; it defaults to now.
    """
    zone_id = zone.pk if isinstance(zone, Zone) else zone
    legs = _legs(entries)
    key = (idempotency_key or "").strip()
    if not key or len(key) > 100:
        raise InvalidInput({"idempotency_key": _("幂等键不能为空，且不超过 100 个字符")})
    at = at or timezone.now()
    with transaction.atomic(savepoint=False):  # the caller's transaction, or a new one
        rows = [
            LedgerEntry(
                zone_id=zone_id,
                idempotency_key=key,
                leg=n,
                account=leg.account,
                amount_fen=leg.amount_fen,
                reference_type=reference_type[:60],
                reference_id=str(reference_id)[:40],
                memo=memo[:200],
                reverses_key=reverses_key,
                actor=actor,
                created_at=at,
            )
            for n, leg in enumerate(legs)
        ]
        for row in rows:
            row.seal = seal_of(row)  # bulk_create skips save(): seal here
        try:  # no look-up first: the unique key finds a repeat, and most postings are new
            with transaction.atomic():
                created = LedgerEntry.objects.bulk_create(rows)
        except IntegrityError:
            replayed = _replay(zone_id, key, legs)  # a retry, in sequence or racing
            if replayed is not None:
                return replayed
            if reverses_key:
                raise Conflict(
                    _("该笔记账已被冲正过，不能重复冲正"), code="already_reversed"
                ) from None
            raise
        _roll_up(zone_id, legs, timezone.localdate(at))
    return created


def ledger_reverse(
    *, zone: Zone | int, original_key: str, idempotency_key: str, actor: User | None, memo: str = ""
) -> list[LedgerEntry]:
    """Correct a posting by posting its negation; a posting is reversed at most once."""
    zone_id = zone.pk if isinstance(zone, Zone) else zone
    require_actor(actor, "ledger.reverse_ledgerentry", zone_id=zone_id)
    with transaction.atomic():
        done = _existing(zone_id, idempotency_key)
        if done and done[0].reverses_key == original_key:
            return done  # a retried correction: already posted and audited
        original = _existing(zone_id, original_key)
        if not original:
            raise NotFound(_("要冲正的记账不存在"))
        if original[0].reverses_key:
            raise Conflict(_("冲正记录本身不能再冲正，请另行记账"), code="reverse_of_reversal")
        first = original[0]
        entries = ledger_post(
            zone=zone_id,
            entries=[Leg(e.account, -e.amount_fen) for e in original],
            idempotency_key=idempotency_key,
            actor=actor,
            memo=memo or _("冲正：%(memo)s") % {"memo": first.memo},
            reference_type=first.reference_type,
            reference_id=first.reference_id,
            reverses_key=original_key,
        )
        audit_record(
            zone=zone_id,
            actor=actor,
            action=AuditAction.CREATE,
            obj=entries[0],
            after={
                "reverses": original_key,
                "key": idempotency_key,
                "legs": [[e.account, e.amount_fen] for e in entries],
            },
            note=memo[:200],
        )
    return entries
