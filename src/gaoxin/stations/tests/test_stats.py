"""The statistics read only rollups; these tests hold them to the raw records.

Every figure of selectors.zone_station_stats is recomputed here the slow way,
straight from Checkin / WalkinBatch / ServiceRecord, for many periods (month
edges included), and the rollups must also survive a rebuild and concurrent
check-ins unchanged.
"""

import contextlib
import datetime as dt
import random
from collections import Counter, defaultdict

import pytest
from django.utils import timezone

from gaoxin.core.testing import at_once, raised
from gaoxin.registry.tests.factories import person
from gaoxin.stations import selectors, services
from gaoxin.stations.models import (
    Checkin,
    ServiceRecord,
    StationDayCount,
    StationMonthCount,
    StationMonthWorker,
    StationWorker,
    WalkinBatch,
    ZoneDayCount,
    ZoneMonthCount,
    ZoneMonthWorker,
    ZoneWorker,
)
from gaoxin.stations.tests.factories import station

ROLLUPS = {
    StationDayCount: ("station_id", "day", "metric", "key", "value"),
    StationMonthCount: ("station_id", "month", "metric", "key", "value"),
    StationWorker: ("station_id", "person_id", "first_at"),
    StationMonthWorker: ("station_id", "month", "person_id"),
    ZoneWorker: ("person_id", "first_at"),
    ZoneMonthWorker: ("month", "person_id"),
    ZoneMonthCount: ("month", "metric", "key", "value"),
    ZoneDayCount: ("day", "metric", "key", "value"),
}


def rollup_rows(zone) -> dict:
    """Every rollup row of the zone, without ids (rows with value 0 carry no figure)."""
    out = {}
    for model, fields in ROLLUPS.items():
        rows = model.objects.filter(zone=zone).values_list(*fields)
        out[model.__name__] = sorted(r for r in rows if "value" not in fields or r[-1])
    return out


def month_key(day: dt.date) -> str:
    return f"{day.year}-{day.month:02d}"


def raw_figures(zone, since=None, until=None, station_ids=None) -> dict:
    """The dashboard's figures from the raw records. Distinct workers are
    month-granular within a period: seen in any month the period touches."""
    lo, hi = since or dt.date.min, until or dt.date.max
    m_lo = since.replace(day=1) if since else dt.date.min
    m_hi = until.replace(day=1) if until else dt.date.max
    whole = since is None and until is None
    if since and until and since > until:  # an empty period
        m_lo, m_hi = dt.date.max, dt.date.min
    by_month, by_job, per_station = Counter(), Counter(), Counter()
    people, station_people, month_people = set(), defaultdict(set), defaultdict(set)
    checkins = Checkin.objects.filter(zone=zone)
    walkins = WalkinBatch.objects.filter(zone=zone)
    records = ServiceRecord.objects.filter(zone=zone)
    if station_ids is not None:
        checkins = checkins.filter(station_id__in=station_ids)
        walkins = walkins.filter(station_id__in=station_ids)
        records = records.filter(station_id__in=station_ids)
    for c in checkins:
        day = timezone.localtime(c.occurred_at).date()
        if lo <= day <= hi:
            by_month[month_key(day)] += 1
            by_job[c.job_type] += 1
            per_station[c.station_id] += 1
        if whole or m_lo <= day.replace(day=1) <= m_hi:
            people.add(c.person_id)
            station_people[c.station_id].add(c.person_id)
            month_people[month_key(day)].add(c.person_id)
    for w in walkins:
        if lo <= w.day <= hi:
            by_month[month_key(w.day)] += w.visits
            by_job[""] += w.visits
            per_station[w.station_id] += w.visits
    by_service = Counter()
    for r in records:
        if lo <= timezone.localtime(r.occurred_at).date() <= hi:
            by_service[r.service] += r.count
    return {
        "visits": sum(per_station.values()),
        "workers": len(people),
        "by_month": sorted((k, v) for k, v in by_month.items() if v),
        "by_service": dict(by_service),
        "by_job": dict(by_job),
        "by_station": {
            s: (per_station[s], len(station_people[s]))
            for s in set(per_station) | set(station_people)
        },
        "workers_by_month": sorted((m, len(p)) for m, p in month_people.items()),
    }


def figures(stats) -> dict:
    return {
        "visits": stats.visits,
        "workers": stats.workers,
        "by_month": list(stats.by_month),
        "by_service": dict(stats.by_service),
        "by_job": dict(stats.by_job),
        "by_station": {r["station_id"]: (r["visits"], r["workers"]) for r in stats.by_station},
        "workers_by_month": list(stats.workers_by_month),
    }


@pytest.fixture
def history(zone_a, zone_b):
    """Four months of check-ins and walk-ins at three stations, plus noise in another zone."""
    rng = random.Random(11)
    stations = [station(zone_a) for _ in range(3)]
    people = [
        person(zone_a, job_type=rng.choice(["courier", "food_delivery", "ride_hailing"]))
        for _ in range(6)
    ]
    today = timezone.localdate()
    start = (today.replace(day=1) - dt.timedelta(days=95)).replace(day=1)
    moments = sorted(
        timezone.make_aware(dt.datetime.combine(start, dt.time(0, 5)))
        + dt.timedelta(minutes=rng.randrange(0, (today - start).days * 1440))
        for _ in range(70)
    )
    for at in moments:
        chosen = rng.sample(["water", "rest", "medicine", "charging"], rng.randint(0, 2))
        with contextlib.suppress(services.DuplicateCheckin):
            services.checkin_record(
                station=rng.choice(stations), person=rng.choice(people), services=chosen, at=at
            )
    for _ in range(8):
        day = start + dt.timedelta(days=rng.randrange(0, (today - start).days + 1))
        services.walkin_record(
            actor=None,
            station=rng.choice(stations),
            day=day,
            visits=rng.randint(1, 20),
            services=["water"],
        )
    elsewhere = station(zone_b)
    services.checkin_record(station=elsewhere, person=person(zone_b), services=["water"])
    return stations, start, today


def test_figures_equal_the_raw_records_for_every_period(zone_a, history):
    stations, start, today = history
    assert Checkin.objects.filter(zone=zone_a).count() > 50
    month_ends = [
        start,
        *(
            d
            for d in (start + dt.timedelta(days=i) for i in range(200))
            if (d + dt.timedelta(days=1)).day == 1 or d.day == 1
        ),
    ]
    rng = random.Random(5)
    periods = [
        (None, None),
        (None, today),
        (start, None),
        (today, today),
        (today - dt.timedelta(days=30), today),
        (today + dt.timedelta(days=3), today),
    ]
    periods += [tuple(sorted(rng.sample(month_ends, 2))) for _ in range(12)]
    periods += [
        tuple(sorted(start + dt.timedelta(days=rng.randrange(0, 130)) for _ in range(2)))
        for _ in range(12)
    ]
    scopes = [None, [stations[0].pk], [stations[0].pk, stations[2].pk]]
    for since, until in periods:
        for ids in scopes:
            got = figures(
                selectors.zone_station_stats(zone=zone_a, since=since, until=until, station_ids=ids)
            )
            assert got == raw_figures(zone_a, since, until, ids), (since, until, ids)
    total = selectors.zone_visits_total(zone=zone_a)
    assert total == raw_figures(zone_a)["visits"]


def test_a_rebuild_reproduces_every_rollup_row(zone_a, zone_b, history):
    live = rollup_rows(zone_a)
    other = rollup_rows(zone_b)
    assert all(live.values())  # every table has rows to compare
    for model in ROLLUPS:
        model.objects.filter(zone=zone_a).delete()
    services.stats_rebuild(zone=zone_a)
    assert rollup_rows(zone_a) == live
    assert rollup_rows(zone_b) == other  # another zone is left alone


def test_a_rebuild_repairs_a_damaged_counter(zone_a, history):
    live = rollup_rows(zone_a)
    StationMonthCount.objects.filter(zone=zone_a, metric="visits").update(value=0)
    ZoneMonthCount.objects.filter(zone=zone_a).delete()
    assert rollup_rows(zone_a) != live
    services.stats_rebuild(zone=zone_a)
    assert rollup_rows(zone_a) == live


@pytest.mark.django_db(transaction=True)
def test_concurrent_checkins_of_the_same_workers_at_several_stations(zone_a):
    """Each worker taps at three stations at once: the zone must still count them once."""
    stations = [station(zone_a) for _ in range(3)]
    people = [person(zone_a) for _ in range(5)]
    taps = [
        lambda s=s, p=p: services.checkin_record(station=s, person=p, services=["water"])
        for s in stations
        for p in people
    ]
    assert raised(at_once(taps)) == []
    stats = selectors.zone_station_stats(zone=zone_a)
    assert (stats.visits, stats.workers) == (15, 5)
    assert {r["workers"] for r in stats.by_station} == {5}
    assert stats.workers_by_month == [(month_key(timezone.localdate()), 5)]
    assert figures(stats) == raw_figures(zone_a)
    live = rollup_rows(zone_a)
    services.stats_rebuild(zone=zone_a)
    assert rollup_rows(zone_a) == live


def test_a_back_dated_visit_moves_the_first_visit_month(zone_a):
    """A visit entered later but dated earlier (another station) makes the earlier
    month the worker's first in the zone; the figures and a rebuild agree."""
    a, b = station(zone_a), station(zone_a)
    p = person(zone_a)
    now = timezone.now()
    services.checkin_record(station=a, person=p, services=["water"], at=now)
    services.checkin_record(station=b, person=p, services=["rest"], at=now - dt.timedelta(days=40))
    firsts = ZoneMonthCount.objects.filter(zone=zone_a, metric="new_workers", value__gt=0)
    assert list(firsts.values_list("month", flat=True)) == [
        timezone.localtime(now - dt.timedelta(days=40)).date().replace(day=1)
    ]
    assert figures(selectors.zone_station_stats(zone=zone_a)) == raw_figures(zone_a)
    live = rollup_rows(zone_a)
    services.stats_rebuild(zone=zone_a)
    assert rollup_rows(zone_a) == live


def test_the_migration_derives_month_rollups_from_the_existing_ones(zone_a, history):
    """Installations upgraded from day-only rollups get the same month and zone rows."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("gaoxin.stations.migrations.0002_month_rollups")
    live = rollup_rows(zone_a)
    for model in (StationMonthCount, ZoneDayCount, ZoneWorker, ZoneMonthWorker, ZoneMonthCount):
        model.objects.all().delete()
    migration.fill_month_rollups(apps, None)
    assert rollup_rows(zone_a) == live


def test_the_rebuild_command_repairs_a_zone_and_reports(zone_a, history, capsys):
    from django.core.management import call_command

    live = rollup_rows(zone_a)
    ZoneMonthCount.objects.filter(zone=zone_a, metric="visits").update(value=1)
    damaged = selectors.zone_visits_total(zone=zone_a)
    call_command("stations_rebuild_stats", zone=zone_a.code)
    out, err = capsys.readouterr()
    assert rollup_rows(zone_a) == live
    total = raw_figures(zone_a)["visits"]
    assert f"累计服务 {damaged} → {total} 人次" in out and "已重算 3/3 个驿站" in err
