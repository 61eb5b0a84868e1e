"""The nearest search's SQL-side filters and wide squares agree with the Python rules.

open_now is filtered in SQL by Station.open_mon … open_sun (hours.open_slots) and
closures_until; these tests hold that to hours.is_open_at and to a brute-force
filter over every station, including hours past midnight, dated closures and
paused or closed-down stations. The tests of the search run once per way of
searching (the `search` fixture): the grid everywhere, PostGIS's KNN where the
database has it.
"""

import datetime as dt
import random

import pytest
from django.apps import apps
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gaoxin.core import citus
from gaoxin.stations import coords, hours, nearest, postgis, selectors, services
from gaoxin.stations.enums import WEEKDAYS, StationStatus
from gaoxin.stations.models import GRID_COLS, Station, grid_cell
from gaoxin.stations.tests.factories import station

# 2024-06-03 is a Monday
MONDAY = dt.date(2024, 6, 3)


def _at(day: int, minute: int) -> dt.datetime:
    """Local time `minute` on the `day`-th day after MONDAY."""
    d = MONDAY + dt.timedelta(days=day)
    return dt.datetime(d.year, d.month, d.day, minute // 60, minute % 60, tzinfo=hours.LOCAL)


def keep_open_filter(s: Station) -> None:
    """What services.station_create / station_update / station_closure_add keep on
    the station (derived columns of the open-now filter); harmless once they do."""
    last = max((c.end_date for c in s.closures.all()), default=None)
    Station.objects.filter(pk=s.pk).update(
        closures_until=last, **nearest.open_filter_fields(is_24h=s.is_24h, week=s.hours)
    )


# ------------------------------------------------------------------ hours.open_slots

minutes = st.integers(0, 24 * 60)
ranges = st.tuples(st.integers(0, 24 * 60 - 1), minutes).filter(lambda r: r[0] != r[1])
weeks = st.dictionaries(st.sampled_from(WEEKDAYS), st.lists(ranges, max_size=3))


@settings(max_examples=300)
@given(is_24h=st.booleans(), week=weeks, day=st.integers(0, 6), minute=st.integers(0, 1439))
def test_open_slots_never_miss_an_open_minute(is_24h, week, day, minute):
    at = _at(day, minute)
    weekday, slot = hours.slot_at(at)
    masks = hours.open_slots(is_24h=is_24h, week=week)
    if hours.is_open_at(is_24h=is_24h, week=week, closures=[], at=at):
        assert masks[weekday] >> slot & 1


@settings(max_examples=300)
@given(is_24h=st.booleans(), week=weeks, day=st.integers(0, 6), slot=st.integers(0, 47))
def test_open_slots_set_only_slots_with_an_open_minute(is_24h, week, day, slot):
    masks = hours.open_slots(is_24h=is_24h, week=week)
    if masks[day] >> slot & 1:
        assert any(
            hours.is_open_at(is_24h=is_24h, week=week, closures=[], at=_at(day, m))
            for m in range(slot * hours.SLOT_MINUTES, (slot + 1) * hours.SLOT_MINUTES)
        )


def test_open_slots_examples():
    assert hours.open_slots(is_24h=True, week={}) == [hours.ALL_SLOTS] * 7
    assert Station._meta.get_field("open_mon").default == hours.ALL_SLOTS
    # 08:00-12:15 → slots 16..24 (12:00-12:30 is open for a quarter of an hour)
    assert hours.open_slots(is_24h=False, week={"tue": [[480, 735]]})[1] == sum(
        1 << s for s in range(16, 25)
    )
    # Sunday 22:00-02:00 opens Sunday's evening and Monday's early morning
    masks = hours.open_slots(is_24h=False, week={"sun": [[1320, 120]]})
    assert masks[6] == 0b1111 << 44 and masks[0] == 0b1111
    assert masks[1:6] == [0] * 5


# ------------------------------------------------------------------ wide squares


@settings(max_examples=200)
@given(lat=st.floats(3.9, 53.5), lng=st.floats(73.7, 135.0), radius=st.integers(1, 40))
def test_a_square_covers_every_cell_within_its_radius(lat, lng, radius):
    """Fine ranges or blocks of 8×8 cells: no cell of the square is missed, and
    nothing read lies beyond the reach that the distance bound assumes."""
    row, col = grid_cell(lat, lng) // GRID_COLS, grid_cell(lat, lng) % GRID_COLS
    ranges, key, reach = nearest._square(lat, lng, radius)
    per_row = GRID_COLS // nearest.BLOCK

    def key_of(r, c):
        cell = r * GRID_COLS + c
        if key == "s.cell":
            return cell
        return (cell // (GRID_COLS * nearest.BLOCK)) * per_row + (cell % GRID_COLS) // nearest.BLOCK

    def inside(v):
        return any(lo <= v <= hi for lo, hi in ranges)

    for r in (row - radius, row, row + radius):
        for c in (col - radius, col, col + radius):
            assert inside(key_of(r, c))
    assert reach >= radius
    for r in (row - reach - 1, row + reach + 1):
        assert not inside(key_of(r, col))
    assert (key == nearest.BLOCK_SQL) == (radius >= nearest.BLOCK)


def test_wide_squares_use_the_block_index(zone_a):
    """BLOCK_SQL is the indexed expression, so the database reads the index."""
    station(zone_a, lat=30.0, lng=110.0)
    ranges, key, _reach = nearest._square(30.0, 110.0, 20)
    sql, params = nearest._square_sql(
        ranges, key, 30.0, 110.0, 0.75, "s.id", [], "s.status <> %s", ["closed"]
    )
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            if citus.is_citus(connection):  # the shards' plans: the SET goes to the workers too
                cur.execute("SET LOCAL citus.propagate_set_commands = 'local'")
            cur.execute("SET LOCAL enable_seqscan = off")
            cur.execute("EXPLAIN " + sql, params + [5, 0])
        else:
            cur.execute("EXPLAIN QUERY PLAN " + sql, params + [5, 0])
        plan = " ".join(str(col) for row in cur.fetchall() for col in row)
    assert "station_block_status" in plan


# ------------------------------------------------------------------ the search


@pytest.fixture(params=["grid", "postgis"])
def search(request, db, monkeypatch):
    """Which way stations_nearest searches: the grid (forced), or PostGIS (where enabled)."""
    if request.param == "grid":
        monkeypatch.setattr(postgis, "ready", lambda connection: False)
    elif not postgis.ready(connection):
        pytest.skip("PostGIS is not enabled in this database (SQLite, or PostgreSQL without it)")
    return request.param


def _brute(stations, lat, lng, k, at, amenity=None, open_now=False, opens=None, max_m=100_000):
    """Every station judged one by one, as the services judge it (opens: those
    judgements at `at`, when the caller made them already)."""
    opens = opens or {s.pk: services.station_open_now(s, at) for s in stations}
    out = []
    for s in stations:
        if s.status == StationStatus.CLOSED or (amenity and amenity not in s.amenities):
            continue
        if open_now and not opens[s.pk]:
            continue
        d = coords.haversine_m(lat, lng, s.lat, s.lng)
        if d <= max_m:  # stations_nearest's max_km
            out.append((round(d, 3), s.pk, opens[s.pk]))
    return sorted(out)[:k]


def _got(lat, lng, k, at, **kw):
    res = selectors.stations_nearest(lat=lat, lng=lng, k=k, at=at, **kw)
    return [(round(n.distance_m, 3), n.station.pk, n.open_now) for n in res]


HOURS = [
    {"is_24h": True},
    {"is_24h": False, "hours": "08:00-20:00"},
    {"is_24h": False, "hours": "08:00-21:45"},
    {"is_24h": False, "hours": "09:00-12:00, 18:00-02:00"},
    {"is_24h": False, "hours": {d: "07:00-21:40" for d in WEEKDAYS[:5]}},
    {"is_24h": False, "hours": {"sun": "20:00-03:00", "mon": "06:00-10:00"}},
    {"is_24h": False, "hours": "21:40-21:50"},
]


@pytest.fixture
def spread(zone_a):
    """80 stations over a few degrees (cities and empty country), with every kind of
    hours, amenities, paused and closed-down ones, and closures around MONDAY+2."""
    rng = random.Random(11)
    made = []
    for i in range(80):
        cluster = i % 4 != 0
        lat = 23.0 + (rng.gauss(0, 0.03) if cluster else rng.uniform(-1.5, 1.5))
        lng = 113.0 + (rng.gauss(0, 0.03) if cluster else rng.uniform(-1.5, 1.5))
        s = station(
            zone_a,
            lat=lat,
            lng=lng,
            amenities=rng.sample(["water", "rest"], i % 3),
            **HOURS[i % len(HOURS)],
        )
        roll = rng.random()
        if roll < 0.1:
            services.station_transition(actor=None, station=s, to="paused")
        elif roll < 0.15:
            services.station_transition(actor=None, station=s, to="closed")
        if i % 5 == 1:  # covering yesterday only, today, or a later day
            start = MONDAY + dt.timedelta(days=rng.choice([0, 1, 2, 3, 9]))
            end = start + dt.timedelta(days=rng.choice([0, 0, 2]))
            services.station_closure_add(actor=None, station=s, start_date=start, end_date=end)
        keep_open_filter(s)
        s.refresh_from_db()
        made.append(s)
    return made


@pytest.mark.parametrize("minute", [30, 90, 8 * 60, 21 * 60 + 30, 21 * 60 + 44, 21 * 60 + 47])
def test_nearest_with_filters_equals_a_brute_force_filter(spread, minute, search):
    rng = random.Random(minute)
    at = _at(2, minute)
    opens = {s.pk: services.station_open_now(s, at) for s in spread}
    for lat, lng in [(23.0, 113.0), (23.02, 112.97), (24.4, 114.4), (21.6, 111.7)] + [
        (23 + rng.uniform(-1.6, 1.6), 113 + rng.uniform(-1.6, 1.6)) for _ in range(4)
    ]:
        for k in (1, 5):
            want = _brute(spread, lat, lng, k, at, open_now=True, opens=opens)
            assert _got(lat, lng, k, at, open_now=True) == want
            want = _brute(spread, lat, lng, k, at, amenity="water", open_now=True, opens=opens)
            assert _got(lat, lng, k, at, open_now=True, amenities=["water"]) == want
            assert _got(lat, lng, k, at) == _brute(spread, lat, lng, k, at, opens=opens)


def test_nearest_reads_far_enough_through_blocks(zone_a, search):
    """Only far stations open: the search grows into block squares and stays exact."""
    at = _at(0, 22 * 60)
    near = station(zone_a, lat=30.0, lng=110.0, is_24h=False, hours="08:00-20:00")
    far = [station(zone_a, lat=30.0 + d, lng=110.0 - d, is_24h=True) for d in (0.3, 0.4, 0.5)]
    for s in [near, *far]:
        keep_open_filter(s)
    got = selectors.stations_nearest(lat=30.0, lng=110.0, k=3, open_now=True, at=at)
    assert [n.station.pk for n in got] == [s.pk for s in far]
    assert _got(30.0, 110.0, 3, at, open_now=True) == _brute(
        [near, *far], 30.0, 110.0, 3, at, open_now=True
    )


def test_past_midnight_after_a_closed_day_is_closed(zone_a, search):
    """Open 20:00-03:00: at 01:00 it is open unless yesterday was a closure day."""
    s = station(zone_a, lat=23.0, lng=113.0, is_24h=False, hours="20:00-03:00")
    at = _at(2, 60)
    keep_open_filter(s)
    assert _got(23.0, 113.0, 1, at, open_now=True)[0][1] == s.pk
    services.station_closure_add(
        actor=None, station=s, start_date=MONDAY, end_date=MONDAY + dt.timedelta(days=1)
    )
    keep_open_filter(s)
    assert _got(23.0, 113.0, 1, at, open_now=True) == []
    assert _got(23.0, 113.0, 1, at) == [(0.0, s.pk, False)]
    assert _got(23.0, 113.0, 1, _at(2, 21 * 60), open_now=True)[0][1] == s.pk


hour_specs = st.one_of(
    st.just({"is_24h": True}),
    st.builds(
        lambda a, b, days: {
            "is_24h": False,
            "hours": {d: f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}" for d in days},
        },
        st.integers(0, 1439),
        st.integers(1, 1440),
        st.sets(st.sampled_from(WEEKDAYS), min_size=1),
    ).filter(lambda h: all(len(set(v.split("-"))) == 2 for v in h["hours"].values())),
)
closures = st.one_of(st.none(), st.tuples(st.integers(-3, 3), st.integers(0, 2)))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    specs=st.lists(
        st.tuples(hour_specs, closures, st.sampled_from(["open", "paused"])), min_size=1, max_size=6
    ),
    day=st.integers(0, 6),
    minute=st.integers(0, 1439),
)
def test_sql_filter_agrees_with_is_open_at(zone_a, specs, day, minute, search):
    """Whatever the hours, closures and status: open_now keeps exactly the stations
    that services.station_open_now (hours.is_open_at) calls open."""
    Station.objects.all().delete()
    at = _at(day, minute)
    made = []
    for i, (spec, closure, status) in enumerate(specs):
        s = station(zone_a, lat=23.0 + i * 0.01, lng=113.0, **spec)
        if closure:
            start = at.date() + dt.timedelta(days=closure[0])
            services.station_closure_add(
                actor=None,
                station=s,
                start_date=start,
                end_date=start + dt.timedelta(days=closure[1]),
            )
        if status == "paused":
            s = services.station_transition(actor=None, station=s, to=status)
        keep_open_filter(s)
        made.append(s)
    k = len(made)
    assert _got(23.0, 113.0, k, at, open_now=True) == _brute(
        made, 23.0, 113.0, k, at, open_now=True
    )
    assert _got(23.0, 113.0, k, at) == _brute(made, 23.0, 113.0, k, at)


def test_stale_defaults_only_cost_time(zone_a, search):
    """A station whose derived columns were never written (the defaults) is still
    judged exactly: the defaults say "maybe open", is_open_at decides."""
    s = station(zone_a, lat=23.0, lng=113.0, is_24h=False, hours="08:00-09:00")
    Station.objects.filter(pk=s.pk).update(**{c: hours.ALL_SLOTS for c in nearest.OPEN_COLUMNS})
    assert _got(23.0, 113.0, 1, _at(0, 8 * 60 + 30), open_now=True)[0][1] == s.pk
    assert _got(23.0, 113.0, 1, _at(0, 10 * 60), open_now=True) == []


def test_migration_fills_the_columns(spread):
    """0003's data migration computes what the services keep."""
    from importlib import import_module

    want = sorted(Station.objects.values_list("id", *nearest.OPEN_COLUMNS, "closures_until"))
    Station.objects.update(
        closures_until=None, **{c: hours.ALL_SLOTS for c in nearest.OPEN_COLUMNS}
    )
    import_module("gaoxin.stations.migrations.0003_station_open_filter").fill_open_filter(
        apps, None
    )
    assert (
        sorted(Station.objects.values_list("id", *nearest.OPEN_COLUMNS, "closures_until")) == want
    )


def test_services_keep_the_open_filter_columns(zone_a):
    s = station(zone_a, is_24h=False, hours="08:00-20:00")
    s.refresh_from_db()
    assert s.open_mon == hours.open_slots(is_24h=False, week=s.hours)[0]
    s = services.station_update(actor=None, station=s, data={"hours": "20:00-02:00"})
    s.refresh_from_db()
    assert [getattr(s, c) for c in nearest.OPEN_COLUMNS] == hours.open_slots(
        is_24h=False, week=s.hours
    )
    s = services.station_update(actor=None, station=s, data={"is_24h": True})
    s.refresh_from_db()
    assert s.open_sun == hours.ALL_SLOTS
    for start, end in [(MONDAY, MONDAY + dt.timedelta(days=5)), (MONDAY, MONDAY)]:
        services.station_closure_add(actor=None, station=s, start_date=start, end_date=end)
    s.refresh_from_db()
    assert s.closures_until == MONDAY + dt.timedelta(days=5)


# ------------------------------------------------------------------ one oracle for both searches

steps = st.tuples(st.integers(-400, 400), st.integers(-400, 400))  # in 0.0005° (≈ 55 m)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    spots=st.lists(steps, min_size=1, max_size=10),
    twice=st.booleans(),
    query=steps,
    crs=st.sampled_from(coords.CRS_CHOICES),
    k=st.integers(1, 6),
    amenity=st.sampled_from([None, "water"]),
    max_km=st.sampled_from([100.0, 5.0, 0.5]),
)
def test_the_search_equals_the_brute_force_oracle(
    zone_a, search, spots, twice, query, crs, k, amenity, max_km
):
    """Grid and PostGIS against the same oracle: haversine to every station, ranked by
    (distance, id), within max_km, with the amenity filter; input in WGS-84, GCJ-02 or
    BD-09. Two stations on the same spot tie, and the lower id must come first."""
    Station.objects.all().delete()
    if twice:
        spots = [*spots, spots[0]]
    made = [
        station(
            zone_a,
            lat=23.0 + a * 0.0005,
            lng=113.0 + b * 0.0005,
            amenities=["water"] if i % 2 else ["rest"],
        )
        for i, (a, b) in enumerate(spots)
    ]
    at = _at(0, 12 * 60)
    lat, lng = coords.from_wgs84(23.0 + query[0] * 0.0005, 113.0 + query[1] * 0.0005, crs)
    wlat, wlng = coords.to_wgs84(lat, lng, crs)  # what the search itself starts from
    oracle = sorted(
        (coords.haversine_m(wlat, wlng, s.lat, s.lng), s.pk)
        for s in made
        if not amenity or amenity in s.amenities
    )
    want = [(round(d, 3), pk) for d, pk in oracle if d <= max_km * 1000][:k]
    got = selectors.stations_nearest(
        lat=lat,
        lng=lng,
        k=k,
        crs=crs,
        amenities=[amenity] if amenity else [],
        at=at,
        max_km=max_km,
    )
    assert [(round(n.distance_m, 3), n.station.pk) for n in got] == want
    assert all(n.station.zone.name == zone_a.name for n in got)  # the zone comes along
