"""API tokens end with the password that made them and can be revoked; failed
logins are counted per account and per address, so one address can neither
multiply its guesses nor keep an account locked for everybody."""

from django.contrib.auth import authenticate
from django.test import RequestFactory

from gaoxin.core import auth, services
from gaoxin.core.enums import AuditAction, Role
from gaoxin.core.models import ApiToken, AuditEntry, User
from gaoxin.core.tests.factories import make_user, valid_mobile
from gaoxin.registry.tests.factories import person

PIN = "205817"
TOKEN = "/api/v1/auth/token"


def worker_with_pin(zone, phone: str, pin: str = PIN) -> User:
    """A worker as scanning registers one (a generated username), with a PIN."""
    user = make_user(Role.WORKER, zone)
    user.person = person(zone, phone=phone)
    user.set_unusable_password()
    user.save()
    return services.user_pin_set(user=user, pin=pin, actor=user)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def works(client, token: str) -> bool:
    status = client.get("/api/v1/zones", headers=bearer(token)).status_code
    assert status in (200, 401)
    return status == 200


def login_from(address: str, username: str, password: str):
    return authenticate(
        RequestFactory().post("/", REMOTE_ADDR=address), username=username, password=password
    )


# ------------------------------------------------------------------ tokens


def test_changing_a_password_revokes_the_accounts_api_tokens(client, zone_a):
    officer = make_user(Role.OFFICER, zone_a)
    old = [services.api_token_issue(user=officer) for _ in range(2)]
    other = services.api_token_issue(user=make_user(Role.OFFICER, zone_a))
    assert all(works(client, t) for t in old)
    services.user_set_password(actor=officer, user=officer, password="Nw-pass-2468!")
    assert not any(works(client, t) for t in old)
    assert works(client, other)  # other accounts keep theirs
    entry = (
        AuditEntry.objects.filter(object_type="core.User", object_id=str(officer.pk))
        .order_by("seq")
        .last()
    )
    assert entry.note == "修改了密码，撤销了 2 个接口令牌"


def test_changing_a_pin_revokes_the_workers_api_tokens(client, zone_a):
    phone = valid_mobile()
    worker = worker_with_pin(zone_a, phone)
    resp = client.post(TOKEN, {"username": phone, "password": PIN}, content_type="application/json")
    token = resp.json()["token"]
    assert works(client, token)
    services.user_pin_set(user=worker, pin="907364", current_pin=PIN, actor=worker)
    assert not works(client, token)
    assert not ApiToken.objects.filter(user=worker).exists()


def test_logout_revokes_the_presenting_token_only(client, zone_a):
    officer = make_user(Role.OFFICER, zone_a)
    first, second = services.api_token_issue(user=officer), services.api_token_issue(user=officer)
    resp = client.post("/api/v1/auth/logout", headers=bearer(first))
    assert resp.status_code == 204
    assert not works(client, first) and works(client, second)
    assert client.post("/api/v1/auth/logout", headers=bearer(first)).status_code == 401


def test_revoke_all_ends_every_token_and_is_audited(client, zone_a):
    officer = make_user(Role.OFFICER, zone_a)
    tokens = [services.api_token_issue(user=officer) for _ in range(3)]
    resp = client.post("/api/v1/auth/tokens/revoke-all", headers=bearer(tokens[0]))
    assert resp.status_code == 200 and resp.json() == {"revoked": 3}
    assert not any(works(client, t) for t in tokens)
    entry = AuditEntry.objects.get(
        object_type="core.User",
        object_id=str(officer.pk),
        action=AuditAction.UPDATE,
        after={"api_tokens_revoked": 3},
    )
    assert entry.actor == officer


def test_logout_of_a_session_ends_the_session(client, zone_a):
    officer = make_user(Role.OFFICER, zone_a)
    client.force_login(officer)
    assert client.get("/api/v1/zones").status_code == 200
    resp = client.post("/api/v1/auth/logout")  # the test client skips the CSRF check
    assert resp.status_code == 204
    assert client.get("/api/v1/zones").status_code == 401


# ------------------------------------------------------------------ lockout


def test_phone_and_generated_username_share_one_counter(zone_a):
    phone = valid_mobile()
    worker = worker_with_pin(zone_a, phone)
    for n in range(auth.LOGIN_FAILURE_LIMIT):
        identifier = phone if n % 2 else worker.username
        assert login_from("10.0.0.1", identifier, "907364") is None
    for identifier in (phone, worker.username):  # five in all: both are locked, right PIN or not
        assert login_from("10.0.0.1", identifier, PIN) is None
    assert login_from("10.0.0.2", phone, PIN) == worker  # another address is not


def test_one_address_cannot_keep_admin_locked_for_everyone(client, zone_a):
    admin = make_user(None, None, username="admin", superuser=True)
    for _ in range(200):  # hammering: far past every limit
        assert login_from("203.0.113.9", "admin", "guess") is None
    assert login_from("203.0.113.9", "admin", "pw-test-123") is None  # that address is refused
    assert login_from("198.51.100.7", "admin", "pw-test-123") == admin  # the real admin is not
    resp = client.post(
        "/admin/login/",
        {"username": "admin", "password": "pw-test-123"},
        REMOTE_ADDR="198.51.100.7",
    )
    assert resp.status_code == 302


def test_many_addresses_together_lock_the_account_for_everyone(zone_a):
    admin = make_user(None, None, username="admin", superuser=True)
    per_address = auth.LOGIN_FAILURE_LIMIT
    addresses = [f"192.0.2.{n}" for n in range(auth.ACCOUNT_FAILURE_LIMIT // per_address)]
    assert login_from("198.51.100.7", "admin", "pw-test-123") == admin
    for address in addresses:  # each address stops counting at its own limit
        for _ in range(per_address + 3):
            login_from(address, "admin", "guess")
    assert login_from("198.51.100.7", "admin", "pw-test-123") is None


def test_an_address_spraying_many_names_is_refused_for_every_name(zone_a):
    keeper = make_user(Role.STATION_KEEPER, zone_a)
    for n in range(auth.ADDRESS_FAILURE_LIMIT):
        assert login_from("203.0.113.50", f"nobody{n}", "guess") is None
    assert login_from("203.0.113.50", keeper.username, "pw-test-123") is None
    assert login_from("203.0.113.51", keeper.username, "pw-test-123") == keeper


def test_token_endpoint_answers_429_while_locked(client, zone_a):
    officer = make_user(Role.OFFICER, zone_a)
    body = {"username": officer.username, "password": "wrong"}
    for _ in range(auth.LOGIN_FAILURE_LIMIT - 1):
        resp = client.post(TOKEN, body, content_type="application/json")
        assert resp.status_code == 401 and resp.json()["code"] == "bad_credentials"
    resp = client.post(TOKEN, body, content_type="application/json")
    assert resp.status_code == 429 and resp.json()["code"] == "login_locked"
    assert "15 分钟" in resp.json()["message"]
