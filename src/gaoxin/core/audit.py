"""The hash-chained audit trail.

Each zone has its own chain (plus one platform chain for records without a
zone), so chains can live on the zone's shard later. An entry's hash covers
its content and the previous entry's hash; changing, removing or reordering
any entry breaks every later link, which `gaoxin audit verify` reports.

Call `audit_record` inside the transaction that makes the change: the entry
commits or rolls back with it.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from gaoxin.core.enums import AuditAction
from gaoxin.core.models import PLATFORM_ZONE_ID, AuditChain, AuditEntry, User, Zone
from gaoxin.core.serializers import MOVED_MODELS
from gaoxin.core.zonekeys import locked


def _now_ms() -> dt.datetime:
    """Millisecond precision, so a JSON backup round trip keeps hashes valid."""
    now = timezone.now()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


_PLAIN = (str, int, float, bool, type(None))


def _canonical(value: Any) -> Any:
    """What the JSON column will give back, so the hash is computed over that."""
    if value is None or (
        isinstance(value, dict) and all(isinstance(v, _PLAIN) for v in value.values())
    ):
        return value  # already JSON-plain: the common case, and the hot path of imports
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True))


def entry_hash(entry: AuditEntry) -> str:
    payload = {
        "zone": entry.zone_id or None,  # the platform's chain hashes as "no zone", as before
        "seq": entry.seq,
        "at": entry.created_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3],
        "actor": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "type": entry.object_type,
        "id": entry.object_id,
        "repr": entry.object_repr,
        "before": entry.before,
        "after": entry.after,
        "note": entry.note,
        "prev": entry.prev_hash,
    }
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


@dataclass
class Change:
    """One audited change, for recording many at once."""

    action: str
    object_type: str
    object_id: str = ""
    object_repr: str = ""
    before: dict | None = None
    after: dict | None = None
    note: str = ""


def _lock_chain(zone_id: int) -> AuditChain:
    """The zone's chain head, locked until commit: one statement once the chain exists."""
    chain = AuditChain.objects.select_for_update().filter(zone_id=zone_id).first()
    if chain is None:  # the zone's first entry
        chain, _ = AuditChain.objects.get_or_create(zone_id=zone_id)
        chain = locked(chain)
    return chain


def _actor_fields(actor: User | None) -> tuple[int | None, str]:
    if actor is None:
        return None, "system"
    return actor.pk, actor.get_username()


def audit_record_many(
    *, zone: Zone | int | None, actor: User | None, changes: Iterable[Change]
) -> int:
    """Append entries for many changes in one go (imports); returns how many."""
    zone_id = (zone.pk if isinstance(zone, Zone) else zone) or PLATFORM_ZONE_ID
    actor_id, actor_name = _actor_fields(actor)
    # No savepoint inside the caller's transaction: a failure here fails the write it records.
    with transaction.atomic(savepoint=False):
        chain = _lock_chain(zone_id)
        seq, prev = chain.last_seq, chain.last_hash
        at = _now_ms()
        batch = []
        for change in changes:
            seq += 1
            entry = AuditEntry(
                zone_id=zone_id,
                seq=seq,
                created_at=at,
                actor_id=actor_id,
                actor_name=actor_name,
                action=change.action,
                object_type=change.object_type,
                object_id=str(change.object_id),
                object_repr=str(change.object_repr)[:200],
                before=_canonical(change.before),
                after=_canonical(change.after),
                note=change.note[:200],
                prev_hash=prev,
            )
            entry.hash = prev = entry_hash(entry)
            batch.append(entry)
            if len(batch) >= 2000:
                AuditEntry.objects.bulk_create(batch)
                batch = []
        AuditEntry.objects.bulk_create(batch)
        written = seq - chain.last_seq
        AuditChain.objects.filter(zone_id=zone_id, pk=chain.pk).update(last_seq=seq, last_hash=prev)
    return written


def audit_record(
    *,
    zone: Zone | int | None,
    actor: User | None,
    action: str,
    obj: Any = None,
    object_type: str = "",
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> None:
    """Append one entry to the zone's chain."""
    if obj is not None:
        object_type = object_type or obj._meta.label
    audit_record_many(
        zone=zone,
        actor=actor,
        changes=[
            Change(
                action=action,
                object_type=object_type,
                object_id=str(getattr(obj, "pk", "") or ""),
                object_repr=str(obj) if obj is not None else "",
                before=before,
                after=after,
                note=note,
            )
        ],
    )


def snapshot(obj, fields: list[str]) -> dict:
    """Audit view of a record. Hashes are shortened: enough to see that an
    identifier changed, never enough to recover it."""
    data = {}
    for name in fields:
        value = getattr(obj, name)
        if name.endswith("_hash") and value:
            value = value[:12]
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


@contextmanager
def audited_change(
    obj: Any,
    fields: list[str],
    *,
    actor: User | None,
    action: str = AuditAction.UPDATE,
    note: str = "",
) -> Iterator[None]:
    """Audit whatever the block changes in `obj`'s `fields`: one entry with
    before and after, none when nothing changed. Use inside the transaction
    that saves `obj`, so the entry commits or rolls back with it."""
    before = snapshot(obj, fields)
    yield
    after = snapshot(obj, fields)
    if before != after:
        audit_record(
            zone=obj.zone_id,
            actor=actor,
            action=action,
            obj=obj,
            before=before,
            after=after,
            note=note,
        )


def audit_export(
    *, zone: Zone | int | None, actor: User | None, what: str, rows: int, scope: dict | None = None
) -> None:
    """Who took which list out of the system, when, and how many rows: exports
    carry (masked) personal data off the platform, so each one is on the chain."""
    audit_record(
        zone=zone,
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="export",
        after={"what": what, "rows": rows, **(scope or {})},
        note=what,
    )


# Other records that must not change check themselves for `gaoxin audit verify`
# (the ledger's seals): each check returns (what, records checked, problems).
IntegrityCheck = Callable[[], tuple[str, int, list[str]]]
_integrity_checks: dict[str, IntegrityCheck] = {}


def register_integrity_check(check: IntegrityCheck) -> IntegrityCheck:
    _integrity_checks[f"{check.__module__}.{check.__qualname__}"] = check
    return check


def integrity_checks() -> list[IntegrityCheck]:
    return list(_integrity_checks.values())


@dataclass
class ChainProblem:
    zone_id: int | None
    seq: int
    entry_id: int
    reason: str


def audit_verify() -> tuple[int, list[ChainProblem]]:
    """Recompute every chain; returns (entries checked, first problem of each broken chain)."""
    checked = 0
    problems: list[ChainProblem] = []
    chains = {c.zone_id: c for c in AuditChain.objects.all()}
    zone_ids = set(AuditEntry.objects.values_list("zone_id", flat=True).distinct()) | set(chains)
    for zone_id in sorted(zone_ids):
        prev, expected_seq = "", 1
        problem = None
        last_seq = 0
        entries = (
            AuditEntry.objects.filter(zone_id=zone_id).order_by("seq").iterator(chunk_size=5000)
        )
        for entry in entries:
            checked += 1
            last_seq = entry.seq
            if problem:
                continue
            if entry.seq != expected_seq:
                problem = ChainProblem(
                    zone_id, entry.seq, entry.pk, f"缺少序号 {expected_seq} 的记录"
                )
            elif entry.prev_hash != prev:
                problem = ChainProblem(
                    zone_id, entry.seq, entry.pk, "与前一条记录的链接不符（前一条被改动或删除）"
                )
            elif entry_hash(entry) != entry.hash:
                problem = ChainProblem(zone_id, entry.seq, entry.pk, "内容与哈希不符（记录被改动）")
            prev, expected_seq = entry.hash, entry.seq + 1
        chain = chains.get(zone_id)
        if not problem and chain and (chain.last_seq != last_seq or chain.last_hash != prev):
            problem = ChainProblem(zone_id, last_seq + 1, 0, "链尾记录缺失（最新的记录被删除）")
        if problem:
            problems.append(problem)
    return checked, problems


def current_label(label: str) -> str:
    """An entry's object type as the code names the model now: entries keep the label
    they were written with (it is hashed), and some models have moved app since."""
    app, _, model = label.partition(".")
    moved = MOVED_MODELS.get((app, model.lower()))
    return f"{moved[0]}.{model}" if moved else label


def earlier_labels(label: str) -> list[str]:
    """The object types older entries of this model carry (`registry.Person` → core.Person)."""
    app, _, model = label.partition(".")
    return [
        f"{old_app}.{model}"
        for (old_app, old_model), new in MOVED_MODELS.items()
        if new == (app, model.lower()) and old_model == model.lower()
    ]
