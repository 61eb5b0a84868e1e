"""Declared references from one program's record to another program's record.

Programs never import each other, yet an activity is held at a station and (later) a
case is opened from a visit. The program that owns a kind of record declares it here
once, with a lookup that answers inside one zone; a program that refers to it stores
the id in a `ReferenceField` and checks it with `reference_check` before writing.
So a reference can never point into another zone or at nothing, and the
architecture test can see every cross-program column.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _

from gaoxin.core.errors import InvalidInput

# lookup(zone_id, record_id) -> the record's display name, or None when the zone has no
# such record.
Lookup = Callable[[int, int], str | None]


@dataclass(frozen=True)
class ReferenceKind:
    kind: str  # "<app label>.<model name>", e.g. "stations.station"
    label: str  # what a user calls it, e.g. 驿站
    lookup: Lookup


_KINDS: dict[str, ReferenceKind] = {}


def reference_declare(kind: str, *, label: str, lookup: Lookup) -> None:
    """Called once by the owning program (in its AppConfig.ready)."""
    _KINDS[kind] = ReferenceKind(kind=kind, label=label, lookup=lookup)


def reference_kind(kind: str) -> ReferenceKind:
    try:
        return _KINDS[kind]
    except KeyError:
        raise LookupError(f"reference kind {kind!r} was never declared") from None


def reference_name(kind: str, *, zone_id: int, record_id: int | None) -> str | None:
    """The referenced record's display name inside `zone_id` (None: no such record)."""
    if record_id is None:
        return None
    return reference_kind(kind).lookup(zone_id, record_id)


def reference_check(kind: str, *, zone_id: int, record_id: int | None, field: str) -> None:
    """Refuse (422, message next to `field`) an id that is not a record of this zone.

    Another zone's record and a missing one get the same words, so the answer tells
    nothing about other zones."""
    if record_id is None:
        return
    if reference_name(kind, zone_id=zone_id, record_id=record_id) is None:
        label = reference_kind(kind).label
        raise InvalidInput({field: _("%(what)s不存在或不属于本园区") % {"what": label}})


class ReferenceField(models.PositiveBigIntegerField):
    """An id of another program's record, declared by kind (no database foreign key:
    the programs' tables stay independent); checked by `reference_check`."""

    def __init__(self, *args, kind: str = "", **kwargs):
        self.reference_kind = kind
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.reference_kind
        return name, path, args, kwargs
