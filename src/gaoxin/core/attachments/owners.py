"""Kinds of record that may carry attachments, declared by the program that owns them.

Core cannot know who may see a case or a rating, so the owning program says it once
(in its AppConfig.ready) with `can_view(user, zone_id, owner_id)`; every download and
upload asks it, and a record the user may not see is answered like a missing one.
"""

from collections.abc import Callable
from dataclasses import dataclass

CanView = Callable[..., bool]  # (user, zone_id, owner_id) -> bool


@dataclass(frozen=True)
class OwnerKind:
    kind: str  # "<app label>.<model name>", e.g. "cases.case"
    label: str  # what a user calls it, e.g. 帮扶案件
    can_view: CanView
    # Who may attach through the shared upload route (POST /api/v1/attachments);
    # None: only the program's own routes call `attach`.
    can_attach: CanView | None = None


_KINDS: dict[str, OwnerKind] = {}


def attachment_owner_declare(
    kind: str, *, label: str, can_view: CanView, can_attach: CanView | None = None
) -> None:
    """Called by the owning program in AppConfig.ready: can_view(user, zone_id, owner_id)."""
    _KINDS[kind] = OwnerKind(kind=kind, label=label, can_view=can_view, can_attach=can_attach)


def attachment_owner_forget(kind: str) -> None:
    """For tests that declare a kind of their own."""
    _KINDS.pop(kind, None)


def owner_kind(kind: str) -> OwnerKind | None:
    return _KINDS.get(kind)


def owner_kind_declared(kind: str) -> OwnerKind:
    """A kind a program's code names: never declared is a programming error."""
    try:
        return _KINDS[kind]
    except KeyError:
        raise LookupError(f"attachment owner kind {kind!r} was never declared") from None


def may_view(user, *, kind: str, zone_id: int, owner_id: int) -> bool:
    """Whether `user` may see the owner; an undeclared kind (a program removed) is no."""
    declared = _KINDS.get(kind)
    if declared is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(declared.can_view(user, zone_id, owner_id))
