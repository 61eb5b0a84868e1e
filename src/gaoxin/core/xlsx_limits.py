"""Limits on what an uploaded xlsx may unpack to, checked before openpyxl reads it.

An xlsx is a zip of XML parts. openpyxl (even read-only) reads every part but
the worksheets whole into memory — the shared-strings table above all — and
walks every row element of the sheet, empty or not. So a 300 KB upload whose
shared strings unpack to 300 MB, or a sheet of millions of empty rows, costs
minutes and gigabytes. `check_xlsx` refuses such files first, from the zip's
central directory and one streaming pass over the shared strings and the
data sheet (memory stays flat: parsed elements are dropped as they go).

The limits live here; each can be overridden by a `GAOXIN_IMPORT_MAX_*`
setting (tests set low ones). README.md ("Excel import limits") states them.
"""

import posixpath
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from gaoxin.core.errors import ApplicationError

MB = 1024 * 1024
#: the uploaded file itself
MAX_FILE_BYTES = 20 * MB
#: all parts of the zip together, unpacked
MAX_UNCOMPRESSED_BYTES = 100 * MB
#: the shared-strings table (the text of the cells), which openpyxl holds whole in memory
MAX_SHARED_STRINGS_BYTES = 30 * MB
#: any other part but the worksheets (styles, workbook, relationships …): openpyxl
#: parses each into a full tree and objects — a 27 MB styles.xml took 116 s and 400 MB
MAX_PART_BYTES = 5 * MB
#: unpacked / packed size of one part; checked on parts over RATIO_MIN_BYTES.
#: Spreadsheet XML packs 5–20×; deflate tops out near 1000× on repeated bytes.
MAX_COMPRESSION_RATIO = 200
RATIO_MIN_BYTES = 1 * MB
#: data rows (rows with at least one value, header included) of one import
MAX_ROWS = 100_000
#: characters in one cell
MAX_CELL_CHARS = 1_000
#: rows of any kind, empty ones included: Excel's own maximum
EXCEL_MAX_ROWS = 1_048_576
#: rows above the header that may hold a title (registry.imports.reading.HEADER_SEARCH_ROWS)
HEADER_ROWS = 10

SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)


@dataclass(frozen=True)
class Limits:
    file_bytes: int
    uncompressed_bytes: int
    shared_strings_bytes: int
    part_bytes: int
    compression_ratio: int
    rows: int
    cell_chars: int


def limits() -> Limits:
    """The limits in force: module defaults unless a GAOXIN_IMPORT_MAX_* setting overrides."""

    def get(name: str, default: int) -> int:
        return int(getattr(settings, f"GAOXIN_IMPORT_MAX_{name}", default))

    return Limits(
        file_bytes=get("FILE_BYTES", MAX_FILE_BYTES),
        uncompressed_bytes=get("UNCOMPRESSED_BYTES", MAX_UNCOMPRESSED_BYTES),
        shared_strings_bytes=get("SHARED_STRINGS_BYTES", MAX_SHARED_STRINGS_BYTES),
        part_bytes=get("PART_BYTES", MAX_PART_BYTES),
        compression_ratio=get("COMPRESSION_RATIO", MAX_COMPRESSION_RATIO),
        rows=get("ROWS", MAX_ROWS),
        cell_chars=get("CELL_CHARS", MAX_CELL_CHARS),
    )


def size_text(n: int) -> str:
    """`20 MB`, `1.5 MB`, `307 KB`."""
    if n >= MB:
        return f"{n / MB:.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(n / 1024))} KB"


@dataclass
class Scan:
    #: rows of the data sheet holding at least one value (header and title rows included)
    rows: int = 0
    #: number of the last row holding a value: nothing below it needs reading
    last_row: int = 0


def file_too_large(size: int, limit: int) -> ApplicationError:
    return ApplicationError(
        _("文件有 %(size)s，超过 %(limit)s 的上限；请分成多个文件导入")
        % {"size": size_text(size), "limit": size_text(limit)},
        code="file_too_large",
    )


def row_limit(max_rows: int | None) -> tuple[int, bool]:
    """(data-row limit, whether it is a caller's lower one) for an import's `max_rows`."""
    rows = limits().rows
    return (max_rows, True) if max_rows is not None and max_rows < rows else (rows, False)


def too_many_rows(limit: int, *, web: bool) -> ApplicationError:
    """A file with more data rows than `limit`; `web` for the page's own lower limit."""
    if web:
        message = _(
            "文件超过 %(n)d 行，网页上无法一次导入；请分成多个文件，或用命令行 gaoxin import 导入"
        ) % {"n": limit}
    else:
        message = _("文件超过 %(n)d 行，超过每次导入的上限；请分成多个文件导入") % {"n": limit}
    return ApplicationError(message, code="too_many_rows")


def _bad_file() -> ApplicationError:
    return ApplicationError(_("无法读取该文件：请上传 .xlsx 格式的 Excel 文件"), code="bad_file")


def _file_size(source: IO[bytes]) -> int:
    size = getattr(source, "size", None)  # Django's UploadedFile
    if isinstance(size, int):
        return size
    position = source.tell()
    end = source.seek(0, 2)
    source.seek(position)
    return end


def check_xlsx(source: IO[bytes], *, sheet_title: str, max_rows: int | None) -> Scan:
    """Refuse an xlsx that passes a limit; else how many rows of the data sheet hold values.

    `source` is a seekable binary file, left at position 0. The data sheet is
    the one named `sheet_title`, else the first, as registry.imports.reading._data_sheet picks.
    `max_rows` is a caller's own lower row limit (the web page's), else the
    global one applies. Raises ApplicationError with codes file_too_large,
    uncompressed_too_large, too_many_rows, cell_too_long or bad_file.
    """
    lim = limits()
    rows, web = row_limit(max_rows)
    size = _file_size(source)
    if size > lim.file_bytes:
        raise file_too_large(size, lim.file_bytes)
    try:
        with zipfile.ZipFile(source) as archive:
            _check_sizes(archive.infolist(), lim)
            sheet, worksheets = _data_sheet_part(archive, sheet_title)
            strings = _shared_strings_part(archive)
            _check_parts(archive.infolist(), lim, worksheets, strings)
            long_strings = _long_shared_strings(archive, strings, lim.cell_chars)
            with archive.open(sheet) as stream:
                return _scan_sheet(stream, long_strings, lim, rows, web=web)
    except ApplicationError:
        raise
    except Exception:  # noqa: BLE001 - a broken zip or XML: not a readable xlsx
        raise _bad_file() from None
    finally:
        source.seek(0)


def _check_sizes(infos: list[zipfile.ZipInfo], lim: Limits) -> None:
    total = sum(info.file_size for info in infos)
    if total > lim.uncompressed_bytes:
        raise ApplicationError(
            _("文件解压后有 %(size)s，超过 %(limit)s 的上限；请分成多个文件导入")
            % {"size": size_text(total), "limit": size_text(lim.uncompressed_bytes)},
            code="uncompressed_too_large",
        )
    for info in infos:
        if info.file_size > RATIO_MIN_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > lim.compression_ratio:
                raise ApplicationError(
                    _(
                        "文件中的 %(part)s 压缩比为 %(ratio)d 倍，超过 %(limit)d 倍的上限，"
                        "不像正常的 Excel 文件；请在 Excel 中重新保存后再上传"
                    )
                    % {"part": info.filename, "ratio": ratio, "limit": lim.compression_ratio},
                    code="uncompressed_too_large",
                )


def _check_parts(
    infos: list[zipfile.ZipInfo], lim: Limits, worksheets: set[str], strings: str
) -> None:
    """Parts read whole into memory; worksheets are streamed (and only the data sheet is)."""
    for info in infos:
        if info.filename not in worksheets:
            _check_part(info, lim, strings=info.filename == strings)


def _check_part(info: zipfile.ZipInfo, lim: Limits, *, strings: bool = False) -> None:
    if strings:
        limit = lim.shared_strings_bytes
        message = _(
            "文件中的文字表 %(part)s 解压后有 %(size)s，超过 %(limit)s 的上限"
            "（它要整体读入内存）；请分成多个文件导入"
        )
    else:
        limit = lim.part_bytes
        message = _(
            "文件中的 %(part)s 解压后有 %(size)s，超过单个部分 %(limit)s 的上限"
            "（它要整体读入内存）；请在 Excel 中重新保存后再上传"
        )
    if info.file_size > limit:
        raise ApplicationError(
            message
            % {"part": info.filename, "limit": size_text(limit), "size": size_text(info.file_size)},
            code="uncompressed_too_large",
        )


# --------------------------------------------------------------- zip parts


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _elements(stream, wanted: str) -> Iterator[ET.Element]:
    """Each complete element named `wanted` (any namespace); earlier ones are freed."""
    parents: list[ET.Element] = []
    seen = 0
    for event, elem in ET.iterparse(stream, events=("start", "end")):
        if event == "start":
            parents.append(elem)
            continue
        parents.pop()
        if _local(elem.tag) == wanted:
            yield elem
            elem.clear()
            seen += 1
            if parents and seen % 1000 == 0:
                parents[-1].clear()  # drop the cleared siblings kept by the parent


def _open_part(archive: zipfile.ZipFile, name: str):
    """A small part (relationships, workbook, content types) checked before it is parsed."""
    _check_part(archive.getinfo(name), limits())
    return archive.open(name)


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, member name) of a part."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    out = {}
    with _open_part(archive, rels_name) as stream:
        for rel in _elements(stream, "Relationship"):
            target = rel.get("Target", "")
            path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            out[rel.get("Id", "")] = (rel.get("Type", ""), posixpath.normpath(path))
    return out


def _data_sheet_part(archive: zipfile.ZipFile, sheet_title: str) -> tuple[str, set[str]]:
    """(Member name of the sheet openpyxl will read — named `sheet_title`, else the
    first —, member names of every worksheet)."""
    workbook = next(
        (
            member
            for kind, member in _rels(archive, "").values()
            if kind.endswith("/officeDocument")
        ),
        "xl/workbook.xml",
    )
    rels = _rels(archive, workbook)
    sheets = []
    with _open_part(archive, workbook) as stream:
        for sheet in _elements(stream, "sheet"):
            rel_id = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), "")
            kind, member = rels.get(rel_id, ("", ""))
            if kind.endswith("/worksheet"):
                sheets.append((sheet.get("name"), member))
    if not sheets:
        raise _bad_file()
    data = next((member for name, member in sheets if name == sheet_title), sheets[0][1])
    return data, {member for _name, member in sheets}


def _shared_strings_part(archive: zipfile.ZipFile) -> str:
    """Member name of the shared strings, found as openpyxl finds it; "" if none."""
    with _open_part(archive, "[Content_Types].xml") as stream:
        part = next(
            (
                o.get("PartName", "")
                for o in _elements(stream, "Override")
                if o.get("ContentType") == SHARED_STRINGS_TYPE
            ),
            "",
        )
    part = part.lstrip("/")
    return part if part in archive.NameToInfo else ""


def _long_shared_strings(archive: zipfile.ZipFile, part: str, limit: int) -> dict[int, int]:
    """Index → length of each shared string longer than `limit` characters."""
    if not part:
        return {}
    long = {}
    with archive.open(part) as stream:
        for index, item in enumerate(_elements(stream, "si")):
            length = sum(len(t.text or "") for t in item.iter() if _local(t.tag) == "t")
            if length > limit:
                long[index] = length
    return long


def _scan_sheet(
    stream, long_strings: dict[int, int], lim: Limits, max_rows: int, *, web: bool
) -> Scan:
    scan = Scan()
    row_number = rows_seen = column = 0
    has_value = False
    parents: list[ET.Element] = []
    for event, elem in ET.iterparse(stream, events=("start", "end")):
        tag = _local(elem.tag)
        if event == "start":
            parents.append(elem)
            if tag == "row":
                row_number = int(elem.get("r") or row_number + 1)
                column, has_value = 0, False
            continue
        parents.pop()
        if tag == "c":
            column = _column_index(elem.get("r")) or column + 1
            length = _cell_length(elem, long_strings)
            if length is not None:
                has_value = True
                if length > lim.cell_chars:
                    raise ApplicationError(
                        _(
                            "第 %(row)d 行第 %(column)s 列的单元格有 %(n)d 个字，超过每格 "
                            "%(limit)d 个字的上限；请缩短后再导入"
                        )
                        % {
                            "row": row_number,
                            "column": get_column_letter(column),
                            "n": length,
                            "limit": lim.cell_chars,
                        },
                        code="cell_too_long",
                    )
            elem.clear()
        elif tag == "row":
            rows_seen += 1
            if rows_seen > EXCEL_MAX_ROWS:
                raise ApplicationError(
                    _(
                        "工作表超过 %(n)d 行（含空行），超过了 Excel 的最大行数，不是正常的 Excel "
                        "文件；请在 Excel 中删除多余的行并重新保存后再上传"
                    )
                    % {"n": EXCEL_MAX_ROWS},
                    code="too_many_rows",
                )
            if has_value:
                scan.rows += 1
                scan.last_row = row_number
                if scan.rows > max_rows + HEADER_ROWS:  # exact count while reading
                    raise too_many_rows(max_rows, web=web)
            elem.clear()
            if parents and rows_seen % 1000 == 0:
                parents[-1].clear()
    return scan


def _column_index(ref: str | None) -> int:
    """`AB12` → 28; 0 when there is no reference."""
    index = 0
    for char in ref or "":
        if not char.isalpha():
            break
        index = index * 26 + ord(char.upper()) - 64
    return index


def _cell_length(cell: ET.Element, long_strings: dict[int, int]) -> int | None:
    """Characters in a cell's value; None for a cell without one (a formatted blank)."""
    kind = cell.get("t")
    value = next((child for child in cell if _local(child.tag) in ("v", "is")), None)
    if value is None:
        return None
    if _local(value.tag) == "is":
        return sum(len(t.text or "") for t in value.iter() if _local(t.tag) == "t")
    if kind == "s":
        try:
            return long_strings.get(int(value.text or ""), 0)
        except ValueError:
            return 0
    return len(value.text or "")
