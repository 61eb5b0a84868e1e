"""Bad input never gets a 500: every refusal is 4xx JSON {code, message, fields} in Chinese."""

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gaoxin.core.tests.factories import valid_id_number, valid_uscc
from gaoxin.registry.models import Enterprise, Person
from gaoxin.registry.tests.factories import enterprise, person

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u4e00-\u9fff]")


def assert_error(resp, status: int | None = None, code: str | None = None) -> dict:
    """A 4xx JSON error of the one shape, with a Chinese message."""
    assert 400 <= resp.status_code < 500, (resp.status_code, resp.content[:500])
    if status is not None:
        assert resp.status_code == status, resp.content
    assert resp["Content-Type"].startswith("application/json"), resp["Content-Type"]
    body = resp.json()
    assert set(body) == {"code", "message", "fields"}, body
    assert isinstance(body["code"], str) and body["code"]
    assert HAN.search(body["message"]), body["message"]
    assert isinstance(body["fields"], dict)
    if code:
        assert body["code"] == code, body
    return body


@pytest.fixture
def officer(zone_a, make_user):
    return make_user("officer", zone_a)


@pytest.fixture
def api(api_client, officer, client):
    client.raise_request_exception = False  # a server error must show up as a 500, not a raise
    return api_client.as_user(officer)


def raw(api, method: str, path: str, body: str | bytes, content_type="application/json"):
    fn = getattr(api.client, method)
    return fn(f"/api/v1/{path}", data=body, content_type=content_type, headers=api.headers)


# ----------------------------------------------------------- field validation


def test_uscc_with_wrong_check_character(api):
    good = valid_uscc()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    body = assert_error(api.post("enterprises", {"name": "某公司", "uscc": bad}), 422, "invalid")
    assert "统一社会信用代码校验位错误" in body["fields"]["uscc"]
    assert body["message"] == "提交的数据有误，请按提示修改"
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize(
    "uscc, expected",
    [
        ("", "请填写统一社会信用代码"),
        ("9144", "应为 18 位"),
        ("91441200MA4WIOZS7X", "不允许的字符"),
    ],
)
def test_uscc_messages_match_the_forms(api, uscc, expected):
    body = assert_error(api.post("enterprises", {"name": "某公司", "uscc": uscc}), 422)
    assert expected in body["fields"]["uscc"]


def test_id_number_with_wrong_check_digit(api):
    good = valid_id_number(7)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    body = assert_error(api.post("people", {"name": "张三", "id_number": bad}), 422, "invalid")
    assert "身份证号校验位错误" in body["fields"]["id_number"]
    assert not Person.objects.exists()


@pytest.mark.parametrize("birth", ["19901301", "19900230", "29990101", "18000101"])
def test_id_number_with_impossible_birth_date(api, birth):
    number = valid_id_number(8, birth=birth)  # correct check digit, impossible date
    body = assert_error(api.post("people", {"name": "张三", "id_number": number}), 422)
    assert "出生日期无效" in body["fields"]["id_number"]


@pytest.mark.parametrize(
    "id_number, expected",
    [
        ("4412041990010100", "应为 18 位"),
        ("441204900101001", "15 位旧身份证号"),
        ("44120419900101001A", "最后一位为数字或 X"),
    ],
)
def test_id_number_format_messages(api, id_number, expected):
    body = assert_error(api.post("people", {"name": "张三", "id_number": id_number}), 422)
    assert expected in body["fields"]["id_number"]


@pytest.mark.parametrize("phone", ["1390000000", "23900000001", "139-0000-000a", "电话"])
def test_bad_mobile_phone(api, phone):
    body = assert_error(api.post("people", {"name": "张三", "phone": phone}), 422)
    assert "手机号码应为 11 位数字" in body["fields"]["phone"]


def test_bad_enterprise_contact_phone(api):
    resp = api.post(
        "enterprises", {"name": "某公司", "uscc": valid_uscc(), "contact_phone": "12345"}
    )
    assert "联系电话应为" in assert_error(resp, 422)["fields"]["contact_phone"]


def test_several_field_errors_are_reported_together(api):
    resp = api.post(
        "people", {"name": "", "id_number": "123", "phone": "456", "job_type": "宇航员"}
    )
    fields = assert_error(resp, 422)["fields"]
    assert set(fields) == {"name", "id_number", "phone", "job_type"}
    assert fields["name"] == "请填写姓名"
    assert "可选" in fields["job_type"]


def test_too_long_name(api):
    body = assert_error(api.post("people", {"name": "长" * 41}), 422)
    assert body["fields"]["name"] == "姓名不能超过 40 个字"


@pytest.mark.parametrize(
    "path, payload, field, message",
    [
        ("enterprises", {"uscc": "x"}, "name", "请填写企业名称"),
        ("enterprises", {"name": "x"}, "uscc", "请填写统一社会信用代码"),
        ("people", {}, "name", "请填写姓名"),
        ("auth/token", {"password": "x"}, "username", "必填"),
    ],
)
def test_missing_required_fields(api, path, payload, field, message):
    body = assert_error(api.post(path, payload), 422, "invalid")
    assert body["fields"][field] == message


@pytest.mark.parametrize(
    "path, payload, field, message",
    [
        ("people", {"name": 12}, "name", "应为文字"),
        ("people", {"name": "张三", "employer_id": "abc"}, "employer_id", "应为数字"),
        ("people", {"name": "张三", "employer_id": 2**70}, "employer_id", "不能大于"),
        ("people", {"name": ["张三"]}, "name", "应为文字"),
        (
            "enterprises",
            {"name": "x", "uscc": "x", "is_new_economy": "也许"},
            "is_new_economy",
            "true",
        ),
        ("enterprises", {"name": "x", "uscc": "x", "zone_id": "甲"}, "zone_id", "应为数字"),
        ("enterprises", {"name": {"a": 1}, "uscc": "x"}, "name", "应为文字"),
    ],
)
def test_wrong_types(api, path, payload, field, message):
    body = assert_error(api.post(path, payload), 422, "invalid")
    assert message in body["fields"][field]


@pytest.mark.parametrize(
    "body",
    ["not json", "{", "{'name': 'x'}", "{}}", b"\xff\xfe\x00", b"\x80abc", "[" * 100000],
)
def test_body_that_is_not_json(api, body):
    resp = raw(api, "post", "people", body)
    err = assert_error(resp, 400, "bad_json")
    assert "JSON" in err["message"]


@pytest.mark.parametrize("body", ['"张三"', "[]", "42", "null", "true"])
def test_json_that_is_not_an_object(api, body):
    assert_error(raw(api, "post", "people", body), 422)


def test_form_encoded_body_is_refused_as_unsupported_media_type(api):
    resp = api.client.post("/api/v1/people", data={"name": "张三"}, headers=api.headers)
    assert_error(resp, 415, "unsupported_media_type")


@pytest.mark.parametrize("text", ["a\u0000b", "\ud800", "x\udfffy"])
def test_unstorable_characters_are_refused(api, text):
    body = json.dumps({"name": text, "uscc": valid_uscc()})  # ensure_ascii keeps \\ud800 escaped
    for path in ("people", "enterprises"):
        resp = raw(api, "post", path, body)
        assert "无法保存" in assert_error(resp, 422, "invalid")["fields"]["name"]
    assert not Person.objects.exists() and not Enterprise.objects.exists()


def test_nul_in_query_string_is_refused(api):
    assert_error(api.get("people", q="a\x00b"), 422, "invalid")


def test_oversized_body(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    resp = raw(api, "post", "people", json.dumps({"name": "张" * 2000}))
    assert_error(resp, 413, "too_large")


# -------------------------------------------------------- references and uniqueness


def test_unknown_employer(api):
    body = assert_error(api.post("people", {"name": "张三", "employer_id": 999999}), 422)
    assert body["fields"] == {"employer_id": "所在企业不存在或不属于本园区"}


def test_employer_from_another_zone_is_refused_like_an_unknown_one(api, zone_a, zone_b):
    other = enterprise(zone_b)
    body = assert_error(api.post("people", {"name": "张三", "employer_id": other.pk}), 422)
    assert body["fields"] == {"employer_id": "所在企业不存在或不属于本园区"}
    target = person(zone_a, name="李四")
    body = assert_error(api.patch(f"people/{target.pk}", {"employer_id": other.pk}), 422)
    assert body["fields"] == {"employer_id": "所在企业不存在或不属于本园区"}
    assert Person.objects.get(pk=target.pk).employer_id is None


def test_duplicate_uscc_refused_in_the_same_zone_but_allowed_in_another(
    api, api_client, zone_a, zone_b, make_user
):
    uscc = valid_uscc()
    assert api.post("enterprises", {"name": "甲公司", "uscc": uscc}).status_code == 201
    body = assert_error(api.post("enterprises", {"name": "乙公司", "uscc": uscc.lower()}), 422)
    assert body["fields"]["uscc"] == "本园区已登记该统一社会信用代码的企业"
    other = api_client.as_user(make_user("officer", zone_b))
    assert other.post("enterprises", {"name": "甲公司", "uscc": uscc}).status_code == 201
    assert Enterprise.objects.filter(uscc=uscc).count() == 2


def test_duplicate_uscc_by_patch(api, zone_a):
    first, second = enterprise(zone_a), enterprise(zone_a)
    body = assert_error(api.patch(f"enterprises/{second.pk}", {"uscc": first.uscc}), 422)
    assert body["fields"]["uscc"] == "本园区已登记该统一社会信用代码的企业"


def test_duplicate_id_number_and_phone_in_zone(api, zone_a):
    number = valid_id_number(55)
    person(zone_a, id_number=number, phone="13900000055")
    body = assert_error(
        api.post("people", {"name": "王五", "id_number": number, "phone": "13900000055"}), 422
    )
    assert body["fields"] == {
        "id_number": "本园区已登记该身份证号",
        "phone": "本园区已有人员使用该手机号码",
    }


def test_create_in_a_zone_the_user_cannot_use(api, zone_b):
    for zone_id in (zone_b.pk, 999999):
        assert_error(
            api.post("enterprises", {"name": "x", "uscc": valid_uscc(), "zone_id": zone_id}),
            404,
            "not_found",
        )
    assert not Enterprise.objects.exists()


# ------------------------------------------------------------ routes and paging


@pytest.mark.parametrize(
    "path",
    [
        "nope",
        "people/",
        "people/1/unknown",
        "enterprises/abc/x",
        "",
        "v2/people",
        "people/1/reveal/x",
    ],
)
def test_unknown_route_is_json_404(api, path):
    for method in ("get", "post", "delete"):
        resp = getattr(api.client, method)(f"/api/v1/{path}", headers=api.headers)
        assert_error(resp, 404, "not_found")


def test_unknown_route_needs_no_csrf_token(officer):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(officer)
    assert_error(browser.post("/api/v1/nope"), 404, "not_found")


@pytest.mark.parametrize(
    "method, path, allowed",
    [
        ("put", "people", "GET, POST"),
        ("delete", "people", "GET, POST"),
        ("put", "people/1", "DELETE, GET, PATCH"),
        ("get", "people/1/reveal", "POST"),
        ("get", "auth/token", "POST"),
        ("post", "zones", "GET"),
    ],
)
def test_wrong_method_is_json_405(api, method, path, allowed):
    resp = getattr(api.client, method)(f"/api/v1/{path}", headers=api.headers)
    body = assert_error(resp, 405, "method_not_allowed")
    assert sorted(resp["Allow"].split(", ")) == sorted(allowed.split(", "))
    assert method.upper() in body["message"]


@pytest.mark.parametrize("path", ["people/abc", "enterprises/1.5", "zones/一"])
def test_non_numeric_id_is_422(api, path):
    body = assert_error(api.get(path), 422, "invalid")
    assert list(body["fields"].values()) == ["应为数字"]


@pytest.mark.parametrize("pk", [0, -1, 999999, 2**63, 10**30])
def test_missing_or_absurd_ids_are_404(api, pk):
    for method in ("get", "patch", "delete"):
        assert_error(getattr(api, method)(f"people/{pk}"), 404, "not_found")
    assert_error(
        api.post(f"people/{pk}/reveal", {"field": "phone", "reason": "核对"}), 404, "not_found"
    )
    assert_error(api.get(f"enterprises/{pk}"), 404, "not_found")
    assert_error(api.get(f"zones/{pk}"), 404, "not_found")


def test_huge_limit_is_capped_at_500(api, zone_a):
    for _ in range(3):
        enterprise(zone_a)
    for limit in (501, 10**6, 10**30):
        resp = api.get("enterprises", limit=limit)
        assert resp.status_code == 200, resp.content
        assert resp.json()["count"] == 3 and len(resp.json()["items"]) == 3


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"offset": -1}, "offset", "不能小于 0"),
        ({"limit": 0}, "limit", "不能小于 1"),
        ({"limit": -5}, "limit", "不能小于 1"),
        ({"offset": 10**30}, "offset", "不能大于"),
        ({"limit": "many"}, "limit", "应为数字"),
        ({"offset": "1e3"}, "offset", "应为数字"),
        ({"zone_id": 10**30}, "zone_id", "不能大于"),
        ({"employer_id": 2**64}, "employer_id", "不能大于"),
    ],
)
def test_bad_paging_and_filter_values(api, params, field, message):
    resp = api.get("people", **params)
    body = assert_error(resp, 422, "invalid")
    assert message in body["fields"][field]


def test_huge_offset_within_bounds_is_an_empty_page(api, zone_a):
    enterprise(zone_a)
    resp = api.get("enterprises", offset=10**9)
    assert resp.json() == {"items": [], "count": 1}


def test_patch_ignores_unknown_keys_and_cannot_move_a_record(api, zone_a, zone_b):
    firm = enterprise(zone_a)
    resp = api.patch(f"enterprises/{firm.pk}", {"zone_id": zone_b.pk, "id": 5, "industry": "制造"})
    assert resp.status_code == 200, resp.content
    assert resp.json()["id"] == firm.pk and resp.json()["zone_id"] == zone_a.pk
    assert Enterprise.objects.get(pk=firm.pk).zone_id == zone_a.pk


def test_patch_with_null_for_a_required_field(api, zone_a):
    firm = enterprise(zone_a)
    body = assert_error(api.patch(f"enterprises/{firm.pk}", {"uscc": None, "name": None}), 422)
    assert body["fields"] == {"uscc": "请填写统一社会信用代码", "name": "请填写企业名称"}


# ------------------------------------------------------------- arbitrary input

ANY_VALUE = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="0123456789Xx-+ ", max_size=25),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.text(max_size=5), max_size=2),
)
ENTERPRISE_KEYS = [
    "name",
    "uscc",
    "industry",
    "address",
    "contact_name",
    "contact_phone",
    "is_new_economy",
    "zone_id",
]
PERSON_KEYS = ["name", "id_number", "phone", "role", "job_type", "employer_id", "zone_id"]
FUZZ = settings(
    max_examples=50,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _assert_not_server_error(resp):
    assert resp.status_code < 500, resp.content[:500]
    if resp.status_code >= 400:
        assert_error(resp)


@FUZZ
@given(data=st.dictionaries(st.sampled_from(ENTERPRISE_KEYS), ANY_VALUE, max_size=8))
def test_enterprise_create_and_patch_never_500(api, zone_a, data):
    _assert_not_server_error(api.post("enterprises", data))
    firm = Enterprise.objects.filter(zone=zone_a).first()
    if firm is not None:
        _assert_not_server_error(api.patch(f"enterprises/{firm.pk}", data))


@FUZZ
@given(data=st.dictionaries(st.sampled_from(PERSON_KEYS), ANY_VALUE, max_size=7))
def test_person_create_and_patch_never_500(api, zone_a, data):
    _assert_not_server_error(api.post("people", data))
    someone = Person.objects.filter(zone=zone_a).first()
    if someone is not None:
        _assert_not_server_error(api.patch(f"people/{someone.pk}", data))


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "q",
                "limit",
                "offset",
                "zone_id",
                "employer_id",
                "role",
                "job_type",
                "is_new_economy",
                "industry",
            ]
        ),
        st.one_of(st.text(max_size=30), st.integers(min_value=-(2**70), max_value=2**70).map(str)),
        max_size=4,
    )
)
def test_list_filters_never_500(api, params):
    _assert_not_server_error(api.get("people", **params))
    _assert_not_server_error(api.get("enterprises", **params))


def test_patch_null_role_or_flag_is_refused_not_reset(api, zone_a):
    from gaoxin.registry.tests.factories import person

    p = person(zone_a, role="party_member")
    firm = enterprise(zone_a, is_new_economy=True)
    body = assert_error(api.patch(f"people/{p.pk}", {"role": None}), 422)
    assert body["fields"] == {"role": "请选择身份"}
    body = assert_error(api.patch(f"enterprises/{firm.pk}", {"is_new_economy": None}), 422)
    assert "is_new_economy" in body["fields"]
    p.refresh_from_db()
    firm.refresh_from_db()
    assert p.role == "party_member" and firm.is_new_economy is True
