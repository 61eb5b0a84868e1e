"""The one Excel writer (core.excel): its look, its masks, its audit entry, and
that every program's export comes out of it."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gaoxin.activities.tests import factories as activities_f
from gaoxin.core.excel import (
    DATE,
    DATETIME,
    INT,
    MASKED,
    MONEY_FEN,
    Column,
    Export,
    Sheet,
    write_xlsx,
    xlsx_response,
)
from gaoxin.core.models import AuditEntry
from gaoxin.registry.tests.factories import person
from gaoxin.stations import services as stations_services
from gaoxin.stations.tests.factories import station
from gaoxin.welfare.tests.factories import open_campaign


def _book(export: Export):
    buffer = io.BytesIO()
    rows = write_xlsx(export, buffer)
    return rows, load_workbook(io.BytesIO(buffer.getvalue()))


def _export(zone, actor, rows, **kwargs) -> Export:
    columns = [
        Column("姓名"),
        Column("身份证号", MASKED),
        Column("金额（元）", MONEY_FEN),
        Column("人次", INT),
        Column("日期", DATE),
        Column("领取时间", DATETIME),
    ]
    return Export(
        what="测试台账", actor=actor, zone=zone, sheets=[Sheet("测试台账", columns, rows)], **kwargs
    )


def test_headers_are_bold_chinese_on_a_frozen_row(zone_a, make_user):
    _, book = _book(
        _export(zone_a, make_user("officer", zone_a), [["冯立松", "", 1, 1, None, None]])
    )
    ws = book["测试台账"]
    assert [c.value for c in ws[1]] == [
        "姓名",
        "身份证号",
        "金额（元）",
        "人次",
        "日期",
        "领取时间",
    ]
    assert all(c.font.b for c in ws[1]) and not ws["A2"].font.b
    assert ws.freeze_panes == "A2"
    assert book.sheetnames == ["测试台账", "说明"]
    assert "已记入审计日志" in book["说明"]["A1"].value


def test_identifiers_leave_only_masked(zone_a, make_user):
    plain_id, plain_phone = "441284199001011234", "13812345678"
    rows = [
        ["甲", plain_id, 0, 0, None, None],
        ["乙", "4412**********5678", 0, 0, None, None],
        ["丙", plain_phone, 0, 0, None, None],
    ]
    _, book = _book(_export(zone_a, None, rows))
    values = [r[1] for r in book["测试台账"].iter_rows(min_row=2, values_only=True)]
    assert values == ["4412**********1234", "4412**********5678", "138****5678"]
    text = str(list(book["测试台账"].values))
    assert plain_id not in text and plain_phone not in text


def test_values_are_typed_money_in_yuan_times_local(zone_a):
    moment = dt.datetime(2025, 3, 1, 1, 30, tzinfo=dt.UTC)  # 09:30 in Shanghai
    _, book = _book(
        _export(zone_a, None, [['=HYPERLINK("x")', "", 123456, 7, dt.date(2025, 3, 1), moment]])
    )
    ws = book["测试台账"]
    name, _, money, count, day, when = (c for c in ws[2])
    assert name.data_type == "s" and name.value == '=HYPERLINK("x")'  # text, never a formula
    assert float(money.value) == 1234.56 and money.number_format == "#,##0.00"
    assert count.value == 7
    assert day.value.date() == dt.date(2025, 3, 1) and day.number_format == "yyyy-mm-dd"
    assert when.value == dt.datetime(2025, 3, 1, 9, 30) and when.number_format == "yyyy-mm-dd hh:mm"


def test_columns_are_sized_from_header_and_contents_within_bounds(zone_a):
    long = "很长的企业名称" * 20
    _, book = _book(
        _export(zone_a, None, [["冯立松", "", 0, 0, None, None], [long, "", 0, 0, None, None]])
    )
    ws = book["测试台账"]
    assert ws.column_dimensions["A"].width == 60  # bounded
    assert ws.column_dimensions["B"].width >= 20  # room for a masked ID number
    assert ws.column_dimensions["F"].width >= 16  # a date and time


def test_one_audit_entry_per_export_with_the_row_count(zone_a, make_user):
    officer = make_user("officer", zone_a)
    rows = ([f"人{i}", "", i, i, None, None] for i in range(5))  # a generator: streamed
    summary = Sheet("汇总", [Column("合计", INT)], [[10]], counted=False)
    export = _export(zone_a, officer, rows, scope={"campaign": 7})
    export.sheets.append(summary)
    count, book = _book(export)
    assert count == 5 and book.sheetnames == ["测试台账", "汇总", "说明"]
    entry = AuditEntry.objects.get(action="export")
    assert (entry.zone_id, entry.actor_id, entry.after) == (
        zone_a.pk,
        officer.pk,
        {"what": "测试台账", "rows": 5, "campaign": 7},
    )


def test_a_failed_export_leaves_no_audit_entry(zone_a):
    def rows():
        yield ["甲", "", 0, 0, None, None]
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        xlsx_response(_export(zone_a, None, rows()), filename="x")
    assert not AuditEntry.objects.filter(action="export").exists()


def test_notes_may_state_the_count_and_footer_rows_are_not_counted(zone_a):
    sheet = Sheet(
        "汇总",
        [Column("驿站"), Column("人次", INT)],
        [["甲站", 2], ["乙站", 3]],
        footer=[["合计", 5]],
    )
    export = Export(
        what="汇总", actor=None, zone=zone_a, sheets=[sheet], notes=lambda n: [f"共 {n} 条"]
    )
    count, book = _book(export)
    ws = book["汇总"]
    assert count == 2 and ws["A4"].value == "合计" and ws["A4"].font.b
    assert book["说明"]["A1"].value == "共 2 条"


# --------------------------------------------------------- every program's export


def _program_exports(zone, officer) -> dict[str, str]:
    """One download of each program, with a row in it."""
    s = station(zone, name="甲站")
    stations_services.checkin_record(
        station=s, person=person(zone, phone="13911112222"), services=[]
    )
    campaign = open_campaign(zone)
    activity = activities_f.daycare(zone, start=timezone.now() + dt.timedelta(days=3))
    return {
        "core": "/office/export/people/",
        "stations": reverse("stations:office_export"),
        "welfare-claims": f"/welfare/office/{campaign.pk}/export/claims.xlsx",
        "welfare-ledger": f"/welfare/office/{campaign.pk}/export/ledger.xlsx",
        "activities": "/activities/office/?export=xlsx",
        "activities-signups": f"/activities/office/{activity.pk}/export/signups.xlsx",
        "activities-attendance": f"/activities/office/{activity.pk}/export/attendance.xlsx",
    }


def _look(ws) -> tuple:
    head = ws[1][0]
    return (ws.freeze_panes, head.font.b, head.fill.fgColor.rgb, head.alignment.horizontal)


def test_every_program_export_has_the_same_look_and_one_audit_entry(client, zone_a, make_user):
    officer = make_user("officer", zone_a)  # the role that may open every program's export
    client.force_login(officer)
    looks = {}
    for name, path in _program_exports(zone_a, officer).items():
        before = AuditEntry.objects.filter(action="export").count()
        response = client.get(path)
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("application/vnd.openxmlformats"), name
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        assert book.sheetnames[-1] == "说明", name
        looks[name] = {_look(ws) for ws in book.worksheets[:-1]}
        assert AuditEntry.objects.filter(action="export").count() == before + 1, name
    assert set().union(*looks.values()) == {("A2", True, "00DDEBF7", "center")}, looks
