"""Excel (xlsx) rosters of enterprises and people: template and all-or-nothing import.

An import first reads and validates every row — with the same `clean_*`
functions as the forms and the API — and checks duplicates within the file
and against the zone, without writing anything. Only a file with no errors is
written, in one transaction with one audit entry per created record, so a
file with one bad row changes nothing. Errors name the Excel row (the header
is row 1) and the Chinese column header, so staff can fix the file in Excel.

Validation runs outside the write transaction: on SQLite the write lock is
held only for the bulk inserts, not while 100,000 rows are being checked.
"""

import io
import itertools
import logging
import multiprocessing
import re
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from gaoxin.core import selectors, services
from gaoxin.core.audit import Change, audit_record_many, snapshot
from gaoxin.core.domain import Cleaned, clean_enterprise, clean_person
from gaoxin.core.enums import AuditAction, JobType, PersonRole
from gaoxin.core.errors import ApplicationError, Conflict
from gaoxin.core.models import Enterprise, Person, User, Zone
from gaoxin.core.rules import require
from gaoxin.core.validators import id_check_digit, normalize_uscc, uscc_check_char
from gaoxin.core.xlsx_limits import HEADER_ROWS, Scan, check_xlsx, row_limit, too_many_rows

logger = logging.getLogger(__name__)

KINDS = ("enterprises", "people")
BATCH_SIZE = 2000
PROGRESS_EVERY = 1000
MAX_ERRORS = 1000
#: rows per task handed to a worker process, and the file size that makes workers worth it
WORKER_CHUNK = 1000
PARALLEL_MIN_ROWS = 5000
HEADER_SEARCH_ROWS = HEADER_ROWS
#: Excel keeps 15 significant digits: a longer number in a numeric cell has lost digits.
EXCEL_EXACT_LIMIT = 10**15
SCIENTIFIC_RE = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Progress = Callable[[int, int], None]


# ------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    """One roster column: the `clean_*` key, its Chinese header and its help text."""

    key: str
    header: str
    required: bool = False
    help: str = ""
    example: str = ""
    #: extra header spellings accepted on import
    aliases: tuple[str, ...] = ()
    #: a code that must stay text (ID numbers, phones): Excel turns these into numbers
    identifier: bool = False
    #: allowed values, offered as a drop-down in the template
    options: tuple[str, ...] = ()
    #: shown in the template and exports when it differs from `header`
    display: str = ""

    @property
    def title(self) -> str:
        """Header text as written in templates: `企业名称*`, `新业态企业(是/否)`."""
        return (self.display or self.header) + ("*" if self.required else "")


def _labels(choices) -> tuple[str, ...]:
    return tuple(str(label) for label in choices.labels)


def _example_uscc() -> str:
    first17 = "91441200MA4W5R8K2"[:17]
    return first17 + uscc_check_char(first17)


def _example_id_number() -> str:
    first17 = "44120419900307002"
    return first17 + id_check_digit(first17)


def columns(kind: str) -> list[Column]:
    """Columns of a roster kind. Built per call so labels follow the active language."""
    if kind == "enterprises":
        return [
            Column(
                "name",
                _("企业名称"),
                True,
                _("企业全称，最多 100 个字"),
                _("肇庆市中旺通物流代理有限公司"),
            ),
            Column(
                "uscc",
                _("统一社会信用代码"),
                True,
                _("18 位，按 GB 32100 校验；同一园区内不能重复"),
                _example_uscc(),
                aliases=(_("信用代码"), _("社会信用代码")),
                identifier=True,
            ),
            Column("industry", _("行业"), help=_("最多 40 个字"), example=_("物流")),
            Column(
                "address", _("地址"), help=_("最多 200 个字"), example=_("肇庆高新区建设路 1 号")
            ),
            Column("contact_name", _("联系人"), help=_("最多 40 个字"), example=_("冯立松")),
            Column(
                "contact_phone",
                _("联系电话"),
                help=_("11 位手机号或带区号的固定电话（如 0758-2345678）"),
                example="0758-2345678",
                identifier=True,
            ),
            Column(
                "is_new_economy",
                _("新业态企业"),
                help=_("填“是”或“否”，留空为“否”"),
                example=_("是"),
                aliases=(_("是否新业态企业"),),
                options=(_("是"), _("否")),
                display=_("新业态企业(是/否)"),
            ),
        ]
    if kind == "people":
        return [
            Column("name", _("姓名"), True, _("最多 40 个字"), _("冯立松")),
            Column(
                "id_number",
                _("身份证号"),
                help=_(
                    "18 位居民身份证号，最后一位可为 X；同一园区内不能重复。"
                    "性别和出生日期由身份证号自动得出"
                ),
                example=_example_id_number(),
                aliases=(_("身份证号码"), _("公民身份号码"), _("身份证")),
                identifier=True,
            ),
            Column(
                "phone",
                _("手机号码"),
                help=_("11 位手机号；同一园区内不能重复"),
                example="13812345678",
                aliases=(_("手机号"), _("手机")),
                identifier=True,
            ),
            Column(
                "role",
                _("身份"),
                help=_("留空为“%(default)s”") % {"default": PersonRole.WORKER.label},
                example=str(PersonRole.WORKER.label),
                options=_labels(PersonRole),
            ),
            Column(
                "job_type",
                _("职业类型"),
                help=_("可留空"),
                example=str(JobType.COURIER.label),
                options=_labels(JobType),
            ),
            Column(
                "employer_uscc",
                _("所在企业统一社会信用代码"),
                help=_("企业须已在本园区登记（可先导入企业名册）；可留空"),
                example=_example_uscc(),
                aliases=(_("所在企业信用代码"),),
                identifier=True,
            ),
        ]
    raise ApplicationError(_("不支持的名册类型：%(kind)s") % {"kind": kind}, code="bad_kind")


def kind_label(kind: str) -> str:
    return _("企业") if kind == "enterprises" else _("人员")


def sheet_title(kind: str) -> str:
    return _("企业名册") if kind == "enterprises" else _("人员名册")


#: Headers written by exports (masked identifiers) or that merely repeat what the
#: ID number says. Enterprises: ignored with a warning, so an export re-imports.
#: People: a masked ID cannot be deduplicated, so a people export is refused.
def masked_header(header: str) -> str:
    return header + _("(已脱敏)")


def _ignored_headers(kind: str) -> dict[str, str]:
    """Normalized header → warning ('' = ignore silently)."""
    ignored = {_("序号"): ""}
    if kind == "enterprises":
        ignored[_normalize_header(masked_header(_("联系电话")))] = _(
            "联系电话是脱敏数据，已忽略该列"
        )
    else:
        ignored[_("性别")] = ""
        ignored[_("出生日期")] = ""
    return ignored


def _refused_headers(kind: str) -> set[str]:
    if kind != "people":
        return set()
    return {
        _normalize_header(masked_header(_("身份证号"))),
        _normalize_header(masked_header(_("手机号码"))),
    }


def _normalize_header(value: Any) -> str:
    text = "" if value is None else str(value)
    text = text.replace("（", "(").replace("）", ")").replace("＊", "*")
    text = re.sub(r"\s+", "", text)
    return text.rstrip("*")


# -------------------------------------------------------------------- results


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("第 %(row)d 行「%(column)s」：%(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("第 %(row)d 行：%(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportResult:
    kind: str
    zone: Zone
    created: int = 0
    #: non-empty data rows read
    rows: int = 0
    #: rows with at least one error (errors beyond MAX_ERRORS are counted, not listed)
    failed_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and not self.failed_rows

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def errors_truncated(self) -> bool:
        return len(self.errors) >= MAX_ERRORS


class _Collector:
    """Errors and warnings with a cap, plus the set of failing rows."""

    def __init__(self, result: ImportResult):
        self.result = result
        self.failed: set[int] = set()

    def error(self, row: int, column: str, message: str) -> None:
        self.failed.add(row)
        if len(self.result.errors) < MAX_ERRORS:
            self.result.errors.append(RowError(row, column, str(message)))

    def warning(self, row: int, column: str, message: str) -> None:
        if len(self.result.warnings) < MAX_ERRORS:
            self.result.warnings.append(RowError(row, column, str(message)))

    @property
    def has_errors(self) -> bool:
        return bool(self.failed)


# ------------------------------------------------------------------- template


HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
EXAMPLE_FONT = Font(italic=True, color="808080")


def template_workbook(kind: str) -> bytes:
    """An empty roster with the Chinese headers and a 说明 sheet.

    The data sheet has no example row, so uploading the template unchanged
    imports nothing by accident; examples live on the 说明 sheet. Identifier
    columns are formatted as text so Excel keeps ID numbers intact.
    """
    cols = columns(kind)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(kind)
    ws.append([c.title for c in cols])
    for index, col in enumerate(cols, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        ws.column_dimensions[letter].width = max(14, len(col.title) * 2 + 4)
        if col.identifier:
            ws.column_dimensions[letter].number_format = "@"
        if col.options:
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(col.options) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=_("可选值"),
                error=_("请从下拉列表中选择：%(options)s") % {"options": "、".join(col.options)},
            )
            dv.add(f"{letter}2:{letter}1048576")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    _write_help_sheet(wb, kind, cols, notes=_template_notes(kind))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _template_notes(kind: str) -> list[str]:
    notes = [
        _("第 1 行是表头，请勿修改列名；列的顺序可以调整，带 * 的列必须填写。"),
        _("从第 2 行起每行一条记录，空行会被跳过。"),
        _(
            "导入是“全有或全无”：只要有一行出错，整个文件都不会导入，"
            "系统会列出每个错误的行号、列和原因，改正后重新上传即可。"
        ),
        _(
            "身份证号、手机号码、统一社会信用代码请保持“文本”格式；"
            "若 Excel 显示为 4.41204E+17 这样的科学计数法，说明号码已被截断，需要重新填写。"
        ),
    ]
    if kind == "people":
        notes.append(_("所在企业须先在本园区登记；可先导入企业名册，再导入人员名册。"))
        notes.append(_("身份、职业类型可从下拉列表中选择，也可填写可选值中的任意一项。"))
    return notes


def _write_help_sheet(wb: Workbook, kind: str, cols: list[Column], *, notes: list[str]) -> None:
    ws = wb.create_sheet(_("说明"))
    ws.append([_("%(kind)s名册填写说明") % {"kind": kind_label(kind)}])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append([_("列名"), _("是否必填"), _("说明"), _("可选值"), _("示例")])
    for cell in ws[3]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for col in cols:
        ws.append(
            [
                col.title,
                _("必填") if col.required else _("选填"),
                col.help,
                "、".join(col.options),
                col.example,
            ]
        )
        ws.cell(row=ws.max_row, column=5).font = EXAMPLE_FONT
    ws.append([])
    for note in notes:
        ws.append([note])
    for letter, width in zip("ABCDE", (26, 10, 60, 50, 32), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


# ---------------------------------------------------------------------- read


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


# ---------------------------------------------------------------- validation


class _Validator:
    """Turns one row's raw values into model values, reporting by column header."""

    kind: str
    model: type

    def __init__(self, *, zone: Zone, cols: list[Column], report: _Collector):
        self.zone = zone
        self.report = report
        self.header_of = {c.key: c.header for c in cols}
        self.pending: list[tuple[int, dict, list[str]]] = []

    def column(self, key: str) -> str:
        return self.header_of.get(key, "")

    def add(self, row: int, raw: dict, pre_errors: dict[str, str]) -> None:
        raise NotImplementedError

    def check_database(self) -> None:
        raise NotImplementedError

    def keep(self, row: int, values: dict, warnings: list[str]) -> None:
        # Once any row failed nothing will be written: stop holding values.
        if not self.report.has_errors:
            self.pending.append((row, values, warnings))
        else:
            self.pending.clear()

    def report_cleaned(self, row: int, cleaned: Cleaned, skip: set[str]) -> bool:
        for key, message in cleaned.errors.items():
            if key not in skip:
                self.report.error(row, self.column(key), message)
        for message in cleaned.warnings:
            self.report.warning(row, "", message)
        return not cleaned.errors


class _EnterpriseValidator(_Validator):
    kind = "enterprises"
    model = Enterprise

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.uscc_rows: dict[str, int] = {}

    def add(self, row, raw, pre_errors):
        for key, message in pre_errors.items():
            self.report.error(row, self.column(key), message)
            raw[key] = ""
        cleaned = clean_enterprise(raw)
        ok = self.report_cleaned(row, cleaned, skip=set(pre_errors)) and not pre_errors
        uscc = cleaned.values.get("uscc")
        if uscc and "uscc" not in cleaned.errors:
            first = self.uscc_rows.setdefault(uscc, row)
            if first != row:
                self.report.error(
                    row, self.column("uscc"), _("与第 %(row)d 行重复") % {"row": first}
                )
                ok = False
        if ok:
            self.keep(row, cleaned.values, cleaned.warnings)

    def check_database(self):
        taken = selectors.enterprise_credit_codes_taken(zone_id=self.zone.pk, codes=self.uscc_rows)
        for uscc in sorted(taken, key=self.uscc_rows.get):
            self.report.error(
                self.uscc_rows[uscc], self.column("uscc"), selectors.credit_code_taken_message()
            )


_clean_cache: dict[tuple, Cleaned] = {}


def _cached_clean(key: tuple, raw: dict) -> Cleaned:
    """clean_person on fields that repeat across a roster and clean deterministically."""
    key = (get_language(), *key)  # messages are cached in the language they were made in
    cleaned = _clean_cache.get(key)
    if cleaned is None:
        if len(_clean_cache) > 20_000:  # bounded: it lives as long as the process
            _clean_cache.clear()
        cleaned = _clean_cache[key] = clean_person(raw, partial=True)
    return cleaned


def clean_person_row(raw: dict, skip: Iterable[str]) -> tuple[dict, dict[str, str], list[str]]:
    """(values, errors by key, warnings) of one roster row; no database access.

    Field by field with `clean_person(partial=True)`: names and choices repeat
    across a roster and their cleaning (pinyin, label look-ups) is most of the
    cost, so those results are cached; identifiers are encrypted per row. If
    clean_person ever gains cross-field rules, clean the whole row here instead.
    Runs in worker processes for large files, so it must stay pure.
    """
    parts = [
        _cached_clean(("name", raw["name"]), {"name": raw["name"]}),
        _cached_clean(
            ("choices", raw["role"], raw["job_type"]),
            {"role": raw["role"], "job_type": raw["job_type"]},
        ),
    ]
    for key in ("id_number", "phone"):
        if raw[key] and key not in skip:
            parts.append(clean_person({key: raw[key]}, partial=True))
    values: dict = {}
    errors: dict[str, str] = {}
    warnings: list[str] = []
    for cleaned in parts:
        values.update(cleaned.values)
        errors.update({k: str(m) for k, m in cleaned.errors.items() if k not in skip})
        warnings.extend(str(w) for w in cleaned.warnings)
    return values, errors, warnings


def _clean_people_chunk(chunk: list[tuple[int, dict, dict]]) -> list[tuple]:
    """Worker-process entry point: clean a chunk of rows, keep their order."""
    return [(row, raw, pre, *clean_person_row(raw, pre)) for row, raw, pre in chunk]


class _PersonValidator(_Validator):
    kind = "people"
    model = Person

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.id_rows: dict[str, int] = {}
        self.phone_rows: dict[str, int] = {}
        self._employers: dict[str, int] | None = None

    def employer_id(self, row: int, code: str) -> int | None:
        if self._employers is None:
            self._employers = dict(
                Enterprise.objects.filter(zone_id=self.zone.pk).values_list("uscc", "id")
            )
        found = self._employers.get(normalize_uscc(code))
        if found is None:
            self.report.error(
                row,
                self.column("employer_uscc"),
                _("本园区没有统一社会信用代码为 %(code)s 的企业，请先登记或导入该企业")
                % {"code": code},
            )
        return found

    def add(self, row, raw, pre_errors):
        self.accept(row, raw, pre_errors, *clean_person_row(raw, pre_errors))

    def accept(self, row, raw, pre_errors, values, errors, warnings) -> None:
        """Report a cleaned row, resolve its employer and check in-file duplicates."""
        for key, message in (pre_errors | errors).items():
            self.report.error(row, self.column(key), message)
        for message in warnings:
            self.report.warning(row, "", message)
        ok = not pre_errors and not errors
        if raw["employer_uscc"] and "employer_uscc" not in pre_errors:
            values["employer_id"] = employer = self.employer_id(row, raw["employer_uscc"])
            ok = ok and employer is not None
        for hash_key, rows, key in (
            ("id_number_hash", self.id_rows, "id_number"),
            ("phone_hash", self.phone_rows, "phone"),
        ):
            digest = values.get(hash_key)
            if digest:
                first = rows.setdefault(digest, row)
                if first != row:
                    self.report.error(
                        row, self.column(key), _("与第 %(row)d 行重复") % {"row": first}
                    )
                    ok = False
        if ok:
            self.keep(row, values, warnings)

    def check_database(self):
        """One pass over the zone's blind indexes: memory grows with the file, not the zone."""
        if not self.id_rows and not self.phone_rows:
            return
        existing = (
            Person.objects.filter(zone_id=self.zone.pk)
            .values_list("id_number_hash", "phone_hash")
            .iterator(chunk_size=10_000)
        )
        for id_hash, phone_hash in existing:
            if id_hash and id_hash in self.id_rows:
                self.report.error(
                    self.id_rows[id_hash],
                    self.column("id_number"),
                    selectors.id_number_taken_message(),
                )
            if phone_hash and phone_hash in self.phone_rows:
                self.report.error(
                    self.phone_rows[phone_hash],
                    self.column("phone"),
                    selectors.phone_taken_message(),
                )


# ---------------------------------------------------------------------- import


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
        perm = "core.add_enterprise" if kind == "enterprises" else "core.add_person"
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
