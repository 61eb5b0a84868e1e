"""Declared figures: what each program publishes for a zone and a period.

Every number a zone prints ("7 个驿站点累计向新业态职工提供服务 6000 多人次") is
computed by the program that owns its records. A program declares one function here (in
its AppConfig.ready) that returns its figures for a zone and a period; the reports (the
dashboard, the brief, the national view) only collect them, so no program's logic is
copied anywhere else. Each figure names the API list whose rows add up to it, so any
number can be clicked down to its records.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    key: str  # "<program>.<name>", stable: integrators and the seed test key on it
    label: str  # zh-hans, e.g. "驿站服务人次"
    value: int | float
    unit: str  # e.g. "人次", "元", "%", "个"
    text: str  # as a newspaper writes it, through core.numbers ("6000 多人次")
    records_url: str  # an API list (filtered to this zone and period) adding up to value


# provider(zone_id, since, until) -> the program's figures for days in [since, until].
Provider = Callable[[int, dt.date, dt.date], list[Figure]]

_PROVIDERS: dict[str, Provider] = {}


def figures_declare(program: str, provider: Provider) -> None:
    """Called once by the program that owns the records (in its AppConfig.ready)."""
    _PROVIDERS[program] = provider


def figures_programs() -> list[str]:
    return sorted(_PROVIDERS)


def zone_figures(*, zone_id: int, since: dt.date, until: dt.date) -> list[Figure]:
    """Every declared program's figures for one zone, in program order."""
    found: list[Figure] = []
    for program in figures_programs():
        found.extend(_PROVIDERS[program](zone_id, since, until))
    return found
