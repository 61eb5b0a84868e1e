"""Excel roster export: masked identifiers only, restricted to the user's zone."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditEntry
from gaoxin.core.tests.factories import valid_id_number, valid_uscc
from gaoxin.registry.exports import export_xlsx
from gaoxin.registry.imports import import_xlsx
from gaoxin.registry.models import Enterprise
from gaoxin.registry.tests.factories import enterprise, person


def cells(content: bytes) -> tuple[list, list[list], str]:
    """(header, data rows, 说明 text) of an exported workbook."""
    wb = load_workbook(io.BytesIO(content))
    data = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    notes = "\n".join(str(r[0]) for r in wb["说明"].iter_rows(values_only=True) if r[0])
    return data[0], data[1:], notes


def export(**kwargs) -> bytes:
    buffer = io.BytesIO()
    export_xlsx(fileobj=buffer, **kwargs)
    return buffer.getvalue()


@pytest.fixture
def registry(zone_a, zone_b):
    firm = enterprise(
        zone_a,
        name="肇庆市中旺通物流代理有限公司",
        uscc=valid_uscc(8101),
        contact_phone="13812345678",
        is_new_economy=True,
    )
    a = person(
        zone_a,
        name="冯立松",
        id_number=valid_id_number(11, birth="19800101"),
        phone="13900001111",
        employer=firm,
        job_type="food_delivery",
    )
    b = person(
        zone_b,
        name="乙园区的人",
        id_number=valid_id_number(12, birth="19800101"),
        phone="13900002222",
    )
    enterprise(zone_b, name="乙园区企业", uscc=valid_uscc(8102))
    return {
        "firm": firm,
        "a": a,
        "b": b,
        "plain": [
            valid_id_number(11, birth="19800101"),
            valid_id_number(12, birth="19800101"),
            "13812345678",
            "13900001111",
            "13900002222",
        ],
    }


def test_people_export_holds_masked_identifiers_only(registry, zone_a, make_user):
    officer = make_user("officer", zone_a)
    header, rows, notes = cells(export(user=officer, kind="people"))
    assert header == [
        "姓名*",
        "身份证号(已脱敏)",
        "手机号码(已脱敏)",
        "性别",
        "身份",
        "职业类型",
        "所在企业统一社会信用代码",
    ]
    a = registry["a"]
    assert rows == [
        [
            "冯立松",
            a.id_number_masked,
            "139****1111",
            "男",
            "新就业形态劳动者",
            "外卖骑手",
            registry["firm"].uscc,
        ]
    ]
    flat = " ".join(str(v) for row in rows for v in row)
    assert not any(plain in flat for plain in registry["plain"])
    assert "不能再导入" in notes
    entry = AuditEntry.objects.get(action="export")
    assert (entry.zone_id, entry.actor_id, entry.after) == (
        zone_a.pk,
        officer.pk,
        {"what": "人员名册", "rows": 1},
    )


def test_a_refused_export_leaves_no_audit_entry(registry, zone_a, make_user):
    with pytest.raises(Forbidden):
        export(user=make_user("finance", zone_a), kind="people")
    assert not AuditEntry.objects.filter(action="export").exists()


def test_export_is_limited_to_the_users_zone(registry, zone_a, zone_b, make_user):
    officer = make_user("officer", zone_a)
    assert export_xlsx(user=officer, kind="people", zone_id=zone_b.pk, fileobj=io.BytesIO()) == 0
    _, rows, _ = cells(export(user=officer, kind="enterprises"))
    assert [r[0] for r in rows] == ["肇庆市中旺通物流代理有限公司"]
    admin = make_user(None, None, superuser=True)
    _, rows, _ = cells(export(user=admin, kind="people", zone_id=zone_b.pk))
    assert [r[0] for r in rows] == ["乙园区的人"]
    with pytest.raises(Forbidden):
        export(user=make_user("finance", zone_a), kind="people")


def test_enterprise_export_reimports_cleanly_into_another_zone(registry, zone_a, zone_b, make_user):
    content = export(user=None, kind="enterprises", zone_id=zone_a.pk)
    header, rows, notes = cells(content)
    assert "联系电话(已脱敏)" in header
    assert rows[0][header.index("联系电话(已脱敏)")] == "138****5678"
    assert rows[0][header.index("新业态企业(是/否)")] == "是"
    assert "13812345678" not in str(rows)
    fresh = make_user(None, None, superuser=True)
    Enterprise.objects.filter(zone=zone_b).delete()
    result = import_xlsx(actor=fresh, zone=zone_b, kind="enterprises", fileobj=io.BytesIO(content))
    assert result.ok, result.errors
    assert any("脱敏" in w.message for w in result.warnings)
    copy = Enterprise.objects.get(zone=zone_b)
    assert (copy.name, copy.uscc, copy.is_new_economy) == (
        "肇庆市中旺通物流代理有限公司",
        registry["firm"].uscc,
        True,
    )


def test_people_export_is_refused_on_reimport(registry, zone_a, zone_b):
    content = export(user=None, kind="people", zone_id=zone_a.pk)
    result = import_xlsx(actor=None, zone=zone_b, kind="people", fileobj=io.BytesIO(content))
    assert not result.ok
    assert "脱敏" in result.errors[0].message


def test_progress_is_reported(registry, zone_a):
    calls = []
    export_xlsx(
        user=None,
        kind="people",
        zone_id=zone_a.pk,
        fileobj=io.BytesIO(),
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls[0] == (0, 1) and calls[-1] == (1, 1)


# --------------------------------------------------------------- command line


def test_cli_exports_one_zone(registry, zone_a, tmp_path, capsys):
    target = tmp_path / "people.xlsx"
    call_command("export_xlsx", "people", str(target), zone="zone-a")
    assert "已导出 1 条人员记录" in capsys.readouterr().out
    _, rows, _ = cells(target.read_bytes())
    assert [r[0] for r in rows] == ["冯立松"]
    assert not (tmp_path / "people.xlsx.partial").exists()


def test_cli_export_rejects_unknown_zone_and_kind(registry, tmp_path):
    with pytest.raises(CommandError, match="没有代码为“zz”的园区"):
        call_command("export_xlsx", "people", str(tmp_path / "x.xlsx"), zone="zz")
    with pytest.raises(CommandError, match="请用 --zone"):
        call_command("export_xlsx", "people", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="名册类型"):
        call_command("export_xlsx", "staff", str(tmp_path / "x.xlsx"), zone="zone-a")
    assert not (tmp_path / "x.xlsx").exists()


# ------------------------------------------------------------------ the page


def test_download_gives_the_users_zone_only(client, registry, zone_a, zone_b, make_user):
    client.force_login(make_user("officer", zone_a))
    response = client.get("/office/export/people/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    _, rows, _ = cells(b"".join(response.streaming_content))
    assert [r[0] for r in rows] == ["冯立松"]
    assert client.get(f"/office/export/people/?zone={zone_b.pk}").status_code == 404
    assert client.get("/office/export/nothing/").status_code == 404


def test_download_needs_staff_and_the_view_permission(client, registry, zone_a, make_user):
    assert client.get("/office/export/people/").status_code == 302
    client.force_login(make_user("finance", zone_a))
    assert client.get("/office/export/people/").status_code == 403
    assert client.get("/office/export/enterprises/").status_code == 200


def test_cross_zone_admin_picks_a_zone(client, registry, zone_b, make_user):
    client.force_login(make_user(None, None, superuser=True))
    assert client.get("/office/export/people/").status_code == 400
    response = client.get(f"/office/export/people/?zone={zone_b.pk}")
    _, rows, _ = cells(b"".join(response.streaming_content))
    assert [r[0] for r in rows] == ["乙园区的人"]
