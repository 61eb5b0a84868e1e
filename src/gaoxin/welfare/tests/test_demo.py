"""The demo zone reproduces the seed page: "推送各项福利累计 7 万多元"."""

import datetime as dt

from django.utils import timezone

from gaoxin.core import demo as core_demo
from gaoxin.core.audit import audit_verify
from gaoxin.demo import DemoContext
from gaoxin.ledger.selectors import ledger_rollup_mismatches
from gaoxin.welfare import demo as welfare_demo
from gaoxin.welfare import services
from gaoxin.welfare.enums import CampaignStatus
from gaoxin.welfare.models import Campaign
from gaoxin.welfare.selectors import offers_for_worker, welfare_zone_periods, welfare_zone_totals


def test_the_demo_zone_hands_out_seven_wan_and_more(db):
    ctx = DemoContext()
    core_demo.load(ctx)
    welfare_demo.load(ctx)
    zone = ctx.zones["zhaoqing"]

    totals = welfare_zone_totals(zone=zone)
    assert 70_000_00 <= totals.issued_fen < 80_000_00
    assert totals.issued_text == "7 万多元"
    assert "累计 7 万多元" in ctx.log[-1]

    titles = dict(Campaign.objects.filter(zone=zone).values_list("title", "sponsor_name"))
    for seed_name in ("电影通兑券", "春节礼包", "夏季清凉饮品优惠券", "读书年卡"):
        assert any(seed_name in title for title in titles), seed_name
    assert titles["读书年卡"] == "中铁四局、新华康康研学馆"
    statuses = set(Campaign.objects.filter(zone=zone).values_list("status", flat=True))
    assert statuses == {CampaignStatus.CLOSED, CampaignStatus.OPEN, CampaignStatus.DRAFT}

    # the figures are a sum of periods, and the ledger and audit trail are whole
    periods = welfare_zone_periods(zone=zone)
    assert sum(t.issued_fen for _, t in periods) == totals.issued_fen
    assert len({start.year for start, _ in periods}) >= 2
    assert ledger_rollup_mismatches(zone=zone) == []
    assert audit_verify()[1] == []

    # One timeline: the closed campaigns end in the year before the demo's today, the
    # spring-festival packs are named by the year they open in, the draft is the coming one.
    campaigns = Campaign.objects.filter(zone=ctx.zones["zhaoqing"])
    closed = campaigns.filter(status=CampaignStatus.CLOSED)
    last = max(timezone.localtime(c.claim_ends_at).date() for c in closed)
    assert ctx.today - dt.timedelta(days=366) < last <= ctx.today
    for c in campaigns.filter(title__endswith="春节礼包"):
        assert c.title == f"{timezone.localtime(c.claim_starts_at).year} 年春节礼包"
    draft = campaigns.get(status=CampaignStatus.DRAFT)
    assert (
        ctx.today
        < timezone.localtime(draft.claim_starts_at).date()
        <= ctx.today + dt.timedelta(days=366)
    )

    # the demo worker can still claim the campaign that is open now
    worker = ctx.users["zhaoqing.worker"]
    offers = [o for o in offers_for_worker(user=worker) if o.can_claim]
    assert len(offers) == 1
    claim = services.campaign_claim(campaign=offers[0].campaign, person=worker.person, actor=worker)
    assert welfare_zone_totals(zone=zone).issued_fen == totals.issued_fen + claim.value_fen


def test_the_demo_claims_and_redeems_at_plausible_hours(db):
    from django.utils import timezone

    from gaoxin.welfare.models import Claim

    ctx = DemoContext()
    core_demo.load(ctx)
    welfare_demo.load(ctx)
    now = timezone.now()
    for claimed, redeemed in Claim.objects.values_list("claimed_at", "redeemed_at"):
        for at in filter(None, (claimed, redeemed)):
            assert at <= now
            assert 7 <= timezone.localtime(at).hour < 22, timezone.localtime(at)
