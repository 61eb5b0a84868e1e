"""The demo zone tells the seed page's story: half-yearly joint meetings whose demands
were tracked to an outcome, and the 韦某 case of Nov 2023 through its whole timeline."""

import datetime as dt

from django.test import Client

from gaoxin.cases import demo as cases_demo
from gaoxin.cases import selectors
from gaoxin.cases.models import AidApplication, HardshipCase, JointMeeting, Referral
from gaoxin.core import demo as core_demo
from gaoxin.core.audit import audit_verify
from gaoxin.demo import DemoContext
from gaoxin.ledger.selectors import ledger_rollup_mismatches


def test_the_demo_meetings_demands_referrals_and_wei_case(db):
    ctx = DemoContext(today=dt.date(2026, 12, 2))
    core_demo.load(ctx)
    cases_demo.load(ctx)
    zone = ctx.zones["zhaoqing"]

    days = list(JointMeeting.objects.filter(zone=zone).values_list("held_on", flat=True))
    assert len(days) == 6 and min(days) >= dt.date(2023, 12, 1)
    figures = selectors.zone_figures(zone_id=zone.pk)
    assert figures.raised == 14 and figures.resolved == 11 and figures.overdue == 1
    assert all(m.raised >= 2 for m in figures.per_meeting)
    referred = set(Referral.objects.filter(zone=zone).values_list("department__kind", flat=True))
    assert referred == {"hrss", "market", "social_work"}
    assert figures.satisfaction_rate == 100.0

    case = HardshipCase.objects.get(zone=zone)
    assert case.title == "韦某困难职工帮扶" and case.opened_on == dt.date(2023, 11, 8)
    assert case.status == "closed" and case.outcome == "aided"
    assert not case.steps.filter(done_on__isnull=True).exists()
    kinds = dict(AidApplication.objects.filter(case=case).values_list("kind", "status"))
    assert kinds == {"hardship": "paid", "critical_illness": "paid", "tuition": "approved"}
    assert figures.aid_paid_fen == 1_100_000
    assert figures.aid_paid_text == "累计发放帮扶救助金 1 万多元"
    assert ledger_rollup_mismatches(zone=zone) == []
    assert audit_verify()[1] == []

    # the demo liaison of 市场监管局 logs in and sees only their department's referral
    browser = Client()
    assert browser.login(username="zhaoqing.liaison.market", password="gaoxin-demo")
    page = browser.get("/cases/liaison/").content.decode()
    assert "平台超时罚款规则不透明" in page and "骑手职业伤害保障" not in page
    # the demo worker (韦某) sees the case step by step on the phone
    assert browser.login(username="zhaoqing.worker", password="gaoxin-demo")
    phone = browser.get(f"/cases/m/cases/{case.pk}/").content.decode()
    assert "2023-11-09 已完成" in phone and "已帮扶" in phone
