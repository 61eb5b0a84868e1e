"""Cases demo: 肇庆高新区's joint meetings and the 韦某 hardship case of the seed page.

"两新"组织党工委每半年召开一次联席会议: a meeting every half year for the last three
years, attended by the zone's gig-economy firms and the partner bureaus, each with the
demands the firms raised — most resolved, a few still open (one past due), and one
referred to each of 劳动和社会保障局, 市场监督管理局 and 社会工作局, whose liaisons reply.
And, as the seed page tells it, in Nov 2023 a visit found a courier in hardship (韦某,
pseudonymous): the committee and the zone union visited the family, helped apply for
hardship aid (困难职工帮扶) and critical-illness relief (大病救助), and negotiated a tuition
reduction with the child's private school — the case runs through its whole timeline.

Everything goes through the services, back-dated with `at`. The meetings follow today
(the last six half-years); the 韦某 case keeps the seed page's own date, Nov 2023.
"""

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from gaoxin.cases import services
from gaoxin.core import services as core_services
from gaoxin.core.enums import Role
from gaoxin.registry.models import Department

# (title, category, detail, outcome): outcome "resolved" (with the resolution and days
# taken), "open", "overdue", or a department kind it is referred to.
DEMANDS = [
    (
        "快递员午间无处歇脚",
        "rest",
        "希望在物流园周边增设休息点",
        ("resolved", "新增 2 个暖新驿站点，提供饮水、充电、歇脚", 21),
    ),
    (
        "夏季高温配送防暑物资不足",
        "safety",
        "",
        ("resolved", "工会发放清凉饮品券，驿站常备防暑药品", 9),
    ),
    (
        "骑手职业伤害保障参保政策不清楚",
        "social_insurance",
        "",
        ("hrss", "人社局到企业开展新就业形态职业伤害保障政策宣讲", 30),
    ),
    (
        "电动车充电难、充电贵",
        "rest",
        "",
        ("resolved", "协调在 3 个驿站安装智能充电柜，按成本价收费", 45),
    ),
    (
        "平台超时罚款规则不透明",
        "platform_rules",
        "",
        ("market", "市场监管局约谈平台企业，公示派单与罚款规则", 38),
    ),
    (
        "网约车司机子女入学咨询无门",
        "children",
        "",
        ("social_work", "社会工作局设立入学政策咨询专线，个案跟进 5 户", 28),
    ),
    ("部分站点派件费结算滞后", "wages", "", ("resolved", "协调企业按月结算并公示结算周期", 17)),
    ("夜间配送路段照明不足", "safety", "", ("resolved", "城管部门在 4 个路段加装路灯", 52)),
    ("货车司机停车休息难", "other", "", ("resolved", "在物流园开辟 30 个货车临时停车位", 33)),
    (
        "希望开展职业技能提升培训",
        "other",
        "",
        ("resolved", "联合技工学校开设电工、叉车培训班 2 期", 40),
    ),
    (
        "新就业群体党员组织关系转接",
        "other",
        "",
        ("resolved", "党群服务站提供转接指引，已办理 6 人", 12),
    ),
    ("骑手健康体检需求", "other", "", ("open", "", 0)),
    ("驿站周末开放时间偏短", "rest", "", ("overdue", "", 0)),
    ("快递员租房补贴政策咨询", "other", "", ("open", "", 0)),
]
DEPARTMENT_KINDS = {
    "hrss": "劳动和社会保障局",
    "market": "市场监督管理局",
    "social_work": "社会工作局",
}
LIAISONS = {  # department kind → demo account (the zone's `liaison` answers for 人社)
    "hrss": "zhaoqing.liaison",
    "market": "zhaoqing.liaison.market",
    "social_work": "zhaoqing.liaison.social",
}
WEI_VISIT = dt.date(2023, 11, 8)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _meeting_days(today: dt.date, count: int = 6) -> list[dt.date]:
    """The last `count` half-yearly meeting days (late June, late December) before today."""
    days = []
    year = today.year
    while len(days) < count:
        for day in (dt.date(year, 12, 20), dt.date(year, 6, 28)):
            if day < today - dt.timedelta(days=20) and len(days) < count:
                days.append(day)
        year -= 1
    return sorted(days)


def _liaisons(ctx, zone, departments) -> dict:
    hashed = make_password_once(ctx)
    found = {}
    for kind, username in LIAISONS.items():
        user = ctx.users.get(username)
        if user is None:
            user = core_services.user_create(
                actor=None,
                username=username,
                password="",
                password_hash=hashed,
                zone=zone,
                roles=[Role.DEPARTMENT_LIAISON],
                display_name=f"{departments[kind].name}联络员",
            )
            ctx.users[username] = user
        services.liaison_bind(actor=None, user=user, department_id=departments[kind].pk)
        found[kind] = user
    return found


def make_password_once(ctx):
    if not getattr(ctx, "_cases_hash", None):
        from gaoxin.demo import DEMO_PASSWORD

        ctx._cases_hash = make_password(DEMO_PASSWORD)
    return ctx._cases_hash


def _meetings(ctx, zone, departments, liaisons) -> int:
    officer, admin = ctx.users["zhaoqing.officer"], ctx.users["zhaoqing.admin"]
    contact = ctx.users.get("zhaoqing.enterprise")
    firms = [f for f in zone.enterprises if f.is_new_economy]
    attending = [d.pk for d in Department.objects.filter(zone=zone)]
    days = _meeting_days(ctx.today)
    raised = 0
    for n, day in enumerate(days):
        half = "上半年" if day.month <= 6 else "下半年"
        meeting = services.meeting_create(
            actor=officer,
            zone=zone,
            data={
                "held_on": day,
                "title": f"{day.year} 年{half}“两新”组织联席会议",
                "minutes": "党工委牵头，新业态企业与劳动和社会保障局、市场监督管理局、社会工作局"
                "共同研究新就业形态劳动者的急难愁盼，逐项明确责任人和办理期限。",
            },
            enterprise_ids=[f.pk for f in firms],
            department_ids=attending,
            at=_at(day, 9),
        )
        # the demands in order, spread over the meetings; the open ones come last
        share = [d for k, d in enumerate(DEMANDS) if k * len(days) // len(DEMANDS) == n]
        for i, (title, category, detail, (outcome, result, took)) in enumerate(share):
            at = _at(day, 11)
            firm = firms[(n + i) % len(firms)]
            due = day + dt.timedelta(days=60 if outcome in DEPARTMENT_KINDS else 45)
            if outcome == "overdue":
                due = max(day + dt.timedelta(days=1), ctx.today - dt.timedelta(days=10))
            elif outcome == "open":
                due = max(ctx.today + dt.timedelta(days=20), day + dt.timedelta(days=15))
            demand = services.demand_create(
                actor=officer,
                zone=zone,
                data={
                    "title": title,
                    "detail": detail or f"{firm.name}在联席会议上反映",
                    "category": category,
                    "source": "meeting",
                    "due_on": due,
                },
                enterprise_ids=[firm.pk],
                meeting_id=meeting.pk,
                owner=officer,
                at=at,
            )
            raised += 1
            first = at + dt.timedelta(days=1)
            if outcome in ("open", "overdue"):
                if outcome == "open":
                    services.demand_update(
                        demand=demand, actor=officer, note="已联系企业了解情况", at=first
                    )
                continue
            services.demand_update(demand=demand, actor=officer, note="已受理并联系企业", at=first)
            if outcome in DEPARTMENT_KINDS:
                referral = services.referral_create(
                    actor=officer,
                    zone=zone,
                    department_id=departments[outcome].pk,
                    due_on=(at + dt.timedelta(days=20)).date(),
                    note=f"请{DEPARTMENT_KINDS[outcome]}协助办理",
                    demand=demand,
                    at=first,
                )
                replied = at + dt.timedelta(days=took - 2)
                services.referral_reply(
                    referral=referral, actor=liaisons[outcome], reply=result, at=replied
                )
                services.referral_close(referral=referral, actor=liaisons[outcome], at=replied)
            demand = services.demand_resolve(
                demand=demand, actor=officer, resolution=result, at=at + dt.timedelta(days=took)
            )
            if contact is not None and firm.pk == contact.person.employer_id:
                services.demand_rate(
                    demand=demand,
                    actor=contact,
                    satisfaction="satisfied" if i % 2 == 0 else "basically",
                )
    del admin
    return raised


def _wei_case(ctx, zone) -> None:
    """韦某: found on a visit in Nov 2023, taken through the whole standard timeline."""
    officer, admin = ctx.users["zhaoqing.officer"], ctx.users["zhaoqing.admin"]
    worker = ctx.users["zhaoqing.worker"]
    case = services.case_open(
        actor=officer,
        zone=zone,
        person_id=worker.person_id,
        title="韦某困难职工帮扶",
        summary="走访中发现快递员韦某家庭困难：本人患病住院，孩子就读民办学校学费负担重。",
        origin="visit",
        officer_ids=[admin.pk],
        opened_on=WEI_VISIT,
    )
    steps = {s.kind: s for s in case.steps.all()}
    notes = {
        "visit": (dt.date(2023, 11, 9), "“两新”组织党工委与园区总工会入户走访慰问"),
        "application": (
            dt.date(2023, 11, 15),
            "协助申请困难职工帮扶、大病救助，与学校协商学费减免",
        ),
        "review": (dt.date(2023, 11, 24), "总工会审核材料齐全"),
        "decision": (dt.date(2023, 11, 28), "批准困难职工帮扶和大病救助，学校同意减免学费"),
    }
    for kind, (day, note) in notes.items():
        services.case_step_done(
            case=case, step_id=steps[kind].pk, actor=officer, note=note, done_on=day
        )
    period = {"period_start": dt.date(2023, 11, 1), "period_end": dt.date(2024, 10, 31)}
    plans = [
        ("hardship", 300000, "困难职工帮扶金", True),
        ("critical_illness", 800000, "大病救助（住院自付部分）", True),
        (
            "tuition",
            240000,
            "孩子就读民办学校，学校同意减免一学年学费（由学校减免，不经园区发放）",
            False,
        ),
    ]
    for kind, fen, reason, paid in plans:
        aid = services.aid_apply(
            case=case,
            actor=officer,
            data={"kind": kind, "amount_fen": fen, "reason": reason, **period},
            at=_at(dt.date(2023, 11, 15)),
        )
        services.aid_approve(case=case, aid_id=aid.pk, actor=admin, at=_at(dt.date(2023, 11, 28)))
        if paid:
            services.aid_pay(case=case, aid_id=aid.pk, actor=officer, at=_at(dt.date(2023, 12, 5)))
    follow = case.steps.get(kind="follow_up")
    services.case_step_done(
        case=case,
        step_id=follow.pk,
        actor=officer,
        note="回访：韦某已出院复工，孩子正常就学",
        done_on=dt.date(2024, 1, 10),
    )
    services.case_close(
        case=case,
        actor=officer,
        outcome="aided",
        note="发放困难职工帮扶金 3000 元、大病救助 8000 元，学校减免学费 2400 元",
        at=_at(dt.date(2024, 1, 15)),
    )


def load(ctx) -> None:
    zone = ctx.zones["zhaoqing"]
    by_kind = {d.kind: d for d in Department.objects.filter(zone=zone)}
    departments = {kind: by_kind[kind] for kind in DEPARTMENT_KINDS}
    liaisons = _liaisons(ctx, zone, departments)
    raised = _meetings(ctx, zone, departments, liaisons)
    _wei_case(ctx, zone)
    ctx.say(f"  诉求与帮扶：6 次联席会议、{raised} 件诉求，韦某帮扶个案（2023 年 11 月）")
