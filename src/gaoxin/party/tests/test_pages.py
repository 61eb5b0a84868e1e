"""The party pages through HTTP: the officer's board, a candidate's step form (a rule's
refusal next to the field), organisations with coverage, the rules table, instructors'
coverage, the instructor's phone page, the Excel 台账 and the home to-dos."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from gaoxin.core.models import AuditEntry
from gaoxin.party import services
from gaoxin.party.models import InstructorVisit
from gaoxin.party.tests.factories import advance, candidate, org
from gaoxin.registry.tests.factories import enterprise

pytestmark = pytest.mark.django_db


def test_board_shows_stages_due_items_and_figures(client, zone_a, make_user):
    officer = make_user("officer", zone_a)
    today = timezone.localdate()
    branch = org(zone_a)
    late = candidate(zone_a, branch, applied_on=today - dt.timedelta(days=40))
    late.officer = officer
    late.save(update_fields=["officer"])
    grown = candidate(zone_a, branch, applied_on=today - dt.timedelta(days=800))
    advance(grown, "activist", today - dt.timedelta(days=700))
    client.force_login(officer)
    page = client.get(reverse("party:office")).content.decode()
    assert late.person.name in page and "已逾期" in page and "入党申请人谈话" in page
    assert "3 年以来累计发展 0 人入党，培养入党积极分子 1 人" in page
    assert "培养满一年，可列为发展对象" in page
    home = client.get(reverse("core:workbench")).content.decode()
    assert "项入党发展事项已逾期" in home


def test_candidate_page_refusal_names_the_rule_and_changes_nothing(client, zone_a, make_user):
    officer = make_user("officer", zone_a)
    c = candidate(zone_a)
    advance(c, "activist", "2020-09-01")
    client.force_login(officer)
    url = reverse("party:office-candidate", args=[c.pk])
    resp = client.post(url, {"stage": "target", "on": "2021-03-01", "document": "支委会决议"})
    assert resp.status_code == 422
    page = resp.content.decode()
    assert "一年以上培养教育和考察" in page and 'id="error-on"' in page
    c.refresh_from_db()
    assert c.stage == "activist"
    ok = client.post(url, {"stage": "target", "on": "2021-09-01", "document": "支委会决议"})
    assert ok.status_code == 302
    c.refresh_from_db()
    assert c.stage == "target"
    assert AuditEntry.objects.filter(object_type="party.Candidate", action="reveal").exists()


def test_pipeline_pages_are_for_party_officers_only(client, zone_a, make_user):
    c = candidate(zone_a)
    client.force_login(make_user("zone_admin", zone_a))
    assert client.get(reverse("party:office-candidate", args=[c.pk])).status_code == 403
    assert client.get(reverse("party:office-orgs")).status_code == 200


def test_orgs_show_double_coverage_and_rules_page(client, zone_a, make_user):
    officer = make_user("officer", zone_a)
    branch = org(zone_a)
    covered = enterprise(zone_a, is_new_economy=True)
    enterprise(zone_a, is_new_economy=True)
    services.org_cover(actor=None, org=branch, enterprise_id=covered.pk, since="2023-10-01")
    services.union_cover(
        actor=None, zone=zone_a, enterprise_id=covered.pk, since="2023-11-01", union_name="联合工会"
    )
    client.force_login(officer)
    page = client.get(reverse("party:office-orgs")).content.decode()
    assert "新业态企业 2 家：党组织覆盖 1 家，工会覆盖 1 家，“双覆盖” 1 家（50.0%）" in page
    rules = client.get(reverse("party:office-rules")).content.decode()
    assert "rule-activist_one_year" in rules and "《中国共产党发展党员工作细则》" in rules


def test_instructor_logs_a_visit_on_the_phone_and_the_officer_sees_it(client, zone_a, make_user):
    instructor = make_user("instructor", zone_a)
    officer = make_user("officer", zone_a)
    firm = enterprise(zone_a, name="肇庆某物流有限公司", is_new_economy=True)
    other = enterprise(zone_a, name="未挂点公司")
    services.assignment_create(
        actor=None,
        zone=zone_a,
        instructor_id=instructor.pk,
        enterprise_id=firm.pk,
        start_on="2024-01-01",
    )
    client.force_login(instructor)
    url = reverse("party:m-visit")
    page = client.get(url).content.decode()
    assert "肇庆某物流有限公司" in page and "未挂点公司" not in page and "从未走访" in page
    bad = client.post(
        url, {"enterprise_id": firm.pk, "visited_on": "9999-01-01", "people_met": "", "topics": ""}
    )
    assert bad.status_code == 422 and "请填写见到的人" in bad.content.decode()
    wrong = client.post(
        url,
        {"enterprise_id": other.pk, "visited_on": "2024-05-01", "people_met": "x", "topics": "y"},
    )
    assert wrong.status_code == 422 and not InstructorVisit.objects.exists()
    today = timezone.localdate().isoformat()
    ok = client.post(
        url,
        {
            "enterprise_id": firm.pk,
            "visited_on": today,
            "people_met": "冯某",
            "topics": "了解骑手权益保障",
        },
    )
    assert ok.status_code == 302
    client.force_login(officer)
    office = client.get(reverse("party:office-instructors")).content.decode()
    assert "了解骑手权益保障" in office and "挂点企业均已按时走访" in office
    xlsx = client.get(reverse("party:office-visits-xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert any("了解骑手权益保障" in str(c.value) for row in book.active.iter_rows() for c in row)


def test_stale_firm_flagged_for_officer_and_instructor(client, zone_a, make_user, settings):
    settings.GAOXIN_PARTY_VISIT_DAYS = 30
    instructor = make_user("instructor", zone_a)
    firm = enterprise(zone_a, name="久未走访公司")
    services.assignment_create(
        actor=None,
        zone=zone_a,
        instructor_id=instructor.pk,
        enterprise_id=firm.pk,
        start_on="2024-01-01",
    )
    services.visit_log(
        actor=instructor,
        zone=zone_a,
        data={
            "enterprise_id": firm.pk,
            "visited_on": timezone.localdate() - dt.timedelta(days=31),
            "people_met": "负责人",
            "topics": "回访",
        },
    )
    client.force_login(make_user("officer", zone_a))
    page = client.get(reverse("party:office-instructors")).content.decode()
    assert "超过 30 天未走访的挂点企业" in page and "久未走访公司" in page


def test_pipeline_excel_has_each_stage_date(client, zone_a, make_user):
    c = candidate(zone_a)
    advance(c, "activist", "2020-09-01")
    client.force_login(make_user("officer", zone_a))
    resp = client.get(reverse("party:office-pipeline-xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
    rows = [[cell.value for cell in row] for row in book.active.iter_rows()]
    assert any(c.person.name in row and "入党积极分子" in row for row in rows)
    assert AuditEntry.objects.filter(action="export").exists()


def test_officer_covers_a_firm_records_its_union_and_sees_double_coverage(
    client, zone_a, make_user
):
    officer = make_user("officer", zone_a)
    branch = org(zone_a)
    firm = enterprise(zone_a, name="肇庆某同城配送公司", is_new_economy=True)
    client.force_login(officer)
    url = reverse("party:office-orgs")
    early = client.post(
        url,
        {
            "form": "cover",
            "cover-org_id": branch.pk,
            "cover-enterprise_id": firm.pk,
            "cover-since": "2020-01-01",
        },
    )
    assert early.status_code == 422
    assert "覆盖起始日期不能早于党组织成立日期" in early.content.decode()
    cover = {
        "form": "cover",
        "cover-org_id": branch.pk,
        "cover-enterprise_id": firm.pk,
        "cover-since": "2023-11-01",
    }
    assert client.post(url, cover).status_code == 302
    union = {
        "form": "union",
        "union-enterprise_id": firm.pk,
        "union-union_name": "同城配送公司工会",
        "union-since": "2024-03-01",
    }
    assert client.post(url, union).status_code == 302
    before = client.get(url, {"on": "2024-01-01"}).content.decode()
    assert "党组织覆盖 1 家，工会覆盖 0 家，“双覆盖” 0 家" in before
    after = client.get(url, {"on": "2024-06-01"}).content.decode()
    assert "“双覆盖” 1 家（100.0%）" in after
    bad = client.get(url, {"on": "0000-01-01"})
    assert bad.status_code == 200 and 'id="error-on"' in bad.content.decode()


def test_officer_assigns_an_instructor_to_a_firm(client, zone_a, make_user):
    officer = make_user("officer", zone_a)
    instructor = make_user("instructor", zone_a)
    firm = enterprise(zone_a, name="肇庆某物流公司", is_new_economy=True)
    client.force_login(officer)
    url = reverse("party:office-instructors")
    missing = client.post(url, {"instructor_id": instructor.pk, "start_on": "2024-01-01"})
    assert missing.status_code == 422 and 'id="error-enterprise_id"' in missing.content.decode()
    done = client.post(
        url, {"instructor_id": instructor.pk, "enterprise_id": firm.pk, "start_on": "2024-01-01"}
    )
    assert done.status_code == 302
    page = client.get(url).content.decode()
    assert "肇庆某物流公司" in page.split('id="assignments"')[1]
    client.force_login(instructor)
    assert "肇庆某物流公司" in client.get(reverse("party:m-visit")).content.decode()
