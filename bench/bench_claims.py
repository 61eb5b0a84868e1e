"""First come, first served over HTTP: 20,000 claims at a 1,000-unit campaign.

    .venv/bin/python bench/bench_claims.py [--requests 20000] [--stock 1000] [--users 20000]
                                           [--threads 48] [--db sqlite|pg|both] [--pg] [--keep]

Builds a throw-away database (SQLite in a temporary GAOXIN_DATA_DIR, or with
--db pg / --pg a PostgreSQL database of its own on 127.0.0.1), creates a zone,
N workers (people and logins in bulk, a bearer token each through
core.services.api_token_issue) and a campaign opened through the services,
then starts the real server (gunicorn, 3 workers × 4 threads, gthread) on a
free port of 127.0.0.1 and fires the claims from a thread pool:

    POST /api/v1/campaigns/{id}/claims   Authorization: Bearer <worker's token>

Most requests come from distinct workers; 5% repeat an earlier worker's
request: half as a retry with the same Idempotency-Key (must return the same
voucher, 200) and half as a second tap without one (must be refused).

First, on the same server and at the same concurrency, the framework ceiling:
the server's cheapest authenticated GET (GET /api/v1/zones/{id} with a worker's
Bearer token, one token lookup and one zone read) fired by `hey` (installed
from Debian if missing), and the same GET through this script's own Python
client. Claims/s are printed as a fraction of that ceiling.

Reported: claims/s, latency p50/p95/p99, the fraction of the ceiling, the answers by status and code, and the
database afterwards — issued (must be exactly the stock), duplicates (workers
holding two vouchers; must be 0), vouchers answered 201 but missing from the
database (must be 0), ledger value issued. Next to it, in the same run, a
raw-SQL baseline: the same conditional UPDATE … WHERE issued < stock fired
the same number of times from the same number of threads through the bare
driver (sqlite3 / psycopg), one transaction each. Timings are printed, never
asserted; the exactness checks set the exit status.
"""

import argparse
import http.client
import json
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
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

UNIT_VALUE_FEN = 1_000  # 10 元
MAX_SECONDS = 900  # the whole firing phase, whatever happens
REQUEST_TIMEOUT = 30


# --------------------------------------------------------------------- setup


def _setup(users: int, stock: int) -> tuple[int, int, list[str]]:
    """Zone, officers, the campaign and a baseline campaign (both open), N workers with tokens."""
    import datetime as dt

    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from gaoxin.core import services as core
    from gaoxin.core.enums import PersonRole, Role
    from gaoxin.core.models import User
    from gaoxin.registry.models import Person
    from gaoxin.welfare import services
    from gaoxin.welfare.enums import CampaignStatus

    zone = core.zone_create(
        actor=None, code="bench", name="肇庆高新区", province="广东省", city="肇庆市"
    )
    creator = core.user_create(
        actor=None, username="bench.officer", password="x-bench-1", zone=zone, roles=[Role.OFFICER]
    )
    approver = core.user_create(
        actor=None, username="bench.admin", password="x-bench-1", zone=zone, roles=[Role.ZONE_ADMIN]
    )
    now = timezone.now()

    def campaign(title: str):
        c = services.campaign_create(
            actor=creator,
            zone=zone,
            data={
                "title": title,
                "kind": "e_voucher",
                "sponsor_kind": "union",
                "sponsor_name": "总工会",
                "unit_value_fen": UNIT_VALUE_FEN,
                "stock": stock,
                "per_worker_limit": 1,
                "claim_starts_at": now - dt.timedelta(hours=1),
                "claim_ends_at": now + dt.timedelta(days=1),
            },
        )
        c = services.campaign_transition(campaign=c, to=CampaignStatus.APPROVED, actor=approver)
        return services.campaign_transition(campaign=c, to=CampaignStatus.OPEN, actor=creator)

    target, baseline = campaign("电影通兑券（压测）"), campaign("基线（裸 SQL）")

    t0 = time.perf_counter()
    hashed = make_password("x-bench-worker")
    worker_group = Group.objects.get(name=Role.WORKER)
    with transaction.atomic():
        people = Person.objects.bulk_create(
            [
                Person(
                    zone=zone, name=f"骑手{n:05d}", role=PersonRole.WORKER, job_type="food_delivery"
                )
                for n in range(users)
            ],
            batch_size=2000,
        )
        logins = User.objects.bulk_create(
            [
                User(
                    username=f"w{n:05d}", zone=zone, person=p, password=hashed, display_name=p.name
                )
                for n, p in enumerate(people)
            ],
            batch_size=2000,
        )
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=u.pk, group_id=worker_group.pk) for u in logins],
            batch_size=5000,
        )
        tokens = [core.api_token_issue(user=u) for u in logins]
    log(f"{users:,} workers with logins and tokens in {time.perf_counter() - t0:.1f} s")
    return target.pk, baseline.pk, tokens


# ---------------------------------------------------------------- the server


def _start_server(env: BenchEnv, port: int) -> subprocess.Popen:
    cmd = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "3",
        "--threads",
        "4",
        "--worker-class",
        "gthread",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    # 409s are the expected answer for most requests: Django logs each one, so
    # the server's output goes to a file in the data dir instead of the terminal.
    log_file = open(env.data_dir / "gunicorn.log", "wb")  # noqa: SIM115 - closed with the server
    server = subprocess.Popen(
        cmd, cwd=ROOT, env=env.env(), stdout=log_file, stderr=subprocess.STDOUT
    )
    server.log_file = log_file
    deadline = time.monotonic() + 180  # a loaded machine starts 3 workers slowly
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log_file.close()
            tail = (env.data_dir / "gunicorn.log").read_text(errors="replace")[-2000:]
            raise SystemExit(f"gunicorn exited with {server.returncode}:\n{tail}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/openapi.json")
            if conn.getresponse().status == 200:
                conn.close()
                return server
        except OSError:
            pass
        time.sleep(0.3)
    _stop_server(server)
    raise SystemExit("gunicorn did not answer within 180 s")


def _stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    server.log_file.close()


# -------------------------------------------------------------------- firing


def _plan(requests: int, tokens: list[str], rng: random.Random) -> list[tuple[str, str]]:
    """(token, idempotency key) per request: distinct workers, 5% repeats of earlier ones."""
    repeats = requests // 20
    first = [(tokens[i], f"claim-{i}") for i in range(min(requests - repeats, len(tokens)))]
    plan = list(first)
    for n in range(requests - len(first)):
        token, key = rng.choice(first)
        plan.append((token, key if n % 2 == 0 else ""))  # a retry, or a second tap
    rng.shuffle(plan)
    return plan


def _fire(
    port: int, campaign_id: int, plan: list[tuple[str, str]], threads: int
) -> tuple[list, float]:
    local = threading.local()
    path = f"/api/v1/campaigns/{campaign_id}/claims"
    stop_at = time.monotonic() + MAX_SECONDS

    def one(item):
        token, key = item
        if time.monotonic() > stop_at:
            return ("skipped", 0.0, "", "", key)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        if key:
            headers["Idempotency-Key"] = key
        t0 = time.perf_counter()
        try:
            conn = getattr(local, "conn", None)
            if conn is None:
                conn = local.conn = http.client.HTTPConnection(
                    "127.0.0.1", port, timeout=REQUEST_TIMEOUT
                )
            conn.request("POST", path, body=b"{}", headers=headers)
            resp = conn.getresponse()
            body = resp.read()
            elapsed = time.perf_counter() - t0
        except (OSError, http.client.HTTPException) as exc:
            local.conn = None
            return ("error", time.perf_counter() - t0, type(exc).__name__, "", key)
        try:
            data = json.loads(body)
        except ValueError:
            return (resp.status, elapsed, "not-json", "", key)
        if resp.status >= 400:
            return (resp.status, elapsed, data.get("code", ""), "", key)
        return (resp.status, elapsed, "", data.get("code", ""), key)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(one, plan))
    return results, time.perf_counter() - t0


# ------------------------------------------------------------------ baseline


def _baseline(
    env: BenchEnv, campaign_id: int, attempts: int, threads: int
) -> tuple[list[float], int, float]:
    """The bare conditional UPDATE, one transaction per attempt, through the driver."""
    from django.db import connection

    from gaoxin.welfare.models import Campaign

    zone_id = Campaign.objects.get(pk=campaign_id).zone_id

    table = "welfare_campaign"
    sql = (
        f"UPDATE {table} SET issued = issued + 1 "
        "WHERE zone_id = %s AND id = %s AND status = 'open' AND issued < stock"
    )
    local = threading.local()

    def connect():
        if env.pg_name:  # PostgreSQL or the Citus coordinator
            import psycopg

            return psycopg.connect(env.database_url, autocommit=True)
        import sqlite3

        conn = sqlite3.connect(
            str(env.sqlite_path), timeout=30, isolation_level=None, check_same_thread=False
        )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    def one(_):
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = connect()
        t0 = time.perf_counter()
        if env.pg_name:
            with conn.transaction():
                won = conn.execute(sql, [zone_id, campaign_id]).rowcount
        else:
            conn.execute("BEGIN IMMEDIATE")
            won = conn.execute(sql.replace("%s", "?"), [zone_id, campaign_id]).rowcount
            conn.execute("COMMIT")
        return time.perf_counter() - t0, won

    connection.close()
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(one, range(attempts)))
    elapsed = time.perf_counter() - t0
    return [r[0] for r in results], sum(r[1] for r in results), elapsed


# ------------------------------------------------------------------ checking


def _check(campaign_id: int, stock: int, results: list) -> tuple[bool, list[str]]:
    from django.db.models import Count

    from gaoxin.ledger.selectors import ledger_rollup_mismatches
    from gaoxin.welfare.models import Campaign, Claim
    from gaoxin.welfare.selectors import campaign_money

    campaign = Campaign.objects.get(pk=campaign_id)
    rows = Claim.objects.filter(campaign_id=campaign_id)
    codes_201 = [r[3] for r in results if r[0] == 201]
    by_key = {r[4]: r[3] for r in results if r[0] == 201 and r[4]}
    bad_replays = [r for r in results if r[0] == 200 and by_key.get(r[4]) != r[3]]
    stored = {c.replace("-", "") for c in rows.values_list("code", flat=True)}
    lost = [c for c in codes_201 if c.replace("-", "") not in stored]
    duplicates = rows.values("person_id").annotate(n=Count("id")).filter(n__gt=1).count()
    money = campaign_money(campaign=campaign)
    ok = (
        campaign.issued == stock
        and rows.count() == stock
        and len(codes_201) == stock
        and duplicates == 0
        and not lost
        and not bad_replays
        and money.issued_fen == stock * UNIT_VALUE_FEN
        and not ledger_rollup_mismatches(zone=campaign.zone_id)
    )
    lines = [
        f"issued              {campaign.issued:,} (must be exactly {stock:,}) "
        f"{'OK' if campaign.issued == stock else 'WRONG'}",
        f"claim rows          {rows.count():,}; answered 201: {len(codes_201):,}",
        f"duplicates          {duplicates} (workers holding two vouchers; must be 0)",
        f"lost after success  {len(lost)} (201 answered, no row; must be 0)",
        f"bad retries         {len(bad_replays)} (200 replay with another voucher than the first; must be 0)",
        f"ledger issued value {money.issued_fen / 100:,.2f} 元 (must be {stock * UNIT_VALUE_FEN / 100:,.2f} 元)",
    ]
    return ok, lines


# ---------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--stock", type=int, default=1_000)
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument("--threads", type=int, default=48, help="client threads firing requests")
    parser.add_argument(
        "--ceiling-requests",
        type=int,
        default=5000,
        help="GETs per ceiling measurement (hey, then the Python client)",
    )
    parser.add_argument("--pg", action="store_true", help="same as --db pg")
    add_db_argument(parser)
    args = parser.parse_args()
    if args.pg:
        args.db = "pg"
    if run_each_backend(args):
        return
    print(f"machine: {machine_note()}")
    rng = random.Random(20240501)
    with BenchEnv("claims", args.db, keep=args.keep) as env:
        campaign_id, baseline_id, tokens = _setup(args.users, args.stock)
        from gaoxin.welfare.models import Campaign

        zone_id = Campaign.objects.get(pk=campaign_id).zone_id
        plan = _plan(args.requests, tokens, rng)
        from django.db import connections

        connections.close_all()
        port = free_port()
        server = _start_server(env, port)
        log(
            f"gunicorn up on 127.0.0.1:{port}; firing {len(plan):,} claims from {args.threads} threads"
        )
        try:
            ceiling_path = f"/api/v1/zones/{zone_id}"
            log(
                f"ceiling: GET {ceiling_path} × {args.ceiling_requests:,} from {args.threads} connections (hey)"
            )
            cpu0 = server_cpu_seconds(server.pid)
            hey = ceiling_hey(port, ceiling_path, tokens[-1], args.threads, args.ceiling_requests)
            cpu1 = server_cpu_seconds(server.pid)
            log("ceiling: the same GETs through the Python client")
            py = ceiling_python(port, ceiling_path, tokens[-1], args.threads, args.ceiling_requests)
            log(f"firing {len(plan):,} claims from {args.threads} threads")
            cpu2 = server_cpu_seconds(server.pid)
            results, elapsed = _fire(port, campaign_id, plan, args.threads)
            cpu3 = server_cpu_seconds(server.pid)
        finally:
            _stop_server(server)
        log("server stopped")

        answers = Counter((r[0], r[2]) for r in results)
        timed = [r[1] for r in results if r[0] != "skipped"]
        expected = {(201, ""), (200, ""), (409, "sold_out"), (409, "limit_reached")}
        errors = sum(n for answer, n in answers.items() if answer not in expected)
        replayed = answers.get((200, ""), 0)
        ok, lines = _check(campaign_id, args.stock, results)

        base_times, base_won, base_elapsed = _baseline(env, baseline_id, len(plan), args.threads)

        print()
        print(f"== {env.describe()}")
        print(
            f"HTTP claims         {len(results):,} requests in {elapsed:.1f} s = {len(results) / elapsed:,.0f} claims/s"
        )
        print(fmt_summary("  latency", summary_ms(timed)))
        for (status, code), n in sorted(answers.items(), key=lambda kv: str(kv[0])):
            label = {201: "issued", 200: "retry → same voucher"}.get(status, code or "")
            print(f"  {status!s:>7} {label:<24} {n:>7,}")
        print(
            f"  errors              {errors} (anything but 201, 200 replay, 409 sold_out/limit_reached)"
        )
        print(f"  retries replayed    {replayed:,}")
        for line in lines:
            print(f"  {line}")
        rate = len(results) / elapsed
        print(fmt_ceiling("ceiling: GET zone, hey", hey))
        print(fmt_ceiling("ceiling: GET zone, Python client", py))
        if hey:
            print(
                f"ratio to ceiling    claims/s ÷ hey GETs/s = {rate / hey['rps']:.2f}   "
                f"(÷ Python-client GETs/s = {rate / py['rps']:.2f}); p99 {summary_ms(timed)['p99']:,.0f} ms"
            )
        hey_n = sum(hey["statuses"].values()) if hey else 0
        if hey_n:
            get_ms, claim_ms = (cpu1 - cpu0) * 1000 / hey_n, (cpu3 - cpu2) * 1000 / len(results)
            print(
                f"server CPU          {get_ms:.1f} ms per ceiling GET, {claim_ms:.1f} ms per claim "
                f"request: GET ÷ claim = {get_ms / claim_ms:.2f} (gunicorn processes only)"
            )
        print(
            f"raw SQL baseline    {len(base_times):,} conditional UPDATEs in {base_elapsed:.1f} s = "
            f"{len(base_times) / base_elapsed:,.0f} /s; won {base_won:,} (must be {args.stock:,})"
        )
        print(fmt_summary("  latency", summary_ms(base_times)))
        print(
            f"ratio               HTTP claims/s ÷ raw UPDATEs/s = "
            f"{(len(results) / elapsed) / (len(base_times) / base_elapsed):.3f} "
            f"(the raw path is {(len(base_times) / base_elapsed) / (len(results) / elapsed):.1f}× faster: "
            f"no HTTP, auth, eligibility, claim row, ledger or audit)"
        )
        ok = ok and base_won == args.stock and errors == 0
        print("RESULT              " + ("OK: exact counts" if ok else "FAIL"))
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
