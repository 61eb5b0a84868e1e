"""Zone isolation of every registry route, as a matrix: role × zone × route.

Each cell is its own test id, e.g. `test_record_route[officer-person_reveal-zone_b]`.
Expected statuses come from `user.has_perm`, so roles.ROLE_PERMISSIONS stays the
single source of truth; a handful of key cells are also asserted literally.

The rule: a zone-bound user never learns anything about another zone. Records
there answer 404 — the same body as an id that does not exist — and lists,
filters and searches leave them out. Inside their own zone, the role's
permissions decide between success and 403.
"""

from dataclasses import dataclass, field

import pytest
from django.db import transaction

from gaoxin.core.enums import Role
from gaoxin.core.models import AuditEntry
from gaoxin.core.tests.factories import ZoneFactory, valid_id_number, valid_uscc
from gaoxin.registry.models import Department, Enterprise, Person
from gaoxin.registry.tests.factories import department, enterprise, person

pytestmark = pytest.mark.django_db

NOT_FOUND = {"code": "not_found", "message": "未找到该记录", "fields": {}}
REVEAL = {"field": "phone", "reason": "核对"}

# Who is asked: every role bound to zone A, plus the two zone-spanning accounts.
USERS = [f"{role.value}@a" for role in Role] + ["superuser", "national_viewer"]
ZONES = ["zone_a", "zone_b"]


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: str  # "{id}" is replaced by the target record's id
    perms: tuple[str, ...]  # all needed, besides seeing the zone
    model: str = ""  # "enterprise", "person": which record {id} names
    ok: int = 200
    body: dict = field(default_factory=dict, hash=False)


RECORD_ROUTES = [
    Route(
        "enterprise_detail", "get", "enterprises/{id}", ("registry.view_enterprise",), "enterprise"
    ),
    Route(
        "enterprise_patch",
        "patch",
        "enterprises/{id}",
        ("registry.view_enterprise", "registry.change_enterprise"),
        "enterprise",
        body={"industry": "改过的行业"},
    ),
    Route(
        "enterprise_delete",
        "delete",
        "enterprises/{id}",
        ("registry.view_enterprise", "registry.delete_enterprise"),
        "enterprise",
        ok=204,
    ),
    Route("person_detail", "get", "people/{id}", ("registry.view_person",), "person"),
    Route(
        "person_patch",
        "patch",
        "people/{id}",
        ("registry.view_person", "registry.change_person"),
        "person",
        body={"job_type": "other"},
    ),
    Route(
        "person_delete",
        "delete",
        "people/{id}",
        ("registry.view_person", "registry.delete_person"),
        "person",
        ok=204,
    ),
    Route(
        "person_reveal",
        "post",
        "people/{id}/reveal",
        ("registry.view_person", "registry.reveal_person"),
        "person",
        body={"field": "phone", "reason": "矩阵测试"},
    ),
    Route("zone_detail", "get", "zones/{id}", (), "zone"),
]

LIST_ROUTES = [
    Route("enterprise_list", "get", "enterprises", ("registry.view_enterprise",), "enterprise"),
    Route("person_list", "get", "people", ("registry.view_person",), "person"),
    Route("department_list", "get", "departments", ("registry.view_department",), "department"),
    Route("zone_list", "get", "zones", (), "zone"),
]

CREATE_ROUTES = [
    Route(
        "enterprise_create",
        "post",
        "enterprises",
        ("registry.add_enterprise",),
        "enterprise",
        ok=201,
    ),
    Route("person_create", "post", "people", ("registry.add_person",), "person", ok=201),
]


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    """The same small registry in both zones, built once for the module.

    It lives in an outer transaction that is rolled back after the last test;
    each test runs in its own savepoint inside it, so deletes don't leak.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(_world, zone_a, zone_b):
    assert zone_a.pk == _world["zone_a"]["zone"].pk  # conftest's zones are the module's
    return _world


def _build_world() -> dict:
    data = {}
    for key, code, name in (("zone_a", "zone-a", "甲高新区"), ("zone_b", "zone-b", "乙高新区")):
        zone = ZoneFactory(code=code, name=name)
        firm = enterprise(zone, name=f"{zone.name}物流有限公司")
        data[key] = {
            "zone": zone,
            "enterprise": firm,
            "person": person(
                zone,
                name=f"{zone.name[0]}立松",
                employer=firm.pk,
                phone="13900000001" if key == "zone_a" else "13900000002",
                id_number=valid_id_number(11 if key == "zone_a" else 22),
            ),
            "department": department(zone, name=f"{zone.name}人社局"),
        }
    return data


def make(who: str, zone_a, make_user):
    if who == "superuser":
        return make_user(None, None, superuser=True)
    if who == "national_viewer":
        return make_user(Role.NATIONAL_VIEWER, None)
    return make_user(who.removesuffix("@a"), zone_a)


def sees(user, zone) -> bool:
    return user.spans_zones or user.zone_id == zone.pk


def may(user, route: Route) -> bool:
    return all(user.has_perm(p) for p in route.perms)


def call(client, route: Route, record_id=None, params=None, body=None):
    path = route.path.replace("{id}", str(record_id))
    if route.method == "get":
        return client.get(path, **(params or {}))
    if route.method == "delete":
        return client.delete(path)
    return getattr(client, route.method)(path, body if body is not None else route.body)


def target_of(world, zone_key: str, route: Route):
    data = world[zone_key]
    return data["zone"] if route.model == "zone" else data[route.model]


def still_there(obj) -> bool:
    return type(obj).objects.filter(pk=obj.pk).exists()


# ------------------------------------------------------------------ the matrix


@pytest.mark.parametrize("zone_key", ZONES)
@pytest.mark.parametrize("route", RECORD_ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("who", USERS)
def test_record_route(api_client, world, zone_a, make_user, who, route, zone_key):
    user = make(who, zone_a, make_user)
    target = target_of(world, zone_key, route)
    audit_before = AuditEntry.objects.count()
    resp = call(api_client.as_user(user), route, target.pk)

    if not sees(user, world[zone_key]["zone"]):
        assert resp.status_code == 404, resp.content
        assert resp.json() == NOT_FOUND  # indistinguishable from an id that does not exist
        assert still_there(target)
        assert AuditEntry.objects.count() == audit_before
        if route.name == "enterprise_patch":
            assert Enterprise.objects.get(pk=target.pk).industry == "物流"
        if route.name == "person_patch":
            assert Person.objects.get(pk=target.pk).job_type == "courier"
        return

    expected = route.ok if may(user, route) else 403
    assert resp.status_code == expected, resp.content
    if expected == 403:
        assert resp.json()["code"] == "forbidden"
        assert still_there(target)
        assert AuditEntry.objects.count() == audit_before
        assert "13900000001" not in resp.content.decode()
    elif route.method == "delete":
        assert not still_there(target)
        assert AuditEntry.objects.filter(action="delete", object_id=str(target.pk)).exists()
    elif route.name == "person_reveal":
        assert resp.json()["value"] == ("13900000001" if zone_key == "zone_a" else "13900000002")
        assert (
            AuditEntry.objects.filter(
                action="reveal", object_id=str(target.pk), zone_id=target.zone_id, actor=user
            ).count()
            == 1
        )
    else:
        assert resp.json()["id"] == target.pk


@pytest.mark.parametrize("route", LIST_ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("who", USERS)
def test_list_route(api_client, world, zone_a, make_user, who, route):
    user = make(who, zone_a, make_user)
    client = api_client.as_user(user)
    resp = call(client, route, params={"limit": 500})
    if not may(user, route):
        assert resp.status_code == 403, resp.content
        assert resp.json()["code"] == "forbidden"
        return
    assert resp.status_code == 200, resp.content
    body = resp.json()
    listed = {item["id"] for item in body["items"]}
    visible = {target_of(world, z, route).pk for z in ZONES if sees(user, world[z]["zone"])}
    assert listed == visible
    assert body["count"] == len(visible)

    # Filtering by another zone's id, or searching for its people, finds nothing there.
    zone_b = world["zone_b"]["zone"]
    b_record = target_of(world, "zone_b", route)
    if route.model != "zone":
        by_zone = call(client, route, params={"zone_id": zone_b.pk}).json()
        assert by_zone["count"] == (1 if sees(user, zone_b) else 0)
        assert [i["id"] for i in by_zone["items"]] == ([b_record.pk] if sees(user, zone_b) else [])
    if route.model == "person":
        for q in ("13900000002", valid_id_number(22), "乙立松"):
            found = [i["id"] for i in client.post("people/search", {"q": q}).json()["items"]]
            assert found == ([b_record.pk] if sees(user, zone_b) else [])
        by_employer = call(client, route, params={"employer_id": world["zone_b"]["enterprise"].pk})
        assert by_employer.json()["count"] == (1 if sees(user, zone_b) else 0)
    if route.model == "enterprise":
        found = call(client, route, params={"q": b_record.uscc}).json()["items"]
        assert [i["id"] for i in found] == ([b_record.pk] if sees(user, zone_b) else [])


@pytest.mark.parametrize("zone_key", ZONES)
@pytest.mark.parametrize("route", CREATE_ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("who", USERS)
def test_create_route(api_client, world, zone_a, make_user, who, route, zone_key):
    user = make(who, zone_a, make_user)
    zone = world[zone_key]["zone"]
    model = Enterprise if route.model == "enterprise" else Person
    count_before = model.objects.filter(zone=zone).count()
    body = {"zone_id": zone.pk, "name": "矩阵新建"}
    if route.model == "enterprise":
        body["uscc"] = valid_uscc()
    resp = call(api_client.as_user(user), route, body=body)

    if not sees(user, zone):
        # Naming a zone one cannot use is another zone's record: not found.
        assert resp.status_code == 404, resp.content
        assert resp.json()["code"] == "not_found"
    else:
        expected = route.ok if may(user, route) else 403
        assert resp.status_code == expected, resp.content
        if expected == 201:
            assert resp.json()["zone_id"] == zone.pk
            assert model.objects.filter(zone=zone).count() == count_before + 1
            return
    assert model.objects.filter(zone=zone).count() == count_before


ALL_ROUTES = RECORD_ROUTES + LIST_ROUTES + CREATE_ROUTES


@pytest.mark.parametrize("zone_key", ZONES)
@pytest.mark.parametrize("route", ALL_ROUTES, ids=lambda r: r.name)
def test_anonymous_gets_401(client, world, route, zone_key):
    target = target_of(world, zone_key, route)
    path = "/api/v1/" + route.path.replace("{id}", str(target.pk))
    if route.method in ("post", "patch"):
        resp = getattr(client, route.method)(path, data={}, content_type="application/json")
    else:
        resp = getattr(client, route.method)(path)
    assert resp.status_code == 401, resp.content
    assert resp.json()["code"] == "unauthenticated"
    assert still_there(target)


@pytest.mark.parametrize("route", RECORD_ROUTES, ids=lambda r: r.name)
def test_inactive_users_token_is_401(api_client, world, zone_a, make_user, route):
    user = make_user(Role.OFFICER, zone_a)
    client = api_client.as_user(user)
    user.is_active = False
    user.save()
    resp = call(client, route, target_of(world, "zone_a", route).pk)
    assert resp.status_code == 401, resp.content


# ----------------------------------------------------------- key cells, literally


def test_officer_reveals_own_zone_but_gets_404_for_the_other(api_client, world, zone_a, make_user):
    officer = api_client.as_user(make_user(Role.OFFICER, zone_a))
    mine, theirs = world["zone_a"]["person"], world["zone_b"]["person"]
    resp = officer.post(f"people/{mine.pk}/reveal", REVEAL)
    assert resp.status_code == 200
    assert resp.json() == {"id": mine.pk, "field": "phone", "value": "13900000001"}
    resp = officer.post(f"people/{mine.pk}/reveal", {**REVEAL, "field": "id_number"})
    assert resp.json() == {"id": mine.pk, "field": "id_number", "value": valid_id_number(11)}
    assert officer.post(f"people/{theirs.pk}/reveal", REVEAL).status_code == 404
    for method, path in [
        ("get", f"people/{theirs.pk}"),
        ("patch", f"people/{theirs.pk}"),
        ("delete", f"people/{theirs.pk}"),
        ("get", f"enterprises/{world['zone_b']['enterprise'].pk}"),
        ("get", f"zones/{world['zone_b']['zone'].pk}"),
    ]:
        resp = getattr(officer, method)(path)
        assert resp.status_code == 404, (method, path)
        assert resp.json() == NOT_FOUND
        assert "13900000002" not in resp.content.decode()
    assert AuditEntry.objects.filter(action="reveal").count() == 2


def test_worker_gets_403_on_people_list(api_client, world, zone_a, make_user):
    worker = api_client.as_user(make_user(Role.WORKER, zone_a))
    resp = worker.get("people")
    assert resp.status_code == 403
    assert resp.json()["code"] == "forbidden"
    # ...but another zone's person is still "not found", not "forbidden".
    assert worker.get(f"people/{world['zone_b']['person'].pk}").status_code == 404
    assert worker.get(f"people/{world['zone_a']['person'].pk}").status_code == 403


def test_national_viewer_sees_all_enterprises_but_no_people(api_client, world, make_user):
    viewer = api_client.as_user(make_user(Role.NATIONAL_VIEWER, None))
    body = viewer.get("enterprises").json()
    assert {e["zone_id"] for e in body["items"]} == {
        world["zone_a"]["zone"].pk,
        world["zone_b"]["zone"].pk,
    }
    assert body["count"] == 2
    assert viewer.get("people").status_code == 403
    assert viewer.get(f"people/{world['zone_b']['person'].pk}").status_code == 403
    assert viewer.post(f"people/{world['zone_b']['person'].pk}/reveal", REVEAL).status_code == 403
    assert (
        viewer.patch(f"enterprises/{world['zone_b']['enterprise'].pk}", {"name": "x"}).status_code
        == 403
    )
    assert viewer.get("zones").json()["count"] == 2


def test_zone_b_record_answers_like_a_missing_one(api_client, world, zone_a, make_user):
    officer = api_client.as_user(make_user(Role.OFFICER, zone_a))
    missing = officer.get("people/987654")
    other_zone = officer.get(f"people/{world['zone_b']['person'].pk}")
    assert (missing.status_code, missing.content) == (other_zone.status_code, other_zone.content)


def test_department_list_of_zone_a_officer(api_client, world, zone_a, make_user):
    officer = api_client.as_user(make_user(Role.OFFICER, zone_a))
    names = [d["name"] for d in officer.get("departments").json()["items"]]
    assert names == [world["zone_a"]["department"].name]
    assert Department.objects.count() == 2
