"""Statistics of the stations program, read from the rollups, and the check-ins
behind them."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from gaoxin.core.models import User, Zone
from gaoxin.core.rules import require_perm
from gaoxin.registry.models import Person
from gaoxin.stations.models import (
    Checkin,
    Station,
    StationDayCount,
    StationMonthCount,
    StationMonthWorker,
    StationWorker,
    ZoneDayCount,
    ZoneMonthCount,
    ZoneMonthWorker,
)


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


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


@dataclass
class _Period:
    """[since, until] split for the rollups: whole months come from the month
    table, the partial months at either edge from the day table."""

    months: dict | None  # lookups on StationMonthCount.month, None: no whole month
    day_ranges: list[tuple[dt.date, dt.date]]
    month_lookups: dict  # every month touched (month-granular distinct workers)

    @classmethod
    def of(cls, since: dt.date | None, until: dt.date | None) -> "_Period":
        touched = {}
        if since:
            touched["month__gte"] = since.replace(day=1)
        if until:
            touched["month__lte"] = until
        if since and until and since > until:
            return cls(None, [], {"month__in": []})
        first = since if since is None or since.day == 1 else _next_month(since)
        after = None  # the first month not wholly inside
        if until is not None:
            after = until + dt.timedelta(days=1)
            if after.day != 1:
                after = until.replace(day=1)
        if first is not None and after is not None and first >= after:
            return cls(None, [(since, until)], touched)
        months = {}
        if first:
            months["month__gte"] = first
        if after:
            months["month__lt"] = after
        edges = []
        if since and since != first:
            edges.append((since, first - dt.timedelta(days=1)))
        if until and after is not None and after <= until:
            edges.append((after, until))
        return cls(months, edges, touched)

    @property
    def single_month(self) -> dt.date | None:
        lo, hi = self.month_lookups.get("month__gte"), self.month_lookups.get("month__lte")
        return lo if lo and hi and hi.replace(day=1) == lo else None


def _counts(zone_id: int, station_ids, period: _Period):
    """Visits by month and station, and totals by service and job type. For a
    whole zone the totals come from the zone's month and day rows (a few
    hundred), and the station rows give only the visits per station."""
    by_month: dict[str, int] = defaultdict(int)
    per_station: dict[int, int] = defaultdict(int)
    by_key = {"service": defaultdict(int), "job": defaultdict(int)}
    sources = []  # (date column, rows, read the totals, read visits per station)
    if period.months is not None:
        stations = StationMonthCount.objects.filter(zone_id=zone_id, **period.months)
        if station_ids is None:
            zone_rows = ZoneMonthCount.objects.filter(zone_id=zone_id, **period.months)
            sources += [("month", zone_rows, True, False), ("month", stations, False, True)]
        else:
            sources.append(("month", stations.filter(station_id__in=station_ids), True, True))
    for lo, hi in period.day_ranges:
        days = StationDayCount.objects.filter(zone_id=zone_id, day__range=(lo, hi))
        if station_ids is None:
            zone_days = ZoneDayCount.objects.filter(zone_id=zone_id, day__range=(lo, hi))
            sources += [("day", zone_days, True, False), ("day", days, False, True)]
        else:
            sources.append(("day", days.filter(station_id__in=station_ids), True, True))

    def grouped(qs, column):
        return qs.values_list(column).annotate(t=Sum("value")).order_by()

    for column, qs, totals, stations in sources:
        visits = qs.filter(metric="visits")
        if totals:
            for when, total in grouped(visits, column):
                by_month[_month_key(when)] += total
            for metric, target in by_key.items():
                for key, total in grouped(qs.filter(metric=metric), "key"):
                    target[key] += total
        if stations:
            for station_id, total in grouped(visits, "station_id"):
                per_station[station_id] += total
    return by_month, per_station, by_key["service"], by_key["job"]


def _workers(zone_id: int, station_ids, period: _Period, whole: bool):
    """Distinct workers: (total, per station, by month). To date they are counter
    sums; within a period they are month-granular (a worker seen in any month the
    period touches), read as counters when the period is one month."""
    station_months = StationMonthCount.objects.filter(zone_id=zone_id)
    month_workers = StationMonthWorker.objects.filter(zone_id=zone_id, **period.month_lookups)
    if station_ids is not None:
        station_months = station_months.filter(station_id__in=station_ids)
        month_workers = month_workers.filter(station_id__in=station_ids)
    one_month = period.single_month
    if whole:
        per_station = station_months.filter(metric="new_workers")
    elif one_month:
        per_station = station_months.filter(metric="workers", month=one_month)
    else:
        per_station = None
    if per_station is not None:
        per_station = dict(
            per_station.values_list("station_id").annotate(n=Sum("value")).order_by()
        )
    else:
        per_station = dict(
            month_workers.values_list("station_id")
            .annotate(n=Count("person_id", distinct=True))
            .order_by()
        )
    if station_ids is None:
        zone_months = ZoneMonthCount.objects.filter(zone_id=zone_id, **period.month_lookups)
        by_month = list(
            zone_months.filter(metric="workers").values_list("month", "value").order_by("month")
        )
        if whole:
            total = zone_months.filter(metric="new_workers").aggregate(n=Sum("value"))["n"] or 0
        elif one_month:
            total = sum(v for _m, v in by_month)
        else:
            total = (
                ZoneMonthWorker.objects.filter(zone_id=zone_id, **period.month_lookups)
                .values("person_id")
                .distinct()
                .count()
            )
    else:
        if len(station_ids) == 1:
            by_month = list(
                station_months.filter(metric="workers", **period.month_lookups)
                .values_list("month", "value")
                .order_by("month")
            )
        else:
            by_month = list(
                month_workers.values_list("month")
                .annotate(n=Count("person_id", distinct=True))
                .order_by("month")
            )
        if len(station_ids) == 1 and (whole or one_month):
            total = sum(per_station.values())
        else:
            people = StationWorker.objects if whole else StationMonthWorker.objects
            people = people.filter(zone_id=zone_id, station_id__in=station_ids)
            if not whole:
                people = people.filter(**period.month_lookups)
            total = people.values("person_id").distinct().count()
    return total, per_station, [(_month_key(m), n) for m, n in by_month if n]


def zone_station_stats(
    *,
    zone: Zone | int,
    since: dt.date | None = None,
    until: dt.date | None = None,
    station_ids: list[int] | None = None,
) -> StationStats:
    """Figures for a zone (or some of its stations) from the rollups only: month
    rows for whole months, day rows for partial ones, distinct-worker counters.
    A dashboard over two years of a busy zone reads a few thousand rows."""
    zone_id = getattr(zone, "pk", zone)
    period = _Period.of(since, until)
    by_month, per_station, by_service, by_job = _counts(zone_id, station_ids, period)
    workers, distinct, workers_by_month = _workers(
        zone_id, station_ids, period, whole=since is None and until is None
    )
    names = dict(Station.objects.filter(zone_id=zone_id).values_list("id", "name"))
    return StationStats(
        visits=sum(by_month.values()),
        workers=workers,
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
                for sid in set(per_station) | {s for s, n in distinct.items() if n}
            ),
            key=lambda d: -d["visits"],
        ),
        workers_by_month=workers_by_month,
    )


def zone_visits_total(*, zone: Zone | int) -> int:
    """Person-times to date: the seed page's "累计服务 6000 多人次"."""
    zone_id = getattr(zone, "pk", zone)
    total = ZoneMonthCount.objects.filter(zone_id=zone_id, metric="visits").aggregate(
        n=Sum("value")
    )
    return total["n"] or 0


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


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def distinct_workers_on(station: Station, day: dt.date) -> int:
    """Distinct scanning workers at one station on one local day.

    zone_station_stats counts distinct workers to date (StationWorker has no
    day), so a day's figure comes from that station-day's check-ins, which the
    (zone, station, occurred_at) index bounds.
    """
    start, end = _day_bounds(day)
    return (
        Checkin.objects.filter(
            zone_id=station.zone_id, station=station, occurred_at__gte=start, occurred_at__lt=end
        )
        .values("person_id")
        .distinct()
        .count()
    )
