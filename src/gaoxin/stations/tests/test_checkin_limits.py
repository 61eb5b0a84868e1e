"""Check-in page: a PIN chosen on the first visit to log in again later, setting or
changing it from "my visits", and the limit on anonymous check-in POSTs."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from gaoxin.core import crypto
from gaoxin.core.enums import AuditAction
from gaoxin.core.models import AuditEntry, Throttle, User
from gaoxin.core.tests.factories import valid_mobile
from gaoxin.registry.models import Person
from gaoxin.registry.tests.factories import person
from gaoxin.stations import tokens
from gaoxin.stations.models import Checkin
from gaoxin.stations.tests.factories import station
from gaoxin.stations.views import checkin as checkin_views

pytestmark = pytest.mark.django_db

PIN = "205817"


def checkin_url(s) -> str:
    return reverse("stations_short:checkin", args=[tokens.poster_code(s.pk, s.poster_version)])


def html(resp) -> str:
    return resp.content.decode()


def errors_of(page: str, field_id: str) -> str:
    m = re.search(rf'<ul class="errorlist" id="{field_id}-errors">(.*?)</ul>', page, re.S)
    return m.group(1) if m else ""


def register(client, s, phone: str, addr: str = "127.0.0.1", **extra):
    """A first-visit check-in POST from the client address `addr`."""
    data = {"phone": phone, "job_type": "courier", "services": ["water"], **extra}
    return client.post(checkin_url(s), data, REMOTE_ADDR=addr)


def log_in(client, identifier: str, password: str):
    return client.post(reverse("stations:login"), {"username": identifier, "password": password})


def worker_of(phone: str, zone) -> User:
    p = Person.objects.get(zone=zone, phone_hash=crypto.blind_index("phone", phone))
    return User.objects.get(person=p)


# ------------------------------------------------------------------ PIN on the first visit


def test_first_visit_offers_an_optional_pin(client, zone_a):
    page = html(client.get(checkin_url(station(zone_a))))
    assert 'name="pin"' in page and "设置 6 位数字密码（可不填）" in page
    assert 'type="password"' in page and 'inputmode="numeric"' in page
    assert "换手机或清除浏览器数据也能凭手机号和密码登录" in page


def test_register_with_pin_then_log_in_again_with_phone_and_pin(client, zone_a):
    s = station(zone_a, name="高新区快递驿站")
    phone = valid_mobile()
    resp = register(client, s, phone, pin=PIN, name="李骑手")
    assert resp.status_code == 302
    done = html(client.get(resp["Location"]))
    assert "签到成功" in done and "数字密码已设置" in done
    user = worker_of(phone, zone_a)
    assert user.check_password(PIN) and client.session[SESSION_KEY] == str(user.pk)
    # the PIN is audited as set, never stored in the trail
    entry = AuditEntry.objects.get(
        object_type="core.User", object_id=str(user.pk), action=AuditAction.UPDATE
    )
    assert entry.after == {"pin_set": True} and PIN not in str(entry.before) + str(entry.after)

    client.post(reverse("stations:logout"))
    assert SESSION_KEY not in client.session
    resp = log_in(client, phone, PIN)
    assert resp.status_code == 302 and resp["Location"] == reverse("stations:visits")
    visits = html(client.get(resp["Location"]))
    assert "李骑手的签到记录" in visits and "高新区快递驿站" in visits and "饮水" in visits


def test_register_without_pin_still_works_and_cannot_log_in_by_phone(client, zone_a):
    phone = valid_mobile()
    assert register(client, station(zone_a), phone).status_code == 302
    user = worker_of(phone, zone_a)
    assert not user.has_usable_password()
    client.post(reverse("stations:logout"))
    assert log_in(client, phone, "").status_code == 200
    assert log_in(client, phone, PIN).status_code == 200
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize(
    ("pin", "text"),
    [
        ("2058", "密码应为 6 位数字"),
        ("20581x", "密码应为 6 位数字"),
        ("888888", "密码不能是同一个数字重复 6 次"),
        ("123456", "密码不能是 123456、654321 这样的连续数字"),
        ("654321", "密码不能是 123456、654321 这样的连续数字"),
        ("740396", "密码不能是手机号的后 6 位"),
    ],
)
def test_weak_pin_is_refused_next_to_the_field_and_nothing_is_created(client, zone_a, pin, text):
    s = station(zone_a)
    resp = register(client, s, "13912740396", pin=pin, name="王师傅")
    page = html(resp)
    assert resp.status_code == 200
    assert text in errors_of(page, "id_pin")
    assert 'value="王师傅"' in page and f'value="{pin}"' not in page  # the PIN is not echoed
    assert not Person.objects.exists() and not User.objects.exists()
    assert not Checkin.objects.exists() and SESSION_KEY not in client.session


def test_a_pin_typed_with_an_already_registered_phone_is_ignored(client, zone_a, make_user):
    phone = valid_mobile()
    owner = make_user("worker", zone_a)
    owner.person = person(zone_a, phone=phone)
    owner.set_unusable_password()
    owner.save()
    resp = register(client, station(zone_a), phone, pin=PIN)
    done = html(client.get(resp["Location"]))
    assert "该手机号已登记" in done and "您填写的密码没有保存" in done
    owner.refresh_from_db()
    assert not owner.has_usable_password()  # nobody takes an account over by knowing its phone
    assert SESSION_KEY not in client.session
    assert log_in(client, phone, PIN).status_code == 200


def test_a_logged_in_stranger_is_not_offered_a_pin_for_someone_else(
    client, zone_a, zone_b, make_user
):
    stranger = make_user("worker", zone_b)
    stranger.person = person(zone_b)
    stranger.save()
    client.force_login(stranger)
    s = station(zone_a)
    assert 'name="pin"' not in html(client.get(checkin_url(s)))
    phone = valid_mobile()
    register(client, s, phone, pin=PIN)  # a PIN sent anyway is not a field of this form
    assert Checkin.objects.count() == 1
    assert not User.objects.filter(person__phone_hash=crypto.blind_index("phone", phone)).exists()


# ------------------------------------------------------------------ PIN on "my visits"


def scanned_worker(client, zone, pin: str = "") -> tuple[User, str]:
    """A worker registered by scanning, logged in on this client."""
    phone = valid_mobile()
    register(client, station(zone), phone, **({"pin": pin} if pin else {}))
    return worker_of(phone, zone), phone


def test_a_worker_without_pin_sets_one_from_my_visits(client, zone_a):
    user, phone = scanned_worker(client, zone_a)
    page = html(client.get(reverse("stations:visits")))
    assert 'id="pin-form"' in page and "设置数字密码" in page and 'name="current_pin"' not in page
    resp = client.post(reverse("stations:visits_pin"), {"pin": PIN}, follow=True)
    assert resp.status_code == 200 and "数字密码已设置" in html(resp)
    assert client.session[SESSION_KEY] == str(user.pk)  # still logged in on this phone
    assert "修改数字密码" in html(client.get(reverse("stations:visits")))
    client.logout()
    assert log_in(client, phone, PIN).status_code == 302


def test_changing_a_pin_needs_the_current_one(client, zone_a):
    user, phone = scanned_worker(client, zone_a, pin=PIN)
    url = reverse("stations:visits_pin")
    assert 'name="current_pin"' in html(client.get(reverse("stations:visits")))
    resp = client.post(url, {"current_pin": "111222", "pin": "907364"})
    assert resp.status_code == 200
    assert "当前密码不正确" in errors_of(html(resp), "id_current_pin")
    resp = client.post(url, {"current_pin": PIN, "pin": "999999"})
    assert "同一个数字" in errors_of(html(resp), "id_pin")
    user.refresh_from_db()
    assert user.check_password(PIN)
    resp = client.post(url, {"current_pin": PIN, "pin": "907364"}, follow=True)
    assert "数字密码已修改" in html(resp) and client.session[SESSION_KEY] == str(user.pk)
    user.refresh_from_db()
    assert user.check_password("907364")
    notes = list(
        AuditEntry.objects.filter(
            object_type="core.User", object_id=str(user.pk), action=AuditAction.UPDATE
        )
        .order_by("seq")
        .values_list("note", flat=True)
    )
    assert notes == ["设置了数字密码", "修改了数字密码"]


def test_a_pin_change_ends_the_other_sessions(client, zone_a):
    from django.test import Client

    user, phone = scanned_worker(client, zone_a, pin=PIN)
    old_phone = Client()
    assert log_in(old_phone, phone, PIN).status_code == 302
    client.post(reverse("stations:visits_pin"), {"current_pin": PIN, "pin": "907364"})
    assert "visits-anonymous" in html(old_phone.get(reverse("stations:visits")))
    assert 'id="visit-list"' in html(client.get(reverse("stations:visits")))


def test_keepers_and_anonymous_cannot_set_a_pin(client, zone_a, make_user):
    url = reverse("stations:visits_pin")
    resp = client.post(url, {"pin": PIN})
    assert resp.status_code == 302 and resp["Location"].startswith(reverse("stations:login"))
    keeper = make_user("station_keeper", zone_a)
    keeper.person = person(zone_a)
    keeper.save()
    client.force_login(keeper)
    assert 'id="pin-form"' not in html(client.get(reverse("stations:visits")))
    resp = client.post(url, {"pin": PIN})
    assert resp.status_code == 403 and "只有劳动者账号可以设置数字密码" in html(resp)
    keeper.refresh_from_db()
    assert keeper.check_password("pw-test-123")


# ------------------------------------------------------------------ anonymous flood


def test_anonymous_flood_gets_429_and_records_nothing(client, zone_a):
    s = station(zone_a)
    url = checkin_url(s)
    for _ in range(checkin_views.ANON_POSTS_LIMIT):
        assert register(client, s, valid_mobile()).status_code == 302
        client.post(reverse("stations:logout"))  # anonymous again, as a shared phone would be
    people, checkins = Person.objects.count(), Checkin.objects.count()
    assert checkins == checkin_views.ANON_POSTS_LIMIT
    resp = register(client, s, valid_mobile(), pin=PIN)
    page = html(resp)
    assert resp.status_code == 429
    assert "提交太频繁" in page and "请 10 分钟后再试" in page
    assert (Person.objects.count(), Checkin.objects.count()) == (people, checkins)
    assert client.post(url, {"phone": "garbage"}).status_code == 429
    # reading the page is not limited, nor are other addresses or other stations
    assert client.get(url).status_code == 200
    assert register(client, s, valid_mobile(), addr="10.1.2.3").status_code == 302
    client.post(reverse("stations:logout"))
    assert register(client, station(zone_a), valid_mobile()).status_code == 302
    # the counter holds neither the address nor the phone numbers
    assert not Throttle.objects.filter(key__contains="127.0.0.1").exists()
    # after the window, the address may post again
    for counter in Throttle.objects.all():  # row by row: Citus refuses column time arithmetic
        counter.window_start -= checkin_views.ANON_POSTS_WINDOW
        counter.save(update_fields=["window_start"])
    client.post(reverse("stations:logout"))
    assert register(client, s, valid_mobile()).status_code == 302


def test_logged_in_workers_are_not_limited(client, zone_a, make_user):
    s = station(zone_a)
    worker = make_user("worker", zone_a)
    worker.person = person(zone_a)
    worker.save()
    client.force_login(worker)
    for _ in range(checkin_views.ANON_POSTS_LIMIT + 2):
        assert client.post(checkin_url(s), {"services": ["water"]}).status_code == 302
    assert not Throttle.objects.exists()
    assert Checkin.objects.count() == 1  # the repeats are not counted twice either


def test_forwarded_for_headers_do_not_dodge_the_limit(client, zone_a):
    s = station(zone_a)
    for n in range(checkin_views.ANON_POSTS_LIMIT):
        client.post(checkin_url(s), {"phone": "bad"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    resp = client.post(checkin_url(s), {"phone": "bad"}, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert resp.status_code == 429
    assert not Person.objects.exists()
