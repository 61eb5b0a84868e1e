"""Pure rules of the activities program: cleaning input, ages, schedules, QR tokens.

Nothing here writes; services, forms, the API and the demo share these so a
bad value gets the same Chinese message wherever it is typed.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
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
from gaoxin.core.domain import (
    Cleaned,
    _choice,  # one rule for choices: by code or by label
    day_in_range,
    day_range_message,
    parse_bool,
)
from gaoxin.core.errors import Conflict
from gaoxin.core.validators import normalize_id_number, validate_id_number

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


def text(raw: dict, key: str) -> str:
    value = raw.get(key)
    return "" if value is None else str(value).strip()


def required_text(raw: dict, key: str, out: Cleaned, *, label: str, max_length: int) -> None:
    value = text(raw, key)
    if not value:
        out.errors[key] = _("请填写%(label)s") % {"label": label}
    elif len(value) > max_length:
        out.errors[key] = _("%(label)s不能超过 %(n)d 个字") % {"label": label, "n": max_length}
    out.values[key] = value


def optional_text(raw: dict, key: str, out: Cleaned, *, max_length: int) -> None:
    value = text(raw, key)
    if len(value) > max_length:
        out.errors[key] = _("不能超过 %(n)d 个字") % {"n": max_length}
    out.values[key] = value


def parse_int(value, out: Cleaned, key: str, *, minimum: int, maximum: int, required: bool):
    """An integer within bounds; None when optional and empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            out.errors[key] = _("必填")
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        out.errors[key] = _("应为整数")
        return None
    if number < minimum:
        out.errors[key] = _("不能小于 %(n)d") % {"n": minimum}
    elif number > maximum:
        out.errors[key] = _("不能大于 %(n)d") % {"n": maximum}
    return number


def parse_datetime(value, out: Cleaned, key: str, *, required: bool) -> dt.datetime | None:
    """ISO text ("2024-07-15T08:30", what <input type=datetime-local> sends) or a datetime.

    A time without a zone is the zone's local time (Asia/Shanghai).
    """
    if value is None or value == "":
        if required:
            out.errors[key] = _("必填")
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        try:
            parsed = dt.datetime.fromisoformat(str(value).strip().replace(" ", "T", 1))
        except ValueError:
            out.errors[key] = _("时间格式应为 YYYY-MM-DD HH:MM")
            return None
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:  # before any zone arithmetic
        out.errors[key] = year_range_message()
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    elif not EARLIEST_YEAR <= timezone.localtime(parsed).year <= LATEST_YEAR:
        out.errors[key] = year_range_message()
        return None
    return parsed


def year_range_message() -> str:
    return _("时间应在 %(first)d 年至 %(last)d 年之间") % {
        "first": EARLIEST_YEAR,
        "last": LATEST_YEAR,
    }


def in_year_range(moment: dt.datetime | dt.date) -> bool:
    return EARLIEST_YEAR <= moment.year <= LATEST_YEAR


def parse_date(value, out: Cleaned, key: str, *, required: bool) -> dt.date | None:
    if value is None or value == "":
        if required:
            out.errors[key] = _("必填")
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{4})(\d{2})(\d{2})", text)
    if not match:
        out.errors[key] = _("日期格式应为 YYYY-MM-DD")
        return None
    parts = [int(p) for p in match.groups() if p is not None]
    try:
        day = dt.date(*parts)
    except ValueError:
        out.errors[key] = _("日期无效")
        return None
    if not day_in_range(day):
        out.errors[key] = day_range_message()
        return None
    return day


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

ACTIVITY_FIELDS = ("title", "kind", "description", "organiser", "partners", "place", "station_id",
                   "signup_mode", "audience", "min_age", "max_age", "eligibility_note",
                   "capacity", "waitlist", "signup_deadline")  # fmt: skip


def clean_activity(raw: dict, *, partial: bool = False) -> Cleaned:
    """Clean activity input; with partial=True only the keys present are checked."""
    out = Cleaned()

    def wanted(key: str) -> bool:
        return not partial or key in raw

    if wanted("title"):
        required_text(raw, "title", out, label=_("活动名称"), max_length=100)
    if wanted("kind"):
        _choice(raw, "kind", ActivityKind, out)
    if wanted("description"):
        optional_text(raw, "description", out, max_length=5000)
    if wanted("organiser"):
        required_text(raw, "organiser", out, label=_("主办单位"), max_length=100)
    if wanted("partners"):
        partners = parse_partners(raw.get("partners"))
        if any(len(p) > 100 for p in partners):
            out.errors["partners"] = _("每个协办单位名称不能超过 100 个字")
        elif len(partners) > 20:
            out.errors["partners"] = _("协办单位最多 20 个")
        out.values["partners"] = partners
    if wanted("place"):
        required_text(raw, "place", out, label=_("活动地点"), max_length=200)
    if wanted("station_id"):
        out.values["station_id"] = parse_int(
            raw.get("station_id"), out, "station_id", minimum=1, maximum=2**63 - 1, required=False
        )
    if wanted("signup_mode"):
        _choice(raw, "signup_mode", SignupMode, out, default=SignupMode.SERIES)
    if wanted("audience"):
        _choice(raw, "audience", Audience, out, default=Audience.OPEN)
    for key in ("min_age", "max_age"):
        if wanted(key):
            out.values[key] = parse_int(
                raw.get(key), out, key, minimum=0, maximum=MAX_AGE, required=False
            )
    low, high = out.values.get("min_age"), out.values.get("max_age")
    if low is not None and high is not None and low > high and "max_age" not in out.errors:
        out.errors["max_age"] = _("最大年龄不能小于最小年龄")
    if wanted("eligibility_note"):
        optional_text(raw, "eligibility_note", out, max_length=200)
    if wanted("capacity"):
        out.values["capacity"] = parse_int(
            raw.get("capacity"), out, "capacity", minimum=1, maximum=MAX_CAPACITY, required=True
        )
    if wanted("waitlist"):
        value = raw.get("waitlist", True)
        out.values["waitlist"] = parse_bool(value, out, "waitlist")
    if wanted("signup_deadline"):
        out.values["signup_deadline"] = parse_datetime(
            raw.get("signup_deadline"), out, "signup_deadline", required=False
        )
    no_ages = out.values.get("min_age") is None and out.values.get("max_age") is None
    if not partial and out.values.get("audience") == Audience.CHILDREN and no_ages:
        out.errors.setdefault("min_age", _("面向子女的活动请填写年龄范围（如 6–14 周岁）"))
    return out


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
            _("这些场次超出了可安排的时间范围（首场到末场不超过 %(years)d 年，"
              "且不晚于 %(last)d 年），请减少场次数") % {"years": MAX_SCHEDULE_YEARS, "last": LATEST_YEAR},
        )  # fmt: skip
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
    minutes = parse_int(raw.get("duration_minutes"), out, "duration_minutes", minimum=1,
                        maximum=24 * 60, required=True)  # fmt: skip
    out.values["duration"] = dt.timedelta(minutes=minutes or 0)
    _choice(raw, "repeat", Repeat, out, default=Repeat.ONCE)
    count = parse_int(raw.get("count") or 1, out, "count", minimum=1,
                      maximum=MAX_SESSIONS_PER_CALL, required=True)  # fmt: skip
    if out.values.get("repeat") == Repeat.ONCE and count and count > 1:
        out.errors["count"] = _("不重复时只能添加 1 场")
    out.values["count"] = count or 1
    out.values["capacity"] = parse_int(raw.get("capacity"), out, "capacity", minimum=1,
                                       maximum=MAX_CAPACITY, required=False)  # fmt: skip
    optional_text(raw, "place", out, max_length=200)
    # Lay the sessions out now, so nothing is written for a schedule that won't fit.
    if not out.errors:
        try:
            out.values["slots"] = schedule(out.values["first_start"], out.values["duration"],
                                           out.values["repeat"], out.values["count"])  # fmt: skip
        except ScheduleError as exc:
            out.errors[exc.field] = exc.message
    return out


# ------------------------------------------------------------------ programme


def clean_programme_item(raw: dict, *, partial: bool = False) -> Cleaned:
    """One item of a 节目单; 《》 typed around the title are dropped."""
    out = Cleaned()
    if not partial or "title" in raw:
        title = text(raw, "title").strip("《》 ")
        required_text({"title": title}, "title", out, label=_("节目名称"), max_length=100)
    for key, limit in (("genre", 40), ("performers", 200), ("note", 200)):
        if not partial or key in raw:
            optional_text(raw, key, out, max_length=limit)
    if not partial or "duration_minutes" in raw:
        out.values["duration_minutes"] = parse_int(
            raw.get("duration_minutes"), out, "duration_minutes", minimum=1, maximum=600,
            required=False,
        )  # fmt: skip
    return out


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
    out = Cleaned()
    required_text(raw, "child_name", out, label=_("子女姓名"), max_length=40)
    birth = parse_date(raw.get("child_birth_date"), out, "child_birth_date", required=False)
    number = normalize_id_number(text(raw, "child_id_number"))
    out.values["child_id_number"] = ""
    if number:
        try:
            info = validate_id_number(number)
        except ValidationError as exc:
            out.errors["child_id_number"] = "；".join(str(m) for m in exc.messages)
        else:
            out.values["child_id_number"] = info.number
            if birth is not None and birth != info.birth_date:
                out.errors["child_birth_date"] = _("出生日期与身份证号中的出生日期不一致")
            birth = info.birth_date
    if birth is None and not number and "child_birth_date" not in out.errors:
        out.errors["child_birth_date"] = _("请填写子女的出生日期")
    elif birth is not None and birth > dt.date.today():
        out.errors["child_birth_date"] = _("出生日期不能晚于今天")
    out.values["child_birth_date"] = birth
    return out


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
