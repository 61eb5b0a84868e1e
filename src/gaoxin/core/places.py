"""Places where things are handed over (a voucher redeemed, a gift pack collected):
the stations and merchants of a zone, by name.

Programs never import each other: the program that owns places (stations) declares
here, once, how to answer two questions inside one zone; welfare asks them.
Without a declaration (stations not installed) nobody keeps a place and no name is one.
"""

from collections.abc import Callable
from dataclasses import dataclass

from gaoxin.core.models import User


@dataclass(frozen=True)
class PlaceDirectory:
    kept_by: Callable[..., list[str]]  # (user=, zone_id=) -> names of the places user keeps
    among: Callable[..., list[str]]  # (zone_id=, names=) -> those names that are places


_DIRECTORY: list[PlaceDirectory] = []


def places_declare(*, kept_by: Callable[..., list[str]], among: Callable[..., list[str]]) -> None:
    """Called once by the owning program (in its AppConfig.ready)."""
    _DIRECTORY[:] = [PlaceDirectory(kept_by=kept_by, among=among)]


def places_kept_by(*, user: User, zone_id: int) -> list[str]:
    """Names of the places `user` keeps in the zone (a keeper's station, a merchant's shop)."""
    return _DIRECTORY[0].kept_by(user=user, zone_id=zone_id) if _DIRECTORY else []


def places_among(*, zone_id: int, names: list[str]) -> list[str]:
    """Those of `names` that are places of the zone, in the order given."""
    return _DIRECTORY[0].among(zone_id=zone_id, names=names) if _DIRECTORY else []
