"""Shared helpers for the bench scripts: a throw-away database, progress, percentiles.

Each benchmark runs against its own database: a SQLite file in a temporary
GAOXIN_DATA_DIR, or (``--db pg``) a PostgreSQL database on 127.0.0.1 that the
script creates and drops. ``--db both`` re-runs the script once per backend in
a child process, because Django configures its database once per process.
"""

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
# ../shared/citus/cluster.sh's cluster: the coordinator, and the workers it registers.
CITUS_ADMIN_URL = os.environ.get("BENCH_CITUS_URL", "postgres://postgres@127.0.0.1:5441")
CITUS_WORKERS = os.environ.get("BENCH_CITUS_WORKERS", "127.0.0.1:5442,127.0.0.1:5443").split(",")
BENCH_SECRET_KEY = "gaoxin-bench-secret-key-not-for-production-0123456789-abcdefghij"
BENCH_FIELD_KEY = "gaoxin-bench-field-key"
_T0 = time.perf_counter()


def log(message: str) -> None:
    """A progress line with the seconds since the script started."""
    print(f"[{time.perf_counter() - _T0:7.1f}s] {message}", flush=True)


def machine_note() -> str:
    """CPU count and load average: other processes on the machine skew absolute timings."""
    try:
        load = "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "load average n/a"
    return f"{os.cpu_count()} CPUs, {load}"


def add_db_argument(parser: argparse.ArgumentParser, default: str = "sqlite") -> None:
    parser.add_argument(
        "--db",
        choices=("sqlite", "pg", "citus", "both", "all"),
        default=default,
        help=f"database backend (default {default}); pg uses {PG_ADMIN_URL}, citus the "
        f"coordinator {CITUS_ADMIN_URL} (tables distributed by zone); both = sqlite and pg, "
        "all = sqlite, pg and citus, one after the other in the same run",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary directory and PostgreSQL database"
    )


def run_each_backend(args: argparse.Namespace) -> bool:
    """For --db both/all: run this script once per backend in a child process. True if it did."""
    if args.db not in ("both", "all"):
        return False
    argv = sys.argv[1:]
    codes = []
    for db in ("sqlite", "pg") if args.db == "both" else ("sqlite", "pg", "citus"):
        child = [a for a in argv if not a.startswith("--db")]
        if "--db" in argv:  # "--db both" as two words: drop the value too
            i = argv.index("--db")
            child = argv[:i] + argv[i + 2 :]
        print(f"\n===== {Path(sys.argv[0]).name} --db {db} =====", flush=True)
        codes.append(subprocess.call([sys.executable, sys.argv[0], *child, "--db", db]))
    if any(codes):
        raise SystemExit(max(codes))
    return True


def _check_local(url: str) -> None:
    host = urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost"):
        raise SystemExit(f"BENCH_PG_URL must point at 127.0.0.1, not {host!r}")


def pg_admin(url: str = PG_ADMIN_URL):
    import psycopg

    _check_local(url)
    return psycopg.connect(f"{url}/postgres", autocommit=True, connect_timeout=5)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def summary_ms(values_s: list[float]) -> dict[str, float]:
    ms = [v * 1000 for v in values_s]
    return {
        "n": len(ms),
        "p50": percentile(ms, 50),
        "p95": percentile(ms, 95),
        "p99": percentile(ms, 99),
        "mean": sum(ms) / len(ms),
        "max": max(ms),
    }


def fmt_summary(label: str, s: dict[str, float], width: int = 34) -> str:
    return (
        f"{label:<{width}} n={s['n']:<6} p50 {s['p50']:9.3f} ms  p95 {s['p95']:9.3f} ms"
        f"  p99 {s['p99']:9.3f} ms  mean {s['mean']:9.3f} ms"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


class BenchEnv:
    """A temporary GAOXIN_DATA_DIR and database, Django set up and migrated.

    Use as a context manager: on exit (also on errors and Ctrl-C/SIGTERM) the
    Django connections are closed, the PostgreSQL database is dropped and the
    directory removed, unless keep=True.
    """

    def __init__(self, name: str, db: str, *, keep: bool = False):
        self.name, self.db, self.keep = name, db, keep
        self.data_dir: Path | None = None
        self.pg_name = f"bench_{name}_{os.getpid()}" if db in ("pg", "citus") else ""
        self.admin_url = CITUS_ADMIN_URL if db == "citus" else PG_ADMIN_URL
        self.database_url = ""
        self.sqlite_path: Path | None = None

    def env(self) -> dict[str, str]:
        """Environment for a child process (the server) that must see the same database."""
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "GAOXIN_DATA_DIR": str(self.data_dir),
            "DATABASE_URL": self.database_url,
            "GAOXIN_SECRET_KEY": BENCH_SECRET_KEY,
            "GAOXIN_FIELD_KEY": BENCH_FIELD_KEY,
            "PYTHONPATH": os.pathsep.join(
                [str(ROOT), str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
        }

    def __enter__(self) -> "BenchEnv":
        signal.signal(signal.SIGTERM, _raise_interrupt)
        self.data_dir = Path(tempfile.mkdtemp(prefix=f"gaoxin-bench-{self.name}-"))
        try:
            if self.pg_name:
                with pg_admin(self.admin_url) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
                    conn.execute(f'CREATE DATABASE "{self.pg_name}"')
                self.database_url = f"{self.admin_url}/{self.pg_name}"
            else:
                self.sqlite_path = self.data_dir / "bench.sqlite3"
                self.database_url = f"sqlite:///{self.sqlite_path}"
            os.environ.update({k: v for k, v in self.env().items() if k != "PYTHONPATH"})
            sys.path[:0] = [str(ROOT), str(ROOT / "src")]
            log(f"database: {self.describe()}; data dir {self.data_dir}")
            import warnings

            warnings.filterwarnings("ignore", message="No directory at")
            import django

            django.setup()
            from django.core.management import call_command

            t0 = time.perf_counter()
            call_command("migrate", verbosity=0)
            log(f"migrated in {time.perf_counter() - t0:.1f} s")
            if self.db == "citus":
                from django.db import connection

                from gaoxin.core import citus

                citus.join_cluster(connection, CITUS_WORKERS)
                steps = citus.distribute(connection, is_tenant=citus.tenant_tables().__contains__)
                connection.close()  # the next connection is set up for Citus
                log(f"distributed {len(steps)} tables over {len(CITUS_WORKERS)} workers")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def describe(self) -> str:
        if self.db == "citus":
            return f"Citus {self.database_url} (+ workers {', '.join(CITUS_WORKERS)})"
        if self.db == "pg":
            return f"PostgreSQL {self.database_url}"
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} {self.sqlite_path} (WAL)"

    def db_size(self) -> int:
        if self.pg_name:
            from django.db import connection

            with connection.cursor() as cur:
                cur.execute("SELECT pg_database_size(current_database())")
                size = cur.fetchone()[0]
                if self.db == "citus":  # the shards live on the workers
                    cur.execute(
                        "SELECT result FROM run_command_on_workers("
                        "'SELECT pg_database_size(current_database())')"
                    )
                    size += sum(int(r[0]) for r in cur.fetchall())
                return size
        return sum(p.stat().st_size for p in self.data_dir.glob("bench.sqlite3*"))

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if self.keep:
            log(f"kept {self.data_dir}" + (f" and database {self.pg_name}" if self.pg_name else ""))
            return
        if self.pg_name:
            try:
                with pg_admin(self.admin_url) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
            except Exception as exc:
                if self.db != "citus":  # report, keep cleaning up
                    print(f"could not drop database {self.pg_name}: {exc}", file=sys.stderr)
                else:  # a worker's Citus daemon still held it: drop it node by node
                    self._drop_on_each_node()
        if self.data_dir is not None:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def _drop_on_each_node(self) -> None:
        nodes = [urlsplit(self.admin_url).port] + [int(w.split(":")[1]) for w in CITUS_WORKERS]
        for port in nodes:
            url = self.admin_url.replace(f":{urlsplit(self.admin_url).port}/", f":{port}/")
            try:
                with pg_admin(url) as conn:
                    conn.execute("SET citus.enable_create_database_propagation TO off")
                    conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
            except Exception as exc:  # report, keep cleaning up
                print(f"could not drop {self.pg_name} on port {port}: {exc}", file=sys.stderr)


def table_sizes(tables: list[str]) -> dict[str, int]:
    """Bytes per table including its indexes (PostgreSQL; SQLite through the dbstat table)."""
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            out = {}
            cur.execute("SELECT count(*) FROM pg_extension WHERE extname = 'citus'")
            size_of = "citus_total_relation_size" if cur.fetchone()[0] else "pg_total_relation_size"
            for t in tables:  # on Citus: all shards of the table, on every worker
                cur.execute(f"SELECT {size_of}(%s)", [t])
                out[t] = cur.fetchone()[0]
            return out
        try:
            cur.execute(
                "SELECT m.tbl_name, SUM(s.pgsize) FROM dbstat s JOIN sqlite_master m "
                "ON m.name = s.name GROUP BY m.tbl_name"
            )
        except Exception:  # dbstat not compiled in
            return {}
        sizes = dict(cur.fetchall())
    return {t: sizes.get(t, 0) for t in tables}


def mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


# ------------------------------------------------------------ framework ceiling


def _hey() -> str:
    """Path of `hey` (Debian package), installing it when possible; "" if unavailable."""
    found = shutil.which("hey")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("hey (HTTP load generator) is missing: installing the Debian package 'hey' …")
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "hey"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return shutil.which("hey") or ""
    log("hey is missing and cannot be installed here (apt-get install hey): no hey ceiling")
    return ""


def ceiling_hey(port: int, path: str, token: str, concurrency: int, requests: int) -> dict | None:
    """The framework ceiling: `requests` GETs of `path` with a Bearer token from
    `concurrency` keep-alive connections of `hey` (a Go client, so the client
    costs little of the shared CPU). Returns req/s, p50/p95/p99 ms and the status
    counts, or None without hey."""
    import re

    hey = _hey()
    if not hey:
        return None
    out = subprocess.run(
        [
            hey,
            "-n",
            str(requests),
            "-c",
            str(concurrency),
            "-t",
            "60",
            "-H",
            f"Authorization: Bearer {token}",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    pct = {int(p): float(s) * 1000 for p, s in re.findall(r"(\d+)% in ([\d.]+) secs", out)}
    statuses = {int(c): int(n) for c, n in re.findall(r"\[(\d+)\]\s+(\d+) responses", out)}
    return {
        "rps": rps,
        "p50": pct.get(50, 0.0),
        "p95": pct.get(95, 0.0),
        "p99": pct.get(99, 0.0),
        "statuses": statuses,
    }


def ceiling_python(port: int, path: str, token: str, concurrency: int, requests: int) -> dict:
    """The same GETs through the benchmarks' own client (http.client, one keep-alive
    connection per thread): what the Python client itself allows on this machine."""
    import http.client
    import itertools
    import threading

    counter, times, statuses = itertools.count(), [], {}
    lock = threading.Lock()

    def loop():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, codes = [], {}
        while next(counter) < requests:
            t0 = time.perf_counter()
            conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
            resp = conn.getresponse()
            resp.read()
            mine.append(time.perf_counter() - t0)
            codes[resp.status] = codes.get(resp.status, 0) + 1
        conn.close()
        with lock:
            times.extend(mine)
            for k, v in codes.items():
                statuses[k] = statuses.get(k, 0) + v

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(concurrency)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    s = summary_ms(times)
    return {
        "rps": len(times) / elapsed,
        "p50": s["p50"],
        "p95": s["p95"],
        "p99": s["p99"],
        "statuses": statuses,
    }


def fmt_ceiling(label: str, c: dict | None) -> str:
    if c is None:
        return f"{label:<34} (not measured)"
    return (
        f"{label:<34} {c['rps']:8.1f} req/s  p50 {c['p50']:7.1f} ms  p95 {c['p95']:7.1f} ms"
        f"  p99 {c['p99']:7.1f} ms  statuses {c['statuses']}"
    )


def server_cpu_seconds(master_pid: int) -> float:
    """CPU time (user + system) used so far by a server process and its children
    (gunicorn's master and workers), from /proc. The CPU a phase costs per request
    does not depend on what else runs on the machine, unlike requests/s. With
    PostgreSQL the database's own processes are not included."""
    tick = os.sysconf("SC_CLK_TCK")

    def one(pid: int) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        except (OSError, IndexError, ValueError):
            return 0.0

    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    except OSError:
        children = []
    return one(master_pid) + sum(one(int(c)) for c in children)
