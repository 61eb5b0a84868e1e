"""Zone, role and record isolation of the cases routes, as a matrix: who × route.

A case is seen by its assigned officers and the zone admin (and, on the phone, the
worker it is about); a demand by the zone's officers and the worker who raised it; a
referral by officers and the liaison of its department. Anyone else gets the same
404 as an id that does not exist; a user who may see a record but not act on it, 403.
"""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from gaoxin.cases import services
from gaoxin.cases.tests.factories import aid_data, demand, liaison
from gaoxin.core.tests.factories import ZoneFactory, make_user
from gaoxin.registry.tests.factories import department, person

pytestmark = pytest.mark.django_db

NOT_FOUND = {"code": "not_found", "message": "未找到该记录", "fields": {}}
WHO = [
    "officer",
    "officer2",
    "admin",
    "officer_b",
    "worker",
    "worker2",
    "liaison",
    "liaison2",
    "keeper",
]


def _expect(ok: int, **others) -> dict:
    table = {w: 404 for w in WHO}
    table.update({k: v for k, v in others.items()})
    return {w: (ok if v == "ok" else v) for w, v in table.items()}


# route name → (method, path, body, expected status per user)
ROUTES = {
    "demand_detail": (
        "get",
        "demands/{demand}",
        None,
        _expect(200, officer="ok", officer2="ok", admin="ok", worker="ok"),
    ),
    "demand_update": (
        "post",
        "demands/{demand}/updates",
        {"note": "已联系企业"},
        _expect(200, officer="ok", officer2="ok", admin="ok", worker=403),
    ),
    "demand_resolve": (
        "post",
        "demands/{demand}/resolve",
        {"resolution": "已办结"},
        _expect(200, officer="ok", officer2="ok", admin="ok", worker=403),
    ),
    "case_detail": (
        "get",
        "cases/{case}",
        None,
        _expect(200, officer="ok", admin="ok", worker="ok"),
    ),
    "case_aid_list": ("get", "cases/{case}/aid", None, _expect(200, officer="ok", admin="ok")),
    "case_step_done": (
        "post",
        "cases/{case}/steps/{step}/done",
        {"note": "已入户"},
        _expect(200, officer="ok", admin="ok"),
    ),
    "case_aid_approve": (
        "post",
        "cases/{case}/aid/{aid}/approve",
        {},
        _expect(200, officer="ok", admin="ok"),
    ),
    "case_close": (
        "post",
        "cases/{case}/close",
        {"outcome": "aided", "note": "已帮扶"},
        _expect(200, officer="ok", admin="ok"),
    ),
    "referral_detail": (
        "get",
        "referrals/{referral}",
        None,
        _expect(200, officer="ok", officer2="ok", admin="ok", liaison="ok"),
    ),
    "referral_reply": (
        "post",
        "referrals/{referral}/reply",
        {"reply": "已约谈"},
        _expect(200, officer=403, officer2=403, admin=403, liaison="ok"),
    ),
    "referral_close": (
        "post",
        "referrals/{referral}/close",
        {},
        _expect(200, officer=403, officer2=403, admin=403, liaison="ok"),
    ),
    "meeting_detail": (
        "get",
        "meetings/{meeting}",
        None,
        _expect(
            200,
            officer="ok",
            officer2="ok",
            admin="ok",
            worker=403,
            worker2=403,
            liaison=403,
            liaison2=403,
            keeper=403,
        ),
    ),
}


def _build() -> dict:
    a = ZoneFactory(code="zone-a", name="甲高新区")
    b = ZoneFactory(code="zone-b", name="乙高新区")
    users = {
        "officer": make_user("officer", a),
        "officer2": make_user("officer", a),
        "officer3": make_user("officer", a),
        "admin": make_user("zone_admin", a),
        "officer_b": make_user("officer", b),
        "keeper": make_user("station_keeper", a),
    }
    for key in ("worker", "worker2"):
        who = person(a)
        user = make_user("worker", a)
        user.person = who
        user.save(update_fields=["person"])
        users[key] = user
    users["liaison"], dept = liaison(a, department(a, name="甲区人社局"))
    users["liaison2"], _ = liaison(a, department(a, name="甲区市场监管局"))
    meeting = services.meeting_create(
        actor=None, zone=a, data={"held_on": "2026-06-30", "title": "上半年联席会议"}
    )
    d = demand(a, source="meeting", meeting_id=meeting.pk, raised_by_id=users["worker"].person_id)
    case = services.case_open(
        actor=users["officer"],
        zone=a,
        person_id=users["worker"].person_id,
        title="困难帮扶",
        officer_ids=[users["officer3"].pk],
    )
    aid = services.aid_apply(case=case, actor=users["officer3"], data=aid_data())
    referral = services.referral_create(
        actor=None,
        zone=a,
        department_id=dept.pk,
        due_on=timezone.localdate() + dt.timedelta(days=5),
        demand=d,
    )
    ids = {
        "demand": d.pk,
        "case": case.pk,
        "step": case.steps.first().pk,
        "aid": aid.pk,
        "referral": referral.pk,
        "meeting": meeting.pk,
    }
    return {"users": users, "ids": ids}


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("route", list(ROUTES))
def test_route(api_client, _world, route, who):
    method, path, body, expected = ROUTES[route]
    path = path.format(**_world["ids"])
    client = api_client.as_user(_world["users"][who])
    resp = client.get(path) if method == "get" else client.post(path, body or {})
    assert resp.status_code == expected[who], (route, who, resp.json())
    if expected[who] == 404:
        assert resp.json() == NOT_FOUND  # the same body as an id that does not exist
    if expected[who] == 403:
        assert resp.json()["code"] == "forbidden"


@pytest.mark.parametrize("who", ["worker", "liaison", "keeper"])
def test_case_list_is_for_officers_only(api_client, _world, who):
    resp = api_client.as_user(_world["users"][who]).get("cases")
    assert resp.status_code == 403


def test_lists_leave_out_what_the_user_may_not_see(api_client, _world):
    users, ids = _world["users"], _world["ids"]
    got = api_client.as_user(users["officer2"]).get("cases").json()
    assert got == {"items": [], "count": 0}
    got = api_client.as_user(users["officer"]).get("cases").json()
    assert [c["id"] for c in got["items"]] == [ids["case"]]
    assert api_client.as_user(users["officer_b"]).get("demands").json()["count"] == 0
    assert api_client.as_user(users["worker2"]).get("demands").json()["count"] == 0
    assert api_client.as_user(users["worker"]).get("demands").json()["count"] == 1
    assert api_client.as_user(users["liaison2"]).get("referrals").json()["count"] == 0
    assert api_client.as_user(users["liaison"]).get("referrals").json()["count"] == 1
