"""How fast does an Excel roster of people import, against a plain bulk insert?

    .venv/bin/python bench/bench_import.py [--rows 100000]

Builds a throw-away SQLite database in a temporary GAOXIN_DATA_DIR, writes an
xlsx of N valid people (unique ID numbers and phones, names that repeat the
way real rosters do), imports it with `gaoxin.registry.imports.import_xlsx` and
prints rows/s, the split between reading, validating and writing, and the
ratio to a baseline: the same rows as pre-built Person objects inserted with
`bulk_create`, without validation, encryption or audit. Prints; never asserts.
"""

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力松立春海云峰鹏飞宇浩然子轩欣怡晨阳"


def _setup_django(data_dir: Path) -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    os.environ["GAOXIN_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.pop("DATABASE_URL", None)  # always the temporary SQLite file
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _id_number(n: int) -> str:
    """A valid, unique 居民身份证号 for n < 3,650,000."""
    import datetime as dt

    from gaoxin.core.validators import id_check_digit

    birth = dt.date(1970, 1, 1) + dt.timedelta(days=n // 1000)
    first17 = f"441204{birth:%Y%m%d}{n % 1000:03d}"
    return first17 + id_check_digit(first17)


def _people(rows: int) -> list[tuple[str, str, str, str, str]]:
    rng = random.Random(20240607)
    jobs = ["快递员", "外卖骑手", "网约车司机", "货车司机", "代驾司机"]
    out = []
    for n in range(rows):
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        name = rng.choice(SURNAMES) + given
        out.append((name, _id_number(n), f"139{n:08d}", "新就业形态劳动者", rng.choice(jobs)))
    return out


def _write_xlsx(path: Path, people: list) -> None:
    from openpyxl import Workbook

    from gaoxin.registry.imports import columns, sheet_title

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title("people"))
    ws.append([c.title for c in columns("people")[:5]])
    for row in people:
        ws.append(row)
    wb.save(path)


def _read_only_pass(path: Path) -> int:
    """Just openpyxl reading every cell: the floor for any xlsx import."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return count


def _baseline(people: list, zone) -> tuple[float, float]:
    """Same rows, pre-built, bulk-inserted in the same batch size: no checks, no crypto, no audit.

    The blind-index columns get SHA-256 digests (computed before the clock
    starts) so the unique indexes see the same random 64-character keys.
    """
    import hashlib

    from django.db import transaction

    from gaoxin.registry.imports import BATCH_SIZE
    from gaoxin.registry.models import Person

    objs = [
        Person(
            zone_id=zone.pk,
            name=name,
            id_number_hash=hashlib.sha256(id_number.encode()).hexdigest(),
            id_number_masked=id_number,
            phone_hash=hashlib.sha256(phone.encode()).hexdigest(),
            phone_masked=phone,
            role="worker",
            job_type="courier",
        )
        for name, id_number, phone, _role, _job in people
    ]
    start, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic():
        for i in range(0, len(objs), BATCH_SIZE):
            Person.objects.bulk_create(objs[i : i + BATCH_SIZE])
    return time.perf_counter() - start, time.process_time() - cpu


class _Phases:
    """(wall, CPU) clocks at the import's progress calls: (0, total) opens a phase."""

    def __init__(self):
        self.marks: dict[str, tuple[float, float]] = {}
        self.phase = -1

    def __call__(self, done: int, total: int) -> None:
        now = (time.perf_counter(), time.process_time())
        if done == 0:
            self.phase += 1
            self.marks[("validate", "write")[min(self.phase, 1)]] = now
        elif done == total:
            self.marks[f"end-{self.phase}"] = now

    def span(self, start: str, end: str) -> tuple[float, float]:
        (w0, c0), (w1, c1) = self.marks[start], self.marks[end]
        return w1 - w0, c1 - c0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--workers",
        type=int,
        default=min(4, os.cpu_count() or 1),
        help="validation processes, as `gaoxin import` uses (default: CPUs, max 4)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="gaoxin-bench-"))
    try:
        _setup_django(data_dir)
        from gaoxin.core.audit import audit_verify
        from gaoxin.core.models import AuditEntry, Zone
        from gaoxin.registry.imports import import_xlsx
        from gaoxin.registry.models import Person

        zone = Zone.objects.create(
            code="bench", name="肇庆高新区", province="广东省", city="肇庆市"
        )
        base_zone = Zone.objects.create(code="baseline", name="基线", province="-", city="-")

        t0 = time.perf_counter()
        people = _people(args.rows)
        xlsx = data_dir / "people.xlsx"
        _write_xlsx(xlsx, people)
        print(
            f"generated {args.rows} rows, {xlsx.stat().st_size / 1e6:.1f} MB xlsx "
            f"in {time.perf_counter() - t0:.1f} s"
        )

        t0, c0 = time.perf_counter(), time.process_time()
        _read_only_pass(xlsx)
        read = time.perf_counter() - t0, time.process_time() - c0

        phases = _Phases()
        t0, c0 = time.perf_counter(), time.process_time()
        w0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        with open(xlsx, "rb") as fh:
            result = import_xlsx(
                actor=None,
                zone=zone,
                kind="people",
                fileobj=fh,
                progress=phases,
                workers=args.workers,
            )
        total = time.perf_counter() - t0, time.process_time() - c0
        w1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        worker_cpu = (w1.ru_utime + w1.ru_stime) - (w0.ru_utime + w0.ru_stime)
        if not result.ok:
            for error in result.errors[:10]:
                print(error)
            raise SystemExit("bench file did not import cleanly")
        assert Person.objects.filter(zone=zone).count() == args.rows  # sanity, not timing
        assert AuditEntry.objects.filter(zone=zone).count() == args.rows

        baseline = _baseline(people, base_zone)
        t0 = time.perf_counter()
        checked, problems = audit_verify()
        verify_s = time.perf_counter() - t0

        rows = args.rows
        phase1 = phases.span("validate", "end-0")
        validate = phase1[0] - read[0], phase1[1] - read[1]
        dedupe = phases.span("end-0", "write")
        write = phases.span("write", "end-1")
        print(
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} "
            f"(wall times suffer when other work shares the CPUs; CPU times less so), "
            f"{args.workers} validation process(es)"
        )
        print(f"{'':24}{'wall s':>9}{'share':>7}{'CPU s':>9}")

        def line(label, span, note=""):
            print(f"{label:24}{span[0]:9.1f}{span[0] / total[0]:7.0%}{span[1]:9.1f}  {note}")

        line(
            "import_xlsx",
            total,
            f"{rows / total[0]:,.0f} rows/s wall, "
            f"{rows / (total[1] + worker_cpu):,.0f} rows per CPU-second",
        )
        line("  read (openpyxl)", read, "separate read-only pass over the same file")
        line(
            "  validate",
            validate,
            f"read+validate phase minus the read pass; +{worker_cpu:.1f} CPU s in workers",
        )
        line("  duplicate check", dedupe)
        line("  write + audit", write, "one transaction")
        print(
            f"{'raw bulk_create':24}{baseline[0]:9.1f}{'':7}{baseline[1]:9.1f}  "
            f"{rows / baseline[0]:,.0f} rows/s"
        )
        print(
            f"import / raw baseline: {total[0] / baseline[0]:.1f}x wall, "
            f"{(total[1] + worker_cpu) / baseline[1]:.1f}x CPU "
            f"(write phase alone: {write[0] / baseline[0]:.1f}x wall, "
            f"{write[1] / baseline[1]:.1f}x CPU)"
        )
        print(f"audit verify {verify_s:.1f} s ({checked} entries, {len(problems)} problems)")
    finally:
        if args.keep:
            print(f"kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
