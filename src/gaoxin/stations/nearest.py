"""Nearest stations at national size: one interface, two ways to search.

stations_nearest answers by a PostGIS KNN scan where the database has PostGIS
(postgis.py) and by a grid of 0.05° squares searched outward everywhere else
(SQLite, PostgreSQL without PostGIS). selectors re-exports it;
bench/bench_nearest.py measures both against a full scan, a cKDTree and the
bare PostGIS statement.
"""

import datetime as dt
import json
import math
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from gaoxin.stations import coords, hours, postgis
from gaoxin.stations.enums import AMENITY_BITS, StationStatus
from gaoxin.stations.models import CELL_DEG, GRID_COLS, Station, StationClosure

M_PER_DEG_LAT = 111_320.0
M_PER_DEG = 6371008.8 * math.pi / 180  # the sphere coords.haversine_m uses
GRID_ROWS = int(180 / CELL_DEG)

# Wide squares are read by blocks of BLOCK × BLOCK cells, one range per row of
# blocks instead of one per row of cells: on PostgreSQL planning a long OR costs
# more than running it. BLOCK_SQL must stay the expression of the
# station_block_status index (Station.Meta), or neither database uses it.
BLOCK = 8
BLOCK_SQL = (
    f"(((s.cell / {GRID_COLS * BLOCK}) * {GRID_COLS // BLOCK}) "
    f"+ ((s.cell %% {GRID_COLS}) / {BLOCK}))"
)


@dataclass
class Nearby:
    station: Station
    distance_m: float
    open_now: bool


def _covered_m(lat: float, radius: int) -> float:
    """Distance from the point within which every station has been seen."""
    cos = max(math.cos(math.radians(min(abs(lat) + radius * CELL_DEG, 89.0))), 0.01)
    return radius * CELL_DEG * M_PER_DEG_LAT * cos


def _square(lat, lng, radius):
    """The square of cells within `radius` of the point's cell, as key ranges, the
    column they range over, and how many rows of cells beyond the point's it reaches."""
    row, col = int((lat + 90.0) // CELL_DEG), int((lng + 180.0) // CELL_DEG)
    r0, r1 = max(row - radius, 0), min(row + radius, GRID_ROWS)
    c0, c1 = col - radius, col + radius
    wraps = c0 < 0 or c1 >= GRID_COLS
    if 2 * radius + 1 < 2 * BLOCK:
        ranges = []
        for r in range(r0, r1 + 1):
            base = r * GRID_COLS
            ranges.append((base, base + GRID_COLS - 1) if wraps else (base + c0, base + c1))
        return ranges, "s.cell", radius
    per_row = GRID_COLS // BLOCK
    ranges = []
    for b in range(r0 // BLOCK, r1 // BLOCK + 1):
        base = b * per_row
        ranges.append(
            (base, base + per_row - 1) if wraps else (base + c0 // BLOCK, base + c1 // BLOCK)
        )
    return ranges, BLOCK_SQL, radius + BLOCK - 1


def _radius_for(lat, metres):
    r = 1
    while _covered_m(lat, r) < metres and r < 4096:
        r = max(r + 1, int(r * metres / max(_covered_m(lat, r), 1.0)))
    return r


def _next_radius(lat: float, radius: int, k: int, scored: list) -> int:
    """The square that covers the k-th distance found; with fewer than k found,
    one big enough for k at the density seen (four times wider if none was)."""
    if len(scored) >= k:
        return _radius_for(lat, scored[k - 1][0])
    if not scored:
        return 4 * radius + 1
    return math.ceil((2 * radius + 1) * math.sqrt(k / (math.pi * len(scored))) * 1.3)


OPEN_COLUMNS = ("open_mon", "open_tue", "open_wed", "open_thu", "open_fri", "open_sat", "open_sun")


def open_filter_fields(*, is_24h: bool, week: dict) -> dict[str, int]:
    """Station.open_mon … open_sun for these hours: the services write them with is_24h
    and hours, so the open-now filter runs in SQL (hours.open_slots)."""
    return dict(zip(OPEN_COLUMNS, hours.open_slots(is_24h=is_24h, week=week), strict=True))


def _covers_sql() -> str:
    """Whether one of the station's closures covers a day (params: the day twice)."""
    return (
        f"EXISTS (SELECT 1 FROM {StationClosure._meta.db_table} c "
        "WHERE c.zone_id = s.zone_id AND c.station_id = s.id"
        " AND c.start_date <= %s AND c.end_date >= %s)"
    )


def _shut_sql() -> str:
    """The same as a column, asked only of stations whose closures_until reaches
    the day, so most rows never run the subquery (params: the day three times)."""
    return f"CASE WHEN s.closures_until >= %s THEN {_covers_sql()} END"


def _shut_days(today: dt.date, shut_today, shut_yesterday) -> list[tuple[dt.date, dt.date]]:
    """The closures is_open_at needs: it only asks whether today and yesterday are covered."""
    yesterday = today - dt.timedelta(days=1)
    return [(d, d) for d, shut in ((today, shut_today), (yesterday, shut_yesterday)) if shut]


def _square_sql(ranges, key, lat, lng, cos2, cols, cparams, where, wparams):
    table = Station._meta.db_table
    cols += ", (s.lat - %s) * (s.lat - %s) + (s.lng - %s) * (s.lng - %s) * %s AS d2"
    head = cparams + [lat, lat, lng, lng, cos2]
    if connection.vendor == "postgresql":
        cells = " OR ".join([f"{key} BETWEEN %s AND %s"] * len(ranges))
        sql = f"SELECT {cols} FROM {table} s WHERE ({cells}) AND {where} ORDER BY d2, s.id LIMIT %s OFFSET %s"
        return sql, head + [v for r in ranges for v in r] + wparams
    arm = f"SELECT {cols} FROM {table} s WHERE {key} BETWEEN %s AND %s AND {where}"
    sql = (
        "SELECT * FROM ("
        + " UNION ALL ".join([arm] * len(ranges))
        + ") q ORDER BY d2, id LIMIT %s OFFSET %s"
    )
    params = []
    for lo, hi in ranges:
        params += head + [lo, hi] + wparams
    return sql, params


def _filters(*, open_now: bool, at: dt.datetime, want: int, today, yesterday):
    """The statement's filters, the same for the grid and for PostGIS: (the two closure
    columns shut_today, shut_yesterday, their params, the WHERE on alias s, its params).

    Amenities by a bit test, open-now by the slot bit of the weekday column
    (open_mon …) and by the closures (each row says whether a closure covers
    today or yesterday); hours.is_open_at still judges every row read."""
    shut = _shut_sql()
    if open_now:
        weekday, slot = hours.slot_at(at)
        shut_cols, shut_params = f"NULL, {shut}", [yesterday] * 3
        where = (
            f"s.status = %s AND (s.{OPEN_COLUMNS[weekday]} & %s) <> 0 AND "
            f"(s.closures_until IS NULL OR s.closures_until < %s OR NOT {_covers_sql()})"
        )
        wparams = [StationStatus.OPEN.value, 1 << slot, today, today, today]
    else:
        shut_cols, shut_params = f"{shut}, {shut}", [today] * 3 + [yesterday] * 3
        where, wparams = "s.status <> %s", [StationStatus.CLOSED.value]
    if want:
        # ">=" is "=" here (mask & want never exceeds want) with an honest estimate: "="
        # tells the planner 1 row in 200 passes, and it would then sort a whole radius
        # rather than walk PostGIS's index nearest first.
        where += " AND (s.amenity_mask & %s) >= %s"
        wparams += [want, want]
    return shut_cols, shut_params, where, wparams


def stations_nearest(
    *,
    lat: float,
    lng: float,
    k: int = 5,
    crs: str = "wgs84",
    amenities: list[str] | None = None,
    open_now: bool = False,
    at: dt.datetime | None = None,
    max_km: float = 100.0,
) -> list[Nearby]:
    """The k nearest stations that are not closed down, across zones (stations are public),
    ranked by haversine distance and then id, exactly as stations_nearest_bruteforce.

    Where PostGIS is enabled (postgis.ready) a KNN scan of its GiST index finds
    them, usually in one statement (postgis.knn_read); elsewhere (SQLite,
    PostgreSQL without PostGIS) the grid of 0.05° squares does (_grid_read).
    Both run the same filters in SQL (_filters) and judge every row read by
    hours.is_open_at, so a slot open for part of its half hour, or hours past
    midnight after a closed day, are decided exactly.
    """
    lat, lng = coords.to_wgs84(lat, lng, crs)
    k = max(1, min(int(k), 50))
    at = at or timezone.now()
    want = 0
    for a in amenities or []:
        want |= AMENITY_BITS.get(a, 0)
    max_m = max_km * 1000
    today = at.astimezone(hours.LOCAL).date()
    yesterday = today - dt.timedelta(days=1)
    shut_cols, shut_params, where, wparams = _filters(
        open_now=open_now, at=at, want=want, today=today, yesterday=yesterday
    )

    def is_open(is_24h, week, shut_today, shut_yesterday) -> bool:
        closures = _shut_days(today, shut_today, shut_yesterday)
        return hours.is_open_at(is_24h=bool(is_24h), week=week, closures=closures, at=at)

    if postgis.ready(connection):
        found = postgis.knn_read(
            connection,
            lat=lat,
            lng=lng,
            k=k,
            max_m=max_m,
            shut_cols=shut_cols,
            shut_params=shut_params,
            where=where,
            where_params=wparams,
            keep=lambda st, t, y: not open_now or is_open(st.is_24h, st.hours, t, y),
        )
    else:
        found = _grid_read(
            lat, lng, k, max_m, shut_cols, shut_params, where, wparams, open_now, is_open
        )
    return [
        Nearby(st, d, st.status == StationStatus.OPEN and is_open(st.is_24h, st.hours, t, y))
        for d, st, t, y in found
    ]


def _grid_read(lat, lng, k, max_m, shut_cols, shut_params, where, wparams, open_now, is_open):
    """The k nearest by the grid, as (distance, station, shut_today, shut_yesterday).

    Exact, without reading the whole table: the database orders the grid square
    around the point by an equirectangular distance and returns it a page at a
    time; haversine is computed on the rows read, and reading stops once a lower
    bound shows no unread row can be nearer. The square grows to the one that
    covers the current k-th distance (or, with fewer than k found, one sized by
    the density seen). One hand-written statement per square: OR-ed cell ranges
    on PostgreSQL (a BitmapOr), UNION ALL on SQLite (whose planner may turn a
    long OR into a full scan); a wide square is read by blocks of 8×8 cells.
    bench/bench_nearest.py checks the answers against a full scan and a cKDTree.
    """
    cos0 = math.cos(math.radians(lat))
    cols = f"s.id, s.lat, s.lng, {shut_cols}, s.is_24h, s.hours"
    r_max = _radius_for(lat, max_m)
    radius = 1
    with connection.cursor() as cur:
        while True:
            ranges, key, reach = _square(lat, lng, radius)
            sql, params = _square_sql(
                ranges, key, lat, lng, cos0 * cos0, cols, shut_params, where, wparams
            )
            half = (reach + 1) * CELL_DEG  # the square reaches this far in latitude
            lower = (
                min(1.0, math.cos(math.radians(min(abs(lat) + half, 89.9))) / max(cos0, 1e-6))
                * 0.995
            )
            scored, offset, limit = [], 0, 4 * k
            while True:
                cur.execute(sql, params + [limit, offset])
                rows = cur.fetchall()
                for sid, la, ln, shut_today, shut_yesterday, is_24h, week, _d2 in rows:
                    if open_now:
                        week = json.loads(week) if isinstance(week, str) else week
                        if not is_open(is_24h, week, shut_today, shut_yesterday):
                            continue
                    d = coords.haversine_m(lat, lng, la, ln)
                    if d <= max_m:
                        scored.append((d, sid, shut_today, shut_yesterday))
                scored.sort(key=lambda s: s[:2])
                if len(rows) < limit:
                    break  # the whole square has been read
                bound = lower * math.sqrt(rows[-1][-1]) * M_PER_DEG  # no unread row is nearer
                if (len(scored) >= k and scored[k - 1][0] <= bound) or bound > max_m:
                    break
                offset, limit = offset + limit, limit * 2
            if (
                len(scored) >= k and scored[k - 1][0] <= _covered_m(lat, radius)
            ) or radius >= r_max:
                break
            radius = min(r_max, max(_next_radius(lat, radius, k, scored), radius + 1))
    top = scored[:k]
    stations = Station.objects.select_related("zone").order_by().in_bulk([s[1] for s in top])
    return [(d, stations[sid], t, y) for d, sid, t, y in top]


def stations_nearest_bruteforce(*, lat: float, lng: float, k: int = 5) -> list[tuple[float, int]]:
    """Reference answer (tests and benchmarks): distance to every station."""
    rows = Station.objects.exclude(status=StationStatus.CLOSED).values_list("id", "lat", "lng")
    return sorted((coords.haversine_m(lat, lng, la, ln), sid) for sid, la, ln in rows)[:k]
