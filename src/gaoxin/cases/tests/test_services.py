"""The cases services: workflows, refusals, and the audit rows they leave."""

import datetime as dt

import pytest
from django.utils import timezone

from gaoxin.cases import selectors, services
from gaoxin.cases.enums import AidStatus, CaseStatus, DemandStatus, ReferralStatus
from gaoxin.cases.models import CaseStep, DemandUpdate
from gaoxin.cases.tests.factories import (
    aid_data,
    approved_aid,
    case,
    demand,
    liaison,
    worker,
)
from gaoxin.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from gaoxin.core.models import AuditEntry
from gaoxin.ledger.selectors import ledger_balance, ledger_rollup_mismatches

pytestmark = pytest.mark.django_db


def test_worker_request_is_resolved_rated_and_dissatisfied_reopens(zone_a, make_user):
    officer = make_user("officer", zone_a)
    _, user = worker(zone_a)
    d = services.worker_ask_help(actor=user, title="孩子学费交不起", detail="家里困难")
    assert d.source == "worker_phone" and d.status == DemandStatus.OPEN
    with pytest.raises(Conflict) as exc:
        services.demand_rate(demand=d, actor=user, satisfaction="satisfied")
    assert exc.value.code == "not_resolved"
    services.demand_update(demand=d, actor=officer, note="已电话联系")
    d = services.demand_resolve(demand=d, actor=officer, resolution="已协调学校减免学费")
    assert d.status == DemandStatus.RESOLVED and d.responded_at and d.resolved_at
    d = services.demand_rate(demand=d, actor=user, satisfaction="dissatisfied", comment="太慢")
    assert d.status == DemandStatus.IN_PROGRESS and d.reopened == 1
    assert d.satisfaction == "dissatisfied"
    steps = list(DemandUpdate.objects.filter(demand=d).values_list("status_to", flat=True))
    assert steps == ["in_progress", "resolved", "in_progress"]
    assert AuditEntry.objects.filter(object_type="cases.Demand", object_id=str(d.pk)).count() >= 5


def test_another_worker_cannot_rate(zone_a, make_user):
    _, user = worker(zone_a)
    _, other = worker(zone_a)
    d = services.worker_ask_help(actor=user, title="求助", detail="")
    services.demand_resolve(demand=d, actor=make_user("officer", zone_a), resolution="已办")
    with pytest.raises(NotFound):
        services.demand_rate(demand=d, actor=other, satisfaction="satisfied")


def test_demand_refusals_are_specific(zone_a, zone_b, make_user):
    officer = make_user("officer", zone_a)
    with pytest.raises(InvalidInput) as exc:
        services.demand_create(actor=officer, zone=zone_a, data={"title": "", "source": "x"})
    assert exc.value.fields["title"] == "请填写诉求标题"
    assert "category" in exc.value.fields and "source" in exc.value.fields
    with pytest.raises(InvalidInput) as exc:
        demand(zone_a, officer, source="meeting")
    assert exc.value.fields == {"meeting_id": "来源为联席会议时请选择会议"}
    with pytest.raises(InvalidInput) as exc:
        demand(zone_a, officer, due_on="2020-01-01")
    assert "due_on" in exc.value.fields
    with pytest.raises(NotFound):
        demand(zone_b, officer)
    with pytest.raises(Forbidden):
        demand(zone_a, make_user("worker", zone_a))


def test_case_timeline_steps_and_late_flag(zone_a, make_user):
    officer = make_user("officer", zone_a)
    opened = timezone.localdate() - dt.timedelta(days=10)
    c = case(zone_a, officer, opened_on=opened)
    steps = selectors.case_timeline(c)
    assert [s.kind for s in steps] == [
        "visit",
        "application",
        "review",
        "decision",
        "payment",
        "follow_up",
    ]
    assert steps[0].due_on == opened + dt.timedelta(days=3) and steps[0].late
    assert not steps[1].late  # due on day 10 = today
    done = services.case_step_done(case=c, step_id=steps[0].pk, actor=officer, note="已入户")
    assert done.done_on == timezone.localdate()
    assert selectors.case_timeline(c)[0].late  # done after its due date: still marked late


def test_only_assigned_officers_and_admin_see_a_case_and_each_read_is_audited(zone_a, make_user):
    a, b = make_user("officer", zone_a), make_user("officer", zone_a)
    admin = make_user("zone_admin", zone_a)
    person, user = worker(zone_a)
    c = case(zone_a, a, person_id=person.pk)
    with pytest.raises(NotFound):
        selectors.case_get(user=b, case_id=c.pk)
    before = AuditEntry.objects.filter(action="reveal", object_type="cases.HardshipCase").count()
    assert selectors.case_get(user=a, case_id=c.pk).as_officer
    assert selectors.case_get(user=admin, case_id=c.pk).as_officer
    assert not selectors.case_get(user=user, case_id=c.pk).as_officer  # the worker: own case
    reads = AuditEntry.objects.filter(action="reveal", object_type="cases.HardshipCase")
    assert reads.count() == before + 3
    assert set(reads.values_list("actor_id", flat=True)) == {a.pk, admin.pk, user.pk}
    with pytest.raises(NotFound):
        services.case_step_done(case=c, step_id=c.steps.first().pk, actor=b)
    services.case_assign(case=c, actor=a, officer_ids=[b.pk])
    assert selectors.case_get(user=b, case_id=c.pk)


def test_aid_needs_another_approver_and_pays_once(zone_a):
    c, aid, a, b = approved_aid(zone_a, amount_fen=150000)
    assert aid.status == AidStatus.APPROVED and aid.approved_by == b
    paid = services.aid_pay(case=c, aid_id=aid.pk, actor=a)
    assert paid.status == AidStatus.PAID and not paid.replayed
    again = services.aid_pay(case=c, aid_id=aid.pk, actor=b)
    assert again.replayed
    assert ledger_balance(zone=zone_a, account="cases:aid:paid:hardship") == 150000
    assert ledger_balance(zone=zone_a, account="cases:aid:fund") == -150000
    assert ledger_rollup_mismatches(zone=zone_a) == []
    payment = CaseStep.objects.get(case=c, kind="payment")
    assert payment.done_on == timezone.localdate()


def test_applicant_cannot_approve(zone_a, make_user):
    a = make_user("officer", zone_a)
    c = case(zone_a, a)
    aid = services.aid_apply(case=c, actor=a, data=aid_data())
    with pytest.raises(Forbidden) as exc:
        services.aid_approve(case=c, aid_id=aid.pk, actor=a)
    assert exc.value.code == "self_approval_aid"
    with pytest.raises(Conflict):
        services.aid_pay(case=c, aid_id=aid.pk, actor=a)


def test_aid_input_is_range_checked(zone_a, make_user):
    a = make_user("officer", zone_a)
    c = case(zone_a, a)
    with pytest.raises(InvalidInput) as exc:
        services.aid_apply(
            case=c,
            actor=a,
            data=aid_data(amount_fen=0, period_start="2024-06-01", period_end="2024-01-01"),
        )
    assert set(exc.value.fields) == {"amount_fen", "period_end"}
    with pytest.raises(InvalidInput) as exc:
        services.aid_apply(case=c, actor=a, data=aid_data(kind="cash", period_start="9999-1-1"))
    assert set(exc.value.fields) == {"kind", "period_start"}


def test_same_need_in_the_same_period_warns_and_needs_confirmation(zone_a, make_user):
    c, aid, a, b = approved_aid(zone_a)
    services.aid_pay(case=c, aid_id=aid.pk, actor=a)
    second = services.aid_apply(case=c, actor=a, data=aid_data(amount_fen=50000))
    with pytest.raises(Conflict) as exc:
        services.aid_approve(case=c, aid_id=second.pk, actor=b)
    assert exc.value.code == "duplicate_need"
    assert "困难职工帮扶 2,000.00 元" in exc.value.fields["confirm_duplicate"]
    ok = services.aid_approve(case=c, aid_id=second.pk, actor=b, confirm_duplicate=True)
    assert ok.status == AidStatus.APPROVED and ok.duplicate_confirmed
    # another kind in the same period is no duplicate
    other = services.aid_apply(case=c, actor=a, data=aid_data(kind="tuition"))
    assert services.aid_approve(case=c, aid_id=other.pk, actor=b).status == AidStatus.APPROVED


def test_duplicate_warning_lists_welfare_benefits(zone_a, make_user):
    from gaoxin.welfare import services as welfare_services
    from gaoxin.welfare.tests.factories import open_campaign

    c, aid, a, b = approved_aid(zone_a)
    campaign = open_campaign(zone_a, title="春节礼包", unit_value_fen=20000)
    welfare_services.campaign_claim(campaign=campaign, person=c.person, actor=None)
    check = services.aid_duplicates(aid)
    assert not check.needs_confirm
    assert any("春节礼包" in line and "200.00 元" in line for line in check.lines())


def test_case_close_resolves_its_demand_and_rating(zone_a, make_user):
    officer = make_user("officer", zone_a)
    person, user = worker(zone_a)
    d = services.worker_ask_help(actor=user, title="生病住院", detail="")
    c = case(zone_a, officer, person_id=person.pk, origin="demand", demand=d)
    with pytest.raises(Conflict):
        services.case_rate(case=c, actor=user, satisfaction="satisfied")
    c = services.case_close(case=c, actor=officer, outcome="aided", note="已发放救助金")
    d.refresh_from_db()
    assert c.status == CaseStatus.CLOSED and d.status == DemandStatus.RESOLVED
    assert d.resolution == "已发放救助金"
    c = services.case_rate(case=c, actor=user, satisfaction="dissatisfied")
    assert c.status == CaseStatus.OPEN


def test_referral_is_seen_and_answered_only_by_its_departments_liaison(zone_a, make_user):
    officer = make_user("officer", zone_a)
    liaison_a, dept_a = liaison(zone_a)
    liaison_b, _ = liaison(zone_a)
    d = demand(zone_a, officer)
    due = timezone.localdate() + dt.timedelta(days=7)
    r = services.referral_create(
        actor=officer, zone=zone_a, department_id=dept_a.pk, due_on=due, demand=d
    )
    assert list(selectors.referrals_for_user(user=liaison_a)) == [r]
    assert list(selectors.referrals_for_user(user=liaison_b)) == []
    with pytest.raises(NotFound):
        services.referral_reply(referral=r, actor=liaison_b, reply="不是我们的")
    with pytest.raises(InvalidInput):
        services.referral_reply(referral=r, actor=liaison_a, reply="  ")
    r = services.referral_reply(referral=r, actor=liaison_a, reply="已约谈企业")
    r = services.referral_close(referral=r, actor=liaison_a)
    assert r.status == ReferralStatus.CLOSED and r.closed_at
    with pytest.raises(Conflict):
        services.referral_close(referral=r, actor=liaison_a)


def test_figures(zone_a, make_user):
    officer = make_user("officer", zone_a)
    meeting = services.meeting_create(
        actor=officer, zone=zone_a, data={"held_on": "2026-06-30", "title": "上半年联席会议"}
    )
    d1 = demand(zone_a, officer, source="meeting", meeting_id=meeting.pk)
    demand(zone_a, officer, source="meeting", meeting_id=meeting.pk)
    services.demand_resolve(demand=d1, actor=officer, resolution="已解决")
    c, aid, a, b = approved_aid(zone_a, amount_fen=3_000_000)
    services.aid_pay(case=c, aid_id=aid.pk, actor=a)
    f = selectors.zone_figures(zone_id=zone_a.pk)
    assert (f.raised, f.resolved, f.responded) == (2, 1, 1)
    assert f.resolution_rate == 50.0 and f.response_rate == 50.0 and f.satisfaction_rate is None
    assert f.median_days == 0
    assert [(m.raised, m.resolved) for m in f.per_meeting] == [(2, 1)]
    assert f.aid_paid_text == "累计发放帮扶救助金 3 万元"
    assert f.cases == [("困难职工帮扶", "办理中", 1)]
