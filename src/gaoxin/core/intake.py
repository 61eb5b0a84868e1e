"""Declared intake: one program hands a need it met to the program that handles it.

Programs never import each other, yet a party instructor who hears of a worker's problem
on a visit must be able to raise it as a demand, tracked by the cases program to an
outcome, in the same step as logging the visit. The program that handles a kind of need
declares a handler here once (in its AppConfig.ready); a program that meets one calls
`intake_raise`, inside its own transaction, so the visit and the demand are written
together or not at all. The handler runs the owner's own service (its validation, its
permissions, its audit): nothing of its logic is copied.
"""

from collections.abc import Callable
from dataclasses import dataclass

from gaoxin.core.models import User, Zone


@dataclass(frozen=True)
class Raised:
    kind: str  # e.g. "demand"
    record_id: int
    label: str  # what the user sees, e.g. "诉求 #12：快递柜超时收费"
    reference: str  # the declared reference kind of the record, e.g. "cases.demand"


# handler(actor, zone, data) -> Raised; raises core.errors (InvalidInput with field
# errors keyed as in `data`, Forbidden) exactly as the owner's service does.
Handler = Callable[[User | None, Zone, dict], Raised]

_HANDLERS: dict[str, Handler] = {}
_CATEGORIES: dict[str, list[tuple[str, str]]] = {}


def intake_declare(kind: str, handler: Handler, *, categories=()) -> None:
    """Called once by the program that handles this kind of need. `categories` are the
    (value, label) choices of its "category" field, for the raising program's forms."""
    _HANDLERS[kind] = handler
    _CATEGORIES[kind] = list(categories)


def intake_available(kind: str) -> bool:
    return kind in _HANDLERS


def intake_categories(kind: str) -> list[tuple[str, str]]:
    return _CATEGORIES.get(kind, [])


def intake_raise(kind: str, *, actor: User | None, zone: Zone, data: dict) -> Raised:
    try:
        handler = _HANDLERS[kind]
    except KeyError:
        raise LookupError(f"intake kind {kind!r} was never declared") from None
    return handler(actor, zone, data)
