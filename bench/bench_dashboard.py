"""Dashboard figures at national volume: the rollups against aggregating the raw records.

    .venv/bin/python bench/bench_dashboard.py [--records 10000000] [--db sqlite|pg|both]

Builds a throw-away database with N ServiceRecord rows (default 10 million)
over about N/3.8 check-ins and weekly keeper walk-in counts, for 5 zones of
different sizes x 200 stations x 2 years, time-ordered across zones as a live
system writes them. Check-ins come from ~N/100 workers who mostly visit their
3 "home" stations. The rollups (StationDayCount, StationWorker,
StationMonthWorker, CheckinGuard) are computed from the same generated arrays
with numpy, by the definitions in services.checkin_record/walkin_record.

Loading: bulk executemany (SQLite: WAL, synchronous=OFF) or COPY (PostgreSQL)
in batches, with the secondary indexes dropped and rebuilt around the load
(PostgreSQL also re-adds the foreign keys and unique constraints, which
re-validates them; SQLite runs PRAGMA foreign_key_check).

Then, for the largest zone:
  rollups   selectors.zone_station_stats(zone=...) and zone_visits_total, p50/p95 of repeated calls
  raw       the same figures by GROUP BY over the raw Checkin/ServiceRecord/WalkinBatch tables
            (hand-written SQL: month in Asia/Shanghai, distinct workers), p50 of repeated calls
and checks that both give identical figures (the rollups are exact), prints
the ratio, generation/load times and the disk size. Prints; never asserts.
"""

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    BenchEnv,
    add_db_argument,
    fmt_summary,
    log,
    machine_note,
    mb,
    run_each_backend,
    summary_ms,
    table_sizes,
)

ZONE_SHARE = [0.32, 0.24, 0.20, 0.14, 0.10]  # the largest zone is the one timed
STATIONS_PER_ZONE = 200
DAYS = 730
HOME_STATIONS = 3
VISITS_PER_WORKER = 25  # over the two years, on average
# probability that a check-in includes each service (Amenity order); ~3.8 per check-in
SERVICE_P = {
    "warmth": 0.25,
    "cooling": 0.2,
    "water": 0.75,
    "rest": 0.65,
    "medicine": 0.05,
    "reading": 0.08,
    "charging": 0.5,
    "microwave": 0.25,
    "toilet": 0.5,
    "legal": 0.02,
    "wifi": 0.45,
    "repair": 0.05,
}
JOB_P = {
    "courier": 0.3,
    "food_delivery": 0.35,
    "ride_hailing": 0.15,
    "truck_driver": 0.1,
    "designated_driver": 0.05,
    "other": 0.05,
}
UTC_OFFSET_S = 8 * 3600  # Asia/Shanghai: no DST since 1991
BIG_TABLES = [
    "stations_checkin",
    "stations_servicerecord",
    "stations_walkinbatch",
    "stations_checkinguard",
    "stations_stationdaycount",
    "stations_stationworker",
    "stations_stationmonthworker",
    "stations_stationmonthcount",
    "stations_zoneworker",
    "stations_zonemonthworker",
    "stations_zonemonthcount",
    "stations_zonedaycount",
]


# ------------------------------------------------------------------ generation


class Data:
    """Everything generated, as numpy arrays (indexes, not database ids, until mapped)."""


def generate(records: int, seed: int, zone_ids, station_ids, start: dt.date) -> Data:
    import numpy as np

    from gaoxin.stations.enums import Amenity

    rng = np.random.default_rng(seed)
    services = list(Amenity.values)
    assert set(services) == set(SERVICE_P), "SERVICE_P must list every Amenity"
    p_svc = np.array([SERVICE_P[s] for s in services])
    jobs = list(JOB_P)
    d = Data()
    d.services, d.jobs = services, jobs
    n_st = len(station_ids)
    st_zone = np.repeat(np.arange(len(zone_ids)), STATIONS_PER_ZONE)
    # opening hours: 60% 24 h, else 07:00-21:00 (minutes of the local day)
    is_24h = rng.random(n_st) < 0.6
    lo = np.where(is_24h, 0, 420)
    hi = np.where(is_24h, 1440, 1260)
    d.is_24h = is_24h

    # walk-in counts: one per station and week (fewer for small --records: ~2% of the records)
    weeks = DAYS // 7
    slots = np.arange(n_st * weeks)
    n_walk = min(len(slots), max(1, records // 96))
    slots = np.sort(rng.choice(slots, n_walk, replace=False)) if n_walk < len(slots) else slots
    w_station = slots // weeks
    w_day = (slots % weeks) * 7 + rng.integers(0, 7, n_walk)
    w_visits = rng.integers(1, 31, n_walk)
    w_mask = rng.random((n_walk, len(services))) < p_svc * (2.0 / p_svc.sum())
    w_mask[~w_mask.any(axis=1), services.index("water")] = True
    walkin_sr = int(w_mask.sum())

    # check-ins: Poisson per station and day; station popularity lognormal,
    # a yearly wave (winter and summer peaks) and quieter weekends
    mean_svc = p_svc.sum() + np.prod(1 - p_svc)  # empty sets become "water"
    n_checkins = max(1, int((records - walkin_sr) / mean_svc))
    days = np.arange(DAYS)
    weekday = np.array([(start + dt.timedelta(days=int(i))).weekday() for i in days])
    season = 1 + 0.25 * np.cos(4 * np.pi * days / 365.25)
    day_f = season * np.where(weekday >= 5, 0.85, 1.0)
    day_f /= day_f.mean()
    popularity = rng.lognormal(0, 0.5, n_st)
    zone_total = np.array(ZONE_SHARE)[st_zone] * n_checkins
    pop_norm = np.zeros(n_st)
    for z in range(len(zone_ids)):
        m = st_zone == z
        pop_norm[m] = popularity[m] / popularity[m].sum()
    lam = (zone_total * pop_norm)[:, None] * day_f[None, :] / DAYS
    counts = rng.poisson(lam)
    flat = np.repeat(np.arange(n_st * DAYS), counts.ravel())
    c_station = flat // DAYS
    c_day = flat % DAYS
    n = len(flat)
    minute = lo[c_station] + (rng.random(n) * (hi - lo)[c_station]).astype(np.int64)
    second = rng.integers(0, 60, n)
    start_s = (start - dt.date(1970, 1, 1)).days * 86400
    c_t = start_s + c_day * 86400 + minute * 60 + second - UTC_OFFSET_S  # UTC epoch seconds

    # workers: each has HOME_STATIONS stations in their zone; 85% of visits are there
    zone_checkins = np.bincount(st_zone[c_station], minlength=len(zone_ids))
    n_workers = np.maximum(50, zone_checkins // VISITS_PER_WORKER)
    p_zone = np.repeat(np.arange(len(zone_ids)), n_workers)
    p_first = np.concatenate([[0], np.cumsum(n_workers)])
    n_p = int(p_first[-1])
    home = p_zone[:, None] * STATIONS_PER_ZONE + rng.integers(
        0, STATIONS_PER_ZONE, (n_p, HOME_STATIONS)
    )
    h_station = home.ravel()
    h_person = np.repeat(np.arange(n_p), HOME_STATIONS)
    order = np.argsort(h_station, kind="stable")
    regulars = h_person[order]
    reg_ptr = np.concatenate([[0], np.cumsum(np.bincount(h_station, minlength=n_st))])
    reg_n = reg_ptr[c_station + 1] - reg_ptr[c_station]
    pick = reg_ptr[c_station] + (rng.random(n) * np.maximum(reg_n, 1)).astype(np.int64)
    zone_of = st_zone[c_station]
    anyone = p_first[zone_of] + (rng.random(n) * n_workers[zone_of]).astype(np.int64)
    c_person = np.where(
        (rng.random(n) < 0.85) & (reg_n > 0), regulars[np.minimum(pick, len(regulars) - 1)], anyone
    )
    p_job = rng.choice(len(jobs), n_p, p=list(JOB_P.values()))
    c_mask = rng.random((n, len(services))) < p_svc
    c_mask[~c_mask.any(axis=1), services.index("water")] = True

    # time order across zones, as a live system inserts them
    order = np.argsort(c_t, kind="stable")
    d.c_station, d.c_day, d.c_t = c_station[order], c_day[order], c_t[order]
    d.c_person, d.c_mask = c_person[order], c_mask[order]
    d.c_job = p_job[d.c_person]
    d.st_zone, d.p_zone, d.p_job, d.n_p = st_zone, p_zone, p_job, n_p
    d.w_station, d.w_day, d.w_visits, d.w_mask = w_station, w_day, w_visits, w_mask

    # service records: one per (check-in, service) and per (walk-in, service)
    ci, si = np.nonzero(d.c_mask)
    wi, wsi = np.nonzero(w_mask)
    w_t = start_s + w_day[wi] * 86400 + 12 * 3600 - UTC_OFFSET_S  # walkin_record: local noon
    sr_t = np.concatenate([d.c_t[ci], w_t])
    order = np.argsort(sr_t, kind="stable")
    d.sr_t = sr_t[order]
    d.sr_checkin = np.concatenate([ci, np.full(len(wi), -1)])[order]
    d.sr_station = np.concatenate([d.c_station[ci], w_station[wi]])[order]
    d.sr_service = np.concatenate([si, wsi])[order]
    d.sr_count = np.concatenate([np.ones(len(ci), np.int64), w_visits[wi]])[order]
    d.sr_person = np.concatenate([d.c_person[ci], np.full(len(wi), -1)])[order]
    return d


def rollups(d: Data) -> None:
    """StationDayCount / StationWorker / StationMonthWorker / CheckinGuard from the arrays,
    by the same rules as services.checkin_record and walkin_record."""
    import numpy as np

    n_st, n_svc, n_job = len(d.st_zone), len(d.services), len(d.jobs) + 1  # job "" = walk-ins
    sd_c = d.c_station * DAYS + d.c_day
    sd_w = d.w_station * DAYS + d.w_day
    visits = np.bincount(sd_c, minlength=n_st * DAYS) + np.bincount(
        sd_w, weights=d.w_visits, minlength=n_st * DAYS
    ).astype(np.int64)
    job = np.bincount(sd_c * n_job + d.c_job, minlength=n_st * DAYS * n_job)
    job += np.bincount(
        sd_w * n_job + len(d.jobs), weights=d.w_visits, minlength=n_st * DAYS * n_job
    ).astype(np.int64)
    # local day index of every service record
    sr_day = ((d.sr_t + UTC_OFFSET_S) // 86400) - d.start_day
    service = np.bincount(
        (d.sr_station * DAYS + sr_day) * n_svc + d.sr_service,
        weights=d.sr_count,
        minlength=n_st * DAYS * n_svc,
    ).astype(np.int64)
    # rows sorted by (station, day, metric, key) like the unique index; metric order job < service < visits
    job_keys = [*d.jobs, ""]
    job_rank = np.argsort(np.argsort(job_keys))  # alphabetical rank of each job key
    svc_rank = np.argsort(np.argsort(d.services))
    parts = []
    nz = np.nonzero(job)[0]
    parts.append((nz // n_job, 0, job_rank[nz % n_job], nz % n_job, job[nz]))
    nz = np.nonzero(service)[0]
    parts.append((nz // n_svc, 1, svc_rank[nz % n_svc], nz % n_svc, service[nz]))
    nz = np.nonzero(visits)[0]
    parts.append((nz, 2, np.zeros(len(nz), np.int64), np.zeros(len(nz), np.int64), visits[nz]))
    sd = np.concatenate([p[0] for p in parts])
    metric = np.concatenate([np.full(len(p[0]), p[1]) for p in parts])
    rank = np.concatenate([p[2] for p in parts])
    key = np.concatenate([p[3] for p in parts])
    value = np.concatenate([p[4] for p in parts])
    order = np.lexsort((rank, metric, sd))
    d.dc_sd, d.dc_metric, d.dc_key, d.dc_value = sd[order], metric[order], key[order], value[order]

    # distinct workers: first visit per (station, person), last visit (guard), months
    sp = d.c_station.astype(np.int64) * d.n_p + d.c_person
    keys, first = np.unique(sp, return_index=True)  # arrays are time-ordered: first = earliest
    d.sw_station, d.sw_person, d.sw_first = keys // d.n_p, keys % d.n_p, d.c_t[first]
    rev = len(sp) - 1 - np.unique(sp[::-1], return_index=True)[1]
    d.g_last = d.c_t[rev]
    month = d.day_month[d.c_day]
    n_m = int(d.day_month.max()) + 1
    spm = np.unique((d.c_station.astype(np.int64) * n_m + month) * d.n_p + d.c_person)
    d.smw_station, d.smw_month, d.smw_person = spm // d.n_p // n_m, spm // d.n_p % n_m, spm % d.n_p

    # month rollups (services._bump / _mark_worker): the day counts summed by month, plus
    # "workers" (distinct per station-month) and "new_workers" (first visit's month);
    # metric codes 0 job, 1 service, 2 visits, 3 workers, 4 new_workers
    month_of_t = lambda t: d.day_month[(t + UTC_OFFSET_S) // 86400 - d.start_day]  # noqa: E731
    width = max(n_job, n_svc)
    st_m = (d.dc_sd // DAYS) * n_m + d.day_month[d.dc_sd % DAYS]
    groups, inverse = np.unique((st_m * 5 + d.dc_metric) * width + d.dc_key, return_inverse=True)
    sums = np.bincount(inverse, weights=d.dc_value).astype(np.int64)
    workers = np.unique(d.smw_station * n_m + d.smw_month, return_counts=True)
    firsts = np.unique(d.sw_station * n_m + month_of_t(d.sw_first), return_counts=True)
    keys = np.concatenate([groups, (workers[0] * 5 + 3) * width, (firsts[0] * 5 + 4) * width])
    d.mc_value = np.concatenate([sums, workers[1], firsts[1]])
    d.mc_key, rest = keys % width, keys // width
    d.mc_metric, rest = rest % 5, rest // 5
    d.mc_station, d.mc_month = rest // n_m, rest % n_m

    # zone day counts: the station day counts summed over the zone's stations
    zone_day = d.st_zone[d.dc_sd // DAYS] * DAYS + d.dc_sd % DAYS
    groups, inverse = np.unique(
        (zone_day * 5 + d.dc_metric) * width + d.dc_key, return_inverse=True
    )
    d.zdc_value = np.bincount(inverse, weights=d.dc_value).astype(np.int64)
    d.zdc_key, rest = groups % width, groups // width
    d.zdc_metric, d.zdc_zone, d.zdc_day = rest % 5, rest // 5 // DAYS, rest // 5 % DAYS

    # zone-wide: each worker visits only their own zone's stations
    people, first = np.unique(d.c_person, return_index=True)
    d.zw_person, d.zw_first = people, d.c_t[first]
    pm = np.unique(d.c_person.astype(np.int64) * n_m + month)
    d.zmw_person, d.zmw_month = pm // n_m, pm % n_m
    n_z = int(d.st_zone.max()) + 1
    zm_workers = np.unique(d.p_zone[d.zmw_person] * n_m + d.zmw_month, return_counts=True)
    zm_firsts = np.unique(d.p_zone[d.zw_person] * n_m + month_of_t(d.zw_first), return_counts=True)
    # the station month counts (visits, service, job) summed over the zone's stations
    totals = d.mc_metric < 3
    zone_month = d.st_zone[d.mc_station[totals]] * n_m + d.mc_month[totals]
    groups, inverse = np.unique(
        (zone_month * 5 + d.mc_metric[totals]) * width + d.mc_key[totals], return_inverse=True
    )
    sums = np.bincount(inverse, weights=d.mc_value[totals]).astype(np.int64)
    zkeys = np.concatenate(
        [groups, (zm_workers[0] * 5 + 3) * width, (zm_firsts[0] * 5 + 4) * width]
    )
    d.zmc_value = np.concatenate([sums, zm_workers[1], zm_firsts[1]])
    d.zmc_key, rest = zkeys % width, zkeys // width
    d.zmc_metric, d.zmc_zone, d.zmc_month = rest % 5, rest // 5 // n_m, rest // 5 % n_m
    assert d.zmc_zone.max() < n_z


# ------------------------------------------------------------------ loading


class Loader:
    """Bulk insert into the Django database with its own driver connection; indexes
    (and on PostgreSQL foreign keys and unique constraints) dropped and rebuilt around it."""

    def __init__(self, env: BenchEnv):
        from django.db import connections

        connections.close_all()
        self.env, self.vendor = env, ("postgresql" if env.pg_name else "sqlite")
        self.saved: list[str] = []
        self.rows = 0
        if self.vendor == "sqlite":
            import sqlite3

            self.conn = sqlite3.connect(env.sqlite_path, isolation_level=None)
            for pragma in (
                "journal_mode=WAL",
                "synchronous=OFF",
                "cache_size=-2000000",
                "temp_store=MEMORY",
                "foreign_keys=OFF",
            ):
                self.conn.execute(f"PRAGMA {pragma}")
        else:
            import psycopg

            self.conn = psycopg.connect(env.database_url, autocommit=True)
            self.conn.execute("SET synchronous_commit = off")
            self.conn.execute("SET maintenance_work_mem = '1GB'")
            self.conn.execute("SET TIME ZONE 'UTC'")

    def drop_indexes(self, tables: list[str]) -> None:
        if self.vendor == "sqlite":
            for table in tables:
                for name, sql in self.conn.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                    "AND sql IS NOT NULL",
                    (table,),
                ).fetchall():
                    self.saved.append(sql)
                    self.conn.execute(f'DROP INDEX "{name}"')
            return
        for table in tables:
            cons = self.conn.execute(
                "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
                (table,),
            ).fetchall()
            idx = self.conn.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))",
                (table,),
            ).fetchall()
            for name, _definition, _kind in cons:
                self.conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, definition in idx:
                self.conn.execute(f'DROP INDEX "{name}"')
                self.saved.append(definition)
            # unique constraints first (they are indexes), foreign keys last
            for name, definition, _kind in sorted(cons, key=lambda c: c[2] != "u"):
                self.saved.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')

    def insert(
        self, table: str, columns: list[str], rows, total: int, batch: int = 500_000
    ) -> None:
        """rows: an iterator of tuples; total: how many (for progress)."""
        import itertools

        t0 = time.perf_counter()
        done = 0
        cols = ", ".join(f'"{c}"' for c in columns)
        while True:
            chunk = list(itertools.islice(rows, batch))
            if not chunk:
                break
            if self.vendor == "sqlite":
                marks = ", ".join("?" * len(columns))
                self.conn.execute("BEGIN")
                self.conn.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', chunk)
                self.conn.execute("COMMIT")
            else:
                with (
                    self.conn.cursor() as cur,
                    cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy,
                ):
                    for row in chunk:
                        copy.write_row(row)
            done += len(chunk)
            if total >= 2 * batch:
                el = time.perf_counter() - t0
                log(f"  {table}: {done:,}/{total:,} rows ({done / el:,.0f} rows/s)")
        self.rows += done

    def rebuild(self) -> None:
        t0 = time.perf_counter()
        for sql in self.saved:
            t1 = time.perf_counter()
            self.conn.execute(sql)
            log(f"  {time.perf_counter() - t1:5.1f} s  {sql[:110]}")
        log(f"indexes/constraints rebuilt in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        if self.vendor == "sqlite":
            self.conn.execute("ANALYZE")
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            for table in BIG_TABLES:
                self.conn.execute(f"VACUUM ANALYZE {table}")
            self.conn.execute(
                "SELECT setval(pg_get_serial_sequence('stations_checkin', 'id'), "
                "(SELECT MAX(id) FROM stations_checkin))"
            )
        log(
            f"{'ANALYZE' if self.vendor == 'sqlite' else 'VACUUM ANALYZE'} in {time.perf_counter() - t0:.1f} s"
        )

    def fk_check(self) -> int:
        """SQLite only: rows whose foreign keys point nowhere (PostgreSQL re-validated on re-add)."""
        if self.vendor != "sqlite":
            return 0
        return sum(
            len(self.conn.execute(f'PRAGMA foreign_key_check("{t}")').fetchall())
            for t in BIG_TABLES
        )

    def close(self) -> None:
        self.conn.close()


def _when(seconds):
    """Epoch seconds (numpy) → "YYYY-MM-DD HH:MM:SS" (UTC), as Django stores datetimes."""
    import numpy as np

    out = np.datetime_as_string(np.asarray(seconds).astype("datetime64[s]"), unit="s")
    out.view(np.uint32).reshape(len(out), -1)[:, 10] = ord(" ")  # "T" → " ", in place
    return out


def load(env: BenchEnv, d: Data, zone_ids, station_ids, person_ids) -> dict:
    import numpy as np

    from gaoxin.stations.models import (
        Checkin,
        CheckinGuard,
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

    zone_ids, station_ids, person_ids = (np.asarray(a) for a in (zone_ids, station_ids, person_ids))
    st_zone_id = zone_ids[d.st_zone]
    svc = np.array(d.services, dtype=object)
    day_str = np.array([str(d.start + dt.timedelta(days=i)) for i in range(DAYS)], dtype=object)
    month_str = np.array([str(m) for m in d.months], dtype=object)
    jobs = np.array([*d.jobs, ""], dtype=object)
    metrics = np.array(["job", "service", "visits", "workers", "new_workers"], dtype=object)
    bits = 1 << np.arange(len(d.services))
    json_of = {}

    def services_json(masks):
        out = []
        for m in masks.tolist():
            s = json_of.get(m)
            if s is None:
                s = json_of[m] = json.dumps([x for i, x in enumerate(d.services) if m >> i & 1])
            out.append(s)
        return out

    def check_columns(model, columns):
        have = {f.column for f in model._meta.concrete_fields} - {"id"}
        missing = have - set(columns) - {"id"}
        assert not missing, f"{model.__name__}: generator does not fill {missing}"

    loader = Loader(env)
    times = {}
    try:
        t0 = time.perf_counter()
        loader.drop_indexes(BIG_TABLES)
        n = len(d.c_t)
        c_masks = (d.c_mask * bits).sum(axis=1)
        cols = [
            "id",
            "zone_id",
            "station_id",
            "person_id",
            "occurred_at",
            "job_type",
            "source",
            "services",
        ]
        check_columns(Checkin, cols)
        B = 500_000

        def checkins():
            for i in range(0, n, B):
                sl = slice(i, i + B)
                yield from zip(
                    range(i + 1, min(i + B, n) + 1),
                    st_zone_id[d.c_station[sl]].tolist(),
                    station_ids[d.c_station[sl]].tolist(),
                    person_ids[d.c_person[sl]].tolist(),
                    _when(d.c_t[sl]).tolist(),
                    jobs[d.c_job[sl]].tolist(),
                    ["scan"] * len(d.c_t[sl]),
                    services_json(c_masks[sl]),
                    strict=True,
                )

        loader.insert("stations_checkin", cols, checkins(), n)
        m = len(d.sr_t)
        cols = [
            "zone_id",
            "station_id",
            "checkin_id",
            "person_id",
            "service",
            "count",
            "occurred_at",
            "source",
            "entered_by_id",
        ]
        check_columns(ServiceRecord, cols)

        def records():
            for i in range(0, m, B):
                sl = slice(i, i + B)
                walk = d.sr_checkin[sl] < 0
                checkin = (d.sr_checkin[sl] + 1).tolist()
                person = person_ids[np.maximum(d.sr_person[sl], 0)].tolist()
                for j in np.nonzero(walk)[0].tolist():
                    checkin[j] = person[j] = None
                yield from zip(
                    st_zone_id[d.sr_station[sl]].tolist(),
                    station_ids[d.sr_station[sl]].tolist(),
                    checkin,
                    person,
                    svc[d.sr_service[sl]].tolist(),
                    d.sr_count[sl].tolist(),
                    _when(d.sr_t[sl]).tolist(),
                    np.where(walk, "keeper", "scan").tolist(),
                    [None] * len(walk),
                    strict=True,
                )

        loader.insert("stations_servicerecord", cols, records(), m)
        w_masks = (d.w_mask * bits).sum(axis=1)
        cols = [
            "zone_id",
            "station_id",
            "day",
            "visits",
            "services",
            "note",
            "entered_by_id",
            "entered_at",
        ]
        check_columns(WalkinBatch, cols)
        w_at = _when(d.start_s + d.w_day * 86400 + 12 * 3600 - UTC_OFFSET_S)
        loader.insert(
            "stations_walkinbatch",
            cols,
            zip(
                st_zone_id[d.w_station].tolist(),
                station_ids[d.w_station].tolist(),
                day_str[d.w_day].tolist(),
                d.w_visits.tolist(),
                services_json(w_masks),
                [""] * len(w_masks),
                [None] * len(w_masks),
                w_at.tolist(),
                strict=True,
            ),
            len(w_masks),
        )
        times["raw"] = time.perf_counter() - t0
        log(f"raw records inserted in {times['raw']:.1f} s")

        t0 = time.perf_counter()
        cols = ["zone_id", "station_id", "day", "metric", "key", "value"]
        check_columns(StationDayCount, cols)
        st = d.dc_sd // DAYS
        key = np.where(
            d.dc_metric == 0,
            jobs[np.minimum(d.dc_key, len(jobs) - 1)],
            np.where(d.dc_metric == 1, svc[np.minimum(d.dc_key, len(svc) - 1)], ""),
        )
        loader.insert(
            "stations_stationdaycount",
            cols,
            zip(
                st_zone_id[st].tolist(),
                station_ids[st].tolist(),
                day_str[d.dc_sd % DAYS].tolist(),
                metrics[d.dc_metric].tolist(),
                key.tolist(),
                d.dc_value.tolist(),
                strict=True,
            ),
            len(st),
        )
        cols = ["zone_id", "station_id", "person_id", "first_at"]
        check_columns(StationWorker, cols)
        loader.insert(
            "stations_stationworker",
            cols,
            zip(
                st_zone_id[d.sw_station].tolist(),
                station_ids[d.sw_station].tolist(),
                person_ids[d.sw_person].tolist(),
                _when(d.sw_first).tolist(),
                strict=True,
            ),
            len(d.sw_station),
        )
        cols = ["zone_id", "station_id", "person_id", "last_at"]
        check_columns(CheckinGuard, cols)
        loader.insert(
            "stations_checkinguard",
            cols,
            zip(
                st_zone_id[d.sw_station].tolist(),
                station_ids[d.sw_station].tolist(),
                person_ids[d.sw_person].tolist(),
                _when(d.g_last).tolist(),
                strict=True,
            ),
            len(d.sw_station),
        )
        cols = ["zone_id", "station_id", "month", "person_id"]
        check_columns(StationMonthWorker, cols)
        loader.insert(
            "stations_stationmonthworker",
            cols,
            zip(
                st_zone_id[d.smw_station].tolist(),
                station_ids[d.smw_station].tolist(),
                month_str[d.smw_month].tolist(),
                person_ids[d.smw_person].tolist(),
                strict=True,
            ),
            len(d.smw_station),
        )
        cols = ["zone_id", "station_id", "month", "metric", "key", "value"]
        check_columns(StationMonthCount, cols)
        key = np.where(
            d.mc_metric == 0,
            jobs[np.minimum(d.mc_key, len(jobs) - 1)],
            np.where(d.mc_metric == 1, svc[np.minimum(d.mc_key, len(svc) - 1)], ""),
        )
        loader.insert(
            "stations_stationmonthcount",
            cols,
            zip(
                st_zone_id[d.mc_station].tolist(),
                station_ids[d.mc_station].tolist(),
                month_str[d.mc_month].tolist(),
                metrics[d.mc_metric].tolist(),
                key.tolist(),
                d.mc_value.tolist(),
                strict=True,
            ),
            len(d.mc_value),
        )
        cols = ["zone_id", "person_id", "first_at"]
        check_columns(ZoneWorker, cols)
        loader.insert(
            "stations_zoneworker",
            cols,
            zip(
                zone_ids[d.p_zone[d.zw_person]].tolist(),
                person_ids[d.zw_person].tolist(),
                _when(d.zw_first).tolist(),
                strict=True,
            ),
            len(d.zw_person),
        )
        cols = ["zone_id", "month", "person_id"]
        check_columns(ZoneMonthWorker, cols)
        loader.insert(
            "stations_zonemonthworker",
            cols,
            zip(
                zone_ids[d.p_zone[d.zmw_person]].tolist(),
                month_str[d.zmw_month].tolist(),
                person_ids[d.zmw_person].tolist(),
                strict=True,
            ),
            len(d.zmw_person),
        )
        cols = ["zone_id", "day", "metric", "key", "value"]
        check_columns(ZoneDayCount, cols)
        key = np.where(
            d.zdc_metric == 0,
            jobs[np.minimum(d.zdc_key, len(jobs) - 1)],
            np.where(d.zdc_metric == 1, svc[np.minimum(d.zdc_key, len(svc) - 1)], ""),
        )
        loader.insert(
            "stations_zonedaycount",
            cols,
            zip(
                zone_ids[d.zdc_zone].tolist(),
                day_str[d.zdc_day].tolist(),
                metrics[d.zdc_metric].tolist(),
                key.tolist(),
                d.zdc_value.tolist(),
                strict=True,
            ),
            len(d.zdc_value),
        )
        cols = ["zone_id", "month", "metric", "key", "value"]
        check_columns(ZoneMonthCount, cols)
        key = np.where(
            d.zmc_metric == 0,
            jobs[np.minimum(d.zmc_key, len(jobs) - 1)],
            np.where(d.zmc_metric == 1, svc[np.minimum(d.zmc_key, len(svc) - 1)], ""),
        )
        loader.insert(
            "stations_zonemonthcount",
            cols,
            zip(
                zone_ids[d.zmc_zone].tolist(),
                month_str[d.zmc_month].tolist(),
                metrics[d.zmc_metric].tolist(),
                key.tolist(),
                d.zmc_value.tolist(),
                strict=True,
            ),
            len(d.zmc_value),
        )
        times["rollups"] = time.perf_counter() - t0
        log(f"rollups inserted in {times['rollups']:.1f} s")
        t0 = time.perf_counter()
        loader.rebuild()
        times["indexes"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        bad = loader.fk_check()
        times["fk_check"] = time.perf_counter() - t0
        if loader.vendor == "sqlite":
            log(f"PRAGMA foreign_key_check: {bad} dangling references ({times['fk_check']:.1f} s)")
        times["fk_bad"] = bad
    finally:
        loader.close()
    return times


def setup_registry(d_zones: int, n_workers_by_zone, p_job, jobs, is_24h, seed: int):
    """Zones, stations and workers through the ORM (bulk_create): ~100k rows."""
    import random

    from django.db import transaction

    from gaoxin.core.models import Zone
    from gaoxin.registry.models import Person
    from gaoxin.stations import hours
    from gaoxin.stations.enums import Amenity, amenity_mask
    from gaoxin.stations.models import Station, grid_cell

    rng = random.Random(seed)
    everything = list(Amenity.values)
    day_shift = hours.parse_week("07:00-21:00")  # the generator's check-in window
    with transaction.atomic():
        zones = Zone.objects.bulk_create(
            [
                Zone(code=f"dash-{i}", name=f"看板园区{i}", province="-", city="-")
                for i in range(d_zones)
            ]
        )
        # One bulk_create per zone: on Citus a multi-row INSERT that spans shards returns
        # its ids in shard order, not in the order of the rows, so ids would be mixed up.
        stations = []
        for zi, zone in enumerate(zones):
            zone_stations = []
            clat, clng = 23.0 + zi * 2.5, 113.0 + zi * 1.5
            for s in range(STATIONS_PER_ZONE):
                lat, lng = round(clat + rng.gauss(0, 0.1), 7), round(clng + rng.gauss(0, 0.1), 7)
                zone_stations.append(
                    Station(
                        zone=zone,
                        name=f"驿站{zi}-{s:03d}",
                        kind="partner",
                        address="-",
                        lat=lat,
                        lng=lng,
                        cell=grid_cell(lat, lng),
                        is_24h=bool(is_24h[len(stations) + len(zone_stations)]),
                        hours={} if is_24h[len(stations) + len(zone_stations)] else day_shift,
                        amenities=everything,
                        amenity_mask=amenity_mask(everything),
                    )
                )
            stations += Station.objects.bulk_create(zone_stations)
        people = []
        i = 0
        for zi, zone in enumerate(zones):
            zone_people = []
            for _ in range(int(n_workers_by_zone[zi])):
                zone_people.append(
                    Person(zone=zone, name=f"劳动者{i}", role="worker", job_type=jobs[p_job[i]])
                )
                i += 1
            people += Person.objects.bulk_create(zone_people, batch_size=5000)
    return [z.pk for z in zones], [s.pk for s in stations], [p.pk for p in people]


# ------------------------------------------------------------------ measuring


def raw_stats(zone_id: int) -> dict:
    """The dashboard's figures straight from the raw tables, in a few GROUP BY queries."""
    from django.db import connection

    if connection.vendor == "postgresql":
        month = "to_char(occurred_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')"
        day_month = "to_char(day, 'YYYY-MM')"
    else:  # stored in UTC as text; Asia/Shanghai is a fixed +8 hours
        month = "strftime('%%Y-%%m', occurred_at, '+8 hours')"
        day_month = "strftime('%%Y-%%m', day)"
    by_month: dict[str, int] = {}
    by_job: dict[str, int] = {}
    per_station: dict[int, int] = {}
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT station_id, {month}, job_type, COUNT(*) FROM stations_checkin "
            f"WHERE zone_id = %s GROUP BY 1, 2, 3",
            [zone_id],
        )
        for sid, m, job, n in cur.fetchall():
            by_month[m] = by_month.get(m, 0) + n
            by_job[job] = by_job.get(job, 0) + n
            per_station[sid] = per_station.get(sid, 0) + n
        cur.execute(
            f"SELECT station_id, {day_month}, SUM(visits) FROM stations_walkinbatch "
            f"WHERE zone_id = %s GROUP BY 1, 2",
            [zone_id],
        )
        for sid, m, n in cur.fetchall():
            by_month[m] = by_month.get(m, 0) + n
            by_job[""] = by_job.get("", 0) + n
            per_station[sid] = per_station.get(sid, 0) + n
        cur.execute(
            "SELECT service, SUM(count) FROM stations_servicerecord WHERE zone_id = %s "
            "GROUP BY service",
            [zone_id],
        )
        by_service = dict(cur.fetchall())
        cur.execute(
            "SELECT COUNT(DISTINCT person_id) FROM stations_checkin WHERE zone_id = %s", [zone_id]
        )
        workers = cur.fetchone()[0]
        cur.execute(
            "SELECT station_id, COUNT(DISTINCT person_id) FROM stations_checkin "
            "WHERE zone_id = %s GROUP BY station_id",
            [zone_id],
        )
        station_workers = dict(cur.fetchall())
        cur.execute(
            f"SELECT {month}, COUNT(DISTINCT person_id) FROM stations_checkin "
            f"WHERE zone_id = %s GROUP BY 1 ORDER BY 1",
            [zone_id],
        )
        workers_by_month = [(m, n) for m, n in cur.fetchall()]
    return {
        "visits": sum(per_station.values()),
        "workers": workers,
        "by_month": sorted(by_month.items()),
        "by_service": {k: int(v) for k, v in by_service.items()},
        "by_job": by_job,
        "by_station": {
            s: (per_station.get(s, 0), station_workers.get(s, 0))
            for s in set(per_station) | set(station_workers)
        },
        "workers_by_month": workers_by_month,
    }


def raw_visits_total(zone_id: int) -> int:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT (SELECT COUNT(*) FROM stations_checkin WHERE zone_id = %s) + "
            "(SELECT COALESCE(SUM(visits), 0) FROM stations_walkinbatch WHERE zone_id = %s)",
            [zone_id, zone_id],
        )
        return cur.fetchone()[0]


NATIONAL_ROLLUP_SQL = (
    "SELECT zone_id, SUM(value) FROM stations_zonemonthcount "
    "WHERE metric = 'visits' AND key = '' GROUP BY zone_id"
)


def national_rollups() -> dict:
    """Every zone's visits to date from the zone month rollups: the national viewer's
    table. On Citus it groups by the distribution column, so each shard answers alone."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(NATIONAL_ROLLUP_SQL)
        return {z: int(v) for z, v in cur.fetchall()}


def national_months_rollups() -> dict:
    """Visits per month summed over all zones: a GROUP BY that is not the shard key, so
    Citus aggregates on each shard and merges on the coordinator."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT month, SUM(value) FROM stations_zonemonthcount "
            "WHERE metric = 'visits' AND key = '' GROUP BY month"
        )
        return {m: int(v) for m, v in cur.fetchall()}


def national_raw() -> dict:
    """The same per-zone figure from the raw events (check-ins plus keeper walk-ins)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT zone_id, SUM(n) FROM ("
            " SELECT zone_id, COUNT(*) AS n FROM stations_checkin GROUP BY zone_id"
            " UNION ALL SELECT zone_id, SUM(visits) FROM stations_walkinbatch GROUP BY zone_id"
            ") t GROUP BY zone_id"
        )
        return {z: int(v) for z, v in cur.fetchall()}


def national_plan(db: str) -> str:
    """On Citus, how the coordinator runs the national query: the executor and the number
    of shard tasks (a repartition join would show up here, and is switched off)."""
    if db != "citus":
        return ""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SHOW citus.enable_repartition_joins")
        repartition = cur.fetchone()[0]
        cur.execute("EXPLAIN " + NATIONAL_ROLLUP_SQL)
        lines = [row[0].strip() for row in cur.fetchall()]
    keep = [x for x in lines if x.startswith(("Custom Scan", "Task Count"))]
    return "; ".join(keep) + f"; citus.enable_repartition_joins = {repartition}"


def as_figures(stats) -> dict:
    return {
        "visits": stats.visits,
        "workers": stats.workers,
        "by_month": list(stats.by_month),
        "by_service": dict(stats.by_service),
        "by_job": dict(stats.by_job),
        "by_station": {r["station_id"]: (r["visits"], r["workers"]) for r in stats.by_station},
        "workers_by_month": list(stats.workers_by_month),
    }


def repeat(fn, times: int, budget_s: float, label: str) -> tuple[list[float], object]:
    out, result = [], None
    start = time.perf_counter()
    for i in range(times):
        t0 = time.perf_counter()
        result = fn()
        out.append(time.perf_counter() - t0)
        if budget_s and time.perf_counter() - start > budget_s and i + 1 < times:
            log(f"  {label}: time budget spent after {i + 1} of {times} calls")
            break
    log(f"  {label}: {len(out)} calls, last {out[-1] * 1000:.1f} ms")
    return out, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--records", type=int, default=10_000_000, help="ServiceRecord rows (default 10M)"
    )
    parser.add_argument(
        "--repeat", type=int, default=20, help="calls of each rollup selector (default 20)"
    )
    parser.add_argument(
        "--raw-repeat", type=int, default=3, help="calls of the raw aggregation (default 3)"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=120.0,
        help="seconds per timed method before it stops repeating (default 120)",
    )
    parser.add_argument(
        "--rebuild-check",
        action="store_true",
        help="also run services.stats_rebuild on the smallest zone, time it, and "
        "compare its rollups with the generated ones",
    )
    parser.add_argument("--seed", type=int, default=20240607)
    add_db_argument(parser)
    args = parser.parse_args()
    if run_each_backend(args):
        return

    import numpy as np

    log(f"bench_dashboard: {args.records:,} service records, db={args.db}; {machine_note()}")
    with BenchEnv("dashboard", args.db, keep=args.keep) as env:
        from django.db import connection
        from django.utils import timezone

        from gaoxin.stations import selectors

        start = timezone.localdate() - dt.timedelta(days=DAYS)
        t_gen = time.perf_counter()
        # generate with placeholder ids first (workers per zone come out of the generation)
        d = generate(
            args.records,
            args.seed,
            list(range(len(ZONE_SHARE))),
            list(range(len(ZONE_SHARE) * STATIONS_PER_ZONE)),
            start,
        )
        d.start = start
        d.start_s = (start - dt.date(1970, 1, 1)).days * 86400
        d.start_day = (start - dt.date(1970, 1, 1)).days
        months = sorted({(start + dt.timedelta(days=i)).replace(day=1) for i in range(DAYS)})
        d.months = months
        month_ix = {m: i for i, m in enumerate(months)}
        d.day_month = np.array(
            [month_ix[(start + dt.timedelta(days=i)).replace(day=1)] for i in range(DAYS)]
        )
        rollups(d)
        gen_s = time.perf_counter() - t_gen
        log(
            f"generated {len(d.c_t):,} check-ins, {len(d.sr_t):,} service records, "
            f"{len(d.w_day):,} walk-in counts, {d.n_p:,} workers; rollups: {len(d.dc_sd):,} day counts, "
            f"{len(d.sw_station):,} station-workers, {len(d.smw_station):,} station-month-workers "
            f"in {gen_s:.1f} s"
        )

        t0 = time.perf_counter()
        n_workers = np.bincount(d.p_zone, minlength=len(ZONE_SHARE))
        zone_ids, station_ids, person_ids = setup_registry(
            len(ZONE_SHARE), n_workers, d.p_job, d.jobs, d.is_24h, args.seed
        )
        reg_s = time.perf_counter() - t0
        log(
            f"zones, {len(station_ids):,} stations, {len(person_ids):,} workers via bulk_create in {reg_s:.1f} s"
        )
        load_times = load(env, d, zone_ids, station_ids, person_ids)
        total_rows = len(d.c_t) + len(d.sr_t) + len(d.w_day)
        zone = zone_ids[0]
        zone_checkins = int((d.st_zone[d.c_station] == 0).sum())
        zone_records = int((d.st_zone[d.sr_station] == 0).sum())
        del d
        size = env.db_size()
        sizes = table_sizes(BIG_TABLES)
        log(f"database size {mb(size)}")

        log("timing the dashboard (rollups) …")
        stats_t, stats = repeat(
            lambda: selectors.zone_station_stats(zone=zone),
            args.repeat + 1,
            args.budget,
            "zone_station_stats",
        )
        stats_t = stats_t[1:] or stats_t  # the first call warms the cache
        since = timezone.localdate() - dt.timedelta(days=30)
        recent_t, _ = repeat(
            lambda: selectors.zone_station_stats(zone=zone, since=since),
            args.repeat,
            args.budget,
            "zone_station_stats(since=30 days ago)",
        )
        total_t, total = repeat(
            lambda: selectors.zone_visits_total(zone=zone),
            args.repeat * 3,
            args.budget,
            "zone_visits_total",
        )
        log("timing the same figures from the raw tables …")
        raw_t, raw = repeat(lambda: raw_stats(zone), args.raw_repeat, args.budget, "raw GROUP BY")
        raw_total_t, raw_total = repeat(
            lambda: raw_visits_total(zone), args.raw_repeat, args.budget, "raw visits total"
        )
        log("timing a cross-zone (national) query, rollups and raw …")
        national_t, national = repeat(
            national_rollups, args.repeat, args.budget, "national visits by zone (rollups)"
        )
        national_months_t, national_months = repeat(
            national_months_rollups, args.repeat, args.budget, "national visits by month"
        )
        national_raw_t, national_from_raw = repeat(
            national_raw, args.raw_repeat, args.budget, "national visits by zone (raw)"
        )
        plan = national_plan(env.db)
        figures = as_figures(stats)
        diffs = [k for k in figures if figures[k] != raw[k]]
        with connection.cursor() as cur:
            cur.execute(
                "SELECT (SELECT COALESCE(SUM(value), 0) FROM stations_stationdaycount WHERE metric = 'visits'),"
                " (SELECT COUNT(*) FROM stations_checkin) + "
                "(SELECT COALESCE(SUM(visits), 0) FROM stations_walkinbatch)"
            )
            all_rollup, all_raw = cur.fetchone()

        rebuild = None
        if args.rebuild_check:
            rebuild = rebuild_check(zone_ids[-1])

        s_stats, s_recent, s_total = summary_ms(stats_t), summary_ms(recent_t), summary_ms(total_t)
        s_raw, s_raw_total = summary_ms(raw_t), summary_ms(raw_total_t)
        print()
        print(
            f"== dashboard, {env.db}: {len(person_ids):,} workers, {len(station_ids):,} stations, "
            f"{DAYS} days ({machine_note()}) =="
        )
        print(
            f"rows: {total_rows:,} raw ({load_times.get('raw', 0):.0f} s to insert), "
            f"timed zone {zone}: {zone_checkins:,} check-ins, {zone_records:,} service records"
        )
        print(
            f"generation {gen_s:.1f} s (numpy, incl. rollups); registry {reg_s:.1f} s; raw insert "
            f"{load_times['raw']:.1f} s; rollup insert {load_times['rollups']:.1f} s; "
            f"index rebuild + analyze {load_times['indexes']:.1f} s"
            + (f"; foreign_key_check {load_times['fk_check']:.1f} s" if env.db == "sqlite" else "")
        )
        print(
            f"disk: database {mb(size)}; "
            + ", ".join(f"{t.removeprefix('stations_')} {mb(b)}" for t, b in sizes.items())
        )
        print(fmt_summary("zone_station_stats (rollups)", s_stats, 40))
        print(fmt_summary("zone_station_stats since 30 days", s_recent, 40))
        print(fmt_summary("zone_visits_total (rollups)", s_total, 40))
        print(fmt_summary("raw GROUP BY, same figures", s_raw, 40))
        print(fmt_summary("raw visits total", s_raw_total, 40))
        s_nat, s_nat_m, s_nat_raw = (
            summary_ms(national_t),
            summary_ms(national_months_t),
            summary_ms(national_raw_t),
        )
        print(f"cross-zone, all {len(national)} zones (the national view):")
        print(fmt_summary("  visits by zone (zone month rollups)", s_nat, 40))
        print(fmt_summary("  visits by month (zone month rollups)", s_nat_m, 40))
        print(fmt_summary("  visits by zone (raw check-ins + walk-ins)", s_nat_raw, 40))
        if plan:
            print(f"  plan: {plan}")
        print("ratios (raw / rollups):")
        print(f"  stats        p50 {s_raw['p50'] / s_stats['p50']:8.2f}x")
        print(f"  visits total p50 {s_raw_total['p50'] / s_total['p50']:8.2f}x")
        print("checks (must hold):")
        print(
            f"  rollup figures == raw figures for zone {zone}: "
            f"{'yes' if not diffs else 'NO, differ in ' + ', '.join(diffs)}"
        )
        print(f"  zone_visits_total == raw total: {total == raw_total} ({total:,})")
        print(
            f"  national visits by zone, rollups == raw: {national == national_from_raw}; "
            f"by month sums to the same total: {sum(national_months.values()) == sum(national.values())}"
        )
        print(
            f"  all zones: rollup visits {all_rollup:,} == raw {all_raw:,}: {all_rollup == all_raw}"
        )
        if env.db == "sqlite":
            print(f"  dangling foreign keys: {load_times['fk_bad']}")
        if rebuild:
            print(
                f"  stats_rebuild on zone {rebuild['zone']}: {rebuild['seconds']:.1f} s for "
                f"{rebuild['checkins']:,} check-ins; rebuilt rollups identical to generated: "
                f"{rebuild['same']}"
            )


def rebuild_check(zone_id: int) -> dict:
    """Run the product's repair (services.stats_rebuild) on one zone and compare the tables."""
    from gaoxin.core.models import Zone
    from gaoxin.stations import models, services

    tables = {
        models.StationDayCount: ("station_id", "day", "metric", "key", "value"),
        models.StationMonthCount: ("station_id", "month", "metric", "key", "value"),
        models.StationWorker: ("station_id", "person_id", "first_at"),
        models.StationMonthWorker: ("station_id", "month", "person_id"),
        models.ZoneWorker: ("person_id", "first_at"),
        models.ZoneMonthWorker: ("month", "person_id"),
        models.ZoneMonthCount: ("month", "metric", "key", "value"),
        models.ZoneDayCount: ("day", "metric", "key", "value"),
    }

    def snapshot():
        return {
            m.__name__: sorted(m.objects.filter(zone_id=zone_id).values_list(*f))
            for m, f in tables.items()
        }

    log(f"stats_rebuild on zone {zone_id} …")
    before = snapshot()
    t0 = time.perf_counter()
    services.stats_rebuild(zone=Zone.objects.get(pk=zone_id))
    seconds = time.perf_counter() - t0
    after = snapshot()
    differ = [name for name in before if before[name] != after[name]]
    return {
        "zone": zone_id,
        "seconds": seconds,
        "same": not differ and "yes" or f"NO: {differ}",
        "checkins": models.Checkin.objects.filter(zone_id=zone_id).count(),
    }


if __name__ == "__main__":
    main()
