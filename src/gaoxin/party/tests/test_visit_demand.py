"""A need heard on an instructor's visit is raised as a demand in the same step, through
the declared intake (core.intake): the cases program's own service writes it, so the
zone's officer finds it among the demands with its source and firm, and a refusal on
either side leaves neither the visit nor the demand written."""

import pytest
from django.urls import reverse
from django.utils import timezone

from gaoxin.core.models import AuditEntry
from gaoxin.party import services
from gaoxin.party.models import InstructorVisit
from gaoxin.registry.tests.factories import enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(zone_a, make_user):
    instructor = make_user("instructor", zone_a)
    firm = enterprise(zone_a, name="肇庆某物流有限公司", is_new_economy=True)
    services.assignment_create(
        actor=None,
        zone=zone_a,
        instructor_id=instructor.pk,
        enterprise_id=firm.pk,
        start_on="2024-01-01",
    )
    return instructor, firm


def _visit(firm, **extra):
    return {
        "enterprise_id": firm.pk,
        "visited_on": timezone.localdate().isoformat(),
        "people_met": "冯某、骑手代表",
        "topics": "了解骑手午间歇脚",
        **extra,
    }


def _demand_count(api, officer) -> int:
    return api.as_user(officer).get("demands").json()["count"]


def test_visit_with_a_demand_raises_it_for_the_officer(api_client, zone_a, make_user, assigned):
    instructor, firm = assigned
    officer = make_user("officer", zone_a)
    demand = {"title": "快递柜超时收费", "category": "platform_rules", "detail": "超 12 小时收费"}
    r = api_client.as_user(instructor).post("instructor-visits", _visit(firm, demand=demand))
    assert r.status_code == 201, r.content
    demand_id = r.json()["demand_id"]
    assert demand_id and InstructorVisit.objects.get().demand_id == demand_id

    seen = api_client.as_user(officer).get(f"demands/{demand_id}").json()
    assert seen["title"] == "快递柜超时收费"
    assert seen["source"] == "instructor_visit"
    assert seen["enterprise_ids"] == [firm.pk]
    assert seen["status"] == "open"
    # Both writes are in the audit trail, the visit naming the demand it raised.
    visit_entry = AuditEntry.objects.filter(object_type="party.InstructorVisit").get()
    assert visit_entry.after["demand"] == demand_id
    assert AuditEntry.objects.filter(object_type="cases.Demand", object_id=str(demand_id)).exists()
    listed = api_client.as_user(officer).get("demands").json()
    assert [d["id"] for d in listed["items"]] == [demand_id]


def test_a_visit_without_a_demand_raises_none(api_client, zone_a, make_user, assigned):
    instructor, firm = assigned
    r = api_client.as_user(instructor).post("instructor-visits", _visit(firm))
    assert r.status_code == 201 and r.json()["demand_id"] is None
    assert _demand_count(api_client, make_user("officer", zone_a)) == 0


@pytest.mark.parametrize(
    "demand, field",
    [
        ({"title": "", "category": "wages"}, "demand_title"),
        ({"title": "欠薪", "category": "no-such-kind"}, "demand_category"),
    ],
)
def test_a_refused_demand_writes_neither(api_client, zone_a, make_user, assigned, demand, field):
    instructor, firm = assigned
    r = api_client.as_user(instructor).post("instructor-visits", _visit(firm, demand=demand))
    assert r.status_code == 422, r.content
    assert field in r.json()["fields"]
    assert not InstructorVisit.objects.exists()
    assert _demand_count(api_client, make_user("officer", zone_a)) == 0


def test_a_refused_visit_raises_no_demand(api_client, zone_a, make_user, assigned):
    instructor, _ = assigned
    elsewhere = enterprise(zone_a, name="未挂点公司")
    demand = {"title": "欠薪", "category": "wages"}
    r = api_client.as_user(instructor).post("instructor-visits", _visit(elsewhere, demand=demand))
    assert r.status_code == 403
    assert _demand_count(api_client, make_user("officer", zone_a)) == 0


def test_phone_form_raises_the_demand_and_says_so(client, zone_a, make_user, assigned):
    instructor, firm = assigned
    client.force_login(instructor)
    url = reverse("party:m-visit")
    page = client.get(url).content.decode()
    assert "反映的诉求" in page and "劳动报酬" in page  # the cases program's categories
    missing = client.post(url, _visit(firm, demand_title="欠薪三个月"))
    assert missing.status_code == 422
    assert "请选择诉求类别" in missing.content.decode()
    assert not InstructorVisit.objects.exists()
    ok = client.post(
        url, _visit(firm, demand_title="欠薪三个月", demand_category="wages"), follow=True
    )
    assert "诉求已登记" in ok.content.decode()
    officer = make_user("officer", zone_a)
    client.force_login(officer)
    demands = client.get(reverse("cases:office-demands")).content.decode()
    assert "欠薪三个月" in demands
