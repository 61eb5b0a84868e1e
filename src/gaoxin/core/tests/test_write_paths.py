"""The two busiest write paths stay lean: statements per claim and per check-in are
pinned here, so a change that adds a query to them shows up as a failing test.
And database connections are kept between requests on every backend."""

from pathlib import Path

import pytest
from django.db import connection, connections
from django.test import Client

from gaoxin.core import services as core_services
from gaoxin.core.tests.factories import make_user
from gaoxin.registry.tests.factories import person
from gaoxin.stations import tokens
from gaoxin.stations.models import Checkin, StationMonthCount, ZoneMonthCount
from gaoxin.stations.tests.factories import station
from gaoxin.welfare.models import Claim
from gaoxin.welfare.tests.factories import open_campaign, worker

# Counted inside the test's transaction (so savepoints count, BEGIN/COMMIT do not).
CLAIM_MAX_QUERIES = 15  # token+user+person, campaign, 1 permission read, held vouchers, write
CLAIM_RETRY_MAX_QUERIES = 6  # the same, up to the held vouchers: the first answer
CHECKIN_API_MAX_QUERIES = 16  # token+user+person, station, closures, the writes
CHECKIN_PAGE_MAX_QUERIES = 30  # session, user, person, closures (twice), writes, figures, session


@pytest.mark.parametrize(
    "url", ["sqlite:////tmp/gaoxin-x.sqlite3", "postgres://u@127.0.0.1:5432/x"]
)
def test_connections_are_kept_between_requests_on_every_backend(monkeypatch, url):
    from config.settings.base import database_from_env

    monkeypatch.setenv("DATABASE_URL", url)
    db = database_from_env(Path("/tmp/unused.sqlite3"))
    assert db["CONN_MAX_AGE"] > 0 and db["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db
def test_a_kept_sqlite_connection_still_has_its_pragmas():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    fresh = connections.create_connection("default")  # init_command runs once, here
    try:
        with fresh.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
            cursor.execute("PRAGMA foreign_keys")
            foreign_keys = cursor.fetchone()[0]
            cursor.execute("PRAGMA busy_timeout")
            busy = cursor.fetchone()[0]
    finally:
        fresh.close()
    assert (journal, foreign_keys, busy) == ("wal", 1, 30000)


def _post(client, url, headers, data="{}"):
    return client.post(url, data=data, content_type="application/json", headers=headers)


def test_one_claim_over_http_stays_within_its_query_budget(
    zone_a, client, django_assert_max_num_queries
):
    campaign = open_campaign(zone_a, stock=5)
    url = f"/api/v1/campaigns/{campaign.pk}/claims"
    warm = worker(zone_a)[1]  # the first claim of a zone also creates cached rows
    _post(client, url, {"Authorization": f"Bearer {core_services.api_token_issue(user=warm)}"})
    who, user = worker(zone_a)
    headers = {
        "Authorization": f"Bearer {core_services.api_token_issue(user=user)}",
        "Idempotency-Key": "tap-1",
    }
    with django_assert_max_num_queries(CLAIM_MAX_QUERIES):
        first = _post(client, url, headers)
    assert first.status_code == 201, first.content
    with django_assert_max_num_queries(CLAIM_RETRY_MAX_QUERIES):
        again = _post(client, url, headers)
    assert again.status_code == 200 and again.json()["code"] == first.json()["code"]
    assert Claim.objects.filter(person=who).count() == 1


def _worker_login(zone):
    user = make_user("worker", zone)
    user.person = person(zone)
    user.save()
    return user


def test_one_check_in_over_http_stays_within_its_query_budget(
    zone_a, client, django_assert_max_num_queries
):
    s = station(zone_a)
    code = tokens.poster_code(s.pk, s.poster_version)
    url = f"/api/v1/stations/{s.pk}/checkins"
    body = f'{{"code": "{code}", "services": ["water"]}}'
    for _n in range(2):  # the second is the steady state: the zone's counter rows exist
        user = _worker_login(zone_a)
        headers = {"Authorization": f"Bearer {core_services.api_token_issue(user=user)}"}
        with django_assert_max_num_queries(CHECKIN_API_MAX_QUERIES):
            resp = _post(client, url, headers, body)
        assert resp.status_code == 201, resp.content
    assert _post(client, url, headers, body).json()["code"] == "duplicate_checkin"
    assert Checkin.objects.filter(station=s).count() == 2
    # the distinct-worker counters still move once per new worker
    assert StationMonthCount.objects.get(station=s, metric="new_workers").value == 2
    assert ZoneMonthCount.objects.get(zone=zone_a, metric="workers").value == 2


def test_one_check_in_from_the_poster_page_stays_within_its_query_budget(
    zone_a, django_assert_max_num_queries
):
    s = station(zone_a)
    from django.urls import reverse

    url = reverse("stations_short:checkin", args=[tokens.poster_code(s.pk, s.poster_version)])
    for _n in range(2):
        page = Client()
        page.force_login(_worker_login(zone_a))
        with django_assert_max_num_queries(CHECKIN_PAGE_MAX_QUERIES):
            resp = page.post(url, {"services": ["water"]})
        assert resp.status_code == 302, resp.content
    assert Checkin.objects.filter(station=s).count() == 2


def test_permissions_are_read_in_one_statement_with_the_same_answers(
    zone_a, django_assert_num_queries
):
    from django.contrib.auth.backends import ModelBackend
    from django.contrib.auth.models import Permission

    from gaoxin.core.models import User

    user = make_user("worker", zone_a)
    user.user_permissions.add(Permission.objects.get(codename="view_zone"))
    with django_assert_num_queries(1):
        fresh = User.objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        granted = fresh.get_all_permissions()
        assert fresh.has_perm("welfare.add_claim") and not fresh.has_perm("welfare.issue_claim")
    assert "core.view_zone" in granted  # the user's own permission, next to the group's
    assert granted == ModelBackend().get_all_permissions(User.objects.get(pk=user.pk))
