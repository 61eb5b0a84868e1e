"""Logging in with a phone number and PIN, the lockout after failed logins, and the
database counters (`core.throttle`) both rest on."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection

from gaoxin.core import auth, services, throttle
from gaoxin.core.enums import AuditAction, Role
from gaoxin.core.errors import Forbidden, InvalidInput
from gaoxin.core.models import AuditEntry, Throttle, User
from gaoxin.core.tests.factories import make_user, valid_mobile
from gaoxin.registry.tests.factories import person

LOGIN = "/stations/m/login/"  # any program's phone login: they all are core's PhoneLoginView
PIN = "205817"
LOCKED = "尝试次数过多，请 15 分钟后再试"


def worker_with_pin(zone, phone: str, pin: str = PIN) -> User:
    """A worker as scanning registers one (no password), who then chose a PIN."""
    user = make_user(Role.WORKER, zone)
    user.person = person(zone, phone=phone)
    user.set_unusable_password()
    user.save()
    return services.user_pin_set(user=user, pin=pin, actor=user)


def log_in(client, identifier: str, password: str):
    return client.post(LOGIN, {"username": identifier, "password": password})


def time_passes(window: timedelta) -> None:
    """Every counter's window started `window` earlier than it did (row by row, in
    Python: Citus refuses time arithmetic on a column inside an UPDATE)."""
    for counter in Throttle.objects.all():
        counter.window_start -= window
        counter.save(update_fields=["window_start"])


# ------------------------------------------------------------------ PIN rules


@pytest.mark.parametrize(
    ("pin", "problem"),
    [
        ("20581", "6 位数字"),
        ("2058170", "6 位数字"),
        ("20581a", "6 位数字"),
        ("", "6 位数字"),
        ("000000", "同一个数字"),
        ("777777", "同一个数字"),
        ("123456", "连续数字"),
        ("654321", "连续数字"),
        ("890123", "连续数字"),
        ("098765", "连续数字"),
        ("740396", "手机号的后 6 位"),
    ],
)
def test_weak_pins_are_refused_with_the_reason(pin, problem):
    assert problem in auth.pin_problem(pin, phone="13912740396")


@pytest.mark.parametrize("pin", ["205817", "１３５７９０", "112233", "135790", "123465"])
def test_ordinary_pins_pass(pin):
    assert auth.pin_problem(pin, phone="13912345678") == ""


# ------------------------------------------------------------------ setting a PIN


def test_setting_and_changing_a_pin_is_audited_without_the_pin(zone_a):
    user = worker_with_pin(zone_a, valid_mobile())
    assert user.check_password(PIN)
    services.user_pin_set(user=user, pin="907364", current_pin=PIN, actor=user)
    user.refresh_from_db()
    assert user.check_password("907364") and not user.check_password(PIN)
    entries = AuditEntry.objects.filter(
        object_type="core.User", object_id=str(user.pk), action=AuditAction.UPDATE
    ).order_by("seq")
    assert [(e.before, e.after, e.note) for e in entries] == [
        ({"pin_set": False}, {"pin_set": True}, "设置了数字密码"),
        ({"pin_set": True}, {"pin_set": True}, "修改了数字密码"),
    ]
    for e in entries:
        text = f"{e.before} {e.after} {e.note} {e.object_repr}"
        assert PIN not in text and "907364" not in text and "md5$" not in text


def test_changing_a_pin_needs_the_current_one_and_wrong_ones_lock(zone_a):
    user = worker_with_pin(zone_a, valid_mobile())
    with pytest.raises(InvalidInput) as exc:
        services.user_pin_set(user=user, pin="907364", current_pin="", actor=user)
    assert exc.value.fields == {"current_pin": "请填写当前密码"}
    for _ in range(auth.LOGIN_FAILURE_LIMIT - 1):
        with pytest.raises(InvalidInput) as exc:
            services.user_pin_set(user=user, pin="907364", current_pin="999999", actor=user)
        assert exc.value.fields["current_pin"] == "当前密码不正确"
    with pytest.raises(InvalidInput) as exc:  # the right one, too late
        services.user_pin_set(user=user, pin="907364", current_pin=PIN, actor=user)
    assert exc.value.fields == {"current_pin": LOCKED}
    user.refresh_from_db()
    assert user.check_password(PIN)


def test_staff_and_keepers_cannot_swap_their_password_for_a_pin(zone_a):
    for role in (Role.OFFICER, Role.STATION_KEEPER):
        user = make_user(role, zone_a)
        user.person = person(zone_a)
        user.save()
        with pytest.raises(Forbidden):
            services.user_pin_set(user=user, pin=PIN, current_pin="pw-test-123", actor=user)
        assert User.objects.get(pk=user.pk).check_password("pw-test-123")


# ------------------------------------------------------------------ phone login


def test_a_worker_logs_in_with_phone_and_pin_in_any_spelling(client, zone_a):
    phone = "13912340001"
    user = worker_with_pin(zone_a, phone)
    for spelling in (phone, "+86 139 1234 0001", "１３９１２３４０００１"):
        resp = log_in(client, spelling, PIN)
        assert resp.status_code == 302, spelling
        assert client.session[SESSION_KEY] == str(user.pk)
        client.logout()
    bad = log_in(client, phone, "907364")
    assert bad.status_code == 200 and "用户名或密码错误" in bad.content.decode()
    assert SESSION_KEY not in client.session


def test_a_number_without_pin_or_unknown_does_not_log_in(client, zone_a):
    phone = valid_mobile()
    user = make_user(Role.WORKER, zone_a)
    user.person = person(zone_a, phone=phone)
    user.set_unusable_password()
    user.save()
    for identifier in (phone, valid_mobile()):
        resp = log_in(client, identifier, "")
        assert resp.status_code == 200
        resp = log_in(client, identifier, PIN)
        assert resp.status_code == 200 and SESSION_KEY not in client.session


def test_same_phone_and_pin_in_two_zones_is_ambiguous_and_logs_nobody_in(client, zone_a, zone_b):
    phone = valid_mobile()
    worker_with_pin(zone_a, phone)
    worker_with_pin(zone_b, phone)
    resp = log_in(client, phone, PIN)
    assert resp.status_code == 200 and "用户名或密码错误" in resp.content.decode()
    assert SESSION_KEY not in client.session


def test_same_phone_with_different_pins_picks_the_one_that_fits(client, zone_a, zone_b):
    phone = valid_mobile()
    worker_with_pin(zone_a, phone)
    b = worker_with_pin(zone_b, phone, pin="907364")
    assert log_in(client, phone, "907364").status_code == 302
    assert client.session[SESSION_KEY] == str(b.pk)


def test_staff_log_in_by_username_only(client, zone_a):
    phone = valid_mobile()
    officer = make_user(Role.OFFICER, zone_a)
    officer.person = person(zone_a, phone=phone)
    officer.save()
    assert log_in(client, phone, "pw-test-123").status_code == 200
    assert SESSION_KEY not in client.session
    assert log_in(client, officer.username, "pw-test-123").status_code == 302


# ------------------------------------------------------------------ lockout


def test_five_wrong_pins_lock_the_phone_even_for_the_right_pin(client, zone_a, api_client):
    phone = valid_mobile()
    worker_with_pin(zone_a, phone)
    for _ in range(auth.LOGIN_FAILURE_LIMIT - 1):
        page = log_in(client, phone, "907364").content.decode()
        assert "用户名或密码错误" in page and LOCKED not in page
    page = log_in(client, phone, "907364").content.decode()  # the fifth says so at once
    assert LOCKED in page
    for identifier in (phone, f"+86{phone}"):
        resp = log_in(client, identifier, PIN)
        assert resp.status_code == 200 and LOCKED in resp.content.decode()
        assert SESSION_KEY not in client.session
    # the API's token endpoint is locked out as well: it is not a way round
    resp = api_client.post("/api/v1/auth/token", {"username": phone, "password": PIN})
    assert resp.status_code == 429 and resp.json()["code"] == "login_locked"
    # nothing in the table says which number it was
    assert not Throttle.objects.filter(key__contains=phone[-8:]).exists()
    time_passes(auth.LOGIN_LOCKOUT)
    assert log_in(client, phone, PIN).status_code == 302


def test_the_lock_is_checked_before_the_password(zone_a, django_assert_num_queries, monkeypatch):
    from django.contrib.auth import authenticate

    monkeypatch.setattr(throttle, "CLEANUP_CHANCE", 0)  # no occasional clean-up query
    phone = valid_mobile()
    worker_with_pin(zone_a, phone)
    for _ in range(auth.LOGIN_FAILURE_LIMIT):
        assert authenticate(None, username=phone, password="907364") is None
    # locked: one read finds the account, one sees the lock; no password is checked (and
    # without an address there is no address counter to add the refusal to)
    with django_assert_num_queries(2):
        assert authenticate(None, username=phone, password=PIN) is None


def test_usernames_lock_too_and_successes_do_not_count(client, zone_a):
    keeper = make_user(Role.STATION_KEEPER, zone_a)
    for _ in range(auth.LOGIN_FAILURE_LIMIT + 2):  # logging in again and again is fine
        assert log_in(client, keeper.username, "pw-test-123").status_code == 302
    for _ in range(auth.LOGIN_FAILURE_LIMIT):
        log_in(client, keeper.username.upper(), "wrong")  # any case is the same identifier
    resp = log_in(client, keeper.username, "pw-test-123")
    assert resp.status_code == 200 and LOCKED in resp.content.decode()


def test_a_lock_lasts_a_full_window_after_the_failure_that_set_it(client, zone_a):
    phone = valid_mobile()
    worker_with_pin(zone_a, phone)
    for _ in range(auth.LOGIN_FAILURE_LIMIT - 1):
        log_in(client, phone, "907364")
    time_passes(auth.LOGIN_LOCKOUT - timedelta(minutes=1))  # 14 minutes later, the fifth
    assert LOCKED in log_in(client, phone, "907364").content.decode()
    time_passes(timedelta(minutes=2))  # the first failure is now 16 minutes old
    assert LOCKED in log_in(client, phone, PIN).content.decode()
    time_passes(auth.LOGIN_LOCKOUT)
    assert log_in(client, phone, PIN).status_code == 302


# ------------------------------------------------------------------ the counters


def test_hit_counts_in_a_window_and_starts_again_after_it(db):
    key = throttle.key("test", "a")
    window = timedelta(minutes=10)
    assert [throttle.hit(key, limit=3, window=window) for _ in range(5)] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert throttle.blocked(key, limit=3, window=window)
    assert Throttle.objects.get(key=key).count == 5
    assert throttle.hit(throttle.key("test", "b"), limit=3, window=window)  # keys are separate
    time_passes(window)
    assert not throttle.blocked(key, limit=3, window=window)
    assert throttle.hit(key, limit=3, window=window)
    assert Throttle.objects.get(key=key).count == 1


def test_old_counters_are_cleaned_up(db):
    for name in ("old", "new"):
        throttle.hit(throttle.key("test", name), limit=3, window=timedelta(minutes=1))
    old = Throttle.objects.get(key=throttle.key("test", "old"))
    old.window_start -= throttle.RETAIN + timedelta(seconds=1)
    old.save(update_fields=["window_start"])
    assert throttle.cleanup() == 1
    assert list(Throttle.objects.values_list("key", flat=True)) == [throttle.key("test", "new")]


def test_keys_are_keyed_hashes_not_the_value(settings):
    key = throttle.key("login", "13912345678")
    assert "13912345678" not in key and key.startswith("login:") and len(key) <= 100
    settings.FIELD_KEY = "another-key"
    assert throttle.key("login", "13912345678") != key


@pytest.mark.django_db(transaction=True)
def test_hit_is_exact_under_concurrency():
    key = throttle.key("test", "concurrent")
    threads_n, hits_each = 8, 10
    counts, errors = [], []
    lock = threading.Lock()

    def hammer():
        try:
            for _ in range(hits_each):
                allowed = throttle.hit(key, limit=25, window=timedelta(minutes=10))
                with lock:
                    counts.append(allowed)
        except Exception as exc:  # pragma: no cover
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=hammer) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Throttle.objects.get(key=key).count == threads_n * hits_each
    assert counts.count(True) == 25  # exactly the limit was let through, no more, no fewer
