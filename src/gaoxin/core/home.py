"""What each role's home page shows: programs add to-do items, figures and shortcuts here.

Each program may have a `home.py` next to its `roles.py`; core finds it the same
way it finds `roles.py` (no signals, no registration call) and asks it, per page
view, for any of:

- ``todos(user, zone) -> list[Todo]``: things waiting for this user (only counts > 0 show);
- ``tiles(user, zone) -> list[Tile]``: headline figures and entries, each for some roles;
- ``shortcuts(user) -> list[Shortcut]``: the program's office pages this user may open;
- ``landing(user) -> str | None``: a URL that *is* this user's home (a keeper's station
  page), for users who are not back-office staff.

`zone` is the zone the page is about, or None for "every zone the user may see"
(national viewers, superusers). Providers read through their program's selectors,
which restrict to the user's zone; each function should cost one or two aggregate
queries, because the workbench calls every program on every view. A provider
returns nothing for a user who has no business with its program.

Core imports no program: it only imports the `home` modules the apps list names.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from gaoxin.core.enums import Role
from gaoxin.core.roles import STAFF_ROLES


class Urgency:
    """How soon a to-do needs someone: the workbench lists urgent ones first."""

    URGENT = 0  # overdue or blocking others (a campaign waiting for approval)
    SOON = 1  # should be done this week
    NORMAL = 2

    LABELS = {URGENT: _("紧急"), SOON: _("尽快"), NORMAL: _("一般")}


@dataclass(frozen=True)
class Todo:
    text: str  # "个福利活动待审批" — shown after the count
    count: int
    url: str
    urgency: int = Urgency.NORMAL


@dataclass(frozen=True)
class Tile:
    """A figure ("今日签到" · "32 人次") or an entry without one ("附近驿站").

    `roles` says whom it is for; a page shows a tile only to a holder of one of
    them (superusers count as every back-office role). `mine` puts a phone tile
    under "我的" (my check-ins, vouchers, sign-ups)."""

    title: str
    url: str
    roles: frozenset[str]
    figure: str = ""
    note: str = ""
    icon: str = ""
    mine: bool = False


@dataclass(frozen=True)
class Shortcut:
    title: str
    url: str


@dataclass
class Section:
    """One program's share of a home page."""

    label: str
    todos: list[Todo] = field(default_factory=list)
    tiles: list[Tile] = field(default_factory=list)
    shortcuts: list[Shortcut] = field(default_factory=list)


@dataclass
class Board:
    sections: list[Section]

    @property
    def todos(self) -> list[tuple[str, Todo]]:
        """(program label, to-do) of every program, most urgent first."""
        rows = [(s.label, t) for s in self.sections for t in s.todos]
        return sorted(rows, key=lambda row: row[1].urgency)

    @property
    def tiles(self) -> list[tuple[str, Tile]]:
        return [(s.label, t) for s in self.sections for t in s.tiles]

    @property
    def is_empty(self) -> bool:
        return not any(s.todos or s.tiles or s.shortcuts for s in self.sections)


@functools.cache
def providers() -> tuple[tuple[str, ModuleType], ...]:
    """(program label, its `home` module) for every installed program that has one,
    in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        is_program = config.name.startswith("gaoxin.") and config.label != "core"
        if is_program and find_spec(f"{config.name}.home"):
            found.append((str(config.verbose_name), import_module(f"{config.name}.home")))
    return tuple(found)


def user_roles(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    return {role for role in Role.values if user.has_role(role)}


def shown_to(user, roles: frozenset[str]) -> bool:
    """Whether tiles for `roles` reach this user: lets a provider skip the queries
    for tiles the page would drop anyway."""
    return user.is_authenticated and (user.is_superuser or bool(user_roles(user) & roles))


def is_desk_user(user) -> bool:
    """Whether the user's home is the back-office workbench."""
    return user.is_authenticated and (
        user.is_superuser or user.is_staff or bool(user_roles(user) & STAFF_ROLES)
    )


def _tile_shown(tile: Tile, roles: set[str], *, desk: bool, superuser: bool) -> bool:
    wanted = STAFF_ROLES if desk else set(Role.values) - STAFF_ROLES
    audience = tile.roles & wanted
    if not audience:
        return False
    return bool(audience & roles) or (desk and superuser)


def board(user, zone=None, *, desk: bool) -> Board:
    """Every program's to-dos, tiles and shortcuts for this user: the workbench
    (`desk`) or the phone home. Programs are asked in INSTALLED_APPS order."""
    roles = user_roles(user)
    sections = []
    for label, module in providers():
        section = Section(label=label)
        if desk and hasattr(module, "todos"):
            section.todos = [t for t in module.todos(user, zone) if t.count > 0]
        if hasattr(module, "tiles"):
            section.tiles = [
                t
                for t in module.tiles(user, zone)
                if _tile_shown(t, roles, desk=desk, superuser=user.is_superuser)
            ]
        if desk and hasattr(module, "shortcuts"):
            section.shortcuts = list(module.shortcuts(user))
        sections.append(section)
    return Board(sections=sections)


def landing(user) -> str | None:
    """The first program page that claims to be this (non-staff) user's home."""
    for _label, module in providers():
        if hasattr(module, "landing"):
            url = module.landing(user)
            if url:
                return url
    return None


def person_name(user) -> str:
    """What a page header calls the signed-in person: the registry person's name
    when the login is linked to one, else the login's name, else its username —
    never a role label."""
    if not user.is_authenticated:
        return ""
    if user.person_id:
        person = user.person
        if person is not None and person.name:
            return person.name
    return user.get_full_name() or user.display_name or user.get_username()
