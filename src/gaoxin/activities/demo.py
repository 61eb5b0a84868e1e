"""Demo activities from the seed page, created through the services.

肇庆高新区: the 关爱小候鸟 summer day-care class (with children), the
新业态劳动者温暖行动 check-up month, ten caring visits — together the seed's
"关爱慰问活动 10 余场次" (12 events) —, the 15 traditional-culture sessions
held with 中铁四局 and 新华康康研学馆 ("传统文化体验活动 15 场次"), and the
new-economy party branch's "三个一" study sessions (专题学习, 党建联建,
书记讲党课). A few upcoming activities stay open so the phone pages have
something to sign up for; they are not counted until they are held.

安康高新区: the 第二届桃花季 opening show with its 节目单.

Past events are recorded with `at` (as a paper ledger would be imported):
sign-ups, cancellations and check-ins carry the dates they happened. The
dates below are the seed page's (2023–24); the demo clock moves them by whole
years so that they end in the year before today (`DemoContext.catch_up`).
"""

import datetime as dt
import random

from django.utils import timezone

from gaoxin.activities import services
from gaoxin.activities.models import Activity
from gaoxin.core.validators import id_check_digit

ZHAOQING_ORGANISER = "肇庆高新区“两新”组织党工委"
UNION = "肇庆高新区总工会"
BRANCH = "肇庆高新区新业态行业党支部"
STATION = "肇庆高新区新业态职工“暖新驿站”"
SEED_LAST = dt.date(2024, 3, 16)  # the last past event below: the 桃花季 opening show

CARING_VISITS = [  # title, date, place
    ("端午节送粽子慰问新业态职工", dt.date(2023, 6, 21), STATION),
    ("夏季高温送清凉慰问", dt.date(2023, 7, 26), STATION),
    ("“八一”慰问退役军人新业态职工", dt.date(2023, 8, 1), STATION),
    ("中秋节慰问外卖骑手和快递员", dt.date(2023, 9, 27), STATION),
    ("国庆假期坚守岗位职工慰问", dt.date(2023, 10, 4), STATION),
    ("“双十一”快递高峰一线慰问", dt.date(2023, 11, 13), "肇庆市中旺通物流代理有限公司"),
    ("冬季送温暖慰问活动", dt.date(2023, 12, 20), STATION),
    ("元旦新年慰问新业态职工", dt.date(2023, 12, 30), STATION),
    ("春节走访慰问新业态职工", dt.date(2024, 2, 2), STATION),
    ("“三八”妇女节女性新业态职工关爱活动", dt.date(2024, 3, 8), STATION),
]

CULTURE = [  # the 15 传统文化体验 sessions
    ("端砚文化体验", dt.date(2023, 4, 15)),
    ("书法入门体验课", dt.date(2023, 5, 13)),
    ("端午香囊制作", dt.date(2023, 6, 17)),
    ("国学经典诵读", dt.date(2023, 7, 8)),
    ("非遗扎染体验", dt.date(2023, 7, 29)),
    ("茶艺体验", dt.date(2023, 8, 19)),
    ("中秋灯笼制作", dt.date(2023, 9, 23)),
    ("龙舟文化讲座", dt.date(2023, 10, 14)),
    ("传统剪纸体验", dt.date(2023, 10, 28)),
    ("陶艺手作", dt.date(2023, 11, 11)),
    ("七星岩摩崖石刻研学", dt.date(2023, 11, 25)),
    ("篆刻体验", dt.date(2023, 12, 9)),
    ("古琴雅集", dt.date(2023, 12, 23)),
    ("写春联迎新春", dt.date(2024, 1, 27)),
    ("元宵节猜灯谜", dt.date(2024, 2, 24)),
]

PEACH_PROGRAMME = [  # genre, title, performers
    ("古典诗词舞蹈", "书简康桥", "高新七小的同学们"),
    ("歌舞", "十里桃花·十里情", ""),
    ("经典吟诵", "将进酒", ""),
    ("舞蹈", "桃花笑", ""),
    ("情景剧", "桃花源记", ""),
    ("歌舞", "醉美桃花源", ""),
    ("", "安康桃花源", ""),
    ("全体大合唱", "安康高新之歌", "全体演职人员"),
]

CHILD_GIVEN = [
    "子涵",
    "梓轩",
    "一诺",
    "欣怡",
    "浩宇",
    "雨桐",
    "思睿",
    "可馨",
    "俊熙",
    "诗琪",
    "嘉懿",
    "沐阳",
    "若汐",
    "宇航",
]


def _at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _child_id(rng: random.Random, birth: dt.date) -> str:
    first17 = f"441202{birth:%Y%m%d}{rng.randint(0, 999):03d}"
    return first17 + id_check_digit(first17)


class _Loader:
    def __init__(self, ctx, code: str, officer: str, seed: int):
        self.ctx = ctx
        self.zone = ctx.zones[code]
        self.officer = ctx.users[officer]
        self.rng = random.Random(seed)
        self.shift = ctx.catch_up(SEED_LAST)
        self.people = [p for p in self.zone.people if p.role == "worker"]
        self.counts = {"activities": 0, "signups": 0, "attendance": 0}

    def day(self, seed_day: dt.date) -> dt.date:
        """A seed-page date on the demo's timeline."""
        return seed_day + self.shift

    def activity(self, data: dict, schedule: dict, *, publish: bool = True) -> Activity:
        activity = services.activity_create(
            actor=self.officer, zone=self.zone, data=data, schedule=schedule
        )
        if publish:
            services.activity_transition(actor=self.officer, activity=activity, verb="submit")
            activity = services.activity_transition(
                actor=self.officer, activity=activity, verb="publish"
            )
        self.counts["activities"] += 1
        return activity

    def sign(self, activity, person, *, at, session=None, child=None):
        signup = services.signup_create(
            actor=self.officer,
            activity=activity,
            person=person,
            session=session,
            child=child,
            at=at,
        )
        self.counts["signups"] += 1
        return signup

    def attend(self, session, signups, share: float = 0.9) -> None:
        """Mark most seated sign-ups present, 15 minutes after the start."""
        seated = [s.pk for s in signups if s.status in ("confirmed", "attended")]
        present = [pk for pk in seated if self.rng.random() < share] or seated[:1]
        if present:
            services.attendance_mark(
                actor=self.officer,
                session=session,
                signup_ids=present,
                at=session.starts_at + dt.timedelta(minutes=15),
            )
            self.counts["attendance"] += len(present)

    def close(self, activity) -> None:
        services.activity_transition(actor=self.officer, activity=activity, verb="close")

    def single(
        self,
        title,
        kind,
        day,
        place,
        *,
        organiser=UNION,
        partners=(),
        capacity=30,
        taking=(10, 18),
        hours=(9, 2),
        description="",
    ) -> Activity:
        """A past one-session event with sign-ups a week before and a roll call."""
        day = self.day(day)
        activity = self.activity(
            {
                "title": title,
                "kind": kind,
                "organiser": organiser,
                "partners": list(partners),
                "place": place,
                "capacity": capacity,
                "description": description,
            },
            {"first_start": _at(day, hours[0]), "duration_minutes": hours[1] * 60},
        )
        signed_at = _at(day - dt.timedelta(days=7), 10)
        people = self.rng.sample(self.people, self.rng.randint(*taking))
        signups = [
            self.sign(activity, p, at=signed_at + dt.timedelta(minutes=i))
            for i, p in enumerate(people)
        ]
        self.attend(activity.sessions.get(), signups)
        self.close(activity)
        return activity


def _zhaoqing(ctx) -> None:
    load = _Loader(ctx, "zhaoqing", "zhaoqing.officer", 20230717)
    rng = load.rng

    # 关爱小候鸟 summer day-care class: two weeks of weekdays, children 6–14.
    first = load.day(dt.date(2023, 7, 17))
    daycare = load.activity(
        {
            "title": "“关爱小候鸟”新业态职工子女暑期托管班",
            "kind": "daycare",
            "organiser": ZHAOQING_ORGANISER,
            "partners": [UNION],
            "place": f"{STATION}（托管教室）",
            "audience": "children",
            "min_age": 6,
            "max_age": 14,
            "capacity": 30,
            "eligibility_note": "新业态职工子女，6–14 周岁",
            "description": "暑假期间为新业态职工子女提供看护、作业辅导、阅读和兴趣课程。",
        },
        {
            "first_start": _at(first, 8, 30),
            "duration_minutes": 9 * 60,
            "repeat": "weekdays",
            "count": 10,
        },
    )
    guardians = rng.sample(load.people, 16)
    signups = []
    for i, guardian in enumerate(guardians):
        for k in range(2 if i % 5 == 0 else 1):  # every fifth family brings two children
            birth = first - dt.timedelta(days=rng.randint(6 * 365 + 30, 14 * 365 - 30))
            child = {
                "child_name": guardian.name[0] + CHILD_GIVEN[(i * 2 + k) % len(CHILD_GIVEN)],
                "child_birth_date": birth.isoformat(),
                "child_id_number": _child_id(rng, birth) if i % 2 == 0 else "",
            }
            signups.append(
                load.sign(
                    daycare,
                    guardian,
                    child=child,
                    at=_at(load.day(dt.date(2023, 7, 3)), 9)
                    + dt.timedelta(minutes=7 * len(signups)),
                )
            )
    for session in daycare.sessions.order_by("starts_at"):
        load.attend(session, signups, share=0.92)
    load.close(daycare)

    # 温暖行动服务月: free check-ups and physiotherapy, four Saturdays, per session.
    month = load.activity(
        {
            "title": "“新业态劳动者温暖行动”服务月·送身心健康免费体检理疗",
            "kind": "health",
            "organiser": UNION,
            "partners": [ZHAOQING_ORGANISER],
            "place": STATION,
            "signup_mode": "session",
            "audience": "workers",
            "capacity": 15,
            "description": "免费体检、中医理疗和心理健康咨询，每场限 15 人。",
        },
        {
            "first_start": _at(load.day(dt.date(2023, 11, 4)), 9),
            "duration_minutes": 180,
            "repeat": "weekly",
            "count": 4,
        },
    )
    pool = list(load.people)
    rng.shuffle(pool)
    for n, session in enumerate(month.sessions.order_by("starts_at")):
        taking = 17 if n == 1 else rng.randint(9, 13)  # the second Saturday fills up
        people, pool = pool[:taking], pool[taking:] + pool[:taking]
        opened = session.starts_at - dt.timedelta(days=6)
        rows = [
            load.sign(month, p, session=session, at=opened + dt.timedelta(minutes=5 * i))
            for i, p in enumerate(people)
        ]
        if n == 1:  # someone drops out; the first on the waiting list moves up
            services.signup_cancel(
                actor=load.officer,
                signup=rows[3],
                reason="临时有配送任务",
                at=opened + dt.timedelta(days=2),
            )
            rows = list(month.signups.filter(session=session))
        load.attend(session, rows)
    load.close(month)

    # Ten caring visits with gifts (关爱慰问).
    for title, day, place in CARING_VISITS:
        load.single(
            title,
            "caring",
            day,
            place,
            organiser=ZHAOQING_ORGANISER,
            partners=[UNION],
            capacity=40,
            taking=(6, 12),
            hours=(10, 2),
        )

    # Fifteen traditional-culture sessions with 中铁四局 and 新华康康研学馆.
    for title, day in CULTURE:
        load.single(
            f"传统文化体验：{title}",
            "culture",
            day,
            "新华康康研学馆",
            organiser=UNION,
            partners=["中铁四局", "新华康康研学馆"],
            capacity=20,
            taking=(5, 10),
            hours=(14, 2),
            description="新业态职工及其子女免费参加。",
        )

    # "三个一": 专题学习 (monthly), 党建联建, 书记讲党课 — after the branch formed (Oct 2023 on the seed page).
    members = [p for p in ctx.zones["zhaoqing"].people if p.name == "冯立松"] + load.people[:11]
    study = load.activity(
        {
            "title": "“三个一”活动·新业态党员专题学习",
            "kind": "party_study",
            "organiser": BRANCH,
            "place": f"{STATION}（党员活动室）",
            "capacity": 30,
            "eligibility_note": "新业态党员、入党积极分子",
        },
        {
            "first_start": _at(load.day(dt.date(2023, 11, 15)), 19, 30),
            "duration_minutes": 90,
            "repeat": "monthly",
            "count": 5,
        },
    )
    rows = [load.sign(study, p, at=_at(load.day(dt.date(2023, 11, 8)))) for p in members]
    for session in study.sessions.order_by("starts_at"):
        load.attend(session, rows, share=0.85)
    load.close(study)
    for title, seed_day in (
        ("“三个一”活动·党建联建", dt.date(2023, 12, 12)),
        ("“三个一”活动·书记讲党课", dt.date(2024, 1, 16)),
    ):
        day = load.day(seed_day)
        activity = load.activity(
            {
                "title": title,
                "kind": "party_study",
                "organiser": BRANCH,
                "place": f"{STATION}（党员活动室）",
                "capacity": 30,
            },
            {"first_start": _at(day, 19, 30), "duration_minutes": 90},
        )
        rows = [load.sign(activity, p, at=_at(day - dt.timedelta(days=5))) for p in members]
        load.attend(activity.sessions.get(), rows)
        load.close(activity)

    # Upcoming, open for sign-up on the phone pages.
    today = ctx.today
    worker = ctx.users["zhaoqing.worker"].person
    others = [p for p in load.people if p.pk != worker.pk]
    load.activity(
        {
            "title": "“关爱小候鸟”新业态职工子女托管班（第二期）",
            "kind": "daycare",
            "organiser": ZHAOQING_ORGANISER,
            "partners": [UNION],
            "place": f"{STATION}（托管教室）",
            "audience": "children",
            "min_age": 6,
            "max_age": 14,
            "capacity": 20,
            "eligibility_note": "新业态职工子女，6–14 周岁",
        },
        {
            "first_start": _at(today + dt.timedelta(days=21), 8, 30),
            "duration_minutes": 9 * 60,
            "repeat": "weekdays",
            "count": 10,
        },
    )
    checkup = load.activity(
        {
            "title": "冬季送温暖·免费体检理疗",
            "kind": "health",
            "organiser": UNION,
            "place": STATION,
            "signup_mode": "session",
            "capacity": 10,
        },
        {
            "first_start": _at(today + dt.timedelta(days=7), 9),
            "duration_minutes": 180,
            "repeat": "weekly",
            "count": 3,
        },
    )
    first_session = checkup.sessions.order_by("starts_at").first()
    now = timezone.now()
    for i, person in enumerate(others[:12]):  # ten places, two on the waiting list
        load.sign(checkup, person, session=first_session, at=now - dt.timedelta(hours=12 - i))
    lesson = load.activity(
        {
            "title": "“三个一”活动·专题学习（第二季）",
            "kind": "party_study",
            "organiser": BRANCH,
            "place": f"{STATION}（党员活动室）",
            "capacity": 30,
        },
        {
            "first_start": _at(today + dt.timedelta(days=10), 19, 30),
            "duration_minutes": 90,
            "repeat": "monthly",
            "count": 3,
        },
    )
    load.sign(lesson, worker, at=now - dt.timedelta(hours=1))
    c = load.counts
    ctx.say(
        f"  肇庆高新区：{c['activities']} 项关爱活动，{c['signups']} 人次报名，{c['attendance']} 人次出勤"
    )


def _ankang(ctx) -> None:
    load = _Loader(ctx, "ankang", "ankang.officer", 20240316)
    day = load.day(SEED_LAST)
    festival = load.activity(
        {
            "title": "“寻梦桃花源 人生最安康”安康高新区第二届桃花季文旅商贸系列活动开幕式",
            "kind": "performance",
            "organiser": "安康高新区",
            "place": "桃花源露营基地",
            "capacity": 500,
            "description": "第二届桃花季开幕式文艺演出。",
        },
        {"first_start": _at(day, 10), "duration_minutes": 120},
    )
    for genre, title, performers in PEACH_PROGRAMME:
        services.programme_item_add(
            actor=load.officer,
            activity=festival,
            data={"genre": genre, "title": title, "performers": performers},
        )
    rows = [load.sign(festival, p, at=_at(day - dt.timedelta(days=3), 10)) for p in load.people]
    load.attend(festival.sessions.get(), rows)
    load.close(festival)
    ctx.say(f"  安康高新区：第二届桃花季开幕式，节目单 {len(PEACH_PROGRAMME)} 个节目")


def load(ctx) -> None:
    _zhaoqing(ctx)
    _ankang(ctx)
