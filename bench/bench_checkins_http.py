"""Check-in write path under load: concurrent HTTP check-ins against gunicorn, next to raw driver inserts.

    .venv/bin/python bench/bench_checkins_http.py [--db sqlite|pg|both] [--requests 5000] [--concurrency 48]

Builds a throw-away database (SQLite in WAL mode as config.settings configures
it, or PostgreSQL) with two zones of 20 open 24-hour stations and enough
workers (Person + User with the worker role + an API token, all bulk-created)
that every request is a distinct (worker, station) pair, so no duplicate-scan
409 is expected.

  baseline  the same number of check-ins written directly with the driver
            (sqlite3 / psycopg) from the same number of threads, each with its
            own connection: per check-in one transaction with the guard row, the
            Checkin, its ServiceRecord, the StationDayCount upserts and the
            distinct-worker rows, as services.checkin_record writes them.
  HTTP      the real server (gunicorn gthread, --workers 3 --threads 4 by
            default) on 127.0.0.1, driven by a thread pool of keep-alive
            http.client connections: POST /api/v1/stations/{id}/checkins with
            the station's poster code and a Bearer token.

  ceiling   on the same server, at the same concurrency, just before the
            check-ins: the server's cheapest authenticated GET (GET
            /api/v1/zones/{id} with a worker's Bearer token) fired by `hey`
            (installed from Debian if missing), and the same GET through this
            script's Python client; check-ins/s are printed as a fraction of it.

Prints requests/s, p50/p95/p99 latency, the fraction of the ceiling, status counts and errors (any response or
server-log line with "database is locked", tracebacks), then checks in the
database that every 201 is a stored check-in, that rows == 201s (no lost or
phantom check-ins) and that the rollup visit total equals them. The server is
stopped on exit, also on errors and Ctrl-C. Prints; never asserts.
"""

import argparse
import contextlib
import datetime as dt
import hashlib
import http.client
import itertools
import json
import secrets
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    ROOT,
    BenchEnv,
    add_db_argument,
    ceiling_hey,
    ceiling_python,
    fmt_ceiling,
    fmt_summary,
    free_port,
    log,
    machine_note,
    run_each_backend,
    server_cpu_seconds,
    summary_ms,
)

N_STATIONS = 20
LOCKED = "database is locked"


def setup_zone(code: str, n_workers: int) -> dict:
    """One zone, N_STATIONS open 24 h stations, n_workers workers with logins and tokens."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from gaoxin.core.enums import Role
    from gaoxin.core.models import ApiToken, User, Zone
    from gaoxin.registry.models import Person
    from gaoxin.stations import tokens
    from gaoxin.stations.enums import Amenity, amenity_mask
    from gaoxin.stations.models import Station, grid_cell

    jobs = ["courier", "food_delivery", "ride_hailing", "truck_driver"]
    everything = list(Amenity.values)
    unusable = make_password(None)
    with transaction.atomic():
        zone = Zone.objects.create(code=code, name=f"签到园区{code}", province="-", city="-")
        stations = Station.objects.bulk_create(
            [
                Station(
                    zone=zone,
                    name=f"驿站{i:02d}",
                    kind="partner",
                    address="-",
                    lat=23.05 + i / 1000,
                    lng=112.47,
                    cell=grid_cell(23.05 + i / 1000, 112.47),
                    is_24h=True,
                    amenities=everything,
                    amenity_mask=amenity_mask(everything),
                )
                for i in range(N_STATIONS)
            ]
        )
        people = Person.objects.bulk_create(
            [
                Person(zone=zone, name=f"劳动者{i}", role="worker", job_type=jobs[i % len(jobs)])
                for i in range(n_workers)
            ],
            batch_size=2000,
        )
        users = User.objects.bulk_create(
            [
                User(
                    username=f"bench-{code}-{p.pk}",
                    zone=zone,
                    person=p,
                    display_name=p.name,
                    password=unusable,
                )
                for p in people
            ],
            batch_size=2000,
        )
        group = Group.objects.get(name=Role.WORKER)
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=u.pk, group_id=group.pk) for u in users], batch_size=2000
        )
        raw = [secrets.token_urlsafe(32) for _ in users]
        expires = timezone.now() + dt.timedelta(days=1)
        ApiToken.objects.bulk_create(
            [
                ApiToken(
                    user=u, key_hash=hashlib.sha256(k.encode()).hexdigest(), expires_at=expires
                )
                for u, k in zip(users, raw, strict=True)
            ],
            batch_size=2000,
        )
    return {
        "zone": zone.pk,
        "stations": [s.pk for s in stations],
        "codes": {s.pk: tokens.poster_code(s.pk, s.poster_version) for s in stations},
        "people": [(p.pk, p.job_type) for p in people],
        "tokens": raw,
    }


def pairs(z: dict, n: int) -> list[tuple[int, int]]:
    """n distinct (worker index, station id): request i → worker i // 20, station i % 20."""
    st = z["stations"]
    return [(i // len(st), st[i % len(st)]) for i in range(n)]


def run_threads(concurrency: int, n: int, work) -> tuple[float, list]:
    """Call work(i) for i in range(n) from `concurrency` threads; returns (seconds, results)."""
    counter = itertools.count()
    results: list = [None] * n
    state = threading.local()

    def loop():
        while True:
            i = next(counter)
            if i >= n:
                return
            results[i] = work(i, state)

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(concurrency)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0, results


# ------------------------------------------------------------------ baseline


def driver_baseline(env: BenchEnv, z: dict, n: int, concurrency: int) -> tuple[float, list]:
    """The check-in writes straight through the driver: one transaction per check-in."""
    from django.utils import timezone

    jobs = dict(z["people"])
    work_pairs = pairs(z, n)
    zone = z["zone"]
    pg = bool(env.pg_name)  # PostgreSQL or the Citus coordinator
    ph = "%s" if pg else "?"
    q = lambda sql: sql.replace("?", ph)  # noqa: E731

    def upsert(table: str, fixed: list[str], rows: int) -> str:
        """services._add: INSERT … ON CONFLICT DO UPDATE SET value = value + excluded.value."""
        cols = [*fixed, "metric", "key", "value"]
        values = ", ".join(["(" + ", ".join("?" * len(cols)) + ")"] * rows)
        return q(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES {values} "
            f"ON CONFLICT ({', '.join(cols[:-1])}) DO UPDATE SET value = {table}.value + excluded.value"
        )

    station_day = upsert("stations_stationdaycount", ["zone_id", "station_id", "day"], 3)
    station_month = upsert("stations_stationmonthcount", ["zone_id", "station_id", "month"], 3)
    station_month_one = upsert("stations_stationmonthcount", ["zone_id", "station_id", "month"], 1)
    zone_day = upsert("stations_zonedaycount", ["zone_id", "day"], 3)
    zone_month = upsert("stations_zonemonthcount", ["zone_id", "month"], 3)
    zone_month_one = upsert("stations_zonemonthcount", ["zone_id", "month"], 1)
    for_update = " FOR UPDATE" if pg else ""
    conns: list = []
    lock = threading.Lock()
    if pg:
        from psycopg.types.json import Jsonb

    def connect():
        if pg:
            import psycopg

            c = psycopg.connect(env.database_url, autocommit=True)  # explicit BEGIN/COMMIT below
        else:
            import sqlite3

            c = sqlite3.connect(
                env.sqlite_path, timeout=30, isolation_level=None, check_same_thread=False
            )
            c.execute("PRAGMA synchronous=NORMAL")
            c.execute("PRAGMA busy_timeout=30000")
            c.execute("PRAGMA foreign_keys=ON")
        with lock:
            conns.append(c)
        return c

    def work(i, state):
        if not hasattr(state, "conn"):
            state.conn = connect()
        c = state.conn
        worker, station = work_pairs[i]
        person, job = z["people"][worker][0], jobs[z["people"][worker][0]]
        now = timezone.now()
        day = timezone.localtime(now).date()
        month = day.replace(day=1)
        since = now - dt.timedelta(minutes=10)
        if pg:
            at, services = now, Jsonb(["water"])
        else:  # as Django's SQLite backend stores them: naive UTC text, ISO dates
            at, since = (
                t.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ") for t in (now, since)
            )
            day, month, services = str(day), str(month), '["water"]'
        t0 = time.perf_counter()
        try:
            cur = c.cursor()
            cur.execute("BEGIN" if pg else "BEGIN IMMEDIATE")
            cur.execute(
                q(
                    "UPDATE stations_checkinguard SET last_at = ? WHERE zone_id = ? AND station_id = ? "
                    "AND person_id = ? AND last_at <= ?"
                ),
                (at, zone, station, person, since),
            )
            if cur.rowcount == 0:
                cur.execute(
                    q(
                        "INSERT INTO stations_checkinguard (zone_id, station_id, person_id, last_at) "
                        "VALUES (?, ?, ?, ?)"
                    ),
                    (zone, station, person, at),
                )
            cur.execute(
                q(
                    "INSERT INTO stations_checkin (zone_id, station_id, person_id, occurred_at, job_type, "
                    "source, services) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"
                ),
                (zone, station, person, at, job, "api", services),
            )
            checkin_id = cur.fetchone()[0]
            cur.execute(
                q(
                    "INSERT INTO stations_servicerecord (zone_id, station_id, checkin_id, person_id, "
                    "service, count, occurred_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                ),
                (zone, station, checkin_id, person, "water", 1, at, "api"),
            )
            counts = ("visits", "", 1, "job", job, 1, "service", "water", 1)
            cur.execute(
                station_day,
                (
                    zone,
                    station,
                    day,
                    *counts[:3],
                    zone,
                    station,
                    day,
                    *counts[3:6],
                    zone,
                    station,
                    day,
                    *counts[6:],
                ),
            )
            cur.execute(
                station_month,
                (
                    zone,
                    station,
                    month,
                    *counts[:3],
                    zone,
                    station,
                    month,
                    *counts[3:6],
                    zone,
                    station,
                    month,
                    *counts[6:],
                ),
            )
            # services._mark_worker: first visits and month sets; counters move only for new rows
            # (the bench's check-ins are all "now", so a known first visit never moves back)
            cur.execute(
                q(
                    "INSERT INTO stations_stationworker (zone_id, station_id, person_id, first_at) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING"
                ),
                (zone, station, person, at),
            )
            if cur.rowcount == 1:
                cur.execute(station_month_one, (zone, station, month, "new_workers", "", 1))
            else:
                cur.execute(
                    q(
                        "SELECT first_at FROM stations_stationworker WHERE zone_id = ? AND "
                        "station_id = ? AND person_id = ?" + for_update
                    ),
                    (zone, station, person),
                )
                cur.fetchall()
            cur.execute(
                q(
                    "INSERT INTO stations_stationmonthworker (zone_id, station_id, month, person_id) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING"
                ),
                (zone, station, month, person),
            )
            if cur.rowcount == 1:
                cur.execute(station_month_one, (zone, station, month, "workers", "", 1))
            cur.execute(
                q(
                    "INSERT INTO stations_zoneworker (zone_id, person_id, first_at) "
                    "VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
                ),
                (zone, person, at),
            )
            if cur.rowcount == 1:
                cur.execute(zone_month_one, (zone, month, "new_workers", "", 1))
            else:
                cur.execute(
                    q(
                        "SELECT first_at FROM stations_zoneworker WHERE zone_id = ? AND "
                        "person_id = ?" + for_update
                    ),
                    (zone, person),
                )
                cur.fetchall()
            cur.execute(
                q(
                    "INSERT INTO stations_zonemonthworker (zone_id, month, person_id) "
                    "VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
                ),
                (zone, month, person),
            )
            if cur.rowcount == 1:
                cur.execute(zone_month_one, (zone, month, "workers", "", 1))
            cur.execute(
                zone_day, (zone, day, *counts[:3], zone, day, *counts[3:6], zone, day, *counts[6:])
            )
            cur.execute(
                zone_month,
                (zone, month, *counts[:3], zone, month, *counts[3:6], zone, month, *counts[6:]),
            )
            cur.execute("COMMIT")
            return (time.perf_counter() - t0, None)
        except Exception as exc:
            with contextlib.suppress(Exception):
                c.execute("ROLLBACK")
            return (time.perf_counter() - t0, f"{type(exc).__name__}: {exc}")

    try:
        return run_threads(concurrency, n, work)
    finally:
        for c in conns:
            c.close()


# ------------------------------------------------------------------ HTTP


class Server:
    """gunicorn on 127.0.0.1 with the bench database; its output goes to a log file."""

    def __init__(self, env: BenchEnv, workers: int, threads: int, settings: str = ""):
        self.env, self.port, self.settings = env, free_port(), settings
        self.log_path = env.data_dir / "gunicorn.log"
        self.cmd = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--timeout",
            "120",
            "--graceful-timeout",
            "10",
            "--error-logfile",
            "-",
            "--capture-output",
            "--log-level",
            "warning",
        ]
        if not Path(self.cmd[0]).exists():
            self.cmd[0] = str(Path(sys.executable).parent / "gunicorn")
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in __exit__
        server_env = self.env.env()
        if self.settings:
            server_env["DJANGO_SETTINGS_MODULE"] = self.settings
        self.proc = subprocess.Popen(
            self.cmd, cwd=ROOT, env=server_env, stdout=self._log, stderr=subprocess.STDOUT
        )
        try:
            return self._wait_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise

    def _wait_ready(self) -> "Server":
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited ({self.proc.returncode}): {self.log_text()[-2000:]}"
                )
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/api/v1/stations/nearest?lat=23.05&lng=112.47&k=1")
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    log(f"gunicorn pid {self.proc.pid} answers on 127.0.0.1:{self.port}")
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 90 s")

    def log_text(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: gunicorn's graceful shutdown
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
            log(f"gunicorn stopped (exit {self.proc.returncode})")
        self._log.close()


def http_checkins(server: Server, z: dict, n: int, concurrency: int) -> tuple[float, list]:
    work_pairs = pairs(z, n)

    def connect(state):
        state.conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)

    def work(i, state):
        if not hasattr(state, "conn"):
            connect(state)
        worker, station = work_pairs[i]
        body = json.dumps({"code": z["codes"][station], "services": ["water"]})
        headers = {
            "Authorization": f"Bearer {z['tokens'][worker]}",
            "Content-Type": "application/json",
        }
        t0 = time.perf_counter()
        try:
            state.conn.request(
                "POST", f"/api/v1/stations/{station}/checkins", body=body, headers=headers
            )
            resp = state.conn.getresponse()
            data = resp.read()
            elapsed = time.perf_counter() - t0
            if resp.getheader("Connection", "").lower() == "close":
                state.conn.close()
                connect(state)
            text = data.decode(errors="replace")
            checkin_id = json.loads(text).get("id") if resp.status == 201 else None
            return (elapsed, resp.status, checkin_id, "" if resp.status == 201 else text[:300])
        except (OSError, http.client.HTTPException) as exc:
            elapsed = time.perf_counter() - t0
            state.conn.close()
            connect(state)
            return (elapsed, "connection error", None, f"{type(exc).__name__}: {exc}")

    return run_threads(concurrency, n, work)


def warm_up(server: Server, concurrency: int) -> None:
    """Read-only requests so every worker process has imported and connected."""

    def work(i, state):
        if not hasattr(state, "conn"):
            state.conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        state.conn.request("GET", "/api/v1/stations/nearest?lat=23.05&lng=112.47&k=3")
        state.conn.getresponse().read()

    run_threads(concurrency, concurrency * 4, work)


# ------------------------------------------------------------------ main


def verify(z: dict, created_ids: list[int]) -> dict:
    """What was stored, and whether every rollup level (station/zone × day/month, and
    the distinct-worker counters) agrees with the raw check-ins."""
    from django.db.models import Sum

    from gaoxin.stations import models, selectors

    zone = z["zone"]
    stored = set(models.Checkin.objects.filter(zone_id=zone).values_list("id", flat=True))
    visits = {
        m.__name__: m.objects.filter(zone_id=zone, metric="visits").aggregate(n=Sum("value"))["n"]
        or 0
        for m in (
            models.StationDayCount,
            models.StationMonthCount,
            models.ZoneDayCount,
            models.ZoneMonthCount,
        )
    }
    workers = models.Checkin.objects.filter(zone_id=zone).values("person_id").distinct().count()
    return {
        "rows": len(stored),
        "lost": sum(1 for i in created_ids if i not in stored),
        "records": models.ServiceRecord.objects.filter(zone_id=zone).count(),
        "rollup_visits": visits["StationDayCount"],
        "levels_agree": len(set(visits.values())) == 1
        and selectors.zone_station_stats(zone=zone).workers == workers,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=48)
    parser.add_argument(
        "--ceiling-requests",
        type=int,
        default=5000,
        help="GETs per ceiling measurement (hey, then the Python client)",
    )
    parser.add_argument(
        "--workers", type=int, default=3, help="gunicorn worker processes (default 3)"
    )
    parser.add_argument(
        "--threads", type=int, default=4, help="threads per gunicorn worker (default 4)"
    )
    parser.add_argument(
        "--settings",
        default="",
        help="DJANGO_SETTINGS_MODULE for the server only (default "
        "config.settings.local); put the module on PYTHONPATH",
    )
    add_db_argument(parser)
    args = parser.parse_args()
    if run_each_backend(args):
        return

    n, conc = args.requests, args.concurrency
    log(
        f"bench_checkins_http: {n} check-ins, {conc} client threads, db={args.db}, gunicorn "
        f"{args.workers}x{args.threads} gthread; {machine_note()}"
    )
    with BenchEnv("checkins", args.db, keep=args.keep) as env:
        from django.db import connections

        t0 = time.perf_counter()
        workers = -(-n // N_STATIONS)
        z_http = setup_zone("http", workers)
        z_base = setup_zone("base", workers)
        log(
            f"2 zones x {N_STATIONS} stations, 2 x {workers} workers with tokens in {time.perf_counter() - t0:.1f} s"
        )
        connections.close_all()

        log(f"baseline: {n} check-ins through the driver from {conc} threads …")
        base_s, base = driver_baseline(env, z_base, n, conc)
        base_err = [r[1] for r in base if r[1]]
        log(f"baseline done in {base_s:.1f} s, {len(base_err)} errors")

        with Server(env, args.workers, args.threads, args.settings) as server:
            warm_up(server, conc)
            path, token = f"/api/v1/zones/{z_http['zone']}", z_http["tokens"][-1]
            log(f"ceiling: GET {path} × {args.ceiling_requests:,} from {conc} connections (hey)")
            cpu0 = server_cpu_seconds(server.proc.pid)
            hey = ceiling_hey(server.port, path, token, conc, args.ceiling_requests)
            cpu1 = server_cpu_seconds(server.proc.pid)
            log("ceiling: the same GETs through the Python client")
            py = ceiling_python(server.port, path, token, conc, args.ceiling_requests)
            log(f"HTTP: {n} check-ins, {conc} keep-alive connections …")
            cpu2 = server_cpu_seconds(server.proc.pid)
            http_s, res = http_checkins(server, z_http, n, conc)
            cpu3 = server_cpu_seconds(server.proc.pid)
            log(f"HTTP done in {http_s:.1f} s")
            time.sleep(0.5)
            server_log = server.log_text()

        statuses = Counter(r[1] for r in res)
        created = [r[2] for r in res if r[1] == 201]
        locked_bodies = sum(LOCKED in r[3] for r in res)
        locked_log = server_log.count(LOCKED)
        tracebacks = server_log.count("Traceback")
        samples = Counter(r[3][:160] for r in res if r[1] != 201)
        connections.close_all()
        v_http = verify(z_http, created)
        v_base = verify(z_base, [])
        s_http = summary_ms([r[0] for r in res])
        s_ok = summary_ms([r[0] for r in res if r[1] == 201]) if created else None
        s_base = summary_ms([r[0] for r in base])
        base_ok = n - len(base_err)

        print()
        print(
            f"== check-ins, {env.db}: {n} requests, {conc} concurrent, gunicorn {args.workers} workers x "
            f"{args.threads} threads{', settings ' + args.settings if args.settings else ''} "
            f"({machine_note()}) =="
        )
        print(f"HTTP      {n / http_s:8.1f} req/s  ({http_s:.1f} s)   statuses {dict(statuses)}")
        print(fmt_summary("  latency, all requests", s_http, 30))
        if s_ok:
            print(fmt_summary("  latency, 201 only", s_ok, 30))
        print(
            f"baseline  {n / base_s:8.1f} check-ins/s ({base_s:.1f} s)   ok {base_ok}, errors {len(base_err)}"
        )
        print(fmt_summary("  latency per transaction", s_base, 30))
        print(fmt_ceiling("ceiling: GET zone, hey", hey))
        print(fmt_ceiling("ceiling: GET zone, Python client", py))
        print("ratios:")
        if hey:
            print(
                f"  check-ins/s ÷ ceiling (hey)  {(n / http_s) / hey['rps']:6.2f}   "
                f"(÷ Python-client ceiling {(n / http_s) / py['rps']:.2f})"
            )
            get_ms = (cpu1 - cpu0) * 1000 / max(1, sum(hey["statuses"].values()))
            post_ms = (cpu3 - cpu2) * 1000 / n
            print(
                f"  server CPU per request       GET {get_ms:.1f} ms, check-in {post_ms:.1f} ms: "
                f"GET ÷ check-in = {get_ms / post_ms:.2f} (gunicorn processes only)"
            )
        print(f"  throughput baseline / HTTP  {(n / base_s) / (n / http_s):6.1f}x")
        print(f"  p50 HTTP / baseline         {s_http['p50'] / s_base['p50']:6.1f}x")
        print(f"  p99 HTTP / baseline         {s_http['p99'] / s_base['p99']:6.1f}x")
        print("errors:")
        print(
            f"  non-201 responses: {n - len(created)}; '{LOCKED}' in responses: {locked_bodies}, "
            f"in server log: {locked_log}; tracebacks in server log: {tracebacks}"
        )
        for text, count in samples.most_common(5):
            print(f"    {count} x {text}")
        if base_err:
            print(f"  baseline errors: {Counter(e[:120] for e in base_err).most_common(3)}")
        print("checks (must be 0 / equal):")
        print(f"  lost check-ins (201 but not stored): {v_http['lost']}")
        print(
            f"  stored check-ins {v_http['rows']} == 201 responses {len(created)}: "
            f"{v_http['rows'] == len(created)}"
        )
        print(
            f"  service records {v_http['records']} == 201 responses: {v_http['records'] == len(created)}"
        )
        print(
            f"  rollup visits {v_http['rollup_visits']} == 201 responses: "
            f"{v_http['rollup_visits'] == len(created)}"
        )
        print(
            f"  station/zone day/month rollups and distinct workers agree: {v_http['levels_agree']}"
        )
        print(
            f"  baseline: stored {v_base['rows']}, rollup visits {v_base['rollup_visits']} == ok {base_ok}: "
            f"{v_base['rows'] == base_ok == v_base['rollup_visits']}"
        )
        if locked_log or tracebacks:
            print("  first problem lines of the server log:")
            for line in [ln for ln in server_log.splitlines() if LOCKED in ln or "Error" in ln][
                :10
            ]:
                print(f"    {line[:200]}")


if __name__ == "__main__":
    main()
