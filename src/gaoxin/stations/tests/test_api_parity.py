"""What the phone pages do, the API does, through the same services: the poster's
landing, a first visit that registers the worker (one transaction), my visits,
the public station page, and the poster code for the station's keeper.

Page action → API route:
  /s/<code>/ GET (poster landing)               → GET  /stations/by-code/{code}
  /s/<code>/ POST, logged-in worker             → POST /stations/{id}/checkins
  /s/<code>/ POST, first visit (+PIN)           → POST /stations/{id}/checkins/register
  m/<id>/ (station page)                        → GET  /stations/{id}/public
  m/visits/ (我的签到)                           → GET  /visits
  m/visits/pin/ (set or change the PIN)         → POST /auth/pin (core/tests/test_api_workers.py)
  office poster page / PNG                      → GET  /stations/{id}/poster[?format=png|svg]
  office "重新生成海报"                           → POST /stations/{id}/poster/reissue
"""

import json
import re

import pytest
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from gaoxin.core import crypto
from gaoxin.core.errors import ApplicationError
from gaoxin.core.models import AuditEntry, User
from gaoxin.core.testing import forged
from gaoxin.core.tests.factories import ApiClient, valid_mobile
from gaoxin.registry.models import Person
from gaoxin.registry.tests.factories import person
from gaoxin.stations import services, tokens
from gaoxin.stations.models import (
    Checkin,
    ServiceRecord,
    StationDayCount,
    StationWorker,
)
from gaoxin.stations.services import rollups
from gaoxin.stations.tests.factories import station

pytestmark = pytest.mark.django_db

PIN = "205817"


def code_of(s) -> str:
    return tokens.poster_code(s.pk, s.poster_version)


def register_api(client, s, phone: str, addr: str = "127.0.0.1", code: str = "", **extra):
    body = {
        "code": code or code_of(s),
        "phone": phone,
        "job_type": "courier",
        "services": ["water"],
        **extra,
    }
    return client.post(
        f"/api/v1/stations/{s.pk}/checkins/register",
        json.dumps(body),
        content_type="application/json",
        REMOTE_ADDR=addr,
    )


def register_page(client, s, phone: str, addr: str = "127.0.0.1", **extra):
    data = {"phone": phone, "job_type": "courier", "services": ["water"], **extra}
    url = reverse("stations_short:checkin", args=[code_of(s)])
    return client.post(url, data, REMOTE_ADDR=addr)


def bearer(client, token: str) -> ApiClient:
    api = ApiClient(client)
    api.headers = {"Authorization": f"Bearer {token}"}
    return api


def person_of(phone: str, zone) -> Person:
    return Person.objects.get(zone=zone, phone_hash=crypto.blind_index("phone", phone))


def trail_of(p: Person) -> list[tuple[str, str, str]]:
    """The audit entries a registration left: the person, their login, their PIN."""
    user = User.objects.get(person=p)
    entries = AuditEntry.objects.filter(object_type="registry.Person", object_id=str(p.pk)) | (
        AuditEntry.objects.filter(object_type="core.User", object_id=str(user.pk))
    )
    return [(e.object_type, e.action, e.note) for e in entries.order_by("seq")]


# ------------------------------------------------------------------ first visit


def test_first_visit_through_the_api_registers_sets_the_pin_and_checks_in(client, zone_a):
    s = station(zone_a, name="高新区快递驿站")
    phone = valid_mobile()
    resp = register_api(client, s, phone, pin=PIN, name="李骑手")
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["note"] == "registered" and body["pin_set"] and not body["pin_ignored"]
    assert body["worker"]["name"] == "李骑手" and body["worker"]["job_type"] == "courier"
    assert body["checkin"]["station_id"] == s.pk and body["checkin"]["services"] == ["water"]
    assert body["station_visits_today"] == 1 and body["expires_in"] > 0
    # the token answered is the worker's login: their visits, their account
    api = bearer(client, body["token"])
    visits = api.get("visits").json()
    assert visits["count"] == 1 and visits["items"][0]["station_name"] == "高新区快递驿站"
    assert api.get("me").json()["has_pin"] is True
    # and later, phone + PIN give a new token, as the phone login page lets them in
    again = client.post(
        "/api/v1/auth/token", {"username": phone, "password": PIN}, content_type="application/json"
    )
    assert again.status_code == 200
    assert Checkin.objects.get().source == "api"


def test_the_page_and_the_api_leave_the_same_records(client, zone_a):
    from django.test import Client

    s = station(zone_a)
    by_page, by_api = valid_mobile(), valid_mobile()
    assert register_page(Client(), s, by_page, pin=PIN, name="王师傅").status_code == 302
    assert register_api(client, s, by_api, pin=PIN, name="王师傅").status_code == 201
    a, b = person_of(by_page, zone_a), person_of(by_api, zone_a)
    fields = ("name", "role", "job_type", "zone_id")
    assert [getattr(a, f) for f in fields] == [getattr(b, f) for f in fields]
    ua, ub = User.objects.get(person=a), User.objects.get(person=b)
    assert list(ua.groups.values_list("name", flat=True)) == ["worker"]
    assert list(ub.groups.values_list("name", flat=True)) == ["worker"]
    assert ua.check_password(PIN) and ub.check_password(PIN)
    assert trail_of(a) == trail_of(b)  # the same audit entries, in the same order
    ca, cb = Checkin.objects.get(person=a), Checkin.objects.get(person=b)
    assert (ca.services, ca.job_type, ca.source) == (["water"], "courier", "scan")
    assert (cb.services, cb.job_type, cb.source) == (["water"], "courier", "api")


@pytest.mark.parametrize(
    ("pin", "text"),
    [
        ("2058", "密码应为 6 位数字"),
        ("888888", "密码不能是同一个数字重复 6 次"),
        ("123456", "密码不能是 123456、654321 这样的连续数字"),
        ("740396", "密码不能是手机号的后 6 位"),
    ],
)
def test_a_weak_pin_is_refused_identically_and_nothing_is_created(client, zone_a, pin, text):
    s = station(zone_a)
    page = register_page(client, s, "13912740396", pin=pin).content.decode()
    shown = re.search(r'<ul class="errorlist" id="id_pin-errors">(.*?)</ul>', page, re.S).group(1)
    resp = register_api(client, s, "13912740396", pin=pin)
    assert resp.status_code == 422 and resp.json()["fields"] == {"pin": text}
    assert text in shown
    assert not Person.objects.exists() and not User.objects.exists()
    assert not Checkin.objects.exists()


def test_a_refused_check_in_leaves_no_registered_worker(client, zone_a, make_user):
    officer = make_user("officer", zone_a)
    s = station(zone_a)
    services.station_transition(actor=officer, station=s, to="paused")
    audit_before = AuditEntry.objects.count()
    resp = register_api(client, s, valid_mobile(), pin=PIN)
    assert resp.status_code == 409 and resp.json()["code"] == "station_not_open"
    # the check-in step failed after the registration step: all of it is undone
    assert not Person.objects.exists() and User.objects.get() == officer
    assert not Checkin.objects.exists() and AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize("via", ["service", "page", "api"])
def test_a_failure_at_the_last_step_of_a_first_visit_leaves_nothing(
    client, zone_a, monkeypatch, via
):
    """Registration, login, PIN, token and check-in are one transaction: when the very
    last statement (the zone's counters) fails, no person, login, check-in, counter or
    audit entry is left behind, whichever door the visit came through."""
    s = station(zone_a)
    audit_before = AuditEntry.objects.count()

    def broken(*args, **kwargs):
        raise DatabaseError("the disk is full")

    monkeypatch.setattr(rollups, "bump_zone", broken)
    if via == "api":  # the API answers a server error; pages and services raise it
        assert register_api(client, s, valid_mobile(), pin=PIN).status_code == 500
    elif via == "page":
        with pytest.raises(DatabaseError):
            register_page(client, s, valid_mobile(), pin=PIN)
    else:
        with pytest.raises(DatabaseError):
            services.checkin_first_visit(
                station=s, phone=valid_mobile(), job_type="courier", pin=PIN, issue_api_token=True
            )
    assert not Person.objects.exists() and not User.objects.exists()
    assert not Checkin.objects.exists() and not ServiceRecord.objects.exists()
    assert not StationDayCount.objects.exists() and not StationWorker.objects.exists()
    assert AuditEntry.objects.count() == audit_before
    assert "_auth_user_id" not in client.session  # nobody was logged in


def test_a_closure_today_refuses_the_service_and_leaves_nothing(zone_a, make_user):
    s = station(zone_a)
    today = timezone.localdate()
    services.station_closure_add(actor=None, station=s, start_date=today, end_date=today)
    s.refresh_from_db()  # as a request would load it
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ApplicationError) as exc:
        services.checkin_first_visit(station=s, phone=valid_mobile(), job_type="courier", pin=PIN)
    assert exc.value.code == "station_closed_now"
    assert not Person.objects.exists() and not User.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_an_already_registered_phone_gets_the_visit_but_no_token(client, zone_a, make_user):
    phone = valid_mobile()
    owner = make_user("worker", zone_a)
    owner.person = person(zone_a, phone=phone)
    owner.set_unusable_password()
    owner.save()
    resp = register_api(client, station(zone_a), phone, pin=PIN)
    assert resp.status_code == 201
    body = resp.json()
    assert body["note"] == "existing" and body["token"] is None
    assert body["pin_ignored"] and not body["pin_set"]
    owner.refresh_from_db()
    assert not owner.has_usable_password()  # nobody takes an account over by knowing its phone
    assert Checkin.objects.get().person_id == owner.person_id
    again = register_api(client, station(zone_a), phone)
    assert again.status_code == 201  # another station: counted
    s = Checkin.objects.first().station
    repeat = register_api(client, s, phone)
    assert repeat.status_code == 409 and repeat.json()["code"] == "duplicate_checkin"


def test_a_repeated_tap_of_a_registered_phone_on_the_page_counts_once(client, zone_a):
    s = station(zone_a)
    phone = valid_mobile()
    services.checkin_first_visit(station=s, phone=phone, job_type="courier")
    resp = register_page(client, s, phone, pin=PIN)
    done = client.get(resp["Location"]).content.decode()
    assert "本次不重复计数" in done and 'id="pin-ignored"' in done
    assert Checkin.objects.count() == 1 and Person.objects.count() == 1


def test_registration_errors_are_in_their_fields(client, zone_a):
    s = station(zone_a)
    resp = register_api(client, s, "12345")
    assert resp.status_code == 422 and "phone" in resp.json()["fields"]
    resp = register_api(client, s, valid_mobile(), job_type="astronaut")
    assert resp.json()["fields"] == {"job_type": "请选择职业类型"}
    other = station(zone_a)
    resp = register_api(client, s, valid_mobile(), code=code_of(other))
    assert resp.status_code == 422 and resp.json()["fields"] == {"code": "签到码与驿站不符"}
    resp = register_api(client, s, valid_mobile(), code=forged(code_of(s)))
    assert resp.status_code == 400 and resp.json()["code"] == "bad_poster_code"
    assert not Person.objects.exists()


def test_the_page_and_the_api_share_the_anonymous_limit(client, zone_a):
    s = station(zone_a)
    for _ in range(services.ANON_CHECKINS_LIMIT):
        assert register_api(client, s, "bad").status_code == 422  # refused, still counted
    resp = register_api(client, s, valid_mobile())
    assert resp.status_code == 429 and resp.json()["code"] == "checkin_throttled"
    assert "请 10 分钟后再试" in resp.json()["message"]
    assert register_page(client, s, valid_mobile()).status_code == 429
    assert not Person.objects.exists()
    assert register_api(client, s, valid_mobile(), addr="10.1.2.3").status_code == 201


# ------------------------------------------------------------------ reading what the pages show


def test_the_poster_landing_and_the_station_page_are_public(client, zone_a, make_user):
    s = station(zone_a, name="高新区快递驿站", lat=23.05, lng=112.46)
    services.checkin_first_visit(station=s, phone=valid_mobile(), job_type="courier")
    landing = client.get(f"/api/v1/stations/by-code/{code_of(s)}")
    assert landing.status_code == 200, landing.content
    body = landing.json()
    assert body["id"] == s.pk and body["open_now"] is True and body["hours_text"]
    assert (body["visits"], body["workers"]) == (1, 1) and "keeper_id" not in body
    page = client.get(f"/api/v1/stations/{s.pk}/public", {"crs": "gcj02"}).json()
    assert page["name"] == "高新区快递驿站" and abs(page["lat"] - 23.05) > 1e-4  # converted
    officer = make_user("officer", zone_a)
    services.station_transition(actor=officer, station=s, to="closed")
    gone = client.get(f"/api/v1/stations/by-code/{code_of(s)}")
    assert gone.status_code == 409 and gone.json()["code"] == "station_closed_down"
    assert client.get(f"/api/v1/stations/{s.pk}/public").status_code == 404


def test_my_visits_are_mine_only(client, zone_a, make_user, api_client):
    s = station(zone_a)
    mine = register_api(client, s, valid_mobile()).json()
    register_api(client, s, valid_mobile())
    visits = bearer(client, mine["token"]).get("visits").json()
    assert [v["id"] for v in visits["items"]] == [mine["checkin"]["id"]]
    keeper = make_user("station_keeper", zone_a)
    resp = api_client.as_user(keeper).get("visits")
    assert resp.status_code == 403 and resp.json()["code"] == "not_worker"


# ------------------------------------------------------------------ the poster


def test_the_keeper_gets_the_poster_code_others_do_not(
    client, zone_a, zone_b, make_user, api_client
):
    keeper = make_user("station_keeper", zone_a)
    s = station(zone_a, keeper=keeper.pk)
    neighbour = station(zone_a)
    body = api_client.as_user(keeper).get(f"stations/{s.pk}/poster").json()
    assert body["code"] == code_of(s) and body["url"].endswith(f"/s/{body['code']}/")
    assert tokens.poster_decode(body["code"], current_version=lambda _id: s.poster_version) == s.pk
    # the code the API gives is the one the page accepts
    assert client.get(body["path"]).status_code == 200
    assert api_client.as_user(keeper).get(f"stations/{neighbour.pk}/poster").status_code == 404
    b_officer = make_user("officer", zone_b)
    resp = api_client.as_user(b_officer).get(f"stations/{s.pk}/poster")
    assert resp.status_code == 404 and resp.json()["code"] == "not_found"
    worker = make_user("worker", zone_a)
    assert api_client.as_user(worker).get(f"stations/{s.pk}/poster").status_code == 403
    viewer = make_user("instructor", zone_a)
    assert api_client.as_user(viewer).get(f"stations/{s.pk}/poster").status_code == 403


def test_the_poster_as_svg_and_png(zone_a, make_user, api_client):
    officer = make_user("officer", zone_a)
    s = station(zone_a)
    api = api_client.as_user(officer)
    svg = api.get(f"stations/{s.pk}/poster", format="svg")
    assert svg.status_code == 200 and svg["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in svg.content and b"xmlns" in svg.content
    png = api.get(f"stations/{s.pk}/poster", format="png")
    if png.status_code == 200:
        assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    else:  # no CJK font on this machine: say so, in the error format
        assert png.status_code == 409 and png.json()["code"] == "poster_png_unavailable"
    bad = api.get(f"stations/{s.pk}/poster", format="pdf")
    assert bad.status_code == 422 and "format" in bad.json()["fields"]


def test_reissuing_the_poster_revokes_the_old_code(client, zone_a, make_user, api_client):
    officer = make_user("officer", zone_a)
    keeper = make_user("station_keeper", zone_a)
    s = station(zone_a, keeper=keeper.pk)
    old = code_of(s)
    assert api_client.as_user(keeper).post(f"stations/{s.pk}/poster/reissue").status_code == 403
    resp = api_client.as_user(officer).post(f"stations/{s.pk}/poster/reissue")
    assert resp.status_code == 200 and resp.json()["version"] == s.poster_version + 1
    assert resp.json()["code"] != old
    stale = client.get(f"/api/v1/stations/by-code/{old}")
    assert stale.status_code == 400 and stale.json()["code"] == "poster_expired"
    assert client.get(f"/api/v1/stations/by-code/{resp.json()['code']}").status_code == 200


def test_every_new_route_is_in_the_openapi_document(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path, method in [
        ("/api/v1/stations/by-code/{code}", "get"),
        ("/api/v1/stations/{station_id}/checkins/register", "post"),
        ("/api/v1/stations/{station_id}/public", "get"),
        ("/api/v1/stations/{station_id}/poster", "get"),
        ("/api/v1/stations/{station_id}/poster/reissue", "post"),
        ("/api/v1/visits", "get"),
        ("/api/v1/me", "get"),
        ("/api/v1/auth/pin", "post"),
    ]:
        assert method in paths.get(path, {}), path
