"""The rollup tables: kept exact with every check-in and count, and rebuilt from raw records."""

import datetime as dt
from collections import Counter

from django.db import IntegrityError, connection, transaction
from django.db.models import Sum

from gaoxin.core.models import Zone
from gaoxin.registry.models import Person
from gaoxin.stations.models import (
    Checkin,
    Station,
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
from gaoxin.stations.services._common import local_day, month_of

ROLLUP_MODELS = (StationDayCount, StationMonthCount, StationWorker, StationMonthWorker)
ZONE_ROLLUP_MODELS = (ZoneDayCount, ZoneWorker, ZoneMonthWorker, ZoneMonthCount)
BATCH = 2000

# ------------------------------------------------------------------ upkeep
# Check-ins and walk-in counts bump the rollups in the same transaction as the raw
# record, with conditional UPDATEs (insert on first use, retried on a lost race), so
# the figures stay exact under concurrent check-ins on SQLite and PostgreSQL alike.


def _add(model, fixed: dict, counts: list[tuple[str, str, int]]) -> None:
    """Add to rollup counters in one statement: INSERT … ON CONFLICT DO UPDATE SET
    value = value + excluded.value is atomic on PostgreSQL and SQLite alike."""
    if not counts:
        return
    table = model._meta.db_table
    columns = [*fixed, "metric", "key", "value"]
    rows = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(counts))
    params: list = []
    for metric, key, delta in counts:
        params += [*fixed.values(), metric, key, delta]
    conflict = ", ".join(columns[:-1])
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES {rows} "
        f"ON CONFLICT ({conflict}) DO UPDATE SET value = {table}.value + excluded.value"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _add_months(model, fixed: dict, month: dt.date, counts: list, moves=()) -> None:
    """Month counters: `counts` for `month`, plus the distinct-worker `moves`
    (month, metric, delta) — those of `month` in the same statement."""
    _add(
        model,
        {**fixed, "month": month},
        [*counts, *((metric, "", d) for m, metric, d in moves if m == month)],
    )
    for m, metric, d in moves:
        if m != month:  # a back-dated first visit moves a count to another month
            _add(model, {**fixed, "month": m}, [(metric, "", d)])


def bump_station(
    zone_id: int, station_id: int, day: dt.date, counts: list[tuple[str, str, int]], moves=()
) -> None:
    """The station's day and month counters, in the same transaction as the event."""
    _add(StationDayCount, {"zone_id": zone_id, "station_id": station_id, "day": day}, counts)
    fixed = {"zone_id": zone_id, "station_id": station_id}
    _add_months(StationMonthCount, fixed, day.replace(day=1), counts, moves)


def bump_zone(zone_id: int, day: dt.date, counts: list[tuple[str, str, int]], moves=()) -> None:
    """The zone's day and month counters. Every visit in the zone updates these rows, so
    this is the transaction's last statement: the row lock is held only until
    the commit that follows (SQLite serialises writers anyway)."""
    _add(ZoneDayCount, {"zone_id": zone_id, "day": day}, counts)
    _add_months(ZoneMonthCount, {"zone_id": zone_id}, day.replace(day=1), counts, moves)


def _insert_new(model, values: dict) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when the row is new. A concurrent
    insert of the same key waits for the other transaction, so exactly one wins."""
    table = model._meta.db_table
    unique = next(c for c in model._meta.constraints if c.name.endswith("_unique"))
    columns = [model._meta.get_field(f).column for f in unique.fields]
    names = list(values)
    sql = (
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))}) "
        f"ON CONFLICT ({', '.join(columns)}) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(values.values()))
        return cursor.rowcount == 1


def _first_visit(model, keys: dict, at: dt.datetime) -> list[tuple[dt.date, int]]:
    """Record a worker's first visit (to a station, or to the zone) and say how
    the "new_workers" counter moves: +1 in this month for a first visit; a visit
    earlier than the one on record (a back-dated entry, or a tap that lost a race
    to a later one) moves that count to the earlier month."""
    if _insert_new(model, {**keys, "first_at": at}):
        return [(month_of(at), 1)]
    rows = model.objects.filter(**keys)
    known = rows.select_for_update().values_list("first_at", flat=True).get()
    if known <= at:
        return []
    rows.update(first_at=at)
    if month_of(known) == month_of(at):
        return []
    return [(month_of(known), -1), (month_of(at), 1)]


def _worker_moves(first_model, month_model, keys: dict, at: dt.datetime) -> list:
    """One scope's distinct-worker counter moves (month, metric, delta): "new_workers"
    for a first visit, "workers" for the first visit of the month."""
    moves = [(m, "new_workers", d) for m, d in _first_visit(first_model, keys, at)]
    if _insert_new(month_model, {**keys, "month": month_of(at)}):
        moves.append((month_of(at), "workers", 1))
    return moves


def mark_worker(station: Station, person: Person, at: dt.datetime) -> tuple[list, list]:
    """Distinct-worker rollups: the worker per station, station-month, zone and
    zone-month. A counter moves only when its row is new, so it changes once per
    worker and month, not with every visit. Returns the station's and the zone's
    counter moves (month, metric, delta), which the caller adds with its month counts."""
    zone_keys = {"zone_id": station.zone_id, "person_id": person.pk}
    station_keys = {"zone_id": station.zone_id, "station_id": station.pk, "person_id": person.pk}
    return (
        _worker_moves(StationWorker, StationMonthWorker, station_keys, at),
        _worker_moves(ZoneWorker, ZoneMonthWorker, zone_keys, at),
    )


# ------------------------------------------------------------------ rebuild


def _retrying(fn, attempts: int = 3):
    """Run fn in its own transaction; a check-in that committed a rollup row the
    rebuild was about to insert (PostgreSQL) makes it start that part again."""
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                return fn()
        except IntegrityError:
            if attempt == attempts - 1:
                raise


def _add_worker_counts(counts: Counter, first: dict, months: set) -> None:
    """The distinct-worker month counters from each worker's first visit and the
    (month, worker) pairs seen."""
    for at in first.values():
        counts[(month_of(at), "new_workers", "")] += 1
    for month, _person in months:
        counts[(month, "workers", "")] += 1


def _station_days(zone: Zone, station_id: int) -> tuple[Counter, dict, set]:
    """A station's day counters, each worker's first visit, and the (month, worker)
    pairs, from its check-ins and walk-in batches."""
    days: Counter = Counter()
    first: dict = {}
    months: set = set()
    checkins = Checkin.objects.filter(zone=zone, station_id=station_id)
    for person_id, at, job_type, chosen in checkins.values_list(
        "person_id", "occurred_at", "job_type", "services"
    ).iterator(chunk_size=5000):
        day = local_day(at)
        days[(day, "visits", "")] += 1
        days[(day, "job", job_type or "")] += 1
        for service in chosen:
            days[(day, "service", service)] += 1
        first[person_id] = min(first.get(person_id, at), at)
        months.add((day.replace(day=1), person_id))
    for day, visits, chosen in WalkinBatch.objects.filter(
        zone=zone, station_id=station_id
    ).values_list("day", "visits", "services"):
        days[(day, "visits", "")] += visits
        days[(day, "job", "")] += visits
        for service in chosen:
            days[(day, "service", service)] += visits
    return days, first, months


def _rebuild_station(zone: Zone, station_id: int) -> int:
    """One station's rollups from its raw records: delete, recompute, insert."""
    for model in ROLLUP_MODELS:
        model.objects.filter(zone=zone, station_id=station_id).delete()
    days, first, months = _station_days(zone, station_id)
    month_counts: Counter = Counter()
    for (day, metric, key), value in days.items():
        month_counts[(day.replace(day=1), metric, key)] += value
    _add_worker_counts(month_counts, first, months)
    common = {"zone": zone, "station_id": station_id}
    StationDayCount.objects.bulk_create(
        [
            StationDayCount(**common, day=d, metric=m, key=k, value=v)
            for (d, m, k), v in days.items()
        ],
        batch_size=BATCH,
    )
    StationMonthCount.objects.bulk_create(
        [
            StationMonthCount(**common, month=mo, metric=m, key=k, value=v)
            for (mo, m, k), v in month_counts.items()
        ],
        batch_size=BATCH,
    )
    StationWorker.objects.bulk_create(
        [StationWorker(**common, person_id=p, first_at=t) for p, t in first.items()],
        batch_size=BATCH,
    )
    StationMonthWorker.objects.bulk_create(
        [StationMonthWorker(**common, month=mo, person_id=p) for mo, p in months], batch_size=BATCH
    )
    return len(days) + len(month_counts)


def _rebuild_zone(zone: Zone) -> int:
    """The zone-wide rollups, from the station ones just rebuilt."""
    for model in ZONE_ROLLUP_MODELS:
        model.objects.filter(zone=zone).delete()
    days = (
        StationDayCount.objects.filter(zone=zone)
        .values_list("day", "metric", "key")
        .annotate(t=Sum("value"))
        .order_by()
    )
    ZoneDayCount.objects.bulk_create(
        [
            ZoneDayCount(zone=zone, day=d, metric=m, key=k, value=v)
            for d, m, k, v in days.iterator()
        ],
        batch_size=BATCH,
    )
    counts: Counter = Counter()
    for month, metric, key, total in (
        StationMonthCount.objects.filter(zone=zone, metric__in=["visits", "service", "job"])
        .values_list("month", "metric", "key")
        .annotate(t=Sum("value"))
        .order_by()
    ):
        counts[(month, metric, key)] = total
    first: dict = {}
    for person_id, at in (
        StationWorker.objects.filter(zone=zone)
        .values_list("person_id", "first_at")
        .iterator(chunk_size=5000)
    ):
        first[person_id] = min(first.get(person_id, at), at)
    months = set(StationMonthWorker.objects.filter(zone=zone).values_list("month", "person_id"))
    _add_worker_counts(counts, first, months)
    ZoneWorker.objects.bulk_create(
        [ZoneWorker(zone=zone, person_id=p, first_at=t) for p, t in first.items()],
        batch_size=BATCH,
    )
    ZoneMonthWorker.objects.bulk_create(
        [ZoneMonthWorker(zone=zone, month=m, person_id=p) for m, p in months], batch_size=BATCH
    )
    ZoneMonthCount.objects.bulk_create(
        [
            ZoneMonthCount(zone=zone, month=m, metric=metric, key=k, value=v)
            for (m, metric, k), v in counts.items()
        ],
        batch_size=BATCH,
    )
    return len(counts)


def stats_rebuild(*, zone: Zone, progress=None) -> int:
    """Recompute the zone's rollups from the raw records (repair, and proof of
    correctness). One short transaction per station, then one for the zone-wide
    tables, so check-ins elsewhere are never held up for long (SQLite has
    one writer at a time). `progress(done, total)` is told after each station.
    Returns the number of counter rows written."""
    written = 0
    station_ids = list(Station.objects.filter(zone=zone).values_list("pk", flat=True))
    for done, station_id in enumerate(station_ids, start=1):
        written += _retrying(lambda sid=station_id: _rebuild_station(zone, sid))
        if progress:
            progress(done, len(station_ids))
    return written + _retrying(lambda: _rebuild_zone(zone))
