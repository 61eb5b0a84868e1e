"""Boring factories for activities: made through the services, like users make them."""

import datetime as dt
import itertools

from django.utils import timezone

from gaoxin.activities import services
from gaoxin.activities.models import Activity
from gaoxin.core import services as core_services
from gaoxin.core.models import User, Zone
from gaoxin.core.validators import id_check_digit
from gaoxin.registry.models import Person
from gaoxin.registry.tests.factories import person

_seq = itertools.count(1)


def soon(days: int = 3, hour: int = 9) -> dt.datetime:
    """A local time a few days ahead (sign-up stays open)."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def activity(
    zone: Zone,
    *,
    status: str = "published",
    sessions: int = 1,
    start=None,
    repeat: str = "daily",
    duration: int = 120,
    **data,
) -> Activity:
    values = {
        "title": f"测试活动{next(_seq)}",
        "kind": "culture",
        "organiser": "肇庆高新区总工会",
        "place": "暖新驿站",
        "capacity": 2,
    }
    values.update(data)
    schedule = None
    if sessions:
        schedule = {
            "first_start": start or soon(),
            "duration_minutes": duration,
            "repeat": repeat if sessions > 1 else "once",
            "count": sessions,
        }
    created = services.activity_create(actor=None, zone=zone, data=values, schedule=schedule)
    if status in ("pending", "published", "closed"):
        created = services.activity_transition(actor=None, activity=created, verb="submit")
    if status in ("published", "closed"):
        created = services.activity_transition(actor=None, activity=created, verb="publish")
    if status == "closed":
        created = services.activity_transition(actor=None, activity=created, verb="close")
    if status == "cancelled":
        created = services.activity_transition(actor=None, activity=created, verb="cancel")
    return created


def daycare(zone: Zone, **data) -> Activity:
    values = {
        "title": "关爱小候鸟暑期托管班",
        "kind": "daycare",
        "audience": "children",
        "min_age": 6,
        "max_age": 14,
        "capacity": 30,
    }
    values.update(data)
    return activity(zone, **values)


def worker(zone: Zone, **data) -> Person:
    return person(zone, **{"role": "worker", **data})


def worker_user(
    zone: Zone,
    who: Person | None = None,
    *,
    username: str | None = None,
    password: str = "pw-test-123",
) -> User:
    """A worker login linked to a registry person (the phone pages need one)."""
    who = who or worker(zone)
    return core_services.user_create(
        actor=None,
        username=username or f"w{next(_seq)}",
        password=password,
        zone=zone,
        roles=["worker"],
        person=who,
        display_name=who.name,
    )


def birth_for_age(age: int, on: dt.date) -> str:
    """A birth date that makes a child exactly `age` on `on` (not a birthday)."""
    born = on.replace(year=on.year - age) - dt.timedelta(days=30)
    return born.isoformat()


def valid_id_for(birth: dt.date, region: str = "441202", n: int = 123) -> str:
    """A valid 身份证号 with this birth date."""
    first17 = f"{region}{birth:%Y%m%d}{n:03d}"
    return first17 + id_check_digit(first17)
