"""Welfare demo: the 肇庆高新区 campaigns of the seed page.

"线上发放电影通兑券、春节礼包、夏季清凉饮品优惠券等 … 为新业态职工派送慰问品、
推送各项福利累计 7 万多元" and "联合中铁四局、新华康康研学馆面向新业态职工赠送读书年卡".

Everything goes through the services, back-dated with `at`: an officer
creates, the zone admin approves, vouchers are claimed (online by the worker,
gift packs handed out on site by the officer) and redeemed at stations,
cinemas and shops. The seed-era dates below (2024–25) are moved by the demo
clock so that the history ends in the year before today. The claims add up to 73,008 元 — "7 万多元". One campaign
is open now (the demo worker has not claimed it yet) and one draft waits for
approval, so the workflow can be tried by hand.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from gaoxin.core.enums import PersonRole
from gaoxin.welfare import services
from gaoxin.welfare.enums import CampaignStatus

UNION = "肇庆高新区总工会"
# The stations demo's names: gift packs are handed out and redeemed there.
STATIONS = ["暖新驿站·高新区总工会服务中心", "暖新驿站·新业态党群服务站", "暖新驿站·中旺通物流站"]
CINEMAS = ["肇庆万达影城（端州店）", "肇庆星光影城（高新区店）"]
SHOPS = ["蜜雪冰城（肇庆高新区店）", "肇庆高新区爱心便利店", "古茗（大旺店）"]


@dataclass
class Plan:
    title: str
    kind: str
    sponsor_kind: str
    sponsor: str
    yuan: int
    stock: int
    claims: int
    redeemed: int
    start: tuple
    days: int
    places: list
    limit: int = 1
    redeem_days: int = 60
    on_site: bool = False
    description: str = ""


PLANS = [
    Plan(
        "{year} 年春节礼包",
        "gift_pack",
        "union",
        UNION,
        400,
        60,
        56,
        56,
        (2024, 1, 22),
        17,
        STATIONS,
        on_site=True,
        description="米、油、春联和福字，春节前在驿站现场发放",
    ),
    Plan(
        "“五一”电影通兑券",
        "e_voucher",
        "union",
        UNION,
        40,
        60,
        50,
        42,
        (2024, 4, 25),
        10,
        CINEMAS,
        description="线上领取，全市合作影院通用",
    ),
    Plan(
        "夏季清凉饮品优惠券",
        "coupon",
        "merchant",
        "肇庆高新区爱心商家联盟",
        15,
        100,
        80,
        60,
        (2024, 7, 1),
        60,
        SHOPS,
        limit=2,
        redeem_days=30,
        description="高温季节凭券到爱心商家领取清凉饮品",
    ),
    Plan(
        "中秋慰问品",
        "gift_pack",
        "zone",
        "肇庆高新区管委会",
        250,
        60,
        58,
        58,
        (2024, 9, 5),
        11,
        STATIONS,
        on_site=True,
        description="月饼礼盒，驿站现场发放",
    ),
    Plan(
        "读书年卡",
        "year_card",
        "partner",
        "中铁四局、新华康康研学馆",
        198,
        50,
        46,
        40,
        (2024, 9, 10),
        20,
        ["新华康康研学馆"],
        redeem_days=365,
        description="一年内不限次数入馆阅读，凭卡登记",
    ),
    Plan(
        "{year} 年春节礼包",
        "gift_pack",
        "union",
        UNION,
        400,
        60,
        57,
        57,
        (2025, 1, 13),
        14,
        STATIONS,
        on_site=True,
        description="米、油、春联和福字，春节前在驿站现场发放",
    ),
]

OPEN_NOW = Plan(
    "冬季暖心电影通兑券",
    "e_voucher",
    "union",
    UNION,
    40,
    100,
    25,
    5,
    (0, 0, 0),
    50,
    CINEMAS,
    description="线上领取，全市合作影院通用",
)
DRAFT = Plan(
    "{year} 年春节礼包",
    "gift_pack",
    "union",
    UNION,
    300,
    60,
    0,
    0,
    (0, 1, 25),  # the coming spring festival's, whatever today is
    14,
    STATIONS,
    on_site=True,
)


SEED_LAST = dt.date(2025, 1, 27)  # the last seed-era campaign's claims close


def _aware(day: dt.date, hour=9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _coming_spring(today: dt.date) -> dt.date:
    """The next spring-festival gift pack's first day (late January)."""
    day = dt.date(today.year, *DRAFT.start[1:])
    return day if day > today else dt.date(today.year + 1, *DRAFT.start[1:])


def _daytime(rng: random.Random, at: dt.datetime, lo=None, hi=None) -> dt.datetime:
    """A plausible local hour (08:00–21:00) near `at` and within [lo, hi]: nobody
    claims or redeems at 04:27. Night falls back to that morning or the evening before."""
    local = timezone.localtime(at)
    if 8 <= local.hour < 21:
        return at
    day = local if local.hour >= 8 else local - dt.timedelta(days=1)  # the evening before
    candidates = [
        local.replace(hour=rng.randint(9, 20), minute=rng.randint(0, 59)),
        day.replace(hour=rng.randint(18, 20), minute=rng.randint(0, 59)),
    ]
    for c in candidates:
        if (lo is None or c >= lo) and (hi is None or c <= hi):
            return c
    return at


def _claim_times(
    rng: random.Random, start: dt.datetime, end: dt.datetime, n: int
) -> list[dt.datetime]:
    """First come, first served: most claims land in the first hours."""
    span = (end - start).total_seconds()
    times = [
        start + dt.timedelta(seconds=min(span - 3600, rng.expovariate(8 / span))) for _ in range(n)
    ]
    return sorted(_daytime(rng, t, start, end - dt.timedelta(hours=1)) for t in times)


def _run(
    ctx, plan: Plan, rng: random.Random, workers: list, starts: dt.datetime, *, close: bool, now
):
    zone = ctx.zones["zhaoqing"]
    officer, approver = ctx.users["zhaoqing.officer"], ctx.users["zhaoqing.admin"]
    keeper = ctx.users["zhaoqing.keeper"]
    ends = starts + dt.timedelta(days=plan.days)
    campaign = services.campaign_create(
        actor=officer,
        zone=zone,
        at=min(starts - dt.timedelta(days=10), now),
        data={
            "title": plan.title.format(year=timezone.localtime(starts).year),
            "kind": plan.kind,
            "sponsor_kind": plan.sponsor_kind,
            "sponsor_name": plan.sponsor,
            "unit_value_fen": plan.yuan * 100,
            "stock": plan.stock,
            "per_worker_limit": plan.limit,
            "claim_starts_at": starts,
            "claim_ends_at": ends,
            "description": plan.description,
            "redeem_until": ends + dt.timedelta(days=plan.redeem_days),
            "redeem_place_hint": "、".join(plan.places),
        },
    )
    if not plan.claims and starts > now:
        return campaign
    campaign = services.campaign_transition(
        campaign=campaign,
        to=CampaignStatus.APPROVED,
        actor=approver,
        at=starts - dt.timedelta(days=7),
    )
    campaign = services.campaign_transition(
        campaign=campaign, to=CampaignStatus.OPEN, actor=officer, at=starts
    )
    takers = []
    while len(takers) < plan.claims:  # some workers take their second unit where the limit allows
        takers.extend(rng.sample(workers, min(len(workers), plan.claims - len(takers))))
    users = {u.person_id: u for u in ctx.users.values() if u.person_id}
    claims = []
    for person, at in zip(
        takers, _claim_times(rng, starts, min(ends, now), plan.claims), strict=True
    ):
        actor = officer if plan.on_site else users.get(person.pk)
        claims.append(services.campaign_claim(campaign=campaign, person=person, actor=actor, at=at))
    for claim in rng.sample(claims, plan.redeemed):
        at = min(
            claim.claimed_at + dt.timedelta(hours=rng.uniform(0.2, 24 * min(plan.redeem_days, 20))),
            now - dt.timedelta(minutes=5),
        )
        at = _daytime(rng, at, claim.claimed_at, now - dt.timedelta(minutes=5))
        place = rng.choice(plan.places)
        # the keeper redeems at the station they keep; elsewhere (cinemas, shops, the other
        # stations) the officer records the redemption at that place
        redeemer = keeper if place == STATIONS[0] else officer
        services.voucher_redeem(zone=zone, code=claim.code, actor=redeemer, place=place, at=at)
    if close:
        services.campaign_transition(
            campaign=campaign,
            to=CampaignStatus.CLOSED,
            actor=officer,
            at=ends + dt.timedelta(hours=1),
        )
    return campaign


def load(ctx) -> None:
    from gaoxin.welfare.selectors import welfare_zone_totals

    rng = random.Random(20240122)
    zone = ctx.zones["zhaoqing"]
    workers = [p for p in zone.people if p.role == PersonRole.WORKER]
    demo_worker = ctx.users["zhaoqing.worker"].person
    now = timezone.now()
    shift = ctx.catch_up(SEED_LAST)
    for plan in PLANS:
        starts = _aware(dt.date(*plan.start) + shift)
        _run(ctx, plan, rng, workers, starts, close=True, now=now)
    # Open now: the demo worker can still claim one.
    others = [p for p in workers if p.pk != demo_worker.pk]
    starts = timezone.localtime(now - dt.timedelta(days=10)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    _run(ctx, OPEN_NOW, rng, others, starts, close=False, now=now)
    _run(ctx, DRAFT, rng, workers, _aware(_coming_spring(ctx.today)), close=False, now=now)
    totals = welfare_zone_totals(zone=zone)
    ctx.say(
        f"  {zone.name}：{len(PLANS) + 2} 个福利活动，发放 {totals.claims} 份，"
        f"核销 {totals.redemptions} 份，累计 {totals.issued_text}"
    )
