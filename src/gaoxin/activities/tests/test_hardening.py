"""Hostile input: schedules near the end of the calendar, references into other zones.

A schedule used to loop for ever when a monthly run reached year 10000 (the
calendar's error was read as "no session this month") with the activity row
already written, so SQLite's write lock was never released. These tests fail
fast instead of hanging if that comes back.
"""

import datetime as dt
import faulthandler
import os
import re
import threading

import pytest
from django.db import connection
from django.utils import timezone

from gaoxin.activities import domain, selectors, services
from gaoxin.activities.models import Activity, Session
from gaoxin.activities.tests import factories as f
from gaoxin.core.errors import InvalidInput
from gaoxin.core.models import AuditEntry
from gaoxin.stations.tests.factories import station

pytestmark = pytest.mark.django_db

YEARS = "时间应在 2000 年至 2100 年之间"
NOT_OURS = "驿站不存在或不属于本园区"


@pytest.fixture
def officer(zone_a, make_user):
    return make_user("officer", zone_a)


@pytest.fixture
def deadline():
    """A request that loops for ever ends the test run with a traceback after 60 s,
    instead of hanging it."""
    faulthandler.dump_traceback_later(60, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def _within(seconds: float, fn):
    """fn's result, or fail if it does not return in time (it runs in a thread)."""
    box = {}

    def run():
        try:
            box["value"] = fn()
        except Exception as exc:  # noqa: BLE001  handed to the test
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if "error" in box:
        raise box["error"]
    return box["value"]


def _refused(resp, name: str) -> str:
    """A 422 with a Chinese message on the field `name` (top level or nested, e.g.
    schedule.first_start when the API's schema refuses it before the service does)."""
    assert resp.status_code == 422, resp.content
    fields = resp.json()["fields"]
    key = next((k for k in fields if k.split(".")[-1] == name), None)
    assert key is not None, fields
    assert re.search(r"[\u4e00-\u9fff]", fields[key]), fields[key]
    return fields[key]


def _written() -> tuple[int, int, int]:
    return Activity.objects.count(), Session.objects.count(), AuditEntry.objects.count()


ACTIVITY = {
    "title": "月度读书会",
    "kind": "culture",
    "organiser": "肇庆高新区总工会",
    "place": "暖新驿站",
    "capacity": 20,
}


# ------------------------------------------------------------------ the calendar


@pytest.mark.parametrize("repeat", ["monthly", "weekly", "daily", "weekdays"])
@pytest.mark.parametrize(
    "first",
    [
        dt.datetime(9999, 12, 1, 10),
        dt.datetime(9999, 1, 31, 10),
        dt.datetime(2100, 12, 31, 10),
        dt.datetime(1, 1, 1, 10),
    ],
)
def test_schedule_refuses_the_end_of_the_calendar_quickly(first, repeat):
    aware = first.replace(tzinfo=dt.UTC) if first.year == 1 else timezone.make_aware(first)
    with pytest.raises(ValueError) as caught:  # ScheduleError is one; a hang fails in 5 s
        _within(5, lambda: domain.schedule(aware, dt.timedelta(hours=1), repeat, 200))
    assert getattr(caught.value, "field", None) in ("first_start", "count")


def test_schedule_is_bounded_whatever_the_count():
    start = timezone.make_aware(dt.datetime(2030, 1, 31, 10))
    for count in (10**9, 0, -5):
        with pytest.raises(domain.ScheduleError) as caught:
            _within(5, lambda c=count: domain.schedule(start, dt.timedelta(hours=1), "monthly", c))
        assert caught.value.field == "count"
    with pytest.raises(domain.ScheduleError):
        domain.schedule(start, dt.timedelta(hours=1), "fortnightly", 3)


def test_add_months_past_the_last_year_is_an_error_not_a_missing_month():
    assert domain._add_months(dt.date(2030, 1, 31), 1) is None  # no 31 February
    assert domain._add_months(dt.date(2030, 1, 31), 2) == dt.date(2030, 3, 31)
    with pytest.raises(OverflowError):
        domain._add_months(dt.date(9999, 12, 1), 1)


def test_schedule_span_is_capped_at_five_years():
    start = timezone.make_aware(dt.datetime(2030, 1, 1, 19, 30))
    assert len(domain.schedule(start, dt.timedelta(hours=1), "monthly", 60)) == 60
    assert len(domain.schedule(start, dt.timedelta(hours=1), "weekly", 200)) == 200
    with pytest.raises(domain.ScheduleError) as caught:
        domain.schedule(start, dt.timedelta(hours=1), "monthly", 200)
    assert caught.value.field == "count" and "5 年" in caught.value.message
    near_end = timezone.make_aware(dt.datetime(2100, 6, 1, 9))
    with pytest.raises(domain.ScheduleError):  # inside the years, but runs past 2100
        domain.schedule(near_end, dt.timedelta(hours=1), "monthly", 12)


def test_monthly_run_on_the_31st_still_finds_its_sessions():
    start = timezone.make_aware(dt.datetime(2030, 1, 31, 9))
    days = [
        s.starts_at.date() for s in domain.schedule(start, dt.timedelta(hours=1), "monthly", 12)
    ]
    assert len(days) == 12 and all(d.day == 31 for d in days)
    assert days[-1] == dt.date(2031, 8, 31)  # 7 months of 2030 have a 31st, then 5 of 2031


def test_clean_schedule_puts_the_problem_next_to_the_field():
    out = domain.clean_schedule(
        {"first_start": "9999-12-01T10:00", "duration_minutes": 60, "repeat": "monthly", "count": 3}
    )
    assert out.errors == {"first_start": YEARS}
    out = domain.clean_schedule(
        {
            "first_start": "2100-06-01T10:00",
            "duration_minutes": 60,
            "repeat": "monthly",
            "count": 12,
        }
    )
    assert set(out.errors) == {"count"}


# ------------------------------------------------------------------ over HTTP


def test_api_refuses_a_hostile_schedule_and_writes_nothing(api_client, officer, deadline):
    api = api_client.as_user(officer)
    before = _written()
    for first in ("9999-12-01T10:00:00", "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00"):
        resp = api.post(
            "activities",
            {
                **ACTIVITY,
                "schedule": {
                    "first_start": first,
                    "duration_minutes": 60,
                    "repeat": "monthly",
                    "count": 200,
                },
            },
        )
        assert "2100" in _refused(resp, "first_start")
    resp = api.post(
        "activities",
        {
            **ACTIVITY,
            "schedule": {
                "first_start": "1999-12-01T10:00:00",
                "duration_minutes": 60,
                "repeat": "monthly",
            },
        },
    )
    assert _refused(resp, "first_start") == YEARS
    resp = api.post(
        "activities",
        {
            **ACTIVITY,
            "schedule": {
                "first_start": "2099-01-01T10:00:00",
                "duration_minutes": 60,
                "repeat": "monthly",
                "count": 200,
            },
        },
    )
    assert "请减少场次数" in _refused(resp, "count")
    assert _written() == before


def test_api_refuses_hostile_sessions_and_times_on_an_existing_activity(
    api_client, zone_a, officer, deadline
):
    activity = f.activity(zone_a, status="draft")
    session = activity.sessions.get()
    api = api_client.as_user(officer)
    before = _written()
    resp = api.post(
        f"activities/{activity.pk}/sessions",
        {
            "first_start": "9999-11-30T10:00:00",
            "duration_minutes": 60,
            "repeat": "monthly",
            "count": 200,
        },
    )
    assert "2100" in _refused(resp, "first_start")
    resp = api.patch(
        f"activities/{activity.pk}/sessions/{session.pk}",
        {"starts_at": "9999-12-31T23:00:00", "ends_at": "9999-12-31T23:59:00"},
    )
    assert "2100" in _refused(resp, "starts_at")
    resp = api.patch(
        f"activities/{activity.pk}/sessions/{session.pk}", {"starts_at": "1999-12-31T23:00:00"}
    )
    assert _refused(resp, "starts_at") == YEARS
    resp = api.patch(f"activities/{activity.pk}", {"signup_deadline": "9999-12-31T23:00:00"})
    assert "2100" in _refused(resp, "signup_deadline")
    assert _written() == before


def test_office_form_refuses_a_hostile_schedule_and_writes_nothing(client, officer, deadline):
    client.force_login(officer)
    before = _written()
    form = {
        "title": "月度读书会",
        "kind": "culture",
        "organiser": "肇庆高新区总工会",
        "place": "暖新驿站",
        "signup_mode": "series",
        "audience": "open",
        "capacity": "20",
        "waitlist": "on",
        "s-first_start": "9999-12-01T10:00",
        "s-duration_minutes": "60",
        "s-repeat": "monthly",
        "s-count": "200",
    }
    resp = client.post("/activities/office/new/", form)
    assert resp.status_code == 200
    # The form field's calendar bound (core.forms) speaks first for year 9999.
    (message,) = resp.context["schedule"].errors["first_start"]
    assert "2100" in message and message in resp.content.decode()
    resp = client.post("/activities/office/new/", {**form, "s-first_start": "2099-01-01T10:00"})
    assert resp.status_code == 200 and "count" in resp.context["schedule"].errors
    assert _written() == before


def test_sessions_per_activity_have_a_ceiling(zone_a, monkeypatch):
    monkeypatch.setattr(domain, "MAX_SESSIONS_PER_ACTIVITY", 5)
    activity = f.activity(zone_a, status="draft", sessions=3)
    with pytest.raises(InvalidInput) as caught:
        services.sessions_add(
            actor=None,
            activity=activity,
            data={"first_start": f.soon(10), "duration_minutes": 60, "repeat": "daily", "count": 3},
        )
    assert "最多 5 个场次" in caught.value.fields["count"]
    assert activity.sessions.count() == 3
    services.sessions_add(
        actor=None,
        activity=activity,
        data={"first_start": f.soon(10), "duration_minutes": 60, "repeat": "daily", "count": 2},
    )
    assert activity.sessions.count() == 5


def test_monthly_figures_are_bounded(zone_a):
    with pytest.raises(ValueError):
        selectors.activities_monthly(zone_a, dt.date(2000, 1, 1), dt.date(2100, 1, 1))


# ------------------------------------------------------------------ references


def test_api_refuses_another_zones_or_a_missing_station(api_client, zone_a, zone_b, officer):
    ours, theirs = station(zone_a), station(zone_b)
    api = api_client.as_user(officer)
    before = _written()
    for station_id in (theirs.pk, theirs.pk + ours.pk + 1000):
        resp = api.post("activities", {**ACTIVITY, "station_id": station_id})
        assert resp.status_code == 422, resp.content
        assert resp.json()["code"] == "invalid"
        assert resp.json()["fields"] == {"station_id": NOT_OURS}
    assert _written() == before
    resp = api.post("activities", {**ACTIVITY, "station_id": ours.pk})
    assert resp.status_code == 201 and resp.json()["station_id"] == ours.pk
    pk = resp.json()["id"]
    before = _written()
    resp = api.patch(f"activities/{pk}", {"station_id": theirs.pk, "title": "改名"})
    assert resp.status_code == 422 and resp.json()["fields"] == {"station_id": NOT_OURS}
    assert _written() == before
    assert Activity.objects.get(pk=pk).station_id == ours.pk
    assert Activity.objects.get(pk=pk).title == ACTIVITY["title"]
    assert api.patch(f"activities/{pk}", {"station_id": None}).json()["station_id"] is None


def test_office_forms_refuse_another_zones_station(client, zone_a, zone_b, officer):
    ours, theirs = station(zone_a), station(zone_b)
    client.force_login(officer)
    form = {
        "title": "月度读书会",
        "kind": "culture",
        "organiser": "肇庆高新区总工会",
        "place": "暖新驿站",
        "signup_mode": "series",
        "audience": "open",
        "capacity": "20",
        "waitlist": "on",
        "station_id": str(theirs.pk),
        "s-first_start": "2030-05-01T10:00",
        "s-duration_minutes": "60",
        "s-repeat": "once",
        "s-count": "1",
    }
    before = _written()
    resp = client.post("/activities/office/new/", form)
    assert resp.status_code == 200
    assert resp.context["form"].errors["station_id"] == [NOT_OURS]
    assert _written() == before
    activity = f.activity(zone_a, status="draft", station_id=ours.pk)
    edit = {k: v for k, v in form.items() if not k.startswith("s-")}
    resp = client.post(f"/activities/office/{activity.pk}/edit/", {**edit, "station_id": "999999"})
    assert resp.status_code == 200
    assert resp.context["form"].errors["station_id"] == [NOT_OURS]
    activity.refresh_from_db()
    assert (activity.station_id, activity.title) == (ours.pk, activity.title)
    resp = client.post(f"/activities/office/{activity.pk}/edit/", {**edit, "station_id": ours.pk})
    assert resp.status_code == 302


# ------------------------------------------------------------------ statement timeout


def test_postgresql_connections_carry_a_statement_timeout(monkeypatch, tmp_path):
    from config.settings.base import database_from_env

    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example:5432/gaoxin")
    monkeypatch.delenv("GAOXIN_STATEMENT_TIMEOUT_MS", raising=False)
    assert database_from_env(tmp_path / "x.sqlite3")["OPTIONS"]["options"] == (
        "-c statement_timeout=30000"
    )
    monkeypatch.setenv("GAOXIN_STATEMENT_TIMEOUT_MS", "5000")
    assert (
        "statement_timeout=5000" in database_from_env(tmp_path / "x.sqlite3")["OPTIONS"]["options"]
    )
    monkeypatch.setenv("GAOXIN_STATEMENT_TIMEOUT_MS", "0")
    assert "options" not in database_from_env(tmp_path / "x.sqlite3").get("OPTIONS", {})
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    monkeypatch.setenv("GAOXIN_STATEMENT_TIMEOUT_MS", "5000")
    assert "options" not in database_from_env(tmp_path / "x.sqlite3")["OPTIONS"]


def test_the_live_postgresql_connection_cancels_long_statements():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    configured = int(os.environ.get("GAOXIN_STATEMENT_TIMEOUT_MS", "30000"))  # 30 s default
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == f"{configured // 1000}s"
