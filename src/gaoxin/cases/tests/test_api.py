"""The cases API through HTTP: shapes, workflow verbs, error bodies, money once."""

import datetime as dt

import pytest
from django.utils import timezone

from gaoxin.cases.tests.factories import aid_data, liaison, worker
from gaoxin.core.models import AuditEntry
from gaoxin.ledger.selectors import ledger_balance
from gaoxin.registry.tests.factories import enterprise

pytestmark = pytest.mark.django_db


def test_meeting_demand_resolve_and_public_progress(api_client, zone_a, make_user, client):
    officer = api_client.as_user(make_user("officer", zone_a))
    firm = enterprise(zone_a, name="肇庆市速达同城配送有限公司")
    person, user = worker(zone_a, name="韦志强")
    resp = officer.post(
        "meetings",
        {"held_on": "2026-06-30", "title": "2026 年上半年联席会议", "enterprise_ids": [firm.pk]},
    )
    assert resp.status_code == 201, resp.json()
    meeting = resp.json()
    assert meeting["enterprise_ids"] == [firm.pk]
    resp = officer.post(
        "demands",
        {
            "title": "骑手午间休息点不足",
            "detail": "韦志强反映中午无处歇脚",
            "category": "rest",
            "source": "meeting",
            "meeting_id": meeting["id"],
            "raised_by_id": person.pk,
            "enterprise_ids": [firm.pk],
        },
    )
    assert resp.status_code == 201, resp.json()
    demand = resp.json()
    assert demand["status"] == "open" and demand["enterprise_ids"] == [firm.pk]
    resp = officer.post(f"demands/{demand['id']}/resolve", {"resolution": "新增 2 个驿站点"})
    assert resp.json()["status"] == "resolved"
    assert [u["status_to"] for u in resp.json()["updates"]] == ["resolved"]
    # the public progress: no login, no personal data
    progress = client.get(f"/api/v1/meetings/{meeting['id']}/progress")
    assert progress.status_code == 200
    body = progress.content.decode()
    assert "新增 2 个驿站点" in body and "韦志强" not in body and "歇脚" not in body
    page = client.get(meeting["progress_url"])
    text = page.content.decode()
    assert page.status_code == 200 and "骑手午间休息点不足" in text and "0 天" in text
    assert "韦志强" not in text and person.phone_masked not in text


def test_errors_are_json_with_field_messages(api_client, zone_a, make_user):
    officer = api_client.as_user(make_user("officer", zone_a))
    resp = officer.post("demands", {"title": "", "category": "nope", "source": "meeting"})
    assert resp.status_code == 422
    body = resp.json()
    assert body["code"] == "invalid" and body["fields"]["title"] == "请填写诉求标题"
    assert "category" in body["fields"]
    resp = officer.post("meetings", {"held_on": "9999-01-01", "title": "x"})
    assert resp.status_code == 422 and "held_on" in resp.json()["fields"]
    resp = officer.get("demands/99999999")
    assert resp.status_code == 404 and resp.json()["code"] == "not_found"


def test_worker_asks_for_help_and_rates(api_client, zone_a, make_user):
    _, user = worker(zone_a)
    me = api_client.as_user(user)
    resp = me.post("demands", {"title": "孩子学费交不起", "detail": "请帮忙"})
    assert resp.status_code == 201, resp.json()
    demand_id = resp.json()["id"]
    assert resp.json()["source"] == "worker_phone"
    resp = me.post(f"demands/{demand_id}/rate", {"satisfaction": "satisfied"})
    assert resp.status_code == 409 and resp.json()["code"] == "not_resolved"
    officer = api_client.as_user(make_user("officer", zone_a))
    officer.post(f"demands/{demand_id}/resolve", {"resolution": "已协调减免"})
    resp = me.post(f"demands/{demand_id}/rate", {"satisfaction": "dissatisfied"})
    assert resp.status_code == 200 and resp.json()["status"] == "in_progress"
    assert resp.json()["reopened"] == 1


def test_case_aid_approve_pay_once_through_the_api(api_client, zone_a, make_user):
    a, b = make_user("officer", zone_a), make_user("officer", zone_a)
    person, _ = worker(zone_a)
    as_a, as_b = api_client.as_user(a), api_client.as_user(b)
    resp = as_a.post(
        "cases", {"person_id": person.pk, "title": "韦某困难帮扶", "officer_ids": [b.pk]}
    )
    assert resp.status_code == 201, resp.json()
    case = resp.json()
    assert len(case["steps"]) == 6 and sorted(case["officer_ids"]) == sorted([a.pk, b.pk])
    reads = AuditEntry.objects.filter(object_type="cases.HardshipCase", action="reveal")
    before = reads.count()
    as_b.get(f"cases/{case['id']}")
    assert reads.count() == before + 1 and reads.order_by("-seq").first().actor_id == b.pk
    resp = as_a.post(f"cases/{case['id']}/aid", aid_data(amount_fen=250000))
    assert resp.status_code == 201, resp.json()
    aid = resp.json()
    resp = as_a.post(f"cases/{case['id']}/aid/{aid['id']}/approve", {})
    assert resp.status_code == 403 and resp.json()["code"] == "self_approval_aid"
    resp = as_a.post(f"cases/{case['id']}/aid/{aid['id']}/pay", {})
    assert resp.status_code == 409 and resp.json()["code"] == "bad_transition"
    assert as_b.post(f"cases/{case['id']}/aid/{aid['id']}/approve", {}).status_code == 200
    first = as_a.post(f"cases/{case['id']}/aid/{aid['id']}/pay", {})
    again = as_b.post(f"cases/{case['id']}/aid/{aid['id']}/pay", {})
    assert first.json()["status"] == "paid" and not first.json()["replayed"]
    assert again.json()["replayed"]
    assert ledger_balance(zone=zone_a, account="cases:aid:paid:hardship") == 250000
    # the same need again in the period: approval asks for an explicit confirmation
    second = as_a.post(f"cases/{case['id']}/aid", aid_data(amount_fen=10000)).json()
    check = as_b.get(f"cases/{case['id']}/aid/{second['id']}/check").json()
    assert check["needs_confirm"] and "2,500.00 元" in check["lines"][0]
    refused = as_b.post(f"cases/{case['id']}/aid/{second['id']}/approve", {})
    assert refused.status_code == 409 and refused.json()["code"] == "duplicate_need"
    assert "confirm_duplicate" in refused.json()["fields"]
    ok = as_b.post(f"cases/{case['id']}/aid/{second['id']}/approve", {"confirm_duplicate": True})
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    # steps, close
    step = case["steps"][0]
    resp = as_a.post(f"cases/{case['id']}/steps/{step['id']}/done", {"done_on": "2001-01-01"})
    assert resp.status_code == 422 and "done_on" in resp.json()["fields"]
    resp = as_a.post(f"cases/{case['id']}/steps/{step['id']}/done", {"note": "已入户"})
    assert resp.json()["steps"][0]["done_on"] == timezone.localdate().isoformat()
    payment = [s for s in resp.json()["steps"] if s["kind"] == "payment"][0]
    assert payment["done_on"]  # paying the aid marked the payment step
    resp = as_a.post(f"cases/{case['id']}/close", {"outcome": "aided", "note": "已发放帮扶金"})
    assert resp.json()["status"] == "closed"


def test_referral_flow_and_overdue_filter(api_client, zone_a, make_user):
    officer = api_client.as_user(make_user("officer", zone_a))
    liaison_user, dept = liaison(zone_a)
    demand = officer.post(
        "demands", {"title": "拖欠工资", "category": "wages", "source": "station_keeper"}
    ).json()
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    resp = officer.post(
        "referrals", {"demand_id": demand["id"], "department_id": dept.pk, "due_on": due}
    )
    assert resp.status_code == 201, resp.json()
    referral = resp.json()
    assert referral["department"] == dept.name and not referral["overdue"]
    resp = officer.post("referrals", {"department_id": dept.pk, "due_on": due})
    assert resp.status_code == 422 and "demand_id" in resp.json()["fields"]
    resp = officer.post(
        "referrals", {"demand_id": demand["id"], "department_id": dept.pk, "due_on": "2020-01-01"}
    )
    assert resp.status_code == 422 and "due_on" in resp.json()["fields"]
    me = api_client.as_user(liaison_user)
    assert me.get("referrals", overdue="true").json()["count"] == 0
    assert (
        me.post(f"referrals/{referral['id']}/reply", {"reply": "已约谈企业"}).json()["status"]
        == "replied"
    )
    assert me.post(f"referrals/{referral['id']}/close").json()["status"] == "closed"


def test_figures_route_has_definitions(api_client, zone_a, make_user):
    officer = api_client.as_user(make_user("officer", zone_a))
    body = officer.get("demands/figures").json()
    assert body["raised"] == 0 and body["response_rate"]["value"] is None
    assert body["resolution_rate"]["definition"].startswith("解决率 = ")
    assert body["aid_paid_text"] == "累计发放帮扶救助金 0 元"
