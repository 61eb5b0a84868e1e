"""Zone isolation of the back office, as a matrix: role × admin route.

Every role is bound to zone A and aims at a zone-B record. Staff roles get a
404 on every object route (exactly what a missing id gives) and lists that
never contain zone-B rows, even when searching for them; roles without back
office access are sent to the login page. No response may contain zone-B data.
"""

import pytest
from django.urls import reverse

from gaoxin.core.enums import Role
from gaoxin.core.models import AuditEntry
from gaoxin.core.roles import STAFF_ROLES
from gaoxin.core.tests.factories import make_user, valid_id_number
from gaoxin.registry.models import Department, Enterprise, Person
from gaoxin.registry.tests.factories import department, enterprise, person


def app_of(model: str) -> str:
    """The admin's app label of a model these tests visit."""
    return "registry" if model in ("enterprise", "person", "department") else "core"


pytestmark = pytest.mark.django_db

SECRET = "乙区机密"
SECRET_USER = "yiqu-jimi"
# Searches use a prefix of the marker: the search box echoes the term.
SEARCH, SEARCH_USER = SECRET[:3], SECRET_USER[:7]


@pytest.fixture
def zone_b_world(zone_a, zone_b):
    """Zone-B records whose names and numbers must never reach zone A."""
    firm = enterprise(
        zone_b, name=f"{SECRET}企业有限公司", contact_phone="13800001111", industry=f"{SECRET}行业"
    )  # list filters must not offer it
    someone = person(
        zone_b, name=f"{SECRET}人", id_number=valid_id_number(region="990101"), employer=firm.pk
    )
    dept = department(zone_b, name=f"{SECRET}部门")
    login = make_user(Role.OFFICER, zone_b, username=SECRET_USER)
    entry = AuditEntry.objects.filter(zone=zone_b, object_type="registry.Person").latest("id")
    return {
        "enterprise": firm,
        "person": someone,
        "department": dept,
        "user": login,
        "auditentry": entry,
        "zone": zone_b,
        "markers": [
            SECRET,
            SECRET_USER,
            zone_b.name,
            someone.id_number_masked,
            someone.phone_masked,
            firm.uscc,
        ],
    }


def _changelist(model: str, term: str):
    return (
        "GET",
        model,
        lambda w: f"{reverse(f'admin:{app_of(model)}_{model}_changelist')}?q={term}",
    )


def _object(model: str, view: str, method: str = "GET", name: str | None = None):
    route = name or f"admin:{app_of(model)}_{model}_{view}"
    return (method, model, lambda w: reverse(route, args=[w[model].pk]))


ROUTES = {
    "enterprise-changelist": _changelist("enterprise", SEARCH),
    "enterprise-change": _object("enterprise", "change"),
    "enterprise-delete": _object("enterprise", "delete"),
    "enterprise-history": _object("enterprise", "history"),
    "enterprise-change-post": _object("enterprise", "change", "POST"),
    "enterprise-delete-post": _object("enterprise", "delete", "POST"),
    "person-changelist": _changelist("person", SEARCH),
    "person-changelist-employer": (
        "GET",
        "person",
        lambda w: f"{reverse('admin:registry_person_changelist')}?employer={w['enterprise'].pk}",
    ),
    "person-change": _object("person", "change"),
    "person-delete": _object("person", "delete"),
    "person-history": _object("person", "history"),
    "person-reveal": _object("person", "reveal"),
    "person-reveal-post": _object("person", "reveal", "POST"),
    "person-change-post": _object("person", "change", "POST"),
    "department-changelist": _changelist("department", SEARCH),
    "department-change": _object("department", "change"),
    "department-delete": _object("department", "delete"),
    "department-history": _object("department", "history"),
    "department-delete-post": _object("department", "delete", "POST"),
    "auditentry-changelist": _changelist("auditentry", SEARCH),
    "auditentry-change": _object("auditentry", "change"),
    "auditentry-delete": _object("auditentry", "delete"),
    "auditentry-history": _object("auditentry", "history"),
    "user-changelist": _changelist("user", SEARCH_USER),
    "user-change": _object("user", "change"),
    "user-delete": _object("user", "delete"),
    "user-history": _object("user", "history"),
    "user-password": _object("user", "password", name="admin:auth_user_password_change"),
    "user-password-post": _object("user", "password", "POST", "admin:auth_user_password_change"),
    "user-change-post": _object("user", "change", "POST"),
    "zone-change": _object("zone", "change"),
    "zone-history": _object("zone", "history"),
    "zone-change-post": _object("zone", "change", "POST"),
}

POST_DATA = {
    "enterprise": {"name": "被改名", "uscc": "", "post": "yes"},
    "person": {"name": "被改名", "reason": "越权查看", "post": "yes"},
    "department": {"name": "被改名", "kind": "hrss", "post": "yes"},
    "user": {
        "password1": "x-Long-pass-1234",
        "password2": "x-Long-pass-1234",
        "usable_password": "true",
        "display_name": "被改名",  # and deactivated: no "is_active"
        "roles": ["national_viewer"],
    },
    "zone": {"name": "被改名", "province": "广东省", "city": "肇庆市"},
}


def _can_list(user, model: str) -> bool:
    return user.has_perm(f"{app_of(model)}.view_{model}")


@pytest.mark.parametrize("route", list(ROUTES))
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_zone_a_role_never_reaches_zone_b_record(client, zone_a, zone_b_world, role, route):
    method, model, build = ROUTES[route]
    user = make_user(role, zone_a)
    client.force_login(user)
    audit_before = AuditEntry.objects.filter(zone=zone_b_world["zone"]).count()
    target = build(zone_b_world)

    post = method == "POST"
    resp = client.post(target, POST_DATA.get(model, {})) if post else client.get(target)

    if role not in STAFF_ROLES:
        assert resp.status_code == 302 and resp["Location"].startswith(reverse("admin:login"))
    elif route.startswith(f"{model}-changelist"):
        assert resp.status_code == (200 if _can_list(user, model) else 403)
        if resp.status_code == 200:
            assert list(resp.context["cl"].result_list) == []
    else:
        assert resp.status_code == 404

    body = resp.content.decode()
    for marker in zone_b_world["markers"]:
        assert marker not in body, marker
    # nothing in zone B was changed, deleted or revealed
    assert AuditEntry.objects.filter(zone=zone_b_world["zone"]).count() == audit_before
    assert Enterprise.objects.filter(name=f"{SECRET}企业有限公司").exists()
    assert Person.objects.filter(name=f"{SECRET}人").exists()
    assert Department.objects.filter(name=f"{SECRET}部门").exists()


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.endswith("-post")])
def test_same_routes_work_for_zone_b_own_admin(client, zone_b_world, route):
    """The control: the 404s above are about zones, not about broken URLs."""
    method, model, build = ROUTES[route]
    client.force_login(make_user(Role.ZONE_ADMIN, zone_b_world["zone"]))
    resp = client.get(build(zone_b_world))
    expected = {
        "enterprise-delete": 200,
        "person-delete": 200,
        "department-delete": 200,
        # audit entries are read-only, users are deactivated (not deleted), zones are
        # view-only for zone admins; a zone admin may reset their users' passwords
        "auditentry-delete": 403,
        "user-delete": 403,
        "user-password": 200,
    }.get(route, 200)
    assert resp.status_code == expected
    if route.endswith("changelist"):
        assert len(resp.context["cl"].result_list) >= 1


@pytest.mark.parametrize("model", ["enterprise", "person", "department"])
def test_bulk_delete_cannot_select_zone_b_records(client, zone_a, zone_b_world, model):
    client.force_login(make_user(Role.ZONE_ADMIN, zone_a))
    target = zone_b_world[model]
    resp = client.post(
        reverse(f"admin:{app_of(model)}_{model}_changelist"),
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": [target.pk],
        },
    )
    assert resp.status_code in (200, 302)
    assert type(target).objects.filter(pk=target.pk).exists()
    assert SECRET not in resp.content.decode()
