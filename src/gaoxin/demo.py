"""The demo: five zones from the seed newspaper page, loaded program by program.

Each program contributes a `demo.load(ctx)` that creates its records through
its own services, in order, so the demo exercises the same paths as users.
"""

import importlib
from dataclasses import dataclass, field

from django.db import transaction


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


@dataclass
class DemoContext:
    zones: dict = field(default_factory=dict)  # code → Zone
    users: dict = field(default_factory=dict)  # username → User
    log: list = field(default_factory=list)

    def say(self, line: str) -> None:
        self.log.append(line)


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
