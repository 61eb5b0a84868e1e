"""Boring cases factories: records made through the services, as users make them."""

import datetime as dt

from django.utils import timezone

from gaoxin.cases import services
from gaoxin.cases.models import Demand, HardshipCase
from gaoxin.core.models import User, Zone
from gaoxin.core.tests.factories import make_user
from gaoxin.registry.tests.factories import department, person


def worker(zone: Zone, *, login: bool = True, **data):
    """A registered worker; with `login`, also their user account (returned second)."""
    who = person(zone, **data)
    if not login:
        return who, None
    user = make_user("worker", zone)
    user.person = who
    user.save(update_fields=["person"])
    return who, user


def demand(zone: Zone, actor: User | None = None, **data) -> Demand:
    values = {"title": "快递员午休无处可去", "category": "rest", "source": "station_keeper"}
    values.update(data)
    links = {
        k: values.pop(k)
        for k in ("meeting_id", "raised_by_id", "enterprise_ids", "owner")
        if k in values
    }
    return services.demand_create(actor=actor, zone=zone, data=values, **links)


def case(zone: Zone, officer: User, person_id: int | None = None, **kw) -> HardshipCase:
    if person_id is None:
        person_id = person(zone).pk
    return services.case_open(
        actor=officer, zone=zone, person_id=person_id, title=kw.pop("title", "困难帮扶"), **kw
    )


def liaison(zone: Zone, dept=None):
    dept = dept or department(zone)
    user = make_user("department_liaison", zone)
    services.liaison_bind(actor=None, user=user, department_id=dept.pk)
    return user, dept


def aid_data(**overrides) -> dict:
    today = timezone.localdate()
    data = {
        "kind": "hardship",
        "amount_fen": 200000,
        "period_start": today.replace(month=1, day=1).isoformat(),
        "period_end": today.replace(month=12, day=31).isoformat(),
        "reason": "家庭困难",
    }
    data.update(overrides)
    return data


def approved_aid(zone: Zone, **overrides):
    """A case with two officers and an approved aid application: (case, aid, a, b)."""
    a, b = make_user("officer", zone), make_user("officer", zone)
    c = case(zone, a, officer_ids=[b.pk])
    aid = services.aid_apply(case=c, actor=a, data=aid_data(**overrides))
    aid = services.aid_approve(case=c, aid_id=aid.pk, actor=b)
    return c, aid, a, b


def yesterday() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=1)
