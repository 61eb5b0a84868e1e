"""Reads of the stations program: nearest stations, lists, and statistics from rollups."""

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from gaoxin.core.enums import Role
from gaoxin.core.errors import NotFound
from gaoxin.core.models import Person, User, Zone
from gaoxin.core.rules import require_perm, restrict_to_zone
from gaoxin.stations import coords, hours
from gaoxin.stations.enums import AMENITY_BITS, StationStatus
from gaoxin.stations.models import (
    CELL_DEG,
    GRID_COLS,
    Checkin,
    Station,
    StationClosure,
    StationDayCount,
    StationMonthWorker,
    StationWorker,
)

M_PER_DEG_LAT = 111_320.0
NEAREST_FIELDS = ("id", "lat", "lng", "amenity_mask", "status", "is_24h", "hours")


def stations_for_user(*, user: User, zone_id: int | None = None, status: str = "", kind: str = "",
                      q: str = "") -> QuerySet[Station]:  # fmt: skip
    require_perm(user, "stations.view_station")
    qs = restrict_to_zone(Station.objects.select_related("zone", "keeper"), user)
    if user.has_role(Role.STATION_KEEPER) and not user.is_superuser:
        qs = qs.filter(keeper=user)
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(address__icontains=q))
    return qs.order_by("zone_id", "name", "id")


def station_get(*, user: User, station_id: int) -> Station:
    station = stations_for_user(user=user).filter(pk=station_id).first()
    if station is None:
        raise NotFound()
    return station


def station_public(station_id: int) -> Station:
    """A station as anyone may see it (phone pages): closed-down ones are gone."""
    station = (
        Station.objects.select_related("zone")
        .filter(pk=station_id)
        .exclude(status=StationStatus.CLOSED)
        .first()
    )
    if station is None:
        raise NotFound()
    return station


@dataclass
class Nearby:
    station: Station
    distance_m: float
    open_now: bool


def _square_filter(lat: float, lng: float, radius: int) -> Q:
    """Cells within `radius` cells of the point's cell, as one BETWEEN per grid row."""
    row = int((lat + 90.0) // CELL_DEG)
    col = int((lng + 180.0) // CELL_DEG)
    cond = Q()
    c0, c1 = col - radius, col + radius
    for r in range(max(row - radius, 0), min(row + radius, int(180 / CELL_DEG)) + 1):
        base = r * GRID_COLS
        if c0 < 0 or c1 >= GRID_COLS:  # wraps the antimeridian: rare, take the whole row
            cond |= Q(cell__gte=base, cell__lt=base + GRID_COLS)
        else:
            cond |= Q(cell__gte=base + c0, cell__lte=base + c1)
    return cond


def _covered_m(lat: float, radius: int) -> float:
    """Distance from the point within which every station has been seen."""
    cos = max(math.cos(math.radians(min(abs(lat) + radius * CELL_DEG, 89.0))), 0.01)
    return radius * CELL_DEG * M_PER_DEG_LAT * cos


def stations_nearest(*, lat: float, lng: float, k: int = 5, crs: str = "wgs84",
                     amenities: list[str] | None = None, open_now: bool = False,
                     at: dt.datetime | None = None, max_km: float = 100.0) -> list[Nearby]:  # fmt: skip
    """The k nearest stations that are not closed down, across zones (stations are public).

    Grid search: look in a square of cells around the point, doubling it until
    the k-th best distance lies inside the part already searched completely, so
    the answer equals a full scan without reading the whole table.
    """
    lat, lng = coords.to_wgs84(lat, lng, crs)
    k = max(1, min(int(k), 50))
    at = at or timezone.now()
    want = 0
    for a in amenities or []:
        want |= AMENITY_BITS.get(a, 0)
    max_m = max_km * 1000
    radius, seen, scored = 1, set(), []
    base = Station.objects.exclude(status=StationStatus.CLOSED)
    closures_by_station: dict[int, list] = {}
    while True:
        rows = base.filter(_square_filter(lat, lng, radius)).values_list(*NEAREST_FIELDS)
        fresh = [r for r in rows if r[0] not in seen]
        seen.update(r[0] for r in fresh)
        candidates = [r for r in fresh if (r[3] & want) == want]
        if open_now and candidates:
            today = timezone.localtime(at).date()
            for sid, start, end in StationClosure.objects.filter(
                station_id__in=[r[0] for r in candidates], start_date__lte=today,
                end_date__gte=today - dt.timedelta(days=1),
            ).values_list("station_id", "start_date", "end_date"):  # fmt: skip
                closures_by_station.setdefault(sid, []).append((start, end))
        for r in candidates:
            is_open = r[4] == StationStatus.OPEN and hours.is_open_at(
                is_24h=r[5], week=r[6], closures=closures_by_station.get(r[0], []), at=at)  # fmt: skip
            if open_now and not is_open:
                continue
            d = coords.haversine_m(lat, lng, r[1], r[2])
            if d <= max_m:
                scored.append((d, r[0], is_open))
        scored.sort()
        covered = _covered_m(lat, radius)
        if (len(scored) >= k and scored[k - 1][0] <= covered) or covered >= max_m:
            break
        radius *= 2
    top = scored[:k]
    stations = Station.objects.select_related("zone").in_bulk([sid for _, sid, _ in top])
    return [Nearby(stations[sid], d, is_open) for d, sid, is_open in top]


def stations_nearest_bruteforce(*, lat: float, lng: float, k: int = 5) -> list[tuple[float, int]]:
    """Reference answer (tests and benchmarks): distance to every station."""
    rows = Station.objects.exclude(status=StationStatus.CLOSED).values_list("id", "lat", "lng")
    return sorted((coords.haversine_m(lat, lng, la, ln), sid) for sid, la, ln in rows)[:k]


# ------------------------------------------------------------------ statistics


@dataclass
class StationStats:
    visits: int
    workers: int
    by_month: list[tuple[str, int]]
    by_service: list[tuple[str, int]]
    by_job: list[tuple[str, int]]
    by_station: list[dict]
    workers_by_month: list[tuple[str, int]]


def _month_key(day: dt.date) -> str:
    return f"{day.year}-{day.month:02d}"


def zone_station_stats(*, zone: Zone | int, since: dt.date | None = None, until: dt.date | None = None,
                       station_ids: list[int] | None = None) -> StationStats:  # fmt: skip
    """Figures for a zone (or some of its stations) from the rollups only."""
    zone_id = getattr(zone, "pk", zone)
    counts = StationDayCount.objects.filter(zone_id=zone_id)
    workers = StationWorker.objects.filter(zone_id=zone_id)
    month_workers = StationMonthWorker.objects.filter(zone_id=zone_id)
    if station_ids is not None:
        counts = counts.filter(station_id__in=station_ids)
        workers = workers.filter(station_id__in=station_ids)
        month_workers = month_workers.filter(station_id__in=station_ids)
    if since:
        counts = counts.filter(day__gte=since)
        month_workers = month_workers.filter(month__gte=since.replace(day=1))
    if until:
        counts = counts.filter(day__lte=until)
        month_workers = month_workers.filter(month__lte=until)
    by_month: dict[str, int] = defaultdict(int)
    by_service: dict[str, int] = defaultdict(int)
    by_job: dict[str, int] = defaultdict(int)
    per_station: dict[int, int] = defaultdict(int)
    rows = counts.values("station_id", "day", "metric", "key").annotate(total=Sum("value"))
    # group by month in SQL-neutral way: sum per (station, day, metric, key) rows are few
    for r in rows:
        if r["metric"] == "visits":
            by_month[_month_key(r["day"])] += r["total"]
            per_station[r["station_id"]] += r["total"]
        elif r["metric"] == "service":
            by_service[r["key"]] += r["total"]
        elif r["metric"] == "job":
            by_job[r["key"]] += r["total"]
    names = dict(Station.objects.filter(zone_id=zone_id).values_list("id", "name"))
    if since or until:
        # within a period, distinct workers come from the monthly rollup (month granularity)
        workers = month_workers
    distinct = dict(
        workers.values("station_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("station_id", "n")
    )
    wbm = (
        month_workers.values("month")
        .annotate(n=Count("person_id", distinct=True))
        .order_by("month")
    )
    return StationStats(
        visits=sum(per_station.values()),
        workers=workers.values("person_id").distinct().count(),
        by_month=sorted(by_month.items()),
        by_service=sorted(by_service.items(), key=lambda kv: -kv[1]),
        by_job=sorted(by_job.items(), key=lambda kv: -kv[1]),
        by_station=sorted(
            (
                {
                    "station_id": sid,
                    "name": names.get(sid, str(sid)),
                    "visits": per_station.get(sid, 0),
                    "workers": distinct.get(sid, 0),
                }
                for sid in set(per_station) | set(distinct)
            ),
            key=lambda d: -d["visits"],
        ),  # fmt: skip
        workers_by_month=[(_month_key(r["month"]), r["n"]) for r in wbm],
    )


def zone_visits_total(*, zone: Zone | int) -> int:
    """Person-times to date: the seed page's "累计服务 6000 多人次"."""
    zone_id = getattr(zone, "pk", zone)
    return (
        StationDayCount.objects.filter(zone_id=zone_id, metric="visits").aggregate(n=Sum("value"))[
            "n"
        ]
        or 0
    )


def worker_visits(*, person: Person, limit: int = 50) -> QuerySet[Checkin]:
    return (
        Checkin.objects.filter(zone_id=person.zone_id, person=person)
        .select_related("station")
        .order_by("-occurred_at")[:limit]
    )


def station_checkins(*, user: User, station: Station) -> QuerySet[Checkin]:
    require_perm(user, "stations.view_checkin")
    return (
        Checkin.objects.filter(zone_id=station.zone_id, station=station)
        .select_related("person")
        .order_by("-occurred_at")
    )
