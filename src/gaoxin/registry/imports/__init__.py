"""Excel (xlsx) rosters of enterprises and people: template and all-or-nothing import.

An import first reads and validates every row — with the same `clean_*`
functions as the forms and the API — and checks duplicates within the file
and against the zone, without writing anything. Only a file with no errors is
written, in one transaction with one audit entry per created record, so a
file with one bad row changes nothing. Errors name the Excel row (the header
is row 1) and the Chinese column header, so staff can fix the file in Excel.

Validation runs outside the write transaction: on SQLite the write lock is
held only for the bulk inserts, not while 100,000 rows are being checked.

A package by concern: `columns` (what a roster holds), `reading` (the workbook, its
header and cells), `validation` (rows cleaned like the forms and the API clean them),
`engine` (import_xlsx: validate all, then write all or nothing), `results` (what is
reported) and `template` (the empty roster). File-level limits are core's
(`gaoxin.core.xlsx_limits`).
"""

from gaoxin.registry.imports.columns import (
    KINDS,
    Column,
    columns,
    kind_label,
    masked_header,
    sheet_title,
)
from gaoxin.registry.imports.engine import (
    BATCH_SIZE,
    PARALLEL_MIN_ROWS,
    PROGRESS_EVERY,
    WORKER_CHUNK,
    Progress,
    import_xlsx,
)
from gaoxin.registry.imports.results import MAX_ERRORS, ImportResult, RowError
from gaoxin.registry.imports.template import template_workbook
from gaoxin.registry.imports.validation import clean_person_row

__all__ = [
    "BATCH_SIZE",
    "KINDS",
    "MAX_ERRORS",
    "PARALLEL_MIN_ROWS",
    "PROGRESS_EVERY",
    "WORKER_CHUNK",
    "Column",
    "ImportResult",
    "Progress",
    "RowError",
    "clean_person_row",
    "columns",
    "import_xlsx",
    "kind_label",
    "masked_header",
    "sheet_title",
    "template_workbook",
]
