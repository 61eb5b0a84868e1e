"""Declared sources of what a person has received, for checks across programs.

Programs never import each other, yet before a hardship case pays aid the officer must
see what else the worker got in the same period (welfare vouchers and gift packs, …),
so nobody is paid twice for one need unnoticed. A program that hands out benefits
declares a lookup here once (in its AppConfig.ready); a program that must check asks
`benefits_received`, which asks every declared source inside one zone.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Benefit:
    source: str  # the declaring program's label, e.g. "welfare"
    what: str  # shown to the officer, e.g. "电影通兑券（工会）"
    value_fen: int
    on: dt.date


# lookup(zone_id, person_id, start, end) -> benefits received on days in [start, end].
Lookup = Callable[[int, int, dt.date, dt.date], list[Benefit]]

_SOURCES: dict[str, Lookup] = {}


def benefit_source_declare(name: str, lookup: Lookup) -> None:
    """Called once by the program that hands the benefits out (in its AppConfig.ready)."""
    _SOURCES[name] = lookup


def benefits_received(
    *, zone_id: int, person_id: int, start: dt.date, end: dt.date
) -> list[Benefit]:
    """Everything every declared source says the person received in [start, end], by day."""
    found: list[Benefit] = []
    for lookup in _SOURCES.values():
        found.extend(lookup(zone_id, person_id, start, end))
    return sorted(found, key=lambda b: (b.on, b.source, b.what))
