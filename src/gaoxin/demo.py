"""The demo: five zones from the seed newspaper page, loaded program by program.

Each program contributes a `demo.load(ctx)` that creates its records through
its own services, in order, so the demo exercises the same paths as users.
"""

import datetime as dt
import importlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone


def demo_modules() -> list[str]:
    """Every installed gaoxin app's `demo` module, in INSTALLED_APPS order (core first)."""
    from importlib.util import find_spec

    from django.apps import apps

    names = []
    for config in apps.get_app_configs():
        if config.name.startswith("gaoxin.") and find_spec(f"{config.name}.demo"):
            names.append(f"{config.name}.demo")
    return names


DEMO_PASSWORD = "gaoxin-demo"


def years_in_weeks(years: int) -> dt.timedelta:
    """About `years` years, in whole weeks: a Saturday class stays on a Saturday."""
    return dt.timedelta(weeks=round(years * 365.2425 / 7))


@dataclass
class DemoContext:
    """What the programs' demo loaders share: the zones, the accounts, and one clock.

    The seed page tells of events in 2023–25; every program moves its share of
    them by whole years so that its history ends in the year before `today`,
    the one day the whole demo is anchored to. No program keeps a timeline of
    its own (the office once saw activities in 2023, stations in 2026).
    """

    zones: dict = field(default_factory=dict)  # code → Zone
    users: dict = field(default_factory=dict)  # username → User
    log: list = field(default_factory=list)
    today: dt.date = field(default_factory=timezone.localdate)

    def say(self, line: str) -> None:
        self.log.append(line)

    def catch_up(self, last: dt.date) -> dt.timedelta:
        """The shift (whole years, in whole weeks) that brings seed-era history whose
        last event is `last` up to the year before today, never past today."""
        years = 0
        while last + years_in_weeks(years + 1) <= self.today:
            years += 1
        while years > -100 and last + years_in_weeks(years) > self.today:
            years -= 1
        return years_in_weeks(years)


def demo_loaded() -> bool:
    from gaoxin.core.models import Zone

    return Zone.objects.filter(code="zhaoqing").exists()


def load_demo(*, echo=print) -> DemoContext:
    """Load every program's demo data in one transaction (all or nothing)."""
    ctx = DemoContext()
    with transaction.atomic():
        for name in demo_modules():
            module = importlib.import_module(name)
            module.load(ctx)
            for line in ctx.log:
                echo(line)
            ctx.log.clear()
    return ctx


def accounts_table() -> list[tuple[str, str, str]]:
    """(username, role label, zone) of every demo account, for `gaoxin up` and the README."""
    from gaoxin.core.demo import DEMO_ACCOUNTS

    return DEMO_ACCOUNTS
