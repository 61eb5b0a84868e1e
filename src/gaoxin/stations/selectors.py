"""Reads of the stations program: nearest stations, lists, and statistics from rollups."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from gaoxin.core.enums import Role
from gaoxin.core.errors import NotFound
from gaoxin.core.models import Person, User, Zone
from gaoxin.core.rules import require_perm, restrict_to_zone
from gaoxin.stations.enums import StationStatus
from gaoxin.stations.models import (
    Checkin,
    Station,
    StationDayCount,
    StationMonthWorker,
    StationWorker,
)
from gaoxin.stations.nearest import (  # noqa: F401  re-exported: the nearest search lives there
    Nearby,
    stations_nearest,
    stations_nearest_bruteforce,
)


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


def station_poster_version(station_id: int) -> int | None:
    """The station's live poster version, for tokens.poster_decode (None: no such station)."""
    return Station.objects.filter(pk=station_id).values_list("poster_version", flat=True).first()


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
    # the database aggregates; Python only receives the few grouped rows
    visits = counts.filter(metric="visits")
    for month, total in (
        visits.annotate(m=TruncMonth("day")).values_list("m").annotate(t=Sum("value"))
    ):
        by_month[_month_key(month)] += total
    for station_id, total in visits.values_list("station_id").annotate(t=Sum("value")):
        per_station[station_id] += total
    for metric, target in (("service", by_service), ("job", by_job)):
        for key, total in counts.filter(metric=metric).values_list("key").annotate(t=Sum("value")):
            target[key] += total
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
