"""Excel import refuses, before reading any row, files past the size, row and cell limits."""

import functools
import io
import time
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from gaoxin.core.errors import ApplicationError
from gaoxin.core.xlsx_limits import MAX_CELL_CHARS, MB, limits
from gaoxin.registry import imports
from gaoxin.registry.imports import reading
from gaoxin.registry.models import Person
from gaoxin.registry.tests.test_imports import PEOPLE_HEADERS, people_rows, upload, xlsx


def run(zone, fileobj, **kwargs):
    return imports.import_xlsx(actor=None, zone=zone, kind="people", fileobj=fileobj, **kwargs)


@pytest.fixture
def openpyxl_opens(monkeypatch):
    """How many times the import handed a file to openpyxl: 0 means refused before reading."""
    calls = []
    real = reading.load_workbook

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(reading, "load_workbook", spy)
    return calls


NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<workbook {NS.decode()} xmlns:r="{REL}"><sheets>'
        '<sheet name="人员名册" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
}


def _header_cells() -> bytes:
    """Row 1: the people headers, as shared strings 0–5."""
    return b"".join(
        f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>'.encode() for i in range(len(PEOPLE_HEADERS))
    )


def workbook(rows=(), *, strings=(), extra=None) -> bytes:
    """A minimal xlsx as Excel writes it: shared strings (the headers, then `strings`,
    a sequence of byte chunks streamed into the part) and a sheet of the header row
    followed by `rows` (byte chunks of row XML)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in {**PARTS, **(extra or {})}.items():
            z.writestr(name, text)
        for name, head, chunks, tail in (
            (
                "xl/sharedStrings.xml",
                b"<sst "
                + NS
                + b">"
                + b"".join(f"<si><t>{h}</t></si>".encode() for h in PEOPLE_HEADERS),
                strings,
                b"</sst>",
            ),
            (
                "xl/worksheets/sheet1.xml",
                b"<worksheet " + NS + b'><sheetData><row r="1">' + _header_cells() + b"</row>",
                rows,
                b"</sheetData></worksheet>",
            ),
        ):
            with z.open(name, "w", force_zip64=True) as part:
                part.write(head)
                for chunk in chunks:
                    part.write(chunk)
                part.write(tail)
    return out.getvalue()


@functools.cache
def shared_strings_bomb(unpacked: int) -> bytes:
    """A valid people roster whose shared-strings table also holds one string of
    `unpacked` bytes: a few hundred KB on the wire."""
    block = b"A" * MB
    return workbook(strings=[b"<si><t>", *(block for _ in range(unpacked // MB)), b"</t></si>"])


def person_row_xml(r: int, n: int) -> bytes:
    name, id_number, phone = people_rows(1, start=n)[0][:3]
    cells = (("A", name), ("B", id_number), ("C", phone))
    return (
        f'<row r="{r}">'
        + "".join(
            f'<c r="{col}{r}" t="inlineStr"><is><t>{value}</t></is></c>' for col, value in cells
        )
        + "</row>"
    ).encode()


# --------------------------------------------------------------- size


def test_a_300_mb_shared_strings_bomb_is_refused_at_once_without_unpacking(zone_a, openpyxl_opens):
    bomb = shared_strings_bomb(300 * MB)
    assert len(bomb) < 1 * MB  # the reported attack: ~300 KB on the wire
    start = time.perf_counter()
    with pytest.raises(ApplicationError) as caught:
        run(zone_a, io.BytesIO(bomb))
    assert time.perf_counter() - start < 5  # it used to take 205 s
    assert caught.value.code == "uncompressed_too_large"
    assert "解压后有 300 MB，超过 100 MB 的上限" in caught.value.message
    assert openpyxl_opens == [] and Person.objects.count() == 0


def test_a_part_with_a_bomb_like_compression_ratio_is_refused(zone_a, openpyxl_opens):
    bomb = shared_strings_bomb(2 * MB)  # under every size limit, but ~1000× packed
    with pytest.raises(ApplicationError) as caught:
        run(zone_a, io.BytesIO(bomb))
    assert caught.value.code == "uncompressed_too_large"
    assert "xl/sharedStrings.xml 压缩比为" in caught.value.message
    assert "超过 200 倍的上限" in caught.value.message
    assert openpyxl_opens == []


def test_the_shared_strings_read_whole_into_memory_have_their_own_limit(
    zone_a, settings, openpyxl_opens
):
    settings.GAOXIN_IMPORT_MAX_SHARED_STRINGS_BYTES = 1 * MB
    settings.GAOXIN_IMPORT_MAX_COMPRESSION_RATIO = 10_000
    with pytest.raises(
        ApplicationError, match=r"文字表 xl/sharedStrings.xml 解压后有 2 MB，超过 1 MB"
    ):
        run(zone_a, io.BytesIO(shared_strings_bomb(2 * MB)))
    assert openpyxl_opens == []


def test_a_bloated_styles_part_is_refused_before_openpyxl_parses_it(zone_a, openpyxl_opens):
    """openpyxl parsed a 27 MB styles.xml for 116 s into 400 MB; 5 MB is the limit."""
    xfs = "".join(f'<xf numFmtId="{i % 164}" fontId="{i % 7}" xfId="{i}"/>' for i in range(140_000))
    styles = f"<styleSheet {NS.decode()}><cellXfs>{xfs}</cellXfs></styleSheet>".encode()
    with pytest.raises(ApplicationError, match=r"xl/styles.xml 解压后有 \S+ MB，超过单个部分 5 MB"):
        run(zone_a, io.BytesIO(workbook([person_row_xml(2, 1)], extra={"xl/styles.xml": styles})))
    assert openpyxl_opens == []


def test_the_part_limit_is_a_setting(zone_a, settings):
    settings.GAOXIN_IMPORT_MAX_PART_BYTES = 4096  # an openpyxl theme is 10 KB
    with pytest.raises(
        ApplicationError, match="xl/theme/theme1.xml 解压后有 10 KB，超过单个部分 4 KB"
    ):
        run(zone_a, xlsx(PEOPLE_HEADERS, people_rows(1)))


def test_total_unpacked_size_limit_is_a_setting(zone_a, settings):
    settings.GAOXIN_IMPORT_MAX_UNCOMPRESSED_BYTES = 10 * 1024  # the roster below unpacks to more
    with pytest.raises(ApplicationError, match="超过 10 KB 的上限") as caught:
        run(zone_a, xlsx(PEOPLE_HEADERS, people_rows(3)))
    assert caught.value.code == "uncompressed_too_large"


def test_file_size_limit(zone_a, settings, tmp_path):
    data = xlsx(PEOPLE_HEADERS, people_rows(3)).getvalue()
    settings.GAOXIN_IMPORT_MAX_FILE_BYTES = 2048
    with pytest.raises(ApplicationError, match=r"文件有 \d+ KB，超过 2 KB 的上限") as caught:
        run(zone_a, io.BytesIO(data))
    assert caught.value.code == "file_too_large"
    path = tmp_path / "people.xlsx"
    path.write_bytes(data)
    with pytest.raises(ApplicationError, match="超过 2 KB 的上限"):
        run(zone_a, path)


# --------------------------------------------------------------- rows


def test_too_many_data_rows_are_refused_before_reading(zone_a, settings, openpyxl_opens):
    settings.GAOXIN_IMPORT_MAX_ROWS = 5
    with pytest.raises(ApplicationError) as caught:
        run(zone_a, xlsx(PEOPLE_HEADERS, people_rows(40)))
    assert caught.value.code == "too_many_rows"
    assert caught.value.message.startswith("文件超过 5 行，超过每次导入的上限")
    assert openpyxl_opens == [] and Person.objects.count() == 0


def test_row_limit_is_exact_while_reading(zone_a, settings):
    settings.GAOXIN_IMPORT_MAX_ROWS = 5
    assert run(zone_a, xlsx(PEOPLE_HEADERS, people_rows(5))).created == 5
    with pytest.raises(ApplicationError, match="文件超过 5 行"):
        run(zone_a, xlsx(PEOPLE_HEADERS, people_rows(6, start=10)))  # within the scan's slack
    assert Person.objects.count() == 5


def test_the_default_limit_is_100000_rows():
    assert limits().rows == 100_000 and MAX_CELL_CHARS == 1000


def test_millions_of_empty_rows_are_refused_past_excels_maximum(zone_a, monkeypatch):
    monkeypatch.setattr("gaoxin.core.xlsx_limits.EXCEL_MAX_ROWS", 2000)
    empty = (f'<row r="{r}"/>'.encode() for r in range(2, 5000))
    with pytest.raises(ApplicationError, match="超过 2000 行（含空行）") as caught:
        run(zone_a, io.BytesIO(workbook(empty)))
    assert caught.value.code == "too_many_rows"


def test_empty_rows_below_the_data_are_never_read(zone_a):
    """Excel often records thousands of formatted empty rows: they cost the scan only."""
    rows = [person_row_xml(2, 1), b'<row r="3" s="1" customFormat="1"/>', person_row_xml(4, 2)]
    rows += [f'<row r="{r}" s="1" customFormat="1"/>'.encode() for r in range(5, 50_000)]
    result = run(zone_a, io.BytesIO(workbook(rows)))
    assert result.ok and result.created == 2


# --------------------------------------------------------------- cells


def test_a_too_long_cell_names_its_row_and_column(zone_a, openpyxl_opens):
    rows = people_rows(3)
    rows[1][3] = "长" * 1001
    with pytest.raises(ApplicationError) as caught:
        run(zone_a, xlsx(PEOPLE_HEADERS, rows))
    assert caught.value.code == "cell_too_long"
    assert caught.value.message == (
        "第 3 行第 D 列的单元格有 1001 个字，超过每格 1000 个字的上限；请缩短后再导入"
    )
    assert openpyxl_opens == [] and Person.objects.count() == 0


def test_a_too_long_inline_string_cell_is_refused_and_the_limit_is_a_setting(zone_a, settings):
    settings.GAOXIN_IMPORT_MAX_CELL_CHARS = 20
    rows = [
        person_row_xml(2, 1),
        b'<row r="3"><c r="F3" t="inlineStr"><is><r><t>'
        + ("长" * 15).encode()
        + b"</t></r><r><t>"
        + b"x" * 6
        + b"</t></r></is></c></row>",
    ]
    with pytest.raises(
        ApplicationError, match="第 3 行第 F 列的单元格有 21 个字，超过每格 20 个字"
    ):
        run(zone_a, io.BytesIO(workbook(rows)))


def test_a_too_long_shared_string_is_refused_where_the_data_sheet_uses_it(zone_a):
    strings = [b"<si><t>" + ("长" * 1001).encode() + b"</t></si>", b"<si><t>\xe5\xbf\xab</t></si>"]
    unused = [person_row_xml(2, 1), b'<row r="3"><c r="A3" t="s"><v>7</v></c></row>']
    assert run(zone_a, io.BytesIO(workbook(unused, strings=strings)), dry_run=True).ok
    used = [
        *unused[:1],
        b'<row r="3"><c r="A3" t="s"><v>7</v></c><c r="E3" t="s"><v>6</v></c></row>',
    ]
    with pytest.raises(ApplicationError, match="第 3 行第 E 列的单元格有 1001 个字") as caught:
        run(zone_a, io.BytesIO(workbook(used, strings=strings)))
    assert caught.value.code == "cell_too_long" and Person.objects.count() == 0


def test_long_text_on_another_sheet_does_not_count(zone_a):
    wb = Workbook()
    wb.active.title = "人员名册"
    wb.active.append(PEOPLE_HEADERS)
    wb.active.append(people_rows(1)[0])
    wb.create_sheet("说明").append(["很长的说明" * 300])
    data = io.BytesIO()
    wb.save(data)
    data.seek(0)
    assert run(zone_a, data).created == 1


# ------------------------------------------------------------ the page, the CLI


def test_page_refuses_a_bomb_next_to_the_file_field(client, zone_a, make_user):
    client.force_login(make_user("officer", zone_a))
    response = upload(client, content=shared_strings_bomb(300 * MB), zone=zone_a)
    assert response.status_code == 200
    html = response.content.decode()
    assert "解压后有 300 MB，超过 100 MB 的上限" in html
    assert 'id="import-result"' not in html and Person.objects.count() == 0


def test_page_refuses_too_many_rows_and_too_long_cells(client, zone_a, make_user, settings):
    client.force_login(make_user("officer", zone_a))
    settings.GAOXIN_IMPORT_MAX_ROWS = 5
    assert "文件超过 5 行" in upload(client, people_rows(40), zone=zone_a).content.decode()
    rows = people_rows(2)
    rows[0][0] = "名" * 1001
    html = upload(client, rows, zone=zone_a).content.decode()
    assert "第 2 行第 A 列的单元格有 1001 个字" in html
    assert Person.objects.count() == 0


def test_page_stops_storing_an_upload_past_the_file_limit(client, zone_a, make_user, settings):
    client.force_login(make_user("officer", zone_a))
    settings.GAOXIN_IMPORT_MAX_FILE_BYTES = 4096
    response = upload(client, content=b"PK" + b"\0" * 100_000, zone=zone_a)
    assert response.status_code == 413
    html = response.content.decode()
    assert "超过 4 KB 的上限" in html and "这个字段是必填项" not in html
    assert "每个文件最多 20000 行、4 KB，每格最多 1000 个字" in html  # the limits, stated
    assert Person.objects.count() == 0


def test_page_answers_an_oversized_form_body_in_chinese(client, zone_a, make_user, settings):
    client.force_login(make_user("officer", zone_a))
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(
        "/office/import/", {"kind": "people", "zone": zone_a.pk, "note": "x" * 5000}
    )
    assert response.status_code == 413
    assert "的上限；请分成多个文件导入" in response.content.decode()


def test_cli_refuses_a_bomb_and_writes_nothing(zone_a, tmp_path):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(shared_strings_bomb(300 * MB))
    with pytest.raises(CommandError, match="超过 100 MB 的上限.*未导入任何数据"):
        call_command("import_xlsx", "people", str(path), zone="zone-a")
    assert Person.objects.count() == 0


def test_cli_refuses_too_many_rows_without_suggesting_itself(zone_a, tmp_path, settings):
    settings.GAOXIN_IMPORT_MAX_ROWS = 5
    path = tmp_path / "people.xlsx"
    path.write_bytes(xlsx(PEOPLE_HEADERS, people_rows(40)).getvalue())
    with pytest.raises(CommandError, match="文件超过 5 行，超过每次导入的上限") as caught:
        call_command("import_xlsx", "people", str(path), zone="zone-a")
    assert "命令行" not in str(caught.value)
    assert Person.objects.count() == 0
