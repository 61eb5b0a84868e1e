"""Hostile Excel uploads: time and peak memory of their refusal, against a normal import.

    .venv/bin/python bench/bench_import_limits.py [--rows 100000] [--keep]

Builds a throw-away SQLite database (bench/_common.BenchEnv) and these files:

- `baseline`: a normal roster of 100 people — the reference for the ratios;
- `legit check`: a valid roster of --rows people (default 100,000, as written
  by bench_import.py) through `xlsx_limits.check_xlsx` alone — what the limits
  add to an import, and proof that such a file passes them; with --full-legit
  also `legit import`, the whole import (about a minute on an idle machine,
  bench_import.py times it in detail);
- `strings bomb`: ~300 KB whose shared-strings table unpacks to 300 MB (the
  reported attack: 205 s and 1.7 GB before the limits);
- `empty rows`: a header and 5,000,000 empty rows (minutes before);
- `long cell`: 100 people and one 5 MB cell;
- `styles at limit`: the baseline with a styles.xml just under the 5 MB limit
  of the other parts (openpyxl parses it whole: the slowest accepted part);
- `widest accepted`: shared strings just under the in-memory part limit (about a
  million short strings), the largest table the limits let openpyxl load — the
  memory bound of a refused-or-accepted file.

Each file is imported by `gaoxin.registry.imports.import_xlsx` (one process, as a
web worker does) in a child process of its own, which prints its wall time
and peak RSS (VmHWM — not ru_maxrss, which keeps the parent's peak across
fork and exec; Django and openpyxl loaded included). A child is stopped after --budget seconds (it says so).
Prints ratios to the baseline; asserts only that each hostile file is refused
with the expected code and the legitimate one imports.
"""

import argparse
import base64
import io
import json
import random
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from _common import BenchEnv, log, machine_note, mb

MB = 1024 * 1024
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
HEADERS = ["姓名*", "身份证号", "手机号码", "身份", "职业类型", "所在企业统一社会信用代码"]


# ------------------------------------------------------------------- files


def _replace(base: bytes, parts: dict[str, object]) -> bytes:
    """`base` xlsx with parts replaced (or added): bytes, or an iterable of byte chunks."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename not in parts:
                dst.writestr(info.filename, src.read(info.filename), zipfile.ZIP_DEFLATED)
        for name, content in parts.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(info, "w", force_zip64=True) as part:
                for chunk in [content] if isinstance(content, bytes) else content:
                    part.write(chunk)
    return out.getvalue()


def _with_shared_strings(rows_xml: bytes, strings) -> bytes:
    """A roster whose sheet is `rows_xml` after the header and whose shared-strings
    table is the 6 headers followed by the `strings` chunks."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "人员名册"
    base = io.BytesIO()
    wb.save(base)
    header = "".join(f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>' for i in range(6))
    sheet = f'<worksheet {NS}><sheetData><row r="1">{header}</row>'.encode()
    sheet += rows_xml + b"</sheetData></worksheet>"
    heads = "".join(f"<si><t>{h}</t></si>" for h in HEADERS).encode()

    def sst():
        yield f"<sst {NS}>".encode() + heads
        yield from strings
        yield b"</sst>"

    with zipfile.ZipFile(base) as z:
        types = z.read("[Content_Types].xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    types = types.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'sharedStrings+xml"/></Types>',
    )
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdSst" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>',
    )
    return _replace(
        base.getvalue(),
        {
            "[Content_Types].xml": types.encode(),
            "xl/_rels/workbook.xml.rels": rels.encode(),
            "xl/worksheets/sheet1.xml": sheet,
            "xl/sharedStrings.xml": sst(),
        },
    )


def _inline_rows(people: list, start_row: int = 2) -> bytes:
    out = []
    for r, row in enumerate(people, start=start_row):
        cells = "".join(
            f'<c r="{chr(65 + i)}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
            for i, v in enumerate(row)
        )
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out).encode()


def build_files(folder: Path, rows: int) -> dict[str, Path]:
    import bench_import

    files = {}

    def save(name: str, data: bytes) -> None:
        files[name] = folder / f"{name.replace(' ', '_')}.xlsx"
        files[name].write_bytes(data)

    people = bench_import._people(rows)
    bench_import._write_xlsx(folder / "legit.xlsx", people)
    bench_import._write_xlsx(folder / "baseline.xlsx", people[:100])
    files["baseline"] = folder / "baseline.xlsx"
    files["legit check"] = files["legit import"] = folder / "legit.xlsx"

    block = b"A" * MB
    save(
        "strings bomb",
        _with_shared_strings(
            _inline_rows(people[:1]), [b"<si><t>", *(block for _ in range(300)), b"</t></si>"]
        ),
    )

    def empty_rows():
        for start in range(2, 5_000_002, 100_000):
            yield "".join(f'<row r="{r}"/>' for r in range(start, start + 100_000)).encode()

    save("empty rows", _with_shared_strings(b"".join(empty_rows()), []))
    text = base64.b64encode(random.Random(7).randbytes(5 * MB * 3 // 4))  # packs ~1.3x, not 1000x
    long_cell = b'<row r="102"><c r="F102" t="inlineStr"><is><t>' + text + b"</t></is></c></row>"
    save("long cell", _with_shared_strings(_inline_rows(people[:100]) + long_cell, []))

    from gaoxin.core.xlsx_limits import MAX_PART_BYTES, MAX_SHARED_STRINGS_BYTES

    def short_strings():
        size, n = 0, 0
        while size < MAX_SHARED_STRINGS_BYTES - 2 * MB:
            chunk = "".join(f"<si><t>第{n + i}号</t></si>" for i in range(10_000)).encode()
            size, n = size + len(chunk), n + 10_000
            yield chunk

    save("widest accepted", _with_shared_strings(_inline_rows(people[:1]), short_strings()))

    with zipfile.ZipFile(files["baseline"]) as z:
        styles = z.read("xl/styles.xml").decode()
    xf = '<xf numFmtId="{}" fontId="0" fillId="0" borderId="0" xfId="{}" applyAlignment="1"/>'
    xfs, n = [], 0
    while sum(map(len, xfs)) < MAX_PART_BYTES - 200_000:
        xfs.append("".join(xf.format(i % 164, i) for i in range(n, n + 10_000)))
        n += 10_000
    at = styles.index(">", styles.index("<cellXfs")) + 1
    styles = styles[:at] + "".join(xfs) + styles[at:]
    save(
        "styles at limit",
        _replace(files["baseline"].read_bytes(), {"xl/styles.xml": styles.encode()}),
    )
    return files


# ------------------------------------------------------------------- child


def child(path: str, zone_code: str) -> None:
    """Import one file in this fresh process (zone "check": only check it); print one JSON line."""
    import django

    django.setup()
    from gaoxin.core.errors import ApplicationError
    from gaoxin.core.models import Zone
    from gaoxin.core.xlsx_limits import check_xlsx
    from gaoxin.registry.imports import import_xlsx, sheet_title

    start = time.perf_counter()
    try:
        if zone_code == "check":
            with open(path, "rb") as fh:
                scan = check_xlsx(fh, sheet_title=sheet_title("people"), max_rows=None)
            outcome = f"passed the limits: {scan.rows:,} rows with values"
        else:
            zone = Zone.objects.get(code=zone_code)
            result = import_xlsx(actor=None, zone=zone, kind="people", fileobj=path, workers=1)
            outcome = (
                f"imported {result.created}" if result.ok else f"{result.failed_rows} bad rows"
            )
    except ApplicationError as exc:
        outcome = f"refused {exc.code}: {exc.message}"
    wall = time.perf_counter() - start
    print(json.dumps({"wall": wall, "rss": peak_rss(), "outcome": outcome}, ensure_ascii=False))


def peak_rss() -> int:
    """Peak RSS of this process in bytes: VmHWM, which starts afresh at exec.

    ru_maxrss does not: on Linux it keeps the peak of the forked copy of the
    parent (which held the hostile files), so every child reported the parent's.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KB on Linux


def run_child(env: BenchEnv, path: Path, zone_code: str, budget: float) -> dict:
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(path), zone_code],
            env=env.env(),
            capture_output=True,
            text=True,
            timeout=budget,
        )
    except subprocess.TimeoutExpired:
        return {
            "wall": time.perf_counter() - start,
            "rss": 0,
            "outcome": f"stopped after the {budget:.0f} s budget",
        }
    if done.returncode:
        return {"wall": 0, "rss": 0, "outcome": "crashed: " + done.stderr.strip()[-300:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


# -------------------------------------------------------------------- main


EXPECTED = {
    "baseline": "imported",
    "legit check": "passed",
    "legit import": "imported",
    "strings bomb": "refused uncompressed",
    "empty rows": "refused too_many_rows",
    "long cell": "refused cell_too_long",
    "widest accepted": "imported",
    "styles at limit": "",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the legitimate file")
    parser.add_argument("--budget", type=float, default=600, help="seconds per child process")
    parser.add_argument(
        "--full-legit",
        action="store_true",
        help="also time the whole import of the legitimate file",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)

    with BenchEnv("import_limits", "sqlite", keep=args.keep) as env:
        from gaoxin.core.models import Zone
        from gaoxin.core.xlsx_limits import limits, size_text

        log(machine_note())
        t0 = time.perf_counter()
        files = build_files(env.data_dir, args.rows)
        log(f"built {len(files)} files in {time.perf_counter() - t0:.1f} s")
        lim = limits()
        log(
            f"limits: file {size_text(lim.file_bytes)}, unpacked "
            f"{size_text(lim.uncompressed_bytes)}, shared strings "
            f"{size_text(lim.shared_strings_bytes)}, other parts {size_text(lim.part_bytes)}, "
            f"ratio {lim.compression_ratio}x, "
            f"{lim.rows:,} rows, {lim.cell_chars:,} characters per cell"
        )
        results = {}
        if not args.full_legit:
            del files["legit import"]
        for name, path in files.items():
            code = "check" if name == "legit check" else name.replace(" ", "-")
            Zone.objects.create(code=code, name=name, province="-", city="-")
            with zipfile.ZipFile(path) as z:
                unpacked = sum(i.file_size for i in z.infolist())
            log(f"{name}: {mb(path.stat().st_size)} on the wire, {mb(unpacked)} unpacked …")
            results[name] = run_child(env, path, code, args.budget)
            results[name].update(size=path.stat().st_size, unpacked=unpacked)
            log(f"  {results[name]['outcome'][:120]}")

        base = results["baseline"]
        print(f"\n{machine_note()}")
        print(
            f"{'file':16}{'on wire':>11}{'unpacked':>11}{'wall s':>9}{'x base':>8}"
            f"{'peak RSS':>11}{'x base':>8}  outcome"
        )
        failed = []
        for name, r in results.items():
            print(
                f"{name:16}{mb(r['size']):>11}{mb(r['unpacked']):>11}{r['wall']:9.2f}"
                f"{r['wall'] / base['wall']:8.1f}{mb(r['rss']):>11}{r['rss'] / base['rss']:8.2f}"
                f"  {r['outcome'][:70]}"
            )
            if not r["outcome"].startswith(EXPECTED[name]):
                failed.append(name)
        if failed:
            raise SystemExit(f"unexpected outcome: {', '.join(failed)}")


if __name__ == "__main__":
    main()
