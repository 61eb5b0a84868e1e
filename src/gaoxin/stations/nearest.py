"""Nearest stations at national size: a grid of 0.05° squares searched outward.

selectors re-exports stations_nearest; bench/bench_nearest.py measures it
against a full scan and a cKDTree.
"""

import datetime as dt
import json
import math
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from gaoxin.stations import coords, hours
from gaoxin.stations.enums import AMENITY_BITS, StationStatus
from gaoxin.stations.models import CELL_DEG, GRID_COLS, Station, StationClosure

M_PER_DEG_LAT = 111_320.0


@dataclass
class Nearby:
    station: Station
    distance_m: float
    open_now: bool


def _covered_m(lat: float, radius: int) -> float:
    """Distance from the point within which every station has been seen."""
    cos = max(math.cos(math.radians(min(abs(lat) + radius * CELL_DEG, 89.0))), 0.01)
    return radius * CELL_DEG * M_PER_DEG_LAT * cos


M_PER_DEG = 6371008.8 * math.pi / 180  # the sphere coords.haversine_m uses


def _row_ranges(lat, lng, radius):
    row, col = int((lat + 90.0) // CELL_DEG), int((lng + 180.0) // CELL_DEG)
    c0, c1 = col - radius, col + radius
    out = []
    for r in range(max(row - radius, 0), min(row + radius, int(180 / CELL_DEG)) + 1):
        base = r * GRID_COLS
        wraps = c0 < 0 or c1 >= GRID_COLS
        out.append((base, base + GRID_COLS - 1) if wraps else (base + c0, base + c1))
    return out


def _radius_for(lat, metres):
    r = 1
    while _covered_m(lat, r) < metres and r < 4096:
        r = max(r + 1, int(r * metres / max(_covered_m(lat, r), 1.0)))
    return r


def _closures(ids, at):
    today = timezone.localtime(at).date()
    out = {}
    for sid, start, end in StationClosure.objects.filter(
        station_id__in=ids, start_date__lte=today, end_date__gte=today - dt.timedelta(days=1)
    ).values_list("station_id", "start_date", "end_date"):
        out.setdefault(sid, []).append((start, end))
    return out


def _square_sql(lat, lng, radius, cos2, where, wparams):
    table = Station._meta.db_table
    cols = (
        "s.id, s.lat, s.lng, s.status, s.is_24h, s.hours, "
        "(s.lat - %s) * (s.lat - %s) + (s.lng - %s) * (s.lng - %s) * %s AS d2"
    )
    dist = [lat, lat, lng, lng, cos2]
    ranges = _row_ranges(lat, lng, radius)
    if connection.vendor == "postgresql":
        cells = " OR ".join(["s.cell BETWEEN %s AND %s"] * len(ranges))
        sql = f"SELECT {cols} FROM {table} s WHERE ({cells}) AND {where} ORDER BY d2, s.id LIMIT %s OFFSET %s"
        return sql, dist + [v for r in ranges for v in r] + wparams
    arm = f"SELECT {cols} FROM {table} s WHERE s.cell BETWEEN %s AND %s AND {where}"
    sql = (
        "SELECT * FROM ("
        + " UNION ALL ".join([arm] * len(ranges))
        + ") q ORDER BY d2, id LIMIT %s OFFSET %s"
    )
    params = []
    for lo, hi in ranges:
        params += dist + [lo, hi] + wparams
    return sql, params


def stations_nearest(*, lat: float, lng: float, k: int = 5, crs: str = "wgs84",
                     amenities: list[str] | None = None, open_now: bool = False,
                     at: dt.datetime | None = None, max_km: float = 100.0) -> list[Nearby]:  # fmt: skip
    """The k nearest stations that are not closed down, across zones (stations are public).

    Exact, without reading the whole table: the database orders the grid square
    around the point by an equirectangular distance and returns it a page at a
    time; haversine is computed on the rows read, and reading stops once a lower
    bound shows no unread row can be nearer. The square grows to the one that
    covers the current k-th distance. One hand-written statement per square:
    OR-ed cell ranges on PostgreSQL (a BitmapOr), UNION ALL on SQLite (whose
    planner may turn a long OR into a full scan). bench/bench_nearest.py checks
    the answers against a full scan and a cKDTree.
    """
    lat, lng = coords.to_wgs84(lat, lng, crs)
    k = max(1, min(int(k), 50))
    at = at or timezone.now()
    want = 0
    for a in amenities or []:
        want |= AMENITY_BITS.get(a, 0)
    max_m = max_km * 1000
    cos0 = math.cos(math.radians(lat))
    where, wparams = "s.status <> %s", [StationStatus.CLOSED.value]
    if open_now:
        where, wparams = "s.status = %s", [StationStatus.OPEN.value]
    if want:
        where += " AND (s.amenity_mask & %s) = %s"
        wparams += [want, want]
    r_max = _radius_for(lat, max_m)
    radius, closures = 1, {}
    with connection.cursor() as cur:
        while True:
            sql, params = _square_sql(lat, lng, radius, cos0 * cos0, where, wparams)
            half = (radius + 1) * CELL_DEG  # the square reaches this far in latitude
            lower = (
                min(1.0, math.cos(math.radians(min(abs(lat) + half, 89.9))) / max(cos0, 1e-6))
                * 0.995
            )
            scored, offset, limit = [], 0, 4 * k if not open_now else 8 * k
            while True:
                cur.execute(sql, params + [limit, offset])
                rows = cur.fetchall()
                if open_now and rows:
                    closures.update(_closures([r[0] for r in rows], at))
                for sid, la, ln, status, is_24h, week, _d2 in rows:
                    week = json.loads(week) if isinstance(week, str) else week
                    if open_now and not hours.is_open_at(
                        is_24h=bool(is_24h), week=week, closures=closures.get(sid, []), at=at
                    ):
                        continue
                    d = coords.haversine_m(lat, lng, la, ln)
                    if d <= max_m:
                        scored.append((d, sid, (status, bool(is_24h), week)))
                scored.sort(key=lambda s: s[:2])
                if len(rows) < limit:
                    break  # the whole square has been read
                bound = lower * math.sqrt(rows[-1][6]) * M_PER_DEG  # no unread row is nearer
                if (len(scored) >= k and scored[k - 1][0] <= bound) or bound > max_m:
                    break
                offset, limit = offset + limit, limit * 2
            if (
                len(scored) >= k and scored[k - 1][0] <= _covered_m(lat, radius)
            ) or radius >= r_max:
                break
            nxt = radius * 2 if len(scored) < k else _radius_for(lat, scored[k - 1][0])
            radius = min(r_max, max(nxt, radius + 1))
    top = scored[:k]
    if not open_now:
        closures = _closures([s[1] for s in top], at)
    stations = Station.objects.select_related("zone").in_bulk([s[1] for s in top])
    return [
        Nearby(
            stations[sid],
            d,
            status == StationStatus.OPEN
            and hours.is_open_at(is_24h=is_24h, week=week, closures=closures.get(sid, []), at=at),
        )
        for d, sid, (status, is_24h, week) in top
    ]


def stations_nearest_bruteforce(*, lat: float, lng: float, k: int = 5) -> list[tuple[float, int]]:
    """Reference answer (tests and benchmarks): distance to every station."""
    rows = Station.objects.exclude(status=StationStatus.CLOSED).values_list("id", "lat", "lng")
    return sorted((coords.haversine_m(lat, lng, la, ln), sid) for sid, la, ln in rows)[:k]
