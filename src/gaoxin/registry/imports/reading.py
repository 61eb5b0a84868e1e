"""Reading an uploaded workbook: the file checks, the data sheet, headers, cells."""

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from gaoxin.core.errors import ApplicationError
from gaoxin.core.xlsx_limits import HEADER_ROWS, Scan, check_xlsx
from gaoxin.registry.imports.columns import (
    Column,
    _ignored_headers,
    _normalize_header,
    _refused_headers,
    sheet_title,
)
from gaoxin.registry.imports.results import _Collector

logger = logging.getLogger("gaoxin.registry.imports")

HEADER_SEARCH_ROWS = HEADER_ROWS
#: Excel keeps 15 significant digits: a longer number in a numeric cell has lost digits.
EXCEL_EXACT_LIMIT = 10**15
SCIENTIFIC_RE = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _bad_file(message: str | None = None) -> ApplicationError:
    return ApplicationError(
        message or _("无法读取该文件：请上传 .xlsx 格式的 Excel 文件"), code="bad_file"
    )


class _Workbook:
    """Open an xlsx read-only from a path or a binary file object; closes what it opened.

    Before openpyxl reads anything, `check_xlsx` refuses a file past the size,
    row or cell limits (gaoxin.core.xlsx_limits); `self.scan` keeps what it counted.
    """

    def __init__(self, fileobj: IO[bytes] | str | Path, *, kind: str, max_rows: int | None):
        self.own = None
        source = fileobj
        if isinstance(fileobj, str | Path):
            try:
                source = self.own = open(fileobj, "rb")  # noqa: SIM115 - closed in __exit__
            except OSError as exc:
                raise _bad_file(_("无法打开文件：%(error)s") % {"error": exc.strerror}) from None
        try:
            head = source.read(8)
            source.seek(0)
        except (OSError, AttributeError, ValueError):
            self.close()
            raise _bad_file() from None
        if head == OLE2_MAGIC:
            self.close()
            raise _bad_file(
                _(
                    "无法读取该文件：这是旧版 .xls 文件或设了打开密码的文件。"
                    "请在 Excel 中“另存为” .xlsx 格式（不设密码）后再上传"
                )
            )
        if not head.startswith(b"PK"):
            self.close()
            raise _bad_file()
        try:
            self.scan: Scan = check_xlsx(source, sheet_title=sheet_title(kind), max_rows=max_rows)
        except ApplicationError:
            self.close()
            raise
        try:
            self.wb = load_workbook(source, read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - any parser failure means "not a readable xlsx"
            logger.info("unreadable xlsx upload", exc_info=True)
            self.close()
            raise _bad_file() from None

    def close(self) -> None:
        if getattr(self, "wb", None) is not None:
            self.wb.close()
        if self.own is not None:
            self.own.close()

    def __enter__(self):
        return self.wb

    def __exit__(self, *exc) -> None:
        self.close()


def _data_sheet(wb, kind: str):
    """The sheet named like the template's, else the first sheet."""
    return wb[sheet_title(kind)] if sheet_title(kind) in wb.sheetnames else wb.worksheets[0]


def _rows(ws, last_row: int) -> Iterator[tuple]:
    """Row tuples from row 1 to the last row with a value (empty rows below it are
    never parsed); a corrupt sheet becomes a clear error, not a traceback."""
    try:
        yield from ws.iter_rows(min_row=1, max_row=max(last_row, 1), values_only=True)
    except ApplicationError:
        raise
    except Exception:  # noqa: BLE001
        logger.info("corrupt worksheet", exc_info=True)
        raise _bad_file(
            _("无法读取该文件：工作表内容已损坏，请在 Excel 中重新保存后再上传")
        ) from None


def _map_headers(
    header_row: tuple, kind: str, cols: list[Column], report: _Collector, *, row: int = 1
) -> dict[int, Column]:
    """Column index → Column, by Chinese header in any order; problems are header-row errors."""
    by_name: dict[str, Column] = {}
    for col in cols:
        for name in (col.header, col.display, *col.aliases):
            if name:
                by_name[_normalize_header(name)] = col
    ignored = _ignored_headers(kind)
    refused = _refused_headers(kind)
    mapping: dict[int, Column] = {}
    seen: dict[str, int] = {}
    for index, raw in enumerate(header_row):
        name = _normalize_header(raw)
        if not name:
            continue
        letter = get_column_letter(index + 1)
        if name in refused:
            report.error(
                row,
                str(raw).strip(),
                _("这是脱敏导出的人员名册（号码中含 *），不能再导入；请使用填写了完整号码的名册"),
            )
            continue
        if name in ignored:
            if ignored[name]:
                report.warning(row, str(raw).strip(), ignored[name])
            continue
        col = by_name.get(name)
        if col is None:
            report.error(
                row,
                str(raw).strip(),
                _("第 %(letter)s 列的列名“%(name)s”无法识别。可用的列名：%(names)s")
                % {
                    "letter": letter,
                    "name": str(raw).strip(),
                    "names": "、".join(c.title for c in cols),
                },
            )
            continue
        if col.key in seen:
            report.error(
                row,
                col.header,
                _("列名重复：第 %(a)s 列和第 %(b)s 列都是“%(name)s”")
                % {"a": get_column_letter(seen[col.key] + 1), "b": letter, "name": col.header},
            )
            continue
        seen[col.key] = index
        mapping[index] = col
    for col in cols:
        if col.required and col.key not in seen:
            report.error(row, col.header, _("缺少必填列“%(name)s”") % {"name": col.title})
    return mapping


def _cell_text(value: Any, col: Column) -> tuple[Any, str]:
    """Excel cell → (text for clean_*, error). Undoes what Excel does to numbers."""
    if value is None:
        return "", ""
    if isinstance(value, bool):
        return (value if col.key == "is_new_economy" else (_("是") if value else _("否"))), ""
    if isinstance(value, int | float):
        if col.identifier and abs(value) >= EXCEL_EXACT_LIMIT:
            return "", _scientific_error(col)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value), ""
    if hasattr(value, "isoformat"):  # a date cell
        return value.isoformat()[:10], ""
    text = str(value).strip()
    if col.identifier and text:
        if SCIENTIFIC_RE.match(text):
            return "", _scientific_error(col)
        if "*" in text:
            return "", _("%(column)s已脱敏（含 *），无法导入，请填写完整号码") % {
                "column": col.header
            }
    return text, ""


def _scientific_error(col: Column) -> str:
    return _(
        "%(column)s被 Excel 存成了数字（科学计数法），后几位已丢失。"
        "请把该列单元格格式设置为“文本”，重新填写号码后再导入"
    ) % {"column": col.header}
