"""The cases pages through HTTP: what officers, liaisons, workers and the public see."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from gaoxin.cases import services
from gaoxin.cases.models import Demand
from gaoxin.cases.tests.factories import aid_data, approved_aid, case, demand, liaison, worker
from gaoxin.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_workbench_flags_overdue_demands_and_late_steps(client, zone_a, make_user):
    officer = make_user("officer", zone_a)
    d = demand(zone_a, officer, title="逾期的诉求", owner=officer)
    Demand.objects.filter(pk=d.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    case(zone_a, officer, title="韦某帮扶", opened_on=timezone.localdate() - dt.timedelta(days=9))
    client.force_login(officer)
    page = client.get(reverse("cases:office")).content.decode()
    assert "逾期的诉求" in page and "韦某帮扶" in page
    assert "1 步逾期" in page and page.count("flag-late") >= 3
    home = client.get(reverse("core:workbench")).content.decode()
    assert "件我负责的诉求已逾期" in home and "个帮扶个案步骤已逾期" in home


def test_demand_list_pages_and_searches(client, zone_a, make_user):
    officer = make_user("officer", zone_a)
    for n in range(32):
        demand(zone_a, officer, title=f"诉求第{n}号")
    demand(zone_a, officer, title="社保断缴", category="social_insurance")
    client.force_login(officer)
    first = client.get(reverse("cases:office-demands")).content.decode()
    assert "共 33 条" in first and "1 / 2" in first
    found = client.get(reverse("cases:office-demands"), {"q": "社保"}).content.decode()
    assert "社保断缴" in found and "诉求第1号" not in found and "共 1 条" in found


def test_demand_page_forms_show_errors_next_to_fields(client, zone_a, make_user):
    officer = make_user("officer", zone_a)
    _, dept = liaison(zone_a)
    d = demand(zone_a, officer)
    client.force_login(officer)
    url = reverse("cases:office-demand", args=[d.pk])
    resp = client.post(url, {"verb": "resolve", "resolution": ""})
    assert resp.status_code == 422 and "请填写办理结果" in resp.content.decode()
    resp = client.post(
        url, {"verb": "refer", "department_id": dept.pk, "due_on": "2020-01-01", "note": ""}
    )
    assert resp.status_code == 422 and "回复期限应在今天到一年之内" in resp.content.decode()
    assert client.post(url, {"verb": "take"}).status_code == 302
    assert client.post(url, {"verb": "note", "note": "已联系"}).status_code == 302
    assert client.post(url, {"verb": "resolve", "resolution": "已解决"}).status_code == 302
    d.refresh_from_db()
    assert d.status == "resolved" and d.owner == officer


def test_case_page_is_audited_and_hidden_from_other_officers(client, zone_a, make_user):
    a, b = make_user("officer", zone_a), make_user("officer", zone_a)
    c = case(zone_a, a, title="韦某帮扶")
    client.force_login(b)
    assert client.get(reverse("cases:office-case", args=[c.pk])).status_code == 404
    client.force_login(a)
    before = AuditEntry.objects.filter(action="reveal", object_id=str(c.pk)).count()
    page = client.get(reverse("cases:office-case", args=[c.pk])).content.decode()
    assert "入户走访" in page and "每次查看均记入审计" in page
    assert AuditEntry.objects.filter(action="reveal", object_id=str(c.pk)).count() == before + 1


def test_aid_on_the_case_page_warns_before_a_second_payment(client, zone_a):
    c, aid, a, b = approved_aid(zone_a)
    client.force_login(a)
    url = reverse("cases:office-aid-act", args=[c.pk, aid.pk, "pay"])
    assert client.post(url).status_code == 302
    assert (
        "已发放 2,000.00 元"
        in client.get(reverse("cases:office-case", args=[c.pk])).content.decode()
    )
    client.post(url)  # a double click pays nothing more
    resp = client.post(
        reverse("cases:office-aid-apply", args=[c.pk]),
        {**aid_data(), "amount": "abc"},
    )
    assert resp.status_code == 422
    resp = client.post(
        reverse("cases:office-aid-apply", args=[c.pk]), {**aid_data(), "amount": "500"}
    )
    assert resp.status_code == 302
    second = c.aid.order_by("-pk").first()
    client.force_login(b)
    resp = client.post(reverse("cases:office-aid-act", args=[c.pk, second.pk, "approve"]))
    page = resp.content.decode()
    assert resp.status_code == 409 and "确认不属于重复帮扶" in page and "2,000.00 元" in page
    second.refresh_from_db()
    assert second.status == "applied"
    resp = client.post(
        reverse("cases:office-aid-act", args=[c.pk, second.pk, "approve"]),
        {"confirm_duplicate": "1"},
    )
    assert resp.status_code == 302
    second.refresh_from_db()
    assert second.status == "approved"


def test_liaison_sees_only_their_departments_referrals(client, zone_a, make_user):
    officer = make_user("officer", zone_a)
    mine, dept = liaison(zone_a)
    other, other_dept = liaison(zone_a)
    due = timezone.localdate() + dt.timedelta(days=3)
    r = services.referral_create(
        actor=officer,
        zone=zone_a,
        department_id=dept.pk,
        due_on=due,
        demand=demand(zone_a, officer, title="工伤认定"),
    )
    client.force_login(other)
    assert "工伤认定" not in client.get(reverse("cases:liaison")).content.decode()
    assert (
        client.post(reverse("cases:liaison-act", args=[r.pk, "reply"]), {"reply": "x"}).status_code
        == 404
    )
    client.force_login(mine)
    assert "工伤认定" in client.get(reverse("cases:liaison")).content.decode()
    resp = client.post(reverse("cases:liaison-act", args=[r.pk, "reply"]), {"reply": ""})
    assert resp.status_code == 422 and "请填写部门回复" in resp.content.decode()
    assert (
        client.post(
            reverse("cases:liaison-act", args=[r.pk, "reply"]), {"reply": "已受理"}
        ).status_code
        == 302
    )
    assert client.post(reverse("cases:liaison-act", args=[r.pk, "close"])).status_code == 302
    r.refresh_from_db()
    assert r.status == "closed" and r.reply == "已受理"


def test_worker_phone_pages(client, zone_a, make_user):
    _, user = worker(zone_a)
    _, other = worker(zone_a)
    client.force_login(user)
    resp = client.post(reverse("cases:m-ask"), {"title": "", "detail": ""})
    assert resp.status_code == 422 and "请填写诉求标题" in resp.content.decode()
    resp = client.post(reverse("cases:m-ask"), {"title": "医药费负担重", "detail": "住院"})
    d = Demand.objects.get(title="医药费负担重")
    assert resp.status_code == 302 and d.raised_by_id == user.person_id
    assert "医药费负担重" in client.get(reverse("cases:m-mine")).content.decode()
    services.demand_resolve(
        demand=d, actor=make_user("officer", zone_a), resolution="已申请大病救助"
    )
    page = client.get(reverse("cases:m-demand", args=[d.pk])).content.decode()
    assert "已申请大病救助" in page and "请评价办理结果" in page
    resp = client.post(reverse("cases:m-demand", args=[d.pk]), {"satisfaction": "satisfied"})
    assert resp.status_code == 302
    d.refresh_from_db()
    assert d.satisfaction == "satisfied"
    client.force_login(other)
    assert client.get(reverse("cases:m-demand", args=[d.pk])).status_code == 404


def test_excel_ledgers(client, zone_a):
    c, aid, a, b = approved_aid(zone_a, amount_fen=123450)
    services.aid_pay(case=c, aid_id=aid.pk, actor=a)
    demand(zone_a, a, title="诉求甲")
    client.force_login(make_user_admin(zone_a))
    resp = client.get(reverse("cases:office-export-aid"))
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(resp.streaming_content))).worksheets[0]
    rows = list(ws.values)
    assert rows[0][4] == "金额（元）" and rows[1][4] == 1234.5 and rows[1][3] == "困难职工帮扶"
    resp = client.get(reverse("cases:office-export-demands"))
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(resp.streaming_content))).worksheets[0]
    assert [r[1] for r in ws.values][1:] == ["诉求甲"]
    assert AuditEntry.objects.filter(action="export").count() == 2


def make_user_admin(zone):
    from gaoxin.core.tests.factories import make_user

    return make_user("zone_admin", zone)


def test_figures_page_shows_definitions(client, zone_a, make_user):
    client.force_login(make_user("officer", zone_a))
    page = client.get(reverse("cases:office-figures")).content.decode()
    assert "响应率 = " in page and "解决率 = " in page and "满意率 = " in page
    assert "累计发放帮扶救助金 0 元" in page


def test_figures_chart_per_meeting(client, zone_a, make_user):
    officer = make_user("officer", zone_a)
    meeting = services.meeting_create(
        actor=officer, zone=zone_a, data={"held_on": "2026-06-30", "title": "上半年联席会议"}
    )
    d = demand(zone_a, officer, source="meeting", meeting_id=meeting.pk)
    services.demand_resolve(demand=d, actor=officer, resolution="已办")
    client.force_login(officer)
    page = client.get(reverse("cases:office-figures")).content.decode()
    assert "<svg" in page and "各次联席会议提出与办结的诉求" in page and "2026-06" in page
    assert "响应率" in page and "100.0%" in page


def test_liaison_home_lists_overdue_referrals(client, zone_a, make_user):
    officer = make_user("officer", zone_a)
    mine, dept = liaison(zone_a)
    r = services.referral_create(
        actor=officer,
        zone=zone_a,
        department_id=dept.pk,
        due_on=timezone.localdate() + dt.timedelta(days=1),
        demand=demand(zone_a, officer),
    )
    from gaoxin.cases.models import Referral

    Referral.objects.filter(pk=r.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(mine)
    home = client.get(reverse("core:workbench")).content.decode()
    assert "件转办事项已逾期未办结" in home and reverse("cases:liaison") in home
    client.force_login(officer)
    assert "件转办事项已逾期未办结" in client.get(reverse("core:workbench")).content.decode()


def test_lists_do_not_grow_queries_with_rows(client, api_client, zone_a, make_user):
    """The same number of queries for 1 row and for 3 (no N+1)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gaoxin.registry.tests.factories import enterprise

    officer = make_user("officer", zone_a)
    firm = enterprise(zone_a)
    client.force_login(officer)
    as_officer = api_client.as_user(officer)
    reads = {
        "demand page": lambda: client.get(reverse("cases:office-demands")),
        "case page": lambda: client.get(reverse("cases:office-cases")),
        "demand api": lambda: as_officer.get("demands"),
        "case api": lambda: as_officer.get("cases"),
        "workbench": lambda: client.get(reverse("cases:office")),
    }
    counts = {}
    for rows in (1, 3):
        while Demand.objects.count() < rows:
            n = Demand.objects.count()
            demand(zone_a, officer, title=f"诉求{n}", enterprise_ids=[firm.pk], owner=officer)
            case(zone_a, officer, title=f"个案{n}")
        for name, read in reads.items():
            read()  # warm caches (sessions, permissions)
            with CaptureQueriesContext(connection) as queries:
                assert read().status_code == 200
            counts[(name, rows)] = len(queries)
    for name in reads:
        assert counts[(name, 1)] == counts[(name, 3)], (name, counts)


def test_case_is_referred_from_its_page_without_the_persons_name(client, zone_a, make_user):
    officer = make_user("officer", zone_a)
    mine, dept = liaison(zone_a)
    person, _ = worker(zone_a, name="韦志强")
    c = case(zone_a, officer, person_id=person.pk, title="韦志强工伤维权")
    client.force_login(officer)
    url = reverse("cases:office-case-refer", args=[c.pk])
    resp = client.post(url, {"department_id": dept.pk, "due_on": "", "note": ""})
    assert resp.status_code == 422 and "请填写回复期限" in resp.content.decode()
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    resp = client.post(url, {"department_id": dept.pk, "due_on": due, "note": "工伤认定"})
    assert resp.status_code == 302
    client.force_login(mine)
    page = client.get(reverse("cases:liaison")).content.decode()
    assert f"帮扶个案 {c.pk} 号" in page and "工伤认定" in page and "韦志强" not in page
