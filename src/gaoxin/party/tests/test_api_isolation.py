"""Zone and role isolation of the party routes, as a matrix: who × route.

Pipeline records are for the zone's party officers only; organisations for the zone's
staff; an instructor logs visits to the firms assigned to them. Another zone's user gets
the same 404 as an id that does not exist; a user of the zone without the right, 403.
"""

import pytest
from django.db import transaction

from gaoxin.core.audit import AuditEntry
from gaoxin.core.tests.factories import ZoneFactory, make_user
from gaoxin.party import services
from gaoxin.party.tests.factories import adult, advance, candidate, org
from gaoxin.registry.tests.factories import enterprise

pytestmark = pytest.mark.django_db

NOT_FOUND = {"code": "not_found", "message": "未找到该记录", "fields": {}}
WHO = ["officer", "admin", "instructor", "officer_b", "worker", "keeper"]


def _expect(**given) -> dict:
    table = {w: 404 for w in WHO}
    table.update(given)
    return table


ROUTES = {
    "org_list": (
        "get",
        "party-orgs",
        None,
        _expect(officer=200, admin=200, instructor=200, worker=403, keeper=403, officer_b=200),
    ),
    "org_detail": (
        "get",
        "party-orgs/{org}",
        None,
        _expect(officer=200, admin=200, instructor=200, worker=403, keeper=403),
    ),
    "org_members": (
        "get",
        "party-orgs/{org}/members",
        None,
        _expect(officer=200, admin=200, instructor=200, worker=403, keeper=403),
    ),
    "candidate_list": (
        "get",
        "candidates",
        None,
        _expect(officer=200, admin=403, instructor=403, worker=403, keeper=403, officer_b=200),
    ),
    "candidate_detail": (
        "get",
        "candidates/{candidate}",
        None,
        _expect(officer=200, admin=403, instructor=403, worker=403, keeper=403),
    ),
    "candidate_advance": (
        "post",
        "candidates/{candidate}/advance",
        {"stage": "full", "on": "2023-01-10", "document": "支部大会决议"},
        _expect(officer=200, admin=403, instructor=403, worker=403, keeper=403),
    ),
    "candidate_talk": (
        "post",
        "candidates/{candidate}/talk",
        {"talked_on": "2020-03-10"},
        _expect(officer=200, admin=403, instructor=403, worker=403, keeper=403),
    ),
    "visit_list": (
        "get",
        "instructor-visits",
        None,
        _expect(officer=200, admin=200, instructor=200, worker=403, keeper=403, officer_b=200),
    ),
    "visit_log": (
        "post",
        "instructor-visits",
        {
            "enterprise_id": "{firm}",
            "visited_on": "2024-05-01",
            "people_met": "冯某",
            "topics": "思想汇报",
        },
        _expect(officer=403, admin=403, instructor=201, worker=403, keeper=403, officer_b=403),
    ),
    "org_cover": (
        "post",
        "party-orgs/{org}/enterprises",
        {"enterprise_id": "{firm2}", "since": "2024-01-01"},
        _expect(officer=201, admin=201, instructor=403, worker=403, keeper=403),
    ),
    "union_cover": (
        "post",
        "union-coverage",
        {"enterprise_id": "{firm2}", "since": "2024-01-01", "union_name": "某公司工会"},
        # An id in the body that is not the zone's: 422 next to the field, with the same
        # words as an id that does not exist (the platform's rule for body references).
        _expect(officer=201, admin=201, instructor=403, worker=403, keeper=403, officer_b=422),
    ),
    "assignment_list": (
        "get",
        "instructor-assignments",
        None,
        _expect(officer=200, admin=200, instructor=200, worker=403, keeper=403, officer_b=200),
    ),
    "assignment_create": (
        "post",
        "instructor-assignments",
        {"instructor_id": "{instructor}", "enterprise_id": "{firm2}", "start_on": "2024-01-01"},
        _expect(officer=201, admin=201, instructor=403, worker=403, keeper=403, officer_b=422),
    ),
    "figures": (
        "get",
        "party-figures",
        None,
        _expect(officer=200, admin=403, instructor=403, worker=403, keeper=403, officer_b=200),
    ),
    "coverage": (
        "get",
        "party-coverage",
        None,
        _expect(officer=200, admin=200, instructor=200, worker=403, keeper=403, officer_b=200),
    ),
}


def _build() -> dict:
    a = ZoneFactory(code="party-a", name="甲高新区")
    b = ZoneFactory(code="party-b", name="乙高新区")
    users = {
        "officer": make_user("officer", a),
        "admin": make_user("zone_admin", a),
        "instructor": make_user("instructor", a),
        "officer_b": make_user("officer", b),
        "worker": make_user("worker", a),
        "keeper": make_user("station_keeper", a),
    }
    branch = org(a)
    org(b, name="乙区支部")  # the other zone has its own
    firm = enterprise(a, is_new_economy=True)
    services.org_cover(actor=None, org=branch, enterprise_id=firm.pk, since="2023-10-01")
    services.assignment_create(
        actor=None,
        zone=a,
        instructor_id=users["instructor"].pk,
        enterprise_id=firm.pk,
        start_on="2023-10-01",
    )
    c = candidate(a, branch, who=adult(a))
    advance(c, "activist", "2020-09-01")
    advance(c, "target", "2021-09-01")
    advance(c, "probationary", "2022-01-10")
    ids = {
        "org": branch.pk,
        "candidate": c.pk,
        "firm": firm.pk,
        "firm2": enterprise(a, is_new_economy=True).pk,  # not yet covered nor assigned
        "instructor": users["instructor"].pk,
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
    ids = _world["ids"]
    path = path.format(**ids)
    if body:
        slots = {"{firm}": ids["firm"], "{firm2}": ids["firm2"], "{instructor}": ids["instructor"]}
        body = {k: slots.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    client = api_client.as_user(_world["users"][who])
    with transaction.atomic():  # each probe leaves the world as it was
        resp = client.get(path) if method == "get" else client.post(path, body)
        transaction.set_rollback(True)
    assert resp.status_code == expected[who], (route, who, resp.json())
    if expected[who] == 404:
        assert resp.json() == NOT_FOUND
    if expected[who] == 403:
        assert resp.json()["code"] == "forbidden"


def test_every_read_of_a_candidate_is_audited(api_client, _world):
    officer = _world["users"]["officer"]
    before = AuditEntry.objects.filter(actor_id=officer.pk, action="reveal").count()
    client = api_client.as_user(officer)
    client.get("candidates")
    client.get(f"candidates/{_world['ids']['candidate']}")
    assert AuditEntry.objects.filter(actor_id=officer.pk, action="reveal").count() == before + 2


def test_visible_orgs_are_only_the_zone_s(api_client, _world):
    resp = api_client.as_user(_world["users"]["officer_b"]).get("party-orgs")
    assert [o["name"] for o in resp.json()["items"]] == ["乙区支部"]
