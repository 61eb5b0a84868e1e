"""The registry API through HTTP: authentication, OpenAPI, lists, writes, masking, audit."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from gaoxin.core.models import ApiToken, AuditEntry
from gaoxin.core.tests.factories import valid_id_number, valid_uscc
from gaoxin.registry.models import Enterprise, Person
from gaoxin.registry.tests.factories import department, enterprise, person

pytestmark = pytest.mark.django_db


def assert_error(resp, status: int, code: str | None = None) -> dict:
    assert resp.status_code == status, resp.content
    assert resp["Content-Type"].startswith("application/json")
    body = resp.json()
    assert set(body) == {"code", "message", "fields"}, body
    assert body["message"]
    if code:
        assert body["code"] == code, body
    return body


def audit_json(**filters) -> str:
    """Every matching audit row, serialised as a client of the audit log would see it."""
    rows = AuditEntry.objects.filter(**filters).values(
        "action", "object_type", "object_id", "object_repr", "before", "after", "note"
    )
    return json.dumps(list(rows), ensure_ascii=False)


@pytest.fixture
def officer(zone_a, make_user):
    return make_user("officer", zone_a)


@pytest.fixture
def api(api_client, officer):
    return api_client.as_user(officer)


# --------------------------------------------------------------- authentication


def test_token_for_good_credentials_opens_bearer_calls(client, officer):
    resp = client.post(
        "/api/v1/auth/token",
        data={"username": officer.username, "password": "pw-test-123"},
        content_type="application/json",
    )
    assert resp.status_code == 200, resp.content
    token = resp.json()["token"]
    assert len(token) >= 32
    assert ApiToken.objects.filter(user=officer).count() == 1
    assert token not in ApiToken.objects.get(user=officer).key_hash  # only the hash is stored

    listed = client.get("/api/v1/zones", headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 200
    assert [z["code"] for z in listed.json()["items"]] == ["zone-a"]


@pytest.mark.parametrize(
    "username, password",
    [("officer", "wrong-password"), ("nobody", "pw-test-123"), ("officer", "")],
)
def test_token_refused_for_bad_credentials(client, officer, username, password):
    name = officer.username if username == "officer" else username
    resp = client.post(
        "/api/v1/auth/token",
        data={"username": name, "password": password},
        content_type="application/json",
    )
    body = assert_error(resp, 401, "bad_credentials")
    assert body["message"] == "用户名或密码错误"
    assert not ApiToken.objects.exists()


def test_token_refused_for_inactive_user(client, officer):
    officer.is_active = False
    officer.save()
    resp = client.post(
        "/api/v1/auth/token",
        data={"username": officer.username, "password": "pw-test-123"},
        content_type="application/json",
    )
    assert_error(resp, 401, "bad_credentials")


def test_token_request_without_password_is_422(client, officer):
    resp = client.post(
        "/api/v1/auth/token", data={"username": officer.username}, content_type="application/json"
    )
    body = assert_error(resp, 422, "invalid")
    assert body["fields"] == {"password": "必填"}


def test_expired_token_is_401(api, officer):
    ApiToken.objects.filter(user=officer).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert_error(api.get("zones"), 401, "unauthenticated")


def test_token_of_deactivated_user_is_401(api, officer):
    assert api.get("zones").status_code == 200
    officer.is_active = False
    officer.save()
    assert_error(api.get("zones"), 401, "unauthenticated")


@pytest.mark.parametrize(
    "header", ["Bearer not-a-token", "Bearer ", "Token abc", "Basic dXNlcjpwYXNz", "Bearer 令牌"]
)
def test_malformed_or_unknown_authorization_is_401(client, zone_a, header):
    assert_error(client.get("/api/v1/people", headers={"Authorization": header}), 401)
    assert_error(
        client.post(
            "/api/v1/people",
            data={},
            content_type="application/json",
            headers={"Authorization": header},
        ),
        401,
        "unauthenticated",
    )


def test_session_login_reads_without_csrf_token(officer):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(officer)
    person(officer.zone, name="冯立松")
    resp = browser.get("/api/v1/people")
    assert resp.status_code == 200, resp.content
    assert resp.json()["count"] == 1


def test_session_write_requires_csrf_token(officer):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(officer)
    payload = {"name": "跨站企业", "uscc": valid_uscc()}
    resp = browser.post("/api/v1/enterprises", data=payload, content_type="application/json")
    body = assert_error(resp, 403, "csrf_failed")
    assert "CSRF" in body["message"]
    assert not Enterprise.objects.exists()

    secret = "a" * 32  # an unmasked CSRF secret is a valid token for the same cookie
    browser.cookies["csrftoken"] = secret
    resp = browser.post(
        "/api/v1/enterprises",
        data=payload,
        content_type="application/json",
        headers={"X-CSRFToken": secret},
    )
    assert resp.status_code == 201, resp.content
    assert Enterprise.objects.get().zone_id == officer.zone_id


def test_bearer_writes_need_no_csrf_token(officer):
    from gaoxin.core.services import api_token_issue

    integrator = Client(enforce_csrf_checks=True)
    resp = integrator.post(
        "/api/v1/enterprises",
        data={"name": "令牌企业", "uscc": valid_uscc()},
        content_type="application/json",
        headers={"Authorization": f"Bearer {api_token_issue(user=officer)}"},
    )
    assert resp.status_code == 201, resp.content


def test_anonymous_write_is_401_not_csrf_403(zone_a):
    anonymous = Client(enforce_csrf_checks=True)
    resp = anonymous.post("/api/v1/enterprises", data={}, content_type="application/json")
    assert_error(resp, 401, "unauthenticated")


# ---------------------------------------------------------------------- openapi


def test_openapi_document_lists_the_registry(client):
    resp = client.get("/api/v1/openapi.json")
    assert resp.status_code == 200
    doc = json.loads(resp.content)
    assert doc["openapi"].startswith("3.")
    paths = doc["paths"]
    for path in [
        "/api/v1/auth/token",
        "/api/v1/zones",
        "/api/v1/zones/{zone_id}",
        "/api/v1/enterprises",
        "/api/v1/enterprises/{enterprise_id}",
        "/api/v1/people",
        "/api/v1/people/{person_id}",
        "/api/v1/people/{person_id}/reveal",
        "/api/v1/people/search",
        "/api/v1/departments",
    ]:
        assert path in paths, path
    assert set(paths["/api/v1/people/{person_id}"]) == {"get", "patch", "delete"}
    people_params = {p["name"] for p in paths["/api/v1/people"]["get"]["parameters"]}
    assert {"limit", "offset", "q", "zone_id", "employer_id", "role", "job_type"} <= people_params
    schemes = doc["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


# ------------------------------------------------------------------ enterprises


def test_enterprise_list_paginates_with_limit_and_offset(api, zone_a):
    names = [f"企业{i}" for i in range(5)]
    for name in names:
        enterprise(zone_a, name=name)
    first = api.get("enterprises", limit=2).json()
    assert first["count"] == 5
    assert [e["name"] for e in first["items"]] == names[:2]
    rest = api.get("enterprises", limit=2, offset=4).json()
    assert rest["count"] == 5
    assert [e["name"] for e in rest["items"]] == names[4:]
    beyond = api.get("enterprises", offset=99).json()
    assert beyond == {"items": [], "count": 5}


def test_enterprise_pages_never_repeat_same_named_firms(api, zone_a):
    ids = {enterprise(zone_a, name="同名物流有限公司").pk for _ in range(4)}
    seen = [
        e["id"]
        for offset in range(4)
        for e in api.get("enterprises", limit=1, offset=offset).json()["items"]
    ]
    assert sorted(seen) == sorted(ids)


def test_enterprise_list_filters(api, zone_a):
    logistics = enterprise(
        zone_a, name="肇庆顺达物流有限公司", industry="物流", is_new_economy=True
    )
    enterprise(zone_a, name="端州食品厂", industry="食品")

    def names(**params):
        resp = api.get("enterprises", **params)
        assert resp.status_code == 200, resp.content
        return [e["name"] for e in resp.json()["items"]]

    assert names(q="顺达") == [logistics.name]
    assert names(q="zqsd") == [logistics.name]  # pinyin initials
    assert names(q=logistics.uscc.lower()) == [logistics.name]
    assert names(industry="食品") == ["端州食品厂"]
    assert names(is_new_economy="true") == [logistics.name]
    assert names(is_new_economy="false") == ["端州食品厂"]
    assert names(zone_id=zone_a.pk, q="不存在") == []


def test_enterprise_zone_filter_for_cross_zone_user(api_client, zone_a, zone_b, make_user):
    a, b = enterprise(zone_a), enterprise(zone_b)
    admin = api_client.as_user(make_user(None, None, superuser=True))
    assert admin.get("enterprises").json()["count"] == 2
    only_b = admin.get("enterprises", zone_id=zone_b.pk).json()
    assert [e["id"] for e in only_b["items"]] == [b.pk]
    assert a.pk not in [e["id"] for e in only_b["items"]]


def test_enterprise_create_defaults_to_callers_zone_and_audits_masked(api, officer):
    uscc = valid_uscc()
    resp = api.post(
        "enterprises",
        {
            "name": "高要快递服务有限公司",
            "uscc": uscc,
            "industry": "物流",
            "contact_name": "李四",
            "contact_phone": "13900000001",
        },
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["zone_id"] == officer.zone_id
    assert body["uscc"] == uscc
    assert body["contact_phone"] == "139****0001"
    firm = Enterprise.objects.get(pk=body["id"])
    assert firm.contact_phone_cipher and "13900000001" not in firm.contact_phone_cipher

    entry = AuditEntry.objects.get(object_type="registry.Enterprise", object_id=str(firm.pk))
    assert entry.action == "create"
    assert entry.actor_id == officer.pk
    assert entry.zone_id == officer.zone_id
    assert entry.after["contact_phone_masked"] == "139****0001"
    assert "13900000001" not in audit_json()


def test_cross_zone_superuser_must_name_the_zone(api_client, zone_a, zone_b, make_user):
    admin = api_client.as_user(make_user(None, None, superuser=True))
    payload = {"name": "跨区企业", "uscc": valid_uscc()}
    body = assert_error(admin.post("enterprises", payload), 422, "invalid")
    assert body["fields"]["zone_id"] == "跨园区账号请指定园区"
    resp = admin.post("enterprises", {**payload, "zone_id": zone_b.pk})
    assert resp.status_code == 201, resp.content
    assert resp.json()["zone_id"] == zone_b.pk


def test_enterprise_detail_patch_delete_with_audit(api, zone_a, officer):
    firm = enterprise(zone_a, name="旧名称有限公司", contact_phone="13900000002")
    resp = api.get(f"enterprises/{firm.pk}")
    assert resp.status_code == 200
    assert resp.json()["contact_phone"] == "139****0002"

    resp = api.patch(
        f"enterprises/{firm.pk}", {"name": "新名称有限公司", "contact_phone": "13900000003"}
    )
    assert resp.status_code == 200, resp.content
    assert resp.json()["name"] == "新名称有限公司"
    assert resp.json()["contact_phone"] == "139****0003"
    assert resp.json()["industry"] == "物流"  # untouched fields stay
    update = AuditEntry.objects.get(object_id=str(firm.pk), action="update")
    assert update.before["name"] == "旧名称有限公司"
    assert update.after["name"] == "新名称有限公司"
    assert update.before["contact_phone_masked"] == "139****0002"
    assert update.after["contact_phone_masked"] == "139****0003"

    resp = api.delete(f"enterprises/{firm.pk}")
    assert resp.status_code == 204
    assert not Enterprise.objects.filter(pk=firm.pk).exists()
    deletion = AuditEntry.objects.get(object_id=str(firm.pk), action="delete")
    assert deletion.before["name"] == "新名称有限公司"
    assert deletion.actor_id == officer.pk
    assert_error(api.get(f"enterprises/{firm.pk}"), 404, "not_found")
    text = audit_json(object_type="registry.Enterprise")
    assert "13900000002" not in text and "13900000003" not in text


def test_enterprise_patch_without_changes_writes_no_audit(api, zone_a):
    firm = enterprise(zone_a)
    before = AuditEntry.objects.count()
    resp = api.patch(f"enterprises/{firm.pk}", {})
    assert resp.status_code == 200
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    "role, method, expected",
    [
        ("instructor", "post", 403),
        ("finance", "patch", 403),
        ("department_liaison", "delete", 403),
        ("worker", "get", 403),
        ("zone_admin", "delete", 204),
    ],
)
def test_enterprise_write_permissions(api_client, zone_a, make_user, role, method, expected):
    firm = enterprise(zone_a)
    client = api_client.as_user(make_user(role, zone_a))
    if method == "post":
        resp = client.post("enterprises", {"name": "某企业", "uscc": valid_uscc()})
    elif method == "patch":
        resp = client.patch(f"enterprises/{firm.pk}", {"name": "改名"})
    elif method == "delete":
        resp = client.delete(f"enterprises/{firm.pk}")
    else:
        resp = client.get("enterprises")
    assert resp.status_code == expected, resp.content
    if expected == 403:
        assert_error(resp, 403, "forbidden")
        assert Enterprise.objects.filter(pk=firm.pk, name=firm.name).exists()


# ----------------------------------------------------------------------- people


@pytest.fixture
def people(zone_a):
    """Three people of zone A with known identifiers."""
    firm = enterprise(zone_a, name="顺丰速运肇庆分公司")
    return {
        "fls": person(
            zone_a,
            name="冯立松",
            id_number=valid_id_number(101),
            phone="13900000001",
            role="worker",
            job_type="courier",
            employer=firm.pk,
        ),
        "zs": person(
            zone_a,
            name="张三",
            id_number=valid_id_number(102),
            phone="13900000002",
            role="party_member",
            job_type="food_delivery",
        ),
        "ls": person(
            zone_a,
            name="李四",
            id_number=valid_id_number(103),
            phone="13900000003",
            role="worker",
            job_type="ride_hailing",
        ),
        "firm": firm,
    }


def test_people_list_is_masked(api, people):
    resp = api.get("people", limit=500)
    assert resp.status_code == 200
    body = resp.json()
    assert body["count"] == 3
    fls = next(p for p in body["items"] if p["name"] == "冯立松")
    number = valid_id_number(101)
    assert fls["id_number"] == "4412**********" + number[-4:]
    assert fls["phone"] == "139****0001"
    raw = resp.content.decode()
    for n in (101, 102, 103):
        assert valid_id_number(n) not in raw
    for phone in ("13900000001", "13900000002", "13900000003"):
        assert phone not in raw


def test_people_list_paginates(api, people):
    page = api.get("people", limit=2, offset=0).json()
    rest = api.get("people", limit=2, offset=2).json()
    assert page["count"] == rest["count"] == 3
    assert len(page["items"]) == 2 and len(rest["items"]) == 1
    ids = {p["id"] for p in page["items"]} | {p["id"] for p in rest["items"]}
    assert ids == {people["fls"].pk, people["zs"].pk, people["ls"].pk}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "fls"}, ["fls"]),
        ({"q": "FLS"}, ["fls"]),
        ({"q": "fenglisong"}, ["fls"]),
        ({"q": "立松"}, ["fls"]),
        ({"q": "13900000002"}, ["zs"]),
        ({"q": "139 0000 0002"}, ["zs"]),
        ({"q": "+8613900000003"}, ["ls"]),
        ({"q": "0000"}, []),  # a phone fragment matches nothing: no search over ciphertext
        ({"role": "party_member"}, ["zs"]),
        ({"job_type": "ride_hailing"}, ["ls"]),
        ({"job_type": "courier", "role": "worker"}, ["fls"]),
        ({"employer": True}, ["fls"]),
    ],
)
def test_people_list_filters(api, people, params, expected):
    """GET /people and POST /people/search find the same; a whole phone number
    only through POST (GET refuses to carry it in the URL)."""
    if params.pop("employer", None):
        params["employer_id"] = people["firm"].pk
    whole_phone = params.get("q", "").replace(" ", "").endswith(("0002", "0003"))
    resp = api.post("people/search", params)
    assert resp.status_code == 200, resp.content
    assert sorted(p["id"] for p in resp.json()["items"]) == sorted(people[k].pk for k in expected)
    resp = api.get("people", **params)
    if whole_phone:
        assert resp.status_code == 422 and resp.json()["code"] == "identifier_in_url"
        return
    assert resp.status_code == 200, resp.content
    assert sorted(p["id"] for p in resp.json()["items"]) == sorted(people[k].pk for k in expected)


def test_people_found_by_full_id_number_through_post_only(api, people):
    number = valid_id_number(103).lower()
    resp = api.post("people/search", {"q": number})
    assert [p["name"] for p in resp.json()["items"]] == ["李四"]
    resp = api.get("people", q=number)
    assert resp.status_code == 422
    body = resp.json()
    assert body["code"] == "identifier_in_url" and "POST /api/v1/people/search" in body["message"]
    assert number not in resp.content.decode().lower()


def test_people_search_pages_like_the_list(api, people):
    resp = api.post("/api/v1/people/search?limit=1&offset=1", {})
    assert resp.status_code == 200
    assert len(resp.json()["items"]) == 1
    assert resp.json()["count"] == api.get("people").json()["count"]


def test_person_create_audits_only_masked_values(api, officer, zone_a):
    number, phone = valid_id_number(201, birth="19850315"), "13900000001"
    firm = enterprise(zone_a)
    resp = api.post(
        "people",
        {
            "name": "冯立松",
            "id_number": number,
            "phone": phone,
            "role": "worker",
            "job_type": "courier",
            "employer_id": firm.pk,
        },
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["zone_id"] == officer.zone_id
    assert body["id_number"] == number[:4] + "*" * 10 + number[-4:]
    assert body["phone"] == "139****0001"
    assert "birth_date" not in body and 30 < body["age"] < 60
    assert body["gender"] in ("M", "F")
    assert body["employer_id"] == firm.pk
    assert body["warnings"] == []  # 441204 高要区 is a real county
    assert number not in resp.content.decode() and phone not in resp.content.decode()

    entry = AuditEntry.objects.get(object_type="registry.Person", object_id=str(body["id"]))
    assert entry.action == "create"
    assert entry.after["id_number_masked"] == body["id_number"]
    assert entry.after["phone_masked"] == "139****0001"
    text = audit_json()
    assert number not in text and phone not in text
    stored = Person.objects.get(pk=body["id"])
    assert number not in stored.id_number_cipher and stored.id_number_hash


@pytest.mark.parametrize(
    "region, warned",
    [("441204", False), ("440101", False), ("990101", True)],
)
def test_person_region_problems_are_warnings_not_errors(api, region, warned):
    number = valid_id_number(301, region=region)
    resp = api.post("people", {"name": "王五", "id_number": number})
    assert resp.status_code == 201, resp.content
    warnings = resp.json()["warnings"]
    assert bool(warnings) is warned
    if warned:
        assert "行政区划" in warnings[0]
        entry = AuditEntry.objects.get(
            object_type="registry.Person", object_id=str(resp.json()["id"]), action="create"
        )
        assert "行政区划" in entry.note


def test_person_detail_patch_delete_with_audit(api, people, officer):
    target = people["zs"]
    resp = api.get(f"people/{target.pk}")
    assert resp.status_code == 200
    assert resp.json()["phone"] == "139****0002"
    assert resp.json()["warnings"] == []

    new_number = valid_id_number(401)
    resp = api.patch(
        f"people/{target.pk}",
        {"phone": "13900000009", "id_number": new_number, "job_type": "外卖骑手"},
    )
    assert resp.status_code == 200, resp.content
    assert resp.json()["phone"] == "139****0009"
    assert resp.json()["job_type"] == "food_delivery"  # labels are accepted like in the forms
    assert resp.json()["name"] == "张三"
    update = AuditEntry.objects.get(object_id=str(target.pk), action="update")
    assert update.before["phone_masked"] == "139****0002"
    assert update.after["phone_masked"] == "139****0009"
    assert update.before["phone_hash"] != update.after["phone_hash"]

    resp = api.delete(f"people/{target.pk}")
    assert resp.status_code == 204
    assert not Person.objects.filter(pk=target.pk).exists()
    assert AuditEntry.objects.filter(object_id=str(target.pk), action="delete").count() == 1
    text = audit_json(object_type="registry.Person")
    for plain in ("13900000002", "13900000009", valid_id_number(102), new_number):
        assert plain not in text


def test_person_patch_can_clear_employer(api, people):
    target = people["fls"]
    resp = api.patch(f"people/{target.pk}", {"employer_id": None})
    assert resp.status_code == 200, resp.content
    assert resp.json()["employer_id"] is None


@pytest.mark.parametrize("role", ["officer", "zone_admin"])
def test_reveal_shows_plaintext_and_is_audited(api_client, people, zone_a, make_user, role):
    user = make_user(role, zone_a)
    target = people["fls"]
    caller = api_client.as_user(user)
    resp = caller.post(f"people/{target.pk}/reveal", {"field": "id_number", "reason": "核实身份"})
    assert resp.status_code == 200, resp.content
    assert resp.json() == {"id": target.pk, "field": "id_number", "value": valid_id_number(101)}
    assert "13900000001" not in resp.content.decode()  # one field per call
    resp = caller.post(f"people/{target.pk}/reveal", {"field": "phone", "reason": "回访"})
    assert resp.json() == {"id": target.pk, "field": "phone", "value": "13900000001"}
    entries = AuditEntry.objects.filter(
        object_type="registry.Person", object_id=str(target.pk), action="reveal"
    ).order_by("seq")
    assert [(e.after, e.note) for e in entries] == [
        ({"field": "id_number"}, "核实身份"),
        ({"field": "phone"}, "回访"),
    ]
    assert {(e.actor_id, e.zone_id) for e in entries} == {(user.pk, zone_a.pk)}
    assert "13900000001" not in audit_json() and valid_id_number(101) not in audit_json()


@pytest.mark.parametrize(
    "body",
    [
        None,
        {},
        {"reason": "核对"},
        {"field": "phone"},
        {"field": "phone", "reason": ""},
        {"field": "phone", "reason": "   "},
        {"field": "both", "reason": "核对"},
    ],
)
def test_reveal_needs_one_field_and_a_reason(api, people, client, body):
    resp = client.post(
        f"/api/v1/people/{people['ls'].pk}/reveal",
        data="" if body is None else json.dumps(body),
        content_type="application/json",
        headers=api.headers,
    )
    assert resp.status_code in (400, 422), resp.content
    assert "13900000003" not in resp.content.decode()
    assert not AuditEntry.objects.filter(action="reveal", object_id=str(people["ls"].pk)).exists()


def test_reveal_under_a_wrong_field_key_says_so_instead_of_a_500(api, people, client, settings):
    settings.FIELD_KEY = "not-the-key-the-data-was-encrypted-with"
    resp = client.post(
        f"/api/v1/people/{people['ls'].pk}/reveal",
        data=json.dumps({"field": "phone", "reason": "核对"}),
        content_type="application/json",
        headers=api.headers,
    )
    assert resp.status_code == 503
    body = resp.json()
    assert body["code"] == "field_key_mismatch" and "GAOXIN_FIELD_KEY" in body["message"]
    assert not AuditEntry.objects.filter(action="reveal").exists()  # rolled back: nothing shown


@pytest.mark.parametrize("role", ["instructor", "worker", "finance"])
def test_reveal_forbidden_for_other_roles_and_not_audited(
    api_client, people, zone_a, make_user, role
):
    resp = api_client.as_user(make_user(role, zone_a)).post(
        f"people/{people['fls'].pk}/reveal", {"field": "phone", "reason": "核对"}
    )
    body = assert_error(resp, 403, "forbidden")
    assert "13900000001" not in json.dumps(body)
    assert not AuditEntry.objects.filter(action="reveal").exists()


def test_worker_cannot_list_people(api_client, people, zone_a, make_user):
    assert_error(api_client.as_user(make_user("worker", zone_a)).get("people"), 403, "forbidden")


def test_instructor_reads_people_but_cannot_write(api_client, people, zone_a, make_user):
    instructor = api_client.as_user(make_user("instructor", zone_a))
    assert instructor.get("people").json()["count"] == 3
    assert instructor.get(f"people/{people['zs'].pk}").status_code == 200
    assert_error(instructor.patch(f"people/{people['zs'].pk}", {"name": "改名"}), 403, "forbidden")
    assert_error(instructor.delete(f"people/{people['zs'].pk}"), 403, "forbidden")
    assert_error(instructor.post("people", {"name": "新人"}), 403, "forbidden")
    assert Person.objects.get(pk=people["zs"].pk).name == "张三"


def test_departments_and_zones(api, zone_a, zone_b):
    mine = department(zone_a, name="肇庆市人社局")
    department(zone_b, name="乙区人社局")
    body = api.get("departments").json()
    assert body == {
        "items": [
            {
                "id": mine.pk,
                "zone_id": zone_a.pk,
                "name": "肇庆市人社局",
                "kind": "hrss",
                "contact_name": "",
            }
        ],
        "count": 1,
    }
    zone = api.get(f"zones/{zone_a.pk}").json()
    assert zone["name"] == "甲高新区" and zone["province"] == "广东省"
