"""Worker account routes: GET /me and POST /auth/pin, as the "我的签到" page's PIN form."""

import pytest

from gaoxin.core.enums import AuditAction
from gaoxin.core.models import AuditEntry
from gaoxin.core.tests.factories import ApiClient, valid_mobile
from gaoxin.registry.tests.factories import person

pytestmark = pytest.mark.django_db

PIN = "205817"


def bearer(client, token: str) -> ApiClient:
    api = ApiClient(client)
    api.headers = {"Authorization": f"Bearer {token}"}
    return api


def worker_without_pin(zone, make_user, phone: str = ""):
    user = make_user("worker", zone)
    user.person = person(zone, phone=phone or valid_mobile(), name="李骑手")
    user.set_unusable_password()
    user.save()
    return user


def test_me_says_who_the_worker_is_and_whether_a_pin_is_set(zone_a, make_user, api_client):
    user = worker_without_pin(zone_a, make_user)
    body = api_client.as_user(user).get("me").json()
    assert body["person"]["name"] == "李骑手" and body["person"]["job_type"] == "courier"
    assert "*" in body["person"]["phone_masked"] and body["roles"] == ["worker"]
    assert (body["has_pin"], body["pin_allowed"]) == (False, True)
    keeper = make_user("station_keeper", zone_a)
    body = api_client.as_user(keeper).get("me").json()
    assert body["person"] is None and (body["has_pin"], body["pin_allowed"]) == (True, False)


def test_me_needs_a_login(client, db):
    resp = client.get("/api/v1/me")
    assert resp.status_code == 401 and resp.json()["code"] == "unauthenticated"


def test_worker_sets_a_pin_then_logs_in_with_phone_and_pin(client, zone_a, make_user, api_client):
    phone = valid_mobile()
    user = worker_without_pin(zone_a, make_user, phone)
    resp = api_client.as_user(user).post("auth/pin", {"pin": PIN})
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["changed"] is False and body["token"]
    assert bearer(client, body["token"]).get("me").json()["has_pin"] is True
    user.refresh_from_db()
    assert user.check_password(PIN)
    entry = AuditEntry.objects.get(
        object_type="core.User", object_id=str(user.pk), action=AuditAction.UPDATE
    )
    assert entry.note.startswith("设置了数字密码") and PIN not in str(entry.after)
    token = client.post(
        "/api/v1/auth/token", {"username": phone, "password": PIN}, content_type="application/json"
    )
    assert token.status_code == 200 and token.json()["token"]


@pytest.mark.parametrize(
    ("pin", "text"),
    [
        ("2058", "密码应为 6 位数字"),
        ("888888", "密码不能是同一个数字重复 6 次"),
        ("123456", "密码不能是 123456、654321 这样的连续数字"),
        ("740396", "密码不能是手机号的后 6 位"),
    ],
)
def test_weak_pins_are_refused_in_the_pin_field(zone_a, make_user, api_client, pin, text):
    user = worker_without_pin(zone_a, make_user, "13912740396")
    resp = api_client.as_user(user).post("auth/pin", {"pin": pin})
    assert resp.status_code == 422
    assert resp.json()["code"] == "invalid" and resp.json()["fields"] == {"pin": text}
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_changing_a_pin_needs_the_current_one(client, zone_a, make_user, api_client):
    user = worker_without_pin(zone_a, make_user)
    first = api_client.as_user(user).post("auth/pin", {"pin": PIN}).json()
    api = bearer(client, first["token"])  # the token answered is the one to keep
    resp = api.post("auth/pin", {"pin": "907364"})
    assert resp.status_code == 422 and resp.json()["fields"] == {"current_pin": "请填写当前密码"}
    resp = api.post("auth/pin", {"pin": "907364", "current_pin": "111222"})
    assert resp.json()["fields"] == {"current_pin": "当前密码不正确"}
    resp = api.post("auth/pin", {"pin": "907364", "current_pin": PIN})
    assert resp.status_code == 200 and resp.json()["changed"] is True
    user.refresh_from_db()
    assert user.check_password("907364")


def test_only_worker_accounts_may_set_a_pin(client, zone_a, make_user, api_client):
    keeper = make_user("station_keeper", zone_a)
    keeper.person = person(zone_a)
    keeper.save()
    resp = api_client.as_user(keeper).post("auth/pin", {"pin": PIN})
    assert resp.status_code == 403 and resp.json()["code"] == "pin_not_allowed"
    keeper.refresh_from_db()
    assert keeper.check_password("pw-test-123")
    anonymous = client.post("/api/v1/auth/pin", {"pin": PIN}, content_type="application/json")
    assert anonymous.status_code == 401
