"""The import itself: read and validate every row, then write all records or none."""

import itertools
import multiprocessing
import sys
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gaoxin.core.audit import Change, audit_record_many, snapshot
from gaoxin.core.enums import AuditAction
from gaoxin.core.errors import Conflict
from gaoxin.core.models import User, Zone
from gaoxin.core.rules import require
from gaoxin.core.xlsx_limits import row_limit, too_many_rows
from gaoxin.registry import services
from gaoxin.registry.imports.columns import Column, _normalize_header, columns
from gaoxin.registry.imports.reading import (
    HEADER_SEARCH_ROWS,
    _cell_text,
    _data_sheet,
    _map_headers,
    _rows,
    _Workbook,
)
from gaoxin.registry.imports.results import ImportResult, _Collector
from gaoxin.registry.imports.validation import (
    _clean_people_chunk,
    _EnterpriseValidator,
    _PersonValidator,
    _Validator,
)
from gaoxin.registry.models import Enterprise

BATCH_SIZE = 2000
PROGRESS_EVERY = 1000
#: rows per task handed to a worker process, and the file size that makes workers worth it
WORKER_CHUNK = 1000
PARALLEL_MIN_ROWS = 5000

Progress = Callable[[int, int], None]


def import_xlsx(
    *,
    actor: User | None,
    zone: Zone,
    kind: str,
    fileobj: IO[bytes] | str | Path,
    progress: Progress | None = None,
    dry_run: bool = False,
    max_rows: int | None = None,
    workers: int = 1,
) -> ImportResult:
    """Validate every row of an Excel roster, then create all records or none.

    Returns the result with row errors instead of raising, so callers can
    show them all; raises ApplicationError (code "bad_file") for a file that
    is not a readable xlsx, codes "file_too_large", "uncompressed_too_large",
    "too_many_rows" and "cell_too_long" for one past the limits of
    `gaoxin.core.xlsx_limits` (before reading any row; `max_rows` lowers the
    row limit, as the web page does), and Forbidden/NotFound when the actor may not add
    records in the zone. `progress(done, total)` is called with (0, total) at
    the start of each phase — reading and validating, then writing — and
    every ~1000 rows within it; `total` is an estimate while reading.
    `actor=None` is the command-line operator, audited as "system".
    `workers` > 1 cleans large people files in that many forked processes
    (command line only: never fork inside a web server).
    """
    cols = columns(kind)
    if actor is not None:
        perm = "registry.add_enterprise" if kind == "enterprises" else "registry.add_person"
        require(actor, perm, zone_id=zone.pk)
    result = ImportResult(kind=kind, zone=zone, dry_run=dry_run)
    report = _Collector(result)
    validator_class = _EnterpriseValidator if kind == "enterprises" else _PersonValidator
    validator = validator_class(zone=zone, cols=cols, report=report)

    opened = _Workbook(fileobj, kind=kind, max_rows=max_rows)
    with opened as wb:
        ws = _data_sheet(wb, kind)
        estimate = max(opened.scan.rows - 1, 0)
        ws.reset_dimensions()  # some writers record a wrong size; read every row
        numbered = enumerate(_rows(ws, opened.scan.last_row), start=1)
        header = _find_header(numbered, cols)
        header_row = header[0] if header else 1
        mapping = _map_headers(header[1] if header else (), kind, cols, report, row=header_row)
        if header is None:
            report.error(
                1,
                "",
                _("文件是空的：第 1 行应为表头（%(names)s）")
                % {"names": "、".join(c.title for c in cols)},
            )
        if report.has_errors:  # with a wrong header every row's report would mislead
            result.failed_rows = len(report.failed)
            return result
        if progress:
            progress(0, estimate)
        rows = _raw_rows(numbered, mapping, cols, result, max_rows)
        _validate(rows, validator, result, progress, estimate, workers)

    if result.rows == 0 and not report.has_errors:
        report.error(header_row + 1, "", _("文件中没有数据行：请在表头下一行起填写"))
    validator.check_database()
    result.failed_rows = len(report.failed)
    order = {c.header: i for i, c in enumerate(cols)}
    result.errors.sort(key=lambda e: (e.row, order.get(e.column, -1)))
    if not result.ok or dry_run:
        return result
    result.created = _write(validator, actor=actor, zone=zone, progress=progress)
    return result


def _find_header(numbered: Iterator[tuple[int, tuple]], cols: list[Column]):
    """(row number, cells) of the header: the first row naming every required
    column within the first few rows (rosters often start with a title row),
    else the first non-empty row, whose problems are then reported."""
    required = [
        {_normalize_header(n) for n in (c.header, c.display, *c.aliases) if n}
        for c in cols
        if c.required
    ]
    first = None
    for number, values in numbered:
        names = {_normalize_header(v) for v in values} - {""}
        if not names:
            continue
        first = first or (number, values)
        if all(names & wanted for wanted in required):
            return number, values
        if number >= HEADER_SEARCH_ROWS:
            break
    return first


def _raw_rows(numbered, mapping, cols, result, max_rows) -> Iterator[tuple[int, dict, dict]]:
    """(Excel row number, raw values by key, cell-level errors) of each non-empty row."""
    keys = [c.key for c in cols]
    items = list(mapping.items())
    limit, web = row_limit(max_rows)
    for number, values in numbered:
        raw = dict.fromkeys(keys, "")
        pre_errors: dict[str, str] = {}
        empty = True
        for index, col in items:
            value = values[index] if index < len(values) else None
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            empty = False
            raw[col.key], problem = _cell_text(value, col)
            if problem:
                pre_errors[col.key] = problem
        if empty:
            continue
        result.rows += 1
        if result.rows > limit:
            raise too_many_rows(limit, web=web)
        yield number, raw, pre_errors


def _can_fork() -> bool:
    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


def _validate(rows, validator, result, progress, estimate, workers) -> None:
    def tick(count_before: int) -> None:
        if progress and result.rows // PROGRESS_EVERY != count_before // PROGRESS_EVERY:
            progress(result.rows, max(estimate, result.rows))

    parallel = isinstance(validator, _PersonValidator) and workers > 1 and _can_fork()
    rows = iter(rows)
    # The first rows in this process: small files never pay for starting workers,
    # and files without a recorded size (many writers omit it) still get them.
    for row, raw, pre_errors in itertools.islice(rows, PARALLEL_MIN_ROWS) if parallel else rows:
        validator.add(row, raw, pre_errors)
        tick(result.rows - 1)
    if parallel and result.rows >= PARALLEL_MIN_ROWS:
        _validate_in_workers(rows, validator, workers, tick, result)
    if progress and result.rows:
        progress(result.rows, result.rows)


def _validate_in_workers(rows, validator, workers, tick, result) -> None:
    """Clean chunks of people in forked worker processes while this process reads on.

    Only the pure part (clean_person_row) runs in workers; duplicate checks,
    employer look-ups and reporting stay here, in row order. Workers never
    touch the database connection they inherit.
    """
    pending: deque = deque()
    seen = 0

    def drain(limit: int) -> None:
        nonlocal seen
        while len(pending) > limit:
            for item in pending.popleft().get():
                validator.accept(*item)
            before, seen = seen, result.rows
            tick(before)

    with multiprocessing.get_context("fork").Pool(workers) as pool:
        chunk: list = []
        for item in rows:
            chunk.append(item)
            if len(chunk) >= WORKER_CHUNK:
                pending.append(pool.apply_async(_clean_people_chunk, (chunk,)))
                chunk = []
                drain(workers * 2)
        if chunk:
            pending.append(pool.apply_async(_clean_people_chunk, (chunk,)))
        drain(0)


def _write(
    validator: _Validator, *, actor: User | None, zone: Zone, progress: Progress | None
) -> int:
    """Insert every pending record and its audit entry in one transaction."""
    model = validator.model
    fields = (
        services.ENTERPRISE_AUDIT_FIELDS if model is Enterprise else services.PERSON_AUDIT_FIELDS
    )
    label = model._meta.label
    pending = validator.pending
    total = len(pending)
    done = [0, 0]  # rows inserted, rows audited

    def tick(step: int, count: int) -> None:
        before = sum(done) // 2
        done[step] += count
        now = sum(done) // 2
        if progress and (now // PROGRESS_EVERY != before // PROGRESS_EVERY or now == total):
            progress(now, total)

    objects = []

    def changes() -> Iterator[Change]:
        for (row, _values, warnings), obj in zip(pending, objects, strict=True):
            note = _("Excel 第 %(row)d 行") % {"row": row}
            if warnings:
                note += "；" + "；".join(warnings)
            yield Change(
                action=AuditAction.IMPORT,
                object_type=label,
                object_id=str(obj.pk),
                object_repr=str(obj),
                after=snapshot(obj, fields),
                note=note,
            )
            tick(1, 1)

    if progress:
        progress(0, total)
    try:
        with transaction.atomic():
            for start in range(0, total, BATCH_SIZE):
                batch = [
                    model(zone_id=zone.pk, **values)
                    for _row, values, _w in pending[start : start + BATCH_SIZE]
                ]
                model.objects.bulk_create(batch)
                objects.extend(batch)
                tick(0, len(batch))
            audit_record_many(zone=zone, actor=actor, changes=changes())
    except IntegrityError:  # someone registered the same record while we validated
        raise Conflict(
            _("导入时发现与刚刚登记的记录重复，未导入任何数据；请重新导入以查看具体行"),
            code="duplicate",
        ) from None
    return total
