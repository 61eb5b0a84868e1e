"""Office forms: dates at the ends of the calendar and huge numbers are field errors, never 500s.

Accepted days: 1901-01-01..2100-12-31 (gaoxin.core.cleaning.MIN_DAY, MAX_DAY).
"""

import pytest

from gaoxin.activities.models import Activity
from gaoxin.activities.tests.factories import activity
from gaoxin.welfare.models import Campaign

pytestmark = pytest.mark.django_db

RANGE_MESSAGE = "应在 1901-01-01 至 2100-12-31 之间"
FAR_DAYS = ["0001-01-01", "9999-12-31", "1900-12-31", "2101-01-01"]
FAR_MOMENTS = ["0001-01-01T00:00", "9999-12-31T23:59", "1900-12-31T23:59", "2101-01-01T00:00"]


@pytest.fixture
def officer_client(client, zone_a, make_user):
    client.raise_request_exception = False  # a server error must show up as a 500
    client.force_login(make_user("officer", zone_a))
    return client


def _page(resp) -> str:
    assert resp.status_code < 500, resp.status_code
    return resp.content.decode()


CAMPAIGN = {
    "title": "读书年卡",
    "kind": "year_card",
    "sponsor_kind": "partner",
    "sponsor_name": "新华书店",
    "unit_value_yuan": "198",
    "stock": "50",
    "per_worker_limit": "1",
    "claim_starts_at": "2030-12-01T09:00",
    "claim_ends_at": "2030-12-31T09:00",
}


@pytest.mark.parametrize("moment", FAR_MOMENTS)
@pytest.mark.parametrize("field", ["claim_starts_at", "claim_ends_at", "redeem_until"])
def test_campaign_form_refuses_far_times(officer_client, field, moment):
    resp = officer_client.post("/welfare/office/new/", {**CAMPAIGN, field: moment})
    page = _page(resp)
    # 1900-12-31 23:59 does not exist in Asia/Shanghai (the 1901 change of offset): Django says so
    assert RANGE_MESSAGE in page or "无法在时区Asia/Shanghai被解析" in page
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("number", [str(2**63), str(2**64), "9" * 30])
def test_campaign_form_refuses_huge_stock(officer_client, number):
    resp = officer_client.post("/welfare/office/new/", {**CAMPAIGN, "stock": number})
    _page(resp)
    assert not Campaign.objects.exists()


ACTIVITY = {
    "title": "读书会",
    "kind": "culture",
    "organiser": "总工会",
    "place": "驿站",
    "signup_mode": "series",
    "audience": "open",
    "capacity": "30",
    "waitlist": "on",
    "s-first_start": "2030-07-15T08:30",
    "s-duration_minutes": "60",
    "s-repeat": "once",
    "s-count": "1",
}


@pytest.mark.parametrize("moment", FAR_MOMENTS)
@pytest.mark.parametrize("field", ["signup_deadline", "s-first_start"])
def test_activity_form_refuses_far_times(officer_client, field, moment):
    resp = officer_client.post("/activities/office/new/", {**ACTIVITY, field: moment})
    page = _page(resp)
    assert "年" in page and not Activity.objects.exists()


@pytest.mark.parametrize("number", [str(2**63), str(2**64), "9" * 30])
@pytest.mark.parametrize(
    "field", ["capacity", "station_id", "min_age", "s-count", "s-duration_minutes", "s-capacity"]
)
def test_activity_form_refuses_huge_numbers(officer_client, field, number):
    _page(officer_client.post("/activities/office/new/", {**ACTIVITY, field: number}))
    assert not Activity.objects.exists()


@pytest.mark.parametrize("moment", FAR_MOMENTS)
def test_session_form_refuses_far_times(officer_client, zone_a, moment):
    event = activity(zone_a, status="draft")
    resp = officer_client.post(
        f"/activities/office/{event.pk}/sessions/add/",
        {
            "s-first_start": moment,
            "s-duration_minutes": "60",
            "s-repeat": "once",
            "s-count": "1",
            "first_start": moment,
            "duration_minutes": "60",
            "repeat": "once",
            "count": "1",
        },
    )
    _page(resp)
    assert event.sessions.count() == 1


@pytest.mark.parametrize("day", FAR_DAYS)
def test_station_stats_page_refuses_far_days(officer_client, day):
    for key in ("since", "until"):
        page = _page(officer_client.get("/stations/office/stats/", {key: day}))
        assert RANGE_MESSAGE in page
