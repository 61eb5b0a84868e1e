"""Party demo: 肇庆高新区's party organisations, instructors and development pipeline.

From the seed page: in 3 years 5 owners and outstanding staff of gig-economy firms joined
the Party and 7 were trained as activists; 冯老板 (冯某 on the page: a courier who came in
2007 and became the boss of a logistics firm) reported his thinking for years and joined
in 2022, and a key employee of his firm followed the next year; an industry party branch
for the new forms of employment was founded in Oct 2023; instructors are assigned to the
gig-economy firms and visit them regularly.

The pipeline keeps the seed page's own dates, moved by whole years with `ctx.catch_up` so
that it ends in the year before today; every date respects rules.py (each step checked by
the services). Visits run over the three years up to today. Everything goes through the
services.
"""

import datetime as dt

from django.utils import timezone

from gaoxin.core.enums import PersonRole
from gaoxin.party import services
from gaoxin.party.enums import Stage

#: The seed page's day: its "3 年以来" ends here (before the shift).
PAGE_DAY = dt.date(2024, 6, 1)

# (who, applied, talked, [(stage, day)…]) in the seed page's time. "feng" is 冯某, "staff"
# the key employee of his firm; the others are staff of the zone's gig-economy firms.
# Counted in the 3 years (any window ending within a year after PAGE_DAY): became 预备党员
# or 入党积极分子 between PAGE_DAY − 2 years and PAGE_DAY; every earlier step is before
# PAGE_DAY − 3 years, so no window counts it.
PIPELINE = [
    (
        "feng",
        "2019-03-01",
        "2019-03-20",
        [
            ("activist", "2019-09-01"),
            ("target", "2020-11-01"),
            ("probationary", "2022-07-01"),
            ("full", "2023-07-15"),
        ],
    ),
    (
        "staff",
        "2020-05-10",
        "2020-05-28",
        [("activist", "2020-10-15"), ("target", "2022-03-01"), ("probationary", "2023-07-01")],
    ),
    (
        2,
        "2020-09-01",
        "2020-09-18",
        [
            ("activist", "2021-03-01"),
            ("target", "2022-04-01"),
            ("probationary", "2023-03-01"),
            ("full", "2024-03-15"),
        ],
    ),
    (
        3,
        "2020-11-02",
        "2020-11-20",
        [("activist", "2021-04-01"), ("target", "2022-06-01"), ("probationary", "2023-09-01")],
    ),
    (
        4,
        "2021-01-10",
        "2021-01-25",
        [("activist", "2021-05-10"), ("target", "2022-08-01"), ("probationary", "2024-01-10")],
    ),
    (5, "2022-03-01", "2022-03-15", [("activist", "2022-07-01"), ("target", "2023-08-01")]),
    (6, "2022-06-10", "2022-06-20", [("activist", "2022-12-01"), ("target", "2024-01-15")]),
    (7, "2022-09-01", "2022-09-16", [("activist", "2023-03-01")]),
    (8, "2023-01-05", "2023-01-20", [("activist", "2023-06-01")]),
    (9, "2023-03-01", "2023-03-22", [("activist", "2023-09-15")]),
    (10, "2023-06-01", "2023-06-19", [("activist", "2023-12-01")]),
    (11, "2023-10-20", "2023-11-08", [("activist", "2024-04-01")]),
    (12, "2024-05-10", None, []),  # applied; the talk is due (a to-do)
]
DOCUMENTS = {
    Stage.ACTIVIST: "党支部委员会研究确定，报上级党委备案",
    Stage.TARGET: "听取党员和群众意见，支部委员会讨论同意，报上级党委备案",
    Stage.PROBATIONARY: "支部大会讨论通过，上级党委审批",
    Stage.FULL: "预备期满，支部大会讨论通过转正，报上级党委审批",
}
BRANCH_FOUNDED = dt.date(2023, 10, 18)
VISIT_EVERY = 45  # days
STALE_FIRM_LAST = 200  # days ago: one firm visited long ago, flagged


def _day(text: str, shift: dt.timedelta) -> dt.date:
    return dt.date.fromisoformat(text) + shift


def _people(zone, firms):
    """冯某 (the first firm's boss), a key employee of his firm, and other adult workers."""
    people = zone.people
    feng = people[0]
    firm_id = feng.employer_id
    staff = next(p for p in people[2:] if p.employer_id == firm_id and p.role == PersonRole.WORKER)
    others = [p for p in people[2:] if p.pk != staff.pk and p.birth_date]
    others.sort(key=lambda p: p.birth_date)  # the eldest: adults on every application day
    return feng, staff, others


def load(ctx) -> None:
    zone = ctx.zones["zhaoqing"]
    firms = zone.enterprises
    gig = [f for f in firms if f.is_new_economy]
    shift = ctx.catch_up(PAGE_DAY)
    feng, staff, others = _people(zone, firms)

    committee = services.org_create(
        actor=None,
        zone=zone,
        data={
            "name": "肇庆高新区“两新”组织党工委",
            "kind": "committee",
            "founded_on": "2012-03-01",
        },
    )
    joint = services.org_create(
        actor=None,
        zone=zone,
        data={
            "name": "肇庆高新区非公企业联合党支部",
            "kind": "joint_branch",
            "founded_on": "2016-05-01",
            "parent_id": committee.pk,
            "secretary_id": others[0].pk,
        },
    )
    branch = services.org_create(
        actor=None,
        zone=zone,
        data={
            "name": "肇庆高新区新就业形态行业党支部",
            "kind": "industry_branch",
            "founded_on": BRANCH_FOUNDED + shift,
            "parent_id": committee.pk,
            "secretary_id": others[1].pk,
        },
    )
    services.member_add(
        actor=None, org=joint, person_id=others[0].pk, joined_on="2009-07-01", full_on="2010-07-01"
    )
    services.member_add(
        actor=None,
        org=branch,
        person_id=others[1].pk,
        joined_on="2011-06-20",
        full_on="2012-06-20",
    )
    services.org_cover(actor=None, org=joint, enterprise_id=gig[0].pk, since="2016-05-01")
    for firm in gig:
        services.org_cover(actor=None, org=branch, enterprise_id=firm.pk, since=branch.founded_on)
    for firm in gig[:2]:
        services.union_cover(
            actor=None,
            zone=zone,
            enterprise_id=firm.pk,
            since=BRANCH_FOUNDED + shift,
            union_name=f"{firm.name}工会委员会",
        )

    officer = ctx.users.get("zhaoqing.officer")
    who = {"feng": feng, "staff": staff}
    made = 0
    for key, applied, talked, steps in PIPELINE:
        person = who.get(key) or others[key]
        applied_on = _day(applied, shift)
        org = branch if applied_on >= branch.founded_on else joint
        c = services.candidate_apply(
            actor=None,
            zone=zone,
            officer=officer,
            data={
                "person_id": person.pk,
                "org_id": org.pk,
                "applied_on": applied_on,
                "document": "入党申请书",
                "contact_id": others[0].pk,
                "trainer_id": others[1].pk,
            },
        )
        if talked:
            c = services.candidate_talk(actor=None, candidate=c, talked_on=_day(talked, shift))
        for stage, day in steps:
            c = services.candidate_advance(
                actor=None,
                candidate=c,
                data={"stage": stage, "on": _day(day, shift), "document": DOCUMENTS[stage]},
            )
        made += 1

    visits = _visits(ctx, zone, gig)
    ctx.say(f"  党建：3 个党组织，{made} 名入党发展对象，{visits} 次党建指导员走访")


def _visits(ctx, zone, gig) -> int:
    instructor = ctx.users.get("zhaoqing.instructor")
    if instructor is None:
        return 0
    today = min(ctx.today, timezone.localdate())
    start = today - dt.timedelta(days=3 * 365)
    count = 0
    for n, firm in enumerate(gig):
        services.assignment_create(
            actor=None,
            zone=zone,
            instructor_id=instructor.pk,
            enterprise_id=firm.pk,
            start_on=start,
        )
        last = today - dt.timedelta(days=STALE_FIRM_LAST if n == len(gig) - 1 else 10 + n)
        day = start + dt.timedelta(days=7 + n)
        while day <= last:
            services.visit_log(
                actor=None,
                zone=zone,
                instructor=instructor,
                data={
                    "enterprise_id": firm.pk,
                    "visited_on": day,
                    "people_met": "企业负责人、党员骨干",
                    "topics": "了解企业经营、员工队伍和党员情况，宣讲新就业形态劳动者权益保障政策",
                    "findings": "员工队伍稳定，骑手对午间歇脚、充电需求较多",
                    "follow_ups": "协调就近驿站提供服务",
                },
            )
            day += dt.timedelta(days=VISIT_EVERY)
            count += 1
    return count
