import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from gaoxin.core.errors import ApplicationError, Conflict, InvalidInput
from gaoxin.core.models import AuditEntry
from gaoxin.registry.tests.factories import person
from gaoxin.stations import selectors, services
from gaoxin.stations.models import Checkin, StationDayCount
from gaoxin.stations.tests.factories import station


def test_gcj02_input_is_stored_as_wgs84(zone_a):
    s = station(zone_a, lat=23.047392664742386, lng=112.4652685317552, crs="gcj02")
    assert abs(s.lat - 23.05) < 1e-6 and abs(s.lng - 112.46) < 1e-6


@pytest.mark.parametrize(
    ("lat", "lng", "field", "text"),
    [
        (112.46, 23.05, "lat", "填反"),
        (95.0, 200.0, "lat", "纬度超出"),
        (51.5, -0.12, "lat", "不在中国境内"),
        ("abc", 1, "lat", "数字"),
    ],
)
def test_bad_positions_are_refused_clearly(zone_a, lat, lng, field, text):
    with pytest.raises(InvalidInput) as exc:
        station(zone_a, lat=lat, lng=lng)
    assert text in exc.value.fields[field]


def test_hours_are_required_and_parsed(zone_a):
    with pytest.raises(InvalidInput) as exc:
        station(zone_a, is_24h=False, hours={})
    assert "开放时间" in exc.value.fields["hours"]
    with pytest.raises(InvalidInput) as exc:
        station(zone_a, is_24h=False, hours="8点到20点")
    assert "格式" in exc.value.fields["hours"]
    s = station(zone_a, is_24h=False, hours={"mon": "08:00-20:00", "sat": "20:00-02:00"})
    assert s.hours["mon"] == [[480, 1200]] and s.hours["sun"] == []


def test_checkin_counts_once_within_window_and_again_after(zone_a):
    s = station(zone_a)
    p = person(zone_a)
    t0 = timezone.now()
    services.checkin_record(station=s, person=p, services=["water"], at=t0)
    with pytest.raises(Conflict) as exc:
        services.checkin_record(
            station=s, person=p, services=["water"], at=t0 + dt.timedelta(minutes=3)
        )
    assert "3 分钟前" in exc.value.message
    services.checkin_record(
        station=s, person=p, services=["rest"], at=t0 + dt.timedelta(minutes=11)
    )
    assert Checkin.objects.count() == 2
    assert selectors.zone_visits_total(zone=zone_a) == 2


def test_paused_station_and_closed_hours_refuse_checkin(zone_a, make_user):
    s = station(zone_a, is_24h=False, hours="08:00-20:00")
    p = person(zone_a)
    night = timezone.make_aware(dt.datetime(2026, 11, 23, 23, 30))
    with pytest.raises(ApplicationError) as exc:
        services.checkin_record(station=s, person=p, at=night)
    assert exc.value.code == "station_closed_now" and "08:00-20:00" in exc.value.message
    officer = make_user("officer", zone_a)
    s = services.station_transition(actor=officer, station=s, to="paused", reason="维修")
    with pytest.raises(ApplicationError) as exc:
        services.checkin_record(station=s, person=p, at=night.replace(hour=10))
    assert exc.value.code == "station_not_open"
    assert AuditEntry.objects.filter(action="transition", note="维修").exists()


@pytest.mark.parametrize(
    ("start", "to", "ok"),
    [
        ("open", "paused", True),
        ("open", "closed", True),
        ("paused", "open", True),
        ("paused", "closed", True),
        ("closed", "open", True),
        ("closed", "paused", False),
        ("open", "open", False),
    ],
)
def test_every_transition(zone_a, start, to, ok):
    s = station(zone_a)
    if start != "open":
        services.station_transition(actor=None, station=s, to=start)
    if ok:
        assert services.station_transition(actor=None, station=s, to=to).status == to
    else:
        with pytest.raises(Conflict):
            services.station_transition(actor=None, station=s, to=to)


def test_walkins_and_rollups_match_a_rebuild_from_raw_records(zone_a, make_user):
    keeper = make_user("station_keeper", zone_a)
    s = station(zone_a, keeper=keeper.pk)
    other = station(zone_a)
    people = [person(zone_a, job_type=j) for j in ("courier", "food_delivery", "courier")]
    t0 = timezone.now() - dt.timedelta(days=40)
    for i, p in enumerate(people):
        for d in range(3):
            services.checkin_record(
                station=s if i % 2 else other,
                person=p,
                services=["water", "rest"],
                at=t0 + dt.timedelta(days=d * 15, minutes=i),
            )
    services.walkin_record(
        actor=keeper, station=s, day=timezone.localdate(), visits=12, services=["water"]
    )
    before = sorted(
        StationDayCount.objects.values_list("station_id", "day", "metric", "key", "value")
    )
    stats = selectors.zone_station_stats(zone=zone_a)
    assert stats.visits == 9 + 12
    assert stats.workers == 3
    assert dict(stats.by_service)["water"] == 9 + 12
    assert dict(stats.by_job)["courier"] == 6
    services.stats_rebuild(zone=zone_a)
    assert (
        sorted(StationDayCount.objects.values_list("station_id", "day", "metric", "key", "value"))
        == before
    )
    with pytest.raises(Exception, match="只能为您负责的驿站登记"):
        services.walkin_record(actor=keeper, station=other, day=timezone.localdate(), visits=1)


def test_nearest_matches_a_full_scan(zone_a, zone_b):
    import random

    rng = random.Random(7)
    for i in range(60):
        station(
            zone_a if i % 2 else zone_b,
            name=f"站{i}",
            lat=22.5 + rng.random() * 2,
            lng=112 + rng.random() * 3,
        )
    for _ in range(10):
        lat, lng = 22.4 + rng.random() * 2.2, 111.9 + rng.random() * 3.2
        got = [
            (round(n.distance_m, 3), n.station.pk)
            for n in selectors.stations_nearest(lat=lat, lng=lng, k=5)
        ]
        want = [
            (round(d, 3), sid)
            for d, sid in selectors.stations_nearest_bruteforce(lat=lat, lng=lng, k=5)
        ]
        assert got == want


def test_nearest_filters_by_amenity_and_open_now(zone_a):
    near = station(zone_a, name="近站", lat=23.10, lng=112.80, amenities=["water"])
    far = station(zone_a, name="远站", lat=23.30, lng=112.80, amenities=["water", "charging"])
    res = selectors.stations_nearest(lat=23.1, lng=112.8, k=1, amenities=["charging"])
    assert [n.station.pk for n in res] == [far.pk]
    services.station_transition(actor=None, station=near, to="paused")
    res = selectors.stations_nearest(lat=23.1, lng=112.8, k=2)
    assert [(n.station.pk, n.open_now) for n in res] == [(near.pk, False), (far.pk, True)]
    res = selectors.stations_nearest(lat=23.1, lng=112.8, k=2, open_now=True)
    assert [n.station.pk for n in res] == [far.pk]


@pytest.mark.django_db(transaction=True)
def test_concurrent_checkins_keep_rollups_exact(zone_a):
    s = station(zone_a)
    people = [person(zone_a) for _ in range(8)]
    errors, dupes = [], []

    def tap(p):
        try:
            for _ in range(3):  # three taps each: only the first counts
                try:
                    services.checkin_record(station=s, person=p, services=["water"])
                except services.DuplicateCheckin:
                    dupes.append(p.pk)
        except Exception as exc:  # pragma: no cover
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=tap, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Checkin.objects.count() == 8 and len(dupes) == 16
    assert selectors.zone_visits_total(zone=zone_a) == 8
    assert selectors.zone_station_stats(zone=zone_a).workers == 8


def test_positions_given_as_text_are_converted(zone_a):
    s = station(zone_a, lat="23.047392664742386", lng="112.4652685317552", crs="gcj02")
    assert abs(s.lat - 23.05) < 1e-6


def test_period_distinct_workers_use_the_monthly_rollup(zone_a):
    s = station(zone_a)
    p = person(zone_a)
    old = timezone.now() - dt.timedelta(days=100)
    services.checkin_record(station=s, person=p, at=old)
    today = timezone.localdate()
    assert selectors.zone_station_stats(zone=zone_a).by_station[0]["workers"] == 1
    recent = selectors.zone_station_stats(
        zone=zone_a, since=today - dt.timedelta(days=30), until=today
    )
    assert recent.by_station == [] or recent.by_station[0]["workers"] == 0


@pytest.mark.parametrize("unknown", ["", "spa"])
def test_an_unknown_amenity_or_service_is_refused_by_its_field(zone_a, unknown):
    with pytest.raises(InvalidInput) as exc:
        station(zone_a, amenities=["water", unknown])
    assert list(exc.value.fields) == ["amenities"]
    s = station(zone_a)
    with pytest.raises(InvalidInput) as exc:
        services.checkin_record(station=s, person=person(zone_a), services=[unknown])
    assert list(exc.value.fields) == ["services"]
    assert not Checkin.objects.exists()
