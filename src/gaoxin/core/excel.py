"""The one Excel writer every export uses: one look, masked identifiers, one audit entry.

A program describes its workbook (sheets of typed columns and rows) and hands
it to `write_xlsx` (a file) or `xlsx_response` (a download). The kit, not the
program, decides how it looks and what it leaves behind:

- bold headers on a pale fill, the header row frozen (`A2`), column widths
  from the header and the first rows (bounded), a 说明 sheet at the end;
- money given in fen is written in 元 as a number (`#,##0.00`), so Excel can
  sum it; datetimes are written in local time as real dates;
- a `masked` column only ever holds a masked value: a value without `*` is
  masked on the way out, so a whole identifier cannot leave by mistake;
- text is never a formula (`=…` stays text), so a name typed as `=HYPERLINK(…)`
  is harmless in the ledger;
- one audit entry per export (who, what, how many rows), written after the
  file is complete: a program cannot forget it, and a refused or failed
  export leaves none.

Rows are streamed into a write-only workbook; only the first `SAMPLE_ROWS`
rows of a sheet are held, to size its columns.
"""

import datetime as dt
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, islice
from typing import IO, Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from gaoxin.core.audit import audit_export
from gaoxin.core.crypto import mask_id_number, mask_phone

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TEXT, INT, MONEY_FEN, DATE, DATETIME, MASKED = (
    "text",
    "int",
    "money_fen",
    "date",
    "datetime",
    "masked",
)
KINDS = (TEXT, INT, MONEY_FEN, DATE, DATETIME, MASKED)

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center")
FOOTER_FONT = Font(bold=True)
FREEZE = "A2"
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
#: the least room a kind of value needs, in Excel width units
KIND_WIDTH = {TEXT: 8, INT: 6, MONEY_FEN: 12, DATE: 11, DATETIME: 17, MASKED: 20}
MIN_WIDTH, MAX_WIDTH = 6, 60
SAMPLE_ROWS = 200
NOTES_WIDTH = 100
#: the lines of the 说明 sheet, or a function of the rows written that gives them
Notes = Sequence[str] | Callable[[int], Sequence[str]]
_BAD_TITLE = str.maketrans({c: "_" for c in "[]:*?/\\"})


@dataclass(frozen=True)
class Column:
    """A column: its Chinese header, what kind of value it holds, and a width if the default won't do."""

    header: str
    kind: str = TEXT
    width: int | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass
class Sheet:
    """One sheet: `rows` may be any iterable (a generator over `.iterator()` streams).

    `footer` rows (a 合计 line) follow the data in bold and are not counted;
    a sheet with `counted=False` (a summary of the rows of another sheet) does
    not add to the audited row count. `written` is the data rows written.
    """

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    footer: Sequence[Sequence[Any]] = ()
    counted: bool = True
    written: int = 0


def local_text(moment: dt.datetime | None) -> str:
    """A moment as text in local time (`2025-03-01 09:30`), for text composed around a time."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def mask(value: str) -> str:
    """A value that should have been masked and wasn't: a phone as `138****1234`, else `4412****1234`."""
    if len(value) == 11 and value.isdigit():
        return mask_phone(value)
    return mask_id_number(value)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _local_naive(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def _shown(column: Column, value: Any) -> str:
    """Roughly what the cell shows, to size the column."""
    if value is None:
        return ""
    if column.kind == MONEY_FEN and isinstance(value, int):
        return f"{value / 100:,.2f}"
    if column.kind == DATETIME:
        return "0000-00-00 00:00"
    return str(value)


def _convert(column: Column, value: Any) -> tuple[Any, str | None]:
    """The value to store for one column, and its number format if it needs one."""
    if value is None or value == "":
        return None, None
    kind = column.kind
    if kind == MASKED:
        text = str(value)
        return (text if "*" in text else mask(text)), None
    if kind == MONEY_FEN and isinstance(value, int):
        return Decimal(value) / 100, MONEY_FORMAT
    if kind == DATETIME and isinstance(value, dt.datetime):
        return _local_naive(value), DATETIME_FORMAT
    if kind == DATE and isinstance(value, dt.date):
        return (timezone.localdate(value) if isinstance(value, dt.datetime) else value), DATE_FORMAT
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value, None
    return str(value), None


def _cell(ws, column: Column, value: Any, font: Font | None = None):
    """What to append for one column: the bare value, or a cell where it needs a format."""
    value, number_format = _convert(column, value)
    formula_like = isinstance(value, str) and value.startswith("=")
    if number_format is None and font is None and not formula_like:
        return value
    cell = WriteOnlyCell(ws, value=value)
    if formula_like:  # never a formula: a typed `=…` stays text
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell


def _widths(sheet: Sheet, sample: list[Sequence[Any]]) -> list[float]:
    widths = []
    for index, column in enumerate(sheet.columns):
        if column.width:
            widths.append(column.width)
            continue
        need = max(_display_width(str(column.header)) + 4, KIND_WIDTH[column.kind])
        for row in sample:
            if index < len(row):
                need = max(need, _display_width(_shown(column, row[index])) + 2)
        widths.append(min(max(need, MIN_WIDTH), MAX_WIDTH))
    return widths


def _write_sheet(wb: Workbook, sheet: Sheet) -> int:
    ws = wb.create_sheet(str(sheet.title).translate(_BAD_TITLE)[:31])
    rows = iter(sheet.rows)
    sample = list(islice(rows, SAMPLE_ROWS))
    for index, width in enumerate(_widths(sheet, sample), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = FREEZE
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, value=str(column.header))
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGN
        header.append(cell)
    ws.append(header)
    columns = sheet.columns
    written = 0
    for row in chain(sample, rows):
        ws.append([_cell(ws, c, v) for c, v in zip(columns, row, strict=False)])
        written += 1
    for row in sheet.footer:
        ws.append([_cell(ws, c, v, FOOTER_FONT) for c, v in zip(columns, row, strict=False)])
    sheet.written = written
    return written


@dataclass
class Export:
    """What a program hands the kit: the sheets, and what the audit entry records.

    `actor` is the user (None: the command-line operator), `zone` the zone (or
    its id) the data is of, `what` the name of the list in the audit trail
    (`人员名册`), `scope` more keys for the audit entry (`{"campaign": 7}`),
    `notes` the lines of the 说明 sheet, or a function of the counted rows
    giving them (`lambda n: [f"共 {n} 条"]`). Sheets' rows may be generators:
    nothing is read until the workbook is written.
    """

    what: str
    actor: Any
    zone: Any
    sheets: Iterable[Sheet]
    notes: Notes = ()
    scope: dict | None = None


def write_xlsx(export: Export, fileobj: IO[bytes]) -> int:
    """Write the workbook to `fileobj` and audit it; returns the counted data rows.

    Exceptions raised while the rows are read (a refused permission) propagate
    and leave no audit entry.
    """
    wb = Workbook(write_only=True)
    total = 0
    for sheet in export.sheets:
        written = _write_sheet(wb, sheet)
        total += written if sheet.counted else 0
    ws = wb.create_sheet(_("说明"))
    ws.column_dimensions["A"].width = NOTES_WIDTH
    actor, notes = export.actor, export.notes
    who = str(actor) if actor is not None else _("命令行")
    lines = [
        *(notes(total) if callable(notes) else notes),
        _("导出人：%(who)s；导出时间：%(at)s；本次导出已记入审计日志。")
        % {"who": who, "at": local_text(timezone.now())},
    ]
    for line in lines:
        ws.append([str(line)])
    wb.save(fileobj)
    audit_export(
        zone=export.zone, actor=actor, what=str(export.what), rows=total, scope=export.scope
    )
    return total


def xlsx_response(export: Export, *, filename: str) -> FileResponse:
    """The workbook as a download (`filename` in Chinese is fine): spooled to a
    temporary file past 16 MB, so a long ledger does not sit in memory."""
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
    try:
        write_xlsx(export, spool)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    name = filename if filename.lower().endswith(".xlsx") else f"{filename}.xlsx"
    return FileResponse(spool, as_attachment=True, filename=name, content_type=XLSX)
