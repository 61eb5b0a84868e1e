"""Excel roster import: template, all-or-nothing validation, CLI and the /office/import/ page."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from gaoxin.core.audit import audit_verify
from gaoxin.core.enums import AuditAction
from gaoxin.core.errors import ApplicationError, Forbidden, NotFound
from gaoxin.core.models import AuditEntry
from gaoxin.core.tests.factories import valid_id_number, valid_uscc
from gaoxin.registry.domain import clean_person, person_plain
from gaoxin.registry.imports import MAX_ERRORS, RowError, import_xlsx, template_workbook
from gaoxin.registry.models import Enterprise, Person
from gaoxin.registry.tests.factories import enterprise, person

PEOPLE_HEADERS = ["姓名*", "身份证号", "手机号码", "身份", "职业类型", "所在企业统一社会信用代码"]
ENTERPRISE_HEADERS = [
    "企业名称*",
    "统一社会信用代码*",
    "行业",
    "地址",
    "联系人",
    "联系电话",
    "新业态企业(是/否)",
]


def id_number(n: int) -> str:
    """Unique within a test and unlike the factories' (which use 1990-01-01)."""
    return valid_id_number(n, birth="19850315")


def xlsx(headers: list, rows: list, *, title_rows: list | None = None) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    for row in title_rows or []:
        ws.append(row)
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def people_rows(n: int, start: int = 1) -> list[list]:
    return [
        [f"测试{i}", id_number(i), f"1391234{i:04d}", "新就业形态劳动者", "快递员", None]
        for i in range(start, start + n)
    ]


def counts(zone) -> tuple[int, int, int]:
    return (
        Person.objects.filter(zone=zone).count(),
        Enterprise.objects.filter(zone=zone).count(),
        AuditEntry.objects.filter(zone=zone).count(),
    )


def run(zone, kind, fileobj, **kwargs):
    return import_xlsx(
        actor=kwargs.pop("actor", None), zone=zone, kind=kind, fileobj=fileobj, **kwargs
    )


# ------------------------------------------------------------------ template


@pytest.mark.parametrize(
    ("kind", "headers", "labels"),
    [
        ("people", PEOPLE_HEADERS, ["快递员", "外卖骑手", "新就业形态劳动者"]),
        ("enterprises", ENTERPRISE_HEADERS, ["是", "否"]),
    ],
)
def test_template_has_chinese_headers_and_a_help_sheet_with_allowed_values(kind, headers, labels):
    wb = load_workbook(io.BytesIO(template_workbook(kind)))
    data, help_sheet = wb.worksheets
    assert [c.value for c in data[1]] == headers
    assert data["A1"].font.bold
    assert data.max_row == 1  # no example row that could be imported by accident
    assert help_sheet.title == "说明"
    text = "\n".join(str(v) for row in help_sheet.iter_rows(values_only=True) for v in row if v)
    for label in labels:
        assert label in text


def test_unchanged_template_imports_nothing(zone_a):
    result = run(zone_a, "people", io.BytesIO(template_workbook("people")))
    assert not result.ok
    assert "没有数据行" in result.errors[0].message
    assert counts(zone_a)[0] == 0


# ------------------------------------------------------------------ happy path


def test_good_people_file_imports_every_row_with_one_audit_entry_each(zone_a, make_user):
    officer = make_user("officer", zone_a)
    firm = enterprise(zone_a)
    rows = people_rows(3)
    rows[0][5] = firm.uscc
    audit_before = AuditEntry.objects.filter(zone=zone_a).count()

    result = run(zone_a, "people", xlsx(PEOPLE_HEADERS, rows), actor=officer)

    assert result.ok, result.errors
    assert result.created == 3
    people = {p.name: p for p in Person.objects.filter(zone=zone_a)}
    assert set(people) == {"测试1", "测试2", "测试3"}
    first = people["测试1"]
    assert first.employer_id == firm.pk
    assert first.job_type == "courier" and first.role == "worker"
    assert first.birth_date.isoformat() == "1985-03-15"
    assert person_plain(first) == {"id_number": id_number(1), "phone": "13912340001"}
    assert first.id_number_masked == id_number(1)[:4] + "*" * 10 + id_number(1)[-4:]
    entries = AuditEntry.objects.filter(zone=zone_a, action=AuditAction.IMPORT)
    assert entries.count() == 3
    assert AuditEntry.objects.filter(zone=zone_a).count() == audit_before + 3
    entry = entries.get(object_id=str(first.pk))
    assert entry.actor_id == officer.pk
    assert entry.object_type == "registry.Person"
    assert entry.after["id_number_masked"] == first.id_number_masked
    assert entry.after["employer_id"] == firm.pk
    assert "Excel 第 2 行" in entry.note
    assert audit_verify()[1] == []


def test_person_fields_clean_exactly_as_clean_person_does(zone_a):
    """The import cleans people field by field (with caching); the result must match."""
    row = ["冯立松", id_number(7), "138 1234 5678", "党员", "外卖骑手", None]
    assert run(zone_a, "people", xlsx(PEOPLE_HEADERS, [row])).ok
    stored = Person.objects.get(zone=zone_a)
    expected = clean_person(
        {"name": row[0], "id_number": row[1], "phone": row[2], "role": row[3], "job_type": row[4]}
    ).values
    for key, value in expected.items():
        if not key.endswith("_cipher"):
            assert getattr(stored, key) == value, key


def test_good_enterprise_file_imports(zone_a):
    rows = [
        [
            "肇庆市中旺通物流代理有限公司",
            valid_uscc(9001),
            "物流",
            "建设路 1 号",
            "冯立松",
            "0758-2345678",
            "是",
        ],
        ["第二家公司", valid_uscc(9002), None, None, None, 13812345678, None],
    ]
    result = run(zone_a, "enterprises", xlsx(ENTERPRISE_HEADERS, rows))
    assert result.ok, result.errors
    assert result.created == 2
    first = Enterprise.objects.get(zone=zone_a, uscc=valid_uscc(9001))
    assert first.is_new_economy and first.contact_phone_masked == "075*****5678"
    second = Enterprise.objects.get(zone=zone_a, uscc=valid_uscc(9002))
    assert second.contact_phone_masked == "138****5678" and not second.is_new_economy
    assert AuditEntry.objects.filter(zone=zone_a, action=AuditAction.IMPORT).count() == 2


# -------------------------------------------------------------- all or nothing


def test_one_bad_row_among_good_ones_changes_nothing(zone_a):
    enterprise(zone_a)
    before = counts(zone_a)
    rows = people_rows(5)
    bad = id_number(3)
    rows[2][1] = bad[:17] + ("0" if bad[17] != "0" else "1")  # wrong check digit, Excel row 4
    result = run(zone_a, "people", xlsx(PEOPLE_HEADERS, rows))
    assert not result.ok
    assert result.created == 0
    assert result.failed_rows == 1
    assert result.errors == [RowError(4, "身份证号", "身份证号校验位错误")]
    assert str(result.errors[0]) == "第 4 行「身份证号」：身份证号校验位错误"
    assert counts(zone_a) == before


def test_every_row_is_validated_and_reported_with_its_column(zone_a):
    rows = [
        ["", id_number(1), None, None, None, None],  # row 2: no name
        ["乙", id_number(2), "12345", None, None, None],  # row 3: bad phone
        ["丙", None, None, "外星人", "飞行员", None],  # row 4: two bad choices
        ["丁", None, None, None, None, valid_uscc(777)],  # row 5: unknown employer
    ]
    result = run(zone_a, "people", xlsx(PEOPLE_HEADERS, rows))
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (2, "姓名"),
        (3, "手机号码"),
        (4, "身份"),
        (4, "职业类型"),
        (5, "所在企业统一社会信用代码"),
    }
    assert result.failed_rows == 4
    assert "请填写姓名" in str(result.errors[0])
    assert "快递员" in next(e.message for e in result.errors if e.column == "职业类型")


def test_error_list_is_capped_but_every_failed_row_is_counted(zone_a):
    rows = [[None, None, "12345", None, None, None] for _ in range(MAX_ERRORS + 50)]
    result = run(zone_a, "people", xlsx(PEOPLE_HEADERS, rows))
    assert len(result.errors) == MAX_ERRORS
    assert result.errors_truncated
    assert result.failed_rows == MAX_ERRORS + 50


def test_duplicates_within_the_file_point_to_the_first_row(zone_a):
    rows = people_rows(3)
    rows[2][1] = rows[0][1]  # same ID as row 2
    rows[2][2] = rows[1][2]  # same phone as row 3
    result = run(zone_a, "people", xlsx(PEOPLE_HEADERS, rows))
    assert {(e.row, e.column, e.message) for e in result.errors} == {
        (4, "身份证号", "与第 2 行重复"),
        (4, "手机号码", "与第 3 行重复"),
    }
    firms = [
        ["甲公司", valid_uscc(501), None, None, None, None, None],
        ["乙公司", valid_uscc(501), None, None, None, None, None],
    ]
    result = run(zone_a, "enterprises", xlsx(ENTERPRISE_HEADERS, firms))
    assert result.errors == [RowError(3, "统一社会信用代码", "与第 2 行重复")]
    assert counts(zone_a) == (0, 0, 0)


def test_duplicates_against_the_zone_are_refused_but_other_zones_do_not_count(zone_a, zone_b):
    person(zone_a, id_number=id_number(1), phone="13900000001")
    enterprise(zone_a, uscc=valid_uscc(601))
    rows = people_rows(2)
    rows[1][2] = "13900000001"
    result = run(zone_a, "people", xlsx(PEOPLE_HEADERS, rows))
    assert {(e.row, e.column, e.message) for e in result.errors} == {
        (2, "身份证号", "本园区已登记该身份证号"),
        (3, "手机号码", "本园区已有人员使用该手机号码"),
    }
    firms = [["甲公司", valid_uscc(601), None, None, None, None, None]]
    result = run(zone_a, "enterprises", xlsx(ENTERPRISE_HEADERS, firms))
    assert result.errors == [
        RowError(2, "统一社会信用代码", "本园区已登记该统一社会信用代码的企业")
    ]
    # the same people and firm are new to zone B
    assert run(zone_b, "people", xlsx(PEOPLE_HEADERS, rows)).ok
    assert run(zone_b, "enterprises", xlsx(ENTERPRISE_HEADERS, firms)).ok


def test_employer_must_be_registered_in_the_same_zone(zone_a, zone_b):
    elsewhere = enterprise(zone_b)
    rows = people_rows(1)
    rows[0][5] = elsewhere.uscc
    result = run(zone_a, "people", xlsx(PEOPLE_HEADERS, rows))
    assert [(e.row, e.column) for e in result.errors] == [(2, "所在企业统一社会信用代码")]
    assert "本园区没有" in result.errors[0].message


# ------------------------------------------------------------- Excel quirks


def test_numbers_excel_made_of_phones_and_ids_are_read_back_as_text(zone_a):
    rows = [["甲", 110105198503150019, 13812345678.0, None, None, None]]
    # an exact 18-digit integer is still refused: Excel cannot store one exactly
    result = run(zone_a, "people", xlsx(PEOPLE_HEADERS, rows))
    assert [e.column for e in result.errors] == ["身份证号"]
    rows = [["甲", id_number(1), 13812345678.0, None, None, None]]
    assert run(zone_a, "people", xlsx(PEOPLE_HEADERS, rows)).ok
    assert Person.objects.get(zone=zone_a).phone_masked == "138****5678"


@pytest.mark.parametrize("mangled", [4.41204198503150e17, "4.41204E+17"])
def test_id_number_in_scientific_notation_asks_for_a_text_column(zone_a, mangled):
    rows = [["甲", mangled, None, None, None, None]]
    result = run(zone_a, "people", xlsx(PEOPLE_HEADERS, rows))
    assert len(result.errors) == 1
    error = result.errors[0]
    assert (error.row, error.column) == (2, "身份证号")
    assert "科学计数法" in error.message and "文本" in error.message


def test_headers_match_in_any_order_with_spaces_stars_and_a_title_row(zone_a):
    headers = [" 手机号码 ", "序号", "姓名", "身份证号码＊", "职业类型"]
    rows = [["13912340001", 1, "甲", id_number(1), "外卖骑手"]]
    data = xlsx(headers, rows, title_rows=[["甲高新区新就业形态劳动者名册"], []])
    result = run(zone_a, "people", data)
    assert result.ok, result.errors
    assert Person.objects.get(zone=zone_a).job_type == "food_delivery"


def test_enterprise_headers_accept_full_width_brackets(zone_a):
    headers = ["统一社会信用代码", "企业名称", "新业态企业（是/否）"]
    result = run(zone_a, "enterprises", xlsx(headers, [[valid_uscc(701), "甲公司", "是"]]))
    assert result.ok, result.errors
    assert Enterprise.objects.get(zone=zone_a).is_new_economy


def test_unknown_and_missing_headers_are_file_level_errors(zone_a):
    result = run(zone_a, "people", xlsx(["身份证号", "工号"], [[id_number(1), "A1"]]))
    messages = {e.column: e.message for e in result.errors}
    assert "姓名" in messages and "缺少必填列" in messages["姓名"]
    assert "工号" in messages and "无法识别" in messages["工号"]
    assert all(e.row == 1 for e in result.errors)
    assert counts(zone_a)[0] == 0


def test_empty_rows_are_skipped_and_row_numbers_follow_excel(zone_a):
    wb = Workbook()
    ws = wb.active
    ws.append(PEOPLE_HEADERS)
    ws.append(people_rows(1)[0])
    ws.cell(row=6, column=1, value="戊")
    ws.cell(row=6, column=3, value="123")  # rows 3–5 are empty
    ws.append(["   ", None, None, None, None, None])  # whitespace only: empty
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    result = run(zone_a, "people", buffer)
    assert result.rows == 2
    assert [(e.row, e.column) for e in result.errors] == [(6, "手机号码")]


# --------------------------------------------------------------- bad files


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        b"\xe5\xa7\x93\xe5\x90\x8d,\xe8\xba\xab\xe4\xbb\xbd\xe8\xaf\x81\xe5\x8f\xb7\n1,2\n",
        bytes(range(256)) * 4,
        b"",
        _zip_without_workbook(),
        b"PK\x03\x04truncated",
    ],
    ids=["csv", "random", "empty", "docx-like-zip", "truncated-zip"],
)
def test_a_file_that_is_not_xlsx_is_a_clear_error(zone_a, content):
    with pytest.raises(ApplicationError) as caught:
        run(zone_a, "people", io.BytesIO(content))
    assert caught.value.code == "bad_file"
    assert "无法读取该文件" in caught.value.message and ".xlsx" in caught.value.message


def test_an_old_xls_file_is_told_to_save_as_xlsx(zone_a):
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    with pytest.raises(ApplicationError, match="另存为") as caught:
        run(zone_a, "people", io.BytesIO(ole2))
    assert caught.value.code == "bad_file"


def test_masked_people_export_cannot_be_imported(zone_a):
    headers = ["姓名*", "身份证号(已脱敏)", "手机号码(已脱敏)", "性别"]
    result = run(
        zone_a, "people", xlsx(headers, [["甲", "4412**********1234", "139****0001", "男"]])
    )
    assert not result.ok
    assert any("脱敏" in e.message for e in result.errors)
    masked = run(zone_a, "people", xlsx(PEOPLE_HEADERS, [["甲", "4412**********1234", None]]))
    assert [e.column for e in masked.errors] == ["身份证号"]
    assert "已脱敏" in masked.errors[0].message


# ----------------------------------------------------------- rights, options


def test_actor_needs_the_add_permission_in_the_zone(zone_a, zone_b, make_user):
    data = xlsx(PEOPLE_HEADERS, people_rows(1))
    with pytest.raises(NotFound):
        run(zone_a, "people", data, actor=make_user("officer", zone_b))
    with pytest.raises(Forbidden):
        run(zone_a, "people", data, actor=make_user("instructor", zone_a))
    assert counts(zone_a)[0] == 0


def test_dry_run_validates_without_writing(zone_a):
    result = run(zone_a, "people", xlsx(PEOPLE_HEADERS, people_rows(3)), dry_run=True)
    assert result.ok and result.rows == 3 and result.created == 0
    assert counts(zone_a) == (0, 0, 0)


def test_worker_processes_give_the_same_result_as_one_process(zone_a, zone_b, monkeypatch):
    firm = enterprise(zone_a)
    rows = people_rows(7)
    rows[1][5] = firm.uscc
    rows[3][1] = "123"  # bad ID, row 5
    rows[6][2] = rows[0][2]  # phone repeats row 2, row 8
    serial = run(zone_a, "people", xlsx(PEOPLE_HEADERS, rows), dry_run=True)
    monkeypatch.setattr("gaoxin.registry.imports.engine.PARALLEL_MIN_ROWS", 0)
    monkeypatch.setattr("gaoxin.registry.imports.engine.WORKER_CHUNK", 2)
    parallel = run(zone_a, "people", xlsx(PEOPLE_HEADERS, rows), dry_run=True, workers=2)
    assert parallel.errors == serial.errors
    assert [(e.row, e.column) for e in parallel.errors] == [(5, "身份证号"), (8, "手机号码")]
    good = people_rows(6, start=20)
    good[2][5] = firm.uscc
    assert run(zone_a, "people", xlsx(PEOPLE_HEADERS, good), workers=2).created == 6
    assert Person.objects.get(zone=zone_a, name="测试22").employer_id == firm.pk


def test_progress_reports_validation_then_writing(zone_a, monkeypatch):
    monkeypatch.setattr("gaoxin.registry.imports.engine.PROGRESS_EVERY", 2)
    calls = []
    result = run(
        zone_a,
        "people",
        xlsx(PEOPLE_HEADERS, people_rows(5)),
        progress=lambda done, total: calls.append((done, total)),
    )
    assert result.ok
    starts = [i for i, (done, _) in enumerate(calls) if done == 0]
    assert len(starts) == 2  # validation, then writing
    assert calls[starts[1] - 1] == (5, 5) and calls[-1] == (5, 5)
    assert (2, 5) in calls[: starts[1]]


def test_web_row_limit_is_a_clear_error(zone_a):
    with pytest.raises(ApplicationError, match="命令行") as caught:
        run(zone_a, "people", xlsx(PEOPLE_HEADERS, people_rows(3)), max_rows=2)
    assert caught.value.code == "too_many_rows"


# --------------------------------------------------------------- command line


@pytest.fixture
def people_file(tmp_path):
    def write(rows):
        path = tmp_path / "people.xlsx"
        path.write_bytes(xlsx(PEOPLE_HEADERS, rows).getvalue())
        return path

    return write


def test_cli_imports_a_good_file(zone_a, people_file, capsys):
    call_command("import_xlsx", "people", str(people_file(people_rows(2))), zone="zone-a")
    assert "已导入 2 条人员记录到 甲高新区" in capsys.readouterr().out
    assert counts(zone_a)[0] == 2


def test_cli_lists_errors_and_exits_non_zero_without_importing(zone_a, people_file, capsys):
    rows = people_rows(3)
    rows[1][2] = "12345"
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import_xlsx", "people", str(people_file(rows)), zone="zone-a")
    assert "第 3 行「手机号码」：手机号码应为 11 位数字" in capsys.readouterr().err
    assert counts(zone_a)[0] == 0


def test_cli_rejects_unknown_zone_and_bad_file(zone_a, people_file, tmp_path):
    with pytest.raises(CommandError, match="没有代码为“nowhere”的园区.*zone-a"):
        call_command("import_xlsx", "people", str(people_file(people_rows(1))), zone="nowhere")
    bad = tmp_path / "roster.xlsx"
    bad.write_text("姓名,身份证号\n甲,1\n")
    with pytest.raises(CommandError, match="无法读取该文件.*未导入任何数据"):
        call_command("import_xlsx", "people", str(bad), zone="zone-a")
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_xlsx", "people", str(tmp_path / "missing.xlsx"), zone="zone-a")
    with pytest.raises(CommandError, match="enterprises"):
        call_command("import_xlsx", "staff", str(bad), zone="zone-a")


def test_cli_user_option_imports_with_that_users_rights(zone_a, people_file, make_user):
    make_user("instructor", zone_a, username="zhidao")
    with pytest.raises(CommandError, match="没有在甲高新区导入人员的权限"):
        call_command(
            "import_xlsx", "people", str(people_file(people_rows(1))), zone="zone-a", user="zhidao"
        )
    officer = make_user("officer", zone_a, username="ganshi")
    call_command(
        "import_xlsx", "people", str(people_file(people_rows(1))), zone="zone-a", user="ganshi"
    )
    assert AuditEntry.objects.get(zone=zone_a, action=AuditAction.IMPORT).actor_id == officer.pk


def test_cli_lists_the_first_50_errors_and_counts_the_rest(zone_a, people_file, capsys):
    rows = [[f"人{i}", None, "12345", None, None, None] for i in range(60)]
    with pytest.raises(CommandError, match="60 行有错误"):
        call_command("import_xlsx", "people", str(people_file(rows)), zone="zone-a")
    err = capsys.readouterr().err
    assert "第 51 行「手机号码」" in err and "第 52 行" not in err
    assert "另有 10 处错误未列出" in err


def test_cli_dry_run_and_template(zone_a, people_file, tmp_path, capsys):
    call_command(
        "import_xlsx", "people", str(people_file(people_rows(2))), zone="zone-a", dry_run=True
    )
    assert "校验通过：2 条人员记录" in capsys.readouterr().out
    assert counts(zone_a)[0] == 0
    target = tmp_path / "模板.xlsx"
    call_command("import_xlsx", str(target), template="enterprises")
    assert [c.value for c in load_workbook(target).active[1]] == ENTERPRISE_HEADERS


def test_cli_progress_prints_lines_when_not_a_terminal(zone_a, people_file, capsys):
    call_command("import_xlsx", "people", str(people_file(people_rows(3))), zone="zone-a")
    err = capsys.readouterr().err
    assert "校验 3/3 行 (100%)" in err and "写入 3/3 行 (100%)" in err


# ------------------------------------------------------------------ the page


def upload(client, rows=None, *, content=None, kind="people", zone=None, headers=PEOPLE_HEADERS):
    data = content if content is not None else xlsx(headers, rows).getvalue()
    post = {"kind": kind, "file": SimpleUploadedFile("名册.xlsx", data)}
    if zone is not None:
        post["zone"] = zone.pk
    return client.post("/office/import/", post)


def test_page_shows_form_and_template_links(client, zone_a, make_user):
    client.force_login(make_user("officer", zone_a))
    response = client.get("/office/import/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/office/import/template/people/" in html and "下载模板" in html
    response = client.get("/office/import/template/people/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.active[1]] == PEOPLE_HEADERS
    assert client.get("/office/import/template/nothing/").status_code == 404


def test_page_imports_a_good_file(client, zone_a, make_user):
    client.force_login(make_user("officer", zone_a))
    response = upload(client, people_rows(2), zone=zone_a)
    assert response.status_code == 200
    assert "已导入 2 条人员记录到 甲高新区" in response.content.decode()
    assert counts(zone_a)[0] == 2


def test_page_shows_row_errors_in_a_table_and_imports_nothing(client, zone_a, make_user):
    client.force_login(make_user("officer", zone_a))
    rows = people_rows(3)
    rows[2][2] = "12345"
    response = upload(client, rows, zone=zone_a)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-errors"' in html and "未导入任何数据" in html
    assert '<td class="row-number">4</td><td>手机号码</td>' in html
    assert counts(zone_a)[0] == 0


def test_page_shows_a_bad_file_next_to_the_file_field(client, zone_a, make_user):
    client.force_login(make_user("officer", zone_a))
    response = upload(client, content=b"not,an,excel\n", zone=zone_a)
    assert response.status_code == 200
    assert "无法读取该文件" in response.content.decode()
    assert response.context["form"].errors["file"]


def test_page_is_for_staff_only(client, zone_a, make_user):
    assert client.get("/office/import/").status_code == 302
    client.force_login(make_user("worker", zone_a))
    assert client.get("/office/import/").status_code == 302
    assert upload(client, people_rows(1), zone=zone_a).status_code == 302
    assert counts(zone_a)[0] == 0


def test_staff_without_add_permission_gets_403(client, zone_a, make_user):
    client.force_login(make_user("instructor", zone_a))
    response = upload(client, people_rows(1), zone=zone_a)
    assert response.status_code == 403
    assert "没有在该园区导入人员的权限" in response.content.decode()
    assert counts(zone_a)[0] == 0


def test_zone_bound_user_cannot_import_into_another_zone(client, zone_a, zone_b, make_user):
    client.force_login(make_user("officer", zone_a))
    response = upload(client, people_rows(1), zone=zone_b)
    assert response.context["form"].errors["zone"]
    assert counts(zone_b)[0] == 0 and counts(zone_a)[0] == 0


def test_cross_zone_admin_chooses_the_zone(client, zone_a, zone_b, make_user):
    client.force_login(make_user(None, None, superuser=True))
    html = client.get("/office/import/").content.decode()
    assert "甲高新区" in html and "乙高新区" in html
    response = upload(client, people_rows(2), zone=zone_b)
    assert "已导入 2 条人员记录到 乙高新区" in response.content.decode()
    assert counts(zone_b)[0] == 2 and counts(zone_a)[0] == 0
