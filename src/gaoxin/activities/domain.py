"""Pure rules of the activities program: cleaning input, ages, schedules, QR tokens.

Nothing here writes; services, forms, the API and the demo share these so a
bad value gets the same Chinese message wherever it is typed.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.activities.enums import (
    ActivityKind,
    ActivityStatus,
    Audience,
    Repeat,
    SignupMode,
    SignUpStatus,
)
from gaoxin.core import crypto
from gaoxin.core.cleaning import Cleaned, Cleaner, as_text
from gaoxin.core.errors import Conflict

MAX_CAPACITY = 100_000
MAX_SESSIONS_PER_CALL = 200
# An activity's whole list of sessions is one page (API and office), so it has a ceiling.
MAX_SESSIONS_PER_ACTIVITY = 500
# One call's run of sessions, first start to last start; a monthly run of 200 would be 16 years.
MAX_SCHEDULE_YEARS = 5
MAX_SCHEDULE_SPAN = dt.timedelta(days=MAX_SCHEDULE_YEARS * 366)
# Every time typed for an activity lies in these years (local time); outside them
# a date is a typo or an attack, and the calendar arithmetic never reaches year 9999.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100
MAX_AGE = 120
CHECKIN_SALT = "gaoxin.activities.checkin"
# Scanning opens an hour before a session and closes two hours after it ends.
CHECKIN_OPENS_BEFORE = dt.timedelta(hours=1)
CHECKIN_CLOSES_AFTER = dt.timedelta(hours=2)


# ------------------------------------------------------------------ small pieces


# What each field is called in messages ("请填写活动名称", "名额应在 1 到 100000 之间").
LABELS = {
    "title": _("活动名称"),
    "kind": _("活动类型"),
    "description": _("活动介绍"),
    "organiser": _("主办单位"),
    "partners": _("协办单位"),
    "place": _("活动地点"),
    "station_id": _("所在驿站"),
    "party_org_id": _("所属党组织"),
    "signup_mode": _("报名方式"),
    "audience": _("面向对象"),
    "min_age": _("最小年龄"),
    "max_age": _("最大年龄"),
    "eligibility_note": _("报名条件"),
    "capacity": _("名额"),
    "waitlist": _("候补"),
    "signup_deadline": _("报名截止时间"),
    "first_start": _("首场开始时间"),
    "duration_minutes": _("每场时长（分钟）"),
    "repeat": _("重复方式"),
    "count": _("场次数"),
    "starts_at": _("开始时间"),
    "ends_at": _("结束时间"),
    "genre": _("节目类型"),
    "performers": _("表演者"),
    "note": _("备注"),
    "child_name": _("子女姓名"),
    "child_birth_date": _("子女出生日期"),
    "child_id_number": _("子女身份证号"),
}


def label(key: str) -> str:
    return str(LABELS.get(key, key))


def text(raw: dict, key: str) -> str:
    return as_text(raw.get(key))


def optional_text(raw: dict, key: str, out: Cleaned, *, max_length: int) -> None:
    Cleaner(raw, out=out).text(key, label=label(key), max_length=max_length, required=False)


def parse_int(value, out: Cleaned, key: str, *, minimum: int, maximum: int, required: bool):
    """An integer within bounds; None when optional and empty."""
    return Cleaner({}, out=out).integer(
        key, label=label(key), low=minimum, high=maximum, required=required, value=value
    )


def parse_datetime(value, out: Cleaned, key: str, *, required: bool) -> dt.datetime | None:
    """ISO text ("2024-07-15T08:30", what <input type=datetime-local> sends) or a datetime,
    within EARLIEST_YEAR..LATEST_YEAR. A time without a zone is local (Asia/Shanghai)."""
    within = (EARLIEST_YEAR, LATEST_YEAR, year_range_message())
    return Cleaner({}, out=out).moment(
        key, label=label(key), required=required, within=within, value=value
    )


def year_range_message() -> str:
    return _("时间应在 %(first)d 年至 %(last)d 年之间") % {
        "first": EARLIEST_YEAR,
        "last": LATEST_YEAR,
    }


def in_year_range(moment: dt.datetime | dt.date) -> bool:
    return EARLIEST_YEAR <= moment.year <= LATEST_YEAR


def parse_partners(value) -> list[str]:
    """A list, or text separated by 、，, ; or new lines."""
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else re.split(r"[、，,；;\n]+", str(value))
    seen: list[str] = []
    for item in items:
        name = str(item).strip()
        if name and name not in seen:
            seen.append(name)
    return seen


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


# ------------------------------------------------------------------- activities

ACTIVITY_FIELDS = (
    "title",
    "kind",
    "description",
    "organiser",
    "partners",
    "place",
    "station_id",
    "party_org_id",
    "signup_mode",
    "audience",
    "min_age",
    "max_age",
    "eligibility_note",
    "capacity",
    "waitlist",
    "signup_deadline",
)


def clean_activity(raw: dict, *, partial: bool = False) -> Cleaned:
    """Clean activity input; with partial=True only the keys present are checked."""
    c = Cleaner(raw, partial=partial)
    c.text("title", label=label("title"), max_length=100)
    c.choice("kind", ActivityKind, label=label("kind"))
    c.text("description", label=label("description"), max_length=5000, required=False)
    c.text("organiser", label=label("organiser"), max_length=100)
    if c.wanted("partners"):
        partners = parse_partners(raw.get("partners"))
        if any(len(p) > 100 for p in partners):
            c.error("partners", _("每个协办单位名称不能超过 100 个字"))
        elif len(partners) > 20:
            c.error("partners", _("协办单位最多 20 个"))
        c.values["partners"] = partners
    c.text("place", label=label("place"), max_length=200)
    for key in ("station_id", "party_org_id"):
        c.integer(key, label=label(key), low=1, high=2**63 - 1, required=False)
    c.choice("signup_mode", SignupMode, label=label("signup_mode"), default=SignupMode.SERIES)
    c.choice("audience", Audience, label=label("audience"), default=Audience.OPEN)
    for key in ("min_age", "max_age"):
        c.integer(key, label=label(key), low=0, high=MAX_AGE, required=False)
    low, high = c.values.get("min_age"), c.values.get("max_age")
    if low is not None and high is not None and low > high:
        c.error("max_age", _("最大年龄不能小于最小年龄"))
    c.text("eligibility_note", label=label("eligibility_note"), max_length=200, required=False)
    c.integer("capacity", label=label("capacity"), low=1, high=MAX_CAPACITY)
    c.boolean("waitlist", label=label("waitlist"), default=True)
    if c.wanted("signup_deadline"):
        parse_datetime(raw.get("signup_deadline"), c.out, "signup_deadline", required=False)
    no_ages = c.values.get("min_age") is None and c.values.get("max_age") is None
    if not partial and c.values.get("audience") == Audience.CHILDREN and no_ages:
        c.error("min_age", _("面向子女的活动请填写年龄范围（如 6–14 周岁）"))
    return c.out


# --------------------------------------------------------------------- sessions


@dataclass
class Slot:
    starts_at: dt.datetime
    ends_at: dt.datetime


class ScheduleError(ValueError):
    """A schedule that cannot be laid out within the limits; `field` is where to say so."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def _add_months(day: dt.date, months: int) -> dt.date | None:
    """The same day of the month `months` later, or None when that month is too
    short (the 31st in April: that month has no session). Past the calendar's
    last year it raises OverflowError; it never answers None for that, so a
    caller's loop cannot mistake the end of time for a short month."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise OverflowError(f"year {year} is out of range")
    if day.day > calendar.monthrange(year, month)[1]:
        return None
    return day.replace(year=year, month=month)


def _max_steps(count: int) -> int:
    """Calendar steps that always yield `count` sessions: weekdays need 7 steps per 5,
    a monthly run on the 29th–31st at most 2 per session (no two short months in a row)."""
    return 2 * count + 12


def schedule(
    first_start: dt.datetime, duration: dt.timedelta, repeat: str, count: int
) -> list[Slot]:
    """Session times of a single or recurring schedule, in local wall-clock time
    (a weekly 19:30 study stays at 19:30).

    Bounded whatever it is given: at most MAX_SESSIONS_PER_CALL sessions, times
    within EARLIEST_YEAR..LATEST_YEAR, the last start at most MAX_SCHEDULE_SPAN
    after the first, and a fixed number of calendar steps. A schedule that does
    not fit raises ScheduleError (which clean_schedule turns into a field error).
    """
    if repeat not in Repeat.values:
        raise ScheduleError("repeat", _("不支持的重复方式"))
    if repeat == Repeat.ONCE:
        count = 1
    if not 1 <= count <= MAX_SESSIONS_PER_CALL:
        raise ScheduleError("count", _("场次数应为 1～%(n)d") % {"n": MAX_SESSIONS_PER_CALL})
    if not dt.timedelta(0) < duration <= dt.timedelta(days=1):
        raise ScheduleError("duration_minutes", _("每场时长应为 1～1440 分钟"))
    if not in_year_range(first_start):
        raise ScheduleError("first_start", year_range_message())
    wall = timezone.localtime(first_start).replace(tzinfo=None)
    if not in_year_range(wall):
        raise ScheduleError("first_start", year_range_message())
    latest = min(wall + MAX_SCHEDULE_SPAN, dt.datetime(LATEST_YEAR, 12, 31, 23, 59))
    days: list[dt.datetime] = []
    for step in range(_max_steps(count)):
        if len(days) == count:
            break
        if repeat == Repeat.MONTHLY:
            day = _add_months(wall.date(), step)
            candidate = dt.datetime.combine(day, wall.time()) if day else None
        elif repeat == Repeat.WEEKLY:
            candidate = wall + dt.timedelta(weeks=step)
        else:  # once, daily, weekdays
            candidate = wall + dt.timedelta(days=step)
            if repeat == Repeat.WEEKDAYS and candidate.weekday() >= 5:
                candidate = None
        if candidate is not None and candidate > latest:
            break
        if candidate is not None:
            days.append(candidate)
    if len(days) < count:
        raise ScheduleError(
            "count",
            _(
                "这些场次超出了可安排的时间范围（首场到末场不超过 %(years)d 年，"
                "且不晚于 %(last)d 年），请减少场次数"
            )
            % {"years": MAX_SCHEDULE_YEARS, "last": LATEST_YEAR},
        )
    slots = []
    for start in days:
        aware = timezone.make_aware(start)
        slots.append(Slot(aware, aware + duration))
    return slots


def clean_schedule(raw: dict) -> Cleaned:
    """first_start, duration_minutes, repeat, count, capacity (optional), place (optional)."""
    out = Cleaned()
    out.values["first_start"] = parse_datetime(
        raw.get("first_start"), out, "first_start", required=True
    )
    minutes = parse_int(
        raw.get("duration_minutes"),
        out,
        "duration_minutes",
        minimum=1,
        maximum=24 * 60,
        required=True,
    )
    out.values["duration"] = dt.timedelta(minutes=minutes or 0)
    Cleaner(raw, out=out).choice("repeat", Repeat, label=label("repeat"), default=Repeat.ONCE)
    count = parse_int(
        raw.get("count") or 1, out, "count", minimum=1, maximum=MAX_SESSIONS_PER_CALL, required=True
    )
    if out.values.get("repeat") == Repeat.ONCE and count and count > 1:
        out.errors["count"] = _("不重复时只能添加 1 场")
    out.values["count"] = count or 1
    out.values["capacity"] = parse_int(
        raw.get("capacity"), out, "capacity", minimum=1, maximum=MAX_CAPACITY, required=False
    )
    optional_text(raw, "place", out, max_length=200)
    # Lay the sessions out now, so nothing is written for a schedule that won't fit.
    if not out.errors:
        try:
            out.values["slots"] = schedule(
                out.values["first_start"],
                out.values["duration"],
                out.values["repeat"],
                out.values["count"],
            )
        except ScheduleError as exc:
            out.errors[exc.field] = exc.message
    return out


# ------------------------------------------------------------------ programme


def clean_programme_item(raw: dict, *, partial: bool = False) -> Cleaned:
    """One item of a 节目单; 《》 typed around the title are dropped."""
    c = Cleaner(raw, partial=partial)
    if c.wanted("title"):
        c.text(
            "title", label=_("节目名称"), max_length=100, value=text(raw, "title").strip("《》 ")
        )
    for key, limit in (("genre", 40), ("performers", 200), ("note", 200)):
        c.text(key, label=label(key), max_length=limit, required=False)
    c.integer("duration_minutes", label=_("时长（分钟）"), low=1, high=600, required=False)
    return c.out


# ------------------------------------------------------------------ children


def mask_name(name: str) -> str:
    """张小明 → 张*明, 张三 → 张*, 欧阳娜娜 → 欧**娜."""
    if not name:
        return ""
    if len(name) == 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def age_on(birth: dt.date, day: dt.date) -> int:
    """Full years (周岁) on `day`."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def clean_child(raw: dict) -> Cleaned:
    """The child's name, birth date and optional 身份证号.

    Keys are `child_name`, `child_birth_date`, `child_id_number` so errors sit
    next to the phone form's fields. With an ID number the birth date is taken
    from it (and must agree with a birth date typed as well).
    """
    c = Cleaner(raw)
    c.text("child_name", label=label("child_name"), max_length=40)
    birth = c.day("child_birth_date", label=label("child_birth_date"), required=False)
    info = c.id_number("child_id_number", label=label("child_id_number"))
    c.values["child_id_number"] = info.number if info is not None else ""
    if info is not None:
        if birth is not None and birth != info.birth_date:
            c.error("child_birth_date", _("出生日期与身份证号中的出生日期不一致"))
        birth = info.birth_date
    if birth is None and "child_id_number" not in c.errors:
        c.error("child_birth_date", _("请填写子女的出生日期"))
    elif birth is not None and birth > dt.date.today():
        c.error("child_birth_date", _("出生日期不能晚于今天"))
    c.values["child_birth_date"] = birth
    return c.out


def child_identity_hash(name: str, birth: dt.date) -> str:
    return crypto.blind_index("child", f"{name}|{birth.isoformat()}")


def child_columns(name: str, birth: dt.date, id_number: str) -> dict:
    """Model columns of a child: ciphertext, blind indexes and masks only."""
    return {
        "name_cipher": crypto.encrypt(name),
        "name_masked": mask_name(name),
        "id_number_cipher": crypto.encrypt(id_number),
        "id_number_hash": crypto.blind_index("child-id", id_number),
        "id_number_masked": crypto.mask_id_number(id_number),
        "birth_date_cipher": crypto.encrypt(birth.isoformat()),
        "identity_hash": child_identity_hash(name, birth),
    }


def child_birth_date(child) -> dt.date:
    """Decrypted birth date, for the age check and the roster's age column only."""
    return dt.date.fromisoformat(crypto.decrypt(child.birth_date_cipher))


# ------------------------------------------------------------------- check-in


def checkin_token(session) -> str:
    """The signed payload of a session's check-in QR code (not guessable, not forgeable)."""
    return signing.dumps({"z": session.zone_id, "s": session.pk}, salt=CHECKIN_SALT)


def checkin_url(session, request=None) -> str:
    """The address a session's QR poster encodes: GAOXIN_PUBLIC_URL (what phones
    outside can reach) when set, else the address this request came in on."""
    from django.conf import settings
    from django.urls import reverse

    path = reverse("activities:checkin", args=[checkin_token(session)])
    public = getattr(settings, "GAOXIN_PUBLIC_URL", "")
    if public:
        return public.rstrip("/") + path
    return request.build_absolute_uri(path) if request is not None else path


def read_checkin_token(token: str) -> tuple[int, int] | None:
    """(zone id, session id), or None for a forged, damaged or foreign token."""
    try:
        data = signing.loads(str(token), salt=CHECKIN_SALT)
    except signing.BadSignature:
        return None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("z"), int)
        or not isinstance(data.get("s"), int)
    ):
        return None
    return data["z"], data["s"]


# ------------------------------------------------------------------ cancelling


def cancel_refusal(signup, at: dt.datetime | None = None) -> Conflict | None:
    """Why this active sign-up cannot be cancelled at `at` (now), or None.

    The one rule: services.signup_cancel raises it, the phone page offers the
    button and the API says `cancellable` only when it is None. Reads the
    sign-up's activity and session (select them with it).
    """
    if signup.status == SignUpStatus.CANCELLED:
        return Conflict(_("该报名已取消"), code="already_cancelled")
    activity = signup.activity
    if activity.status != ActivityStatus.PUBLISHED:
        return Conflict(
            _("活动%(status)s，不能再取消报名")
            % {"status": str(ActivityStatus(activity.status).label)},
            code="activity_not_open",
        )
    if signup.status == SignUpStatus.ATTENDED:
        return Conflict(_("已签到的报名不能取消"), code="already_attended")
    session = signup.session
    if session is not None and session.starts_at <= (at or timezone.now()):
        return Conflict(_("该场次已开始，不能取消报名"), code="session_started")
    return None
