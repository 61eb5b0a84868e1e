"""Opening hours: 24 hours, or per-weekday intervals (which may pass midnight),
plus dated closures for holidays. Evaluated in the zone's local time."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from gaoxin.core.errors import InvalidInput
from gaoxin.stations.enums import WEEKDAY_LABELS, WEEKDAYS

LOCAL = ZoneInfo("Asia/Shanghai")
# A day has a few opening intervals; the nearest search evaluates them for every
# candidate station, so their number is capped like any other input.
MAX_RANGES_PER_DAY = 6
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–~～至]\s*(\d{1,2}):(\d{2})\s*$")


def _minutes(h: str, m: str) -> int:
    return int(h) * 60 + int(m)


def parse_ranges(text: str) -> list[list[int]]:
    """ "08:00-12:00, 14:00-22:00" → [[480, 720], [840, 1320]]; "" → closed that day.
    An end before the start passes midnight ("20:00-02:00")."""
    ranges = []
    parts = [part for part in re.split(r"[,，;；、]", text or "") if part.strip()]
    if len(parts) > MAX_RANGES_PER_DAY:
        raise InvalidInput({"hours": _("每天最多 %(n)d 个营业时段") % {"n": MAX_RANGES_PER_DAY}})
    for part in parts:
        m = _RANGE.match(part)
        if not m:
            raise InvalidInput(
                {"hours": _("营业时间“%(part)s”格式应为 08:00-20:00") % {"part": part.strip()}}
            )
        start, end = _minutes(m[1], m[2]), _minutes(m[3], m[4])
        if start >= 24 * 60 or end > 24 * 60 or int(m[2]) > 59 or int(m[4]) > 59:
            raise InvalidInput(
                {"hours": _("营业时间“%(part)s”中的时刻无效") % {"part": part.strip()}}
            )
        if start == end:
            raise InvalidInput(
                {"hours": _("营业时间“%(part)s”开始和结束相同") % {"part": part.strip()}}
            )
        ranges.append([start, end])
    return ranges


def parse_week(spec: dict[str, str] | str) -> dict[str, list[list[int]]]:
    """Either one string for every day or {"mon": "...", ...}; missing days are closed."""
    if isinstance(spec, str):
        spec = {day: spec for day in WEEKDAYS}
    unknown = set(spec) - set(WEEKDAYS)
    if unknown:
        raise InvalidInput(
            {"hours": _("未知的星期：%(days)s") % {"days": "、".join(sorted(unknown))}}
        )
    return {day: parse_ranges(spec.get(day, "")) for day in WEEKDAYS}


def _fmt(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def describe(is_24h: bool, week: dict) -> str:
    """Human summary: "24 小时" or "每天 08:00-20:00" or per-day lines."""
    if is_24h:
        return _("24 小时")
    texts = {
        day: "、".join(f"{_fmt(a)}-{_fmt(b)}" for a, b in week.get(day, [])) for day in WEEKDAYS
    }
    if len(set(texts.values())) == 1:
        value = texts["mon"]
        return _("每天 %(t)s") % {"t": value} if value else _("暂无开放时间")
    return "；".join(f"{WEEKDAY_LABELS[d]} {texts[d] or _('休息')}" for d in WEEKDAYS)


def is_open_at(
    *, is_24h: bool, week: dict, closures: list[tuple[dt.date, dt.date]], at: dt.datetime
) -> bool:
    local = at.astimezone(LOCAL)
    today = local.date()
    if any(start <= today <= end for start, end in closures):
        return False
    if is_24h:
        return True
    now = local.hour * 60 + local.minute
    day = WEEKDAYS[local.weekday()]
    for start, end in week.get(day, []):
        if start < end and start <= now < end:
            return True
        if start > end and now >= start:  # passes midnight, evening part
            return True
    yesterday = WEEKDAYS[(local.weekday() - 1) % 7]
    closed_yesterday = any(s <= today - dt.timedelta(days=1) <= e for s, e in closures)
    # the early-morning part of a range that started yesterday evening
    return not closed_yesterday and any(
        start > end and now < end for start, end in week.get(yesterday, [])
    )


# What the database can test for "open now" (Station.open_mon … open_sun), so the
# nearest search filters before paging instead of reading rows it then drops.
SLOT_MINUTES = 30
SLOTS_PER_DAY = 24 * 60 // SLOT_MINUTES  # 48 bits: fits a BIGINT on SQLite and PostgreSQL
ALL_SLOTS = (1 << SLOTS_PER_DAY) - 1


def _slot_bits(start: int, end: int) -> int:
    """Bits of the slots that the minutes [start, end) of a day touch."""
    if start >= end:
        return 0
    first, last = start // SLOT_MINUTES, (end - 1) // SLOT_MINUTES
    return (1 << (last + 1)) - (1 << first)


def open_slots(*, is_24h: bool, week: dict) -> list[int]:
    """Per weekday (Monday first), a bit per half-hour slot in which is_open_at can be
    true, closures aside. A superset: a slot that is open for part of its half hour
    is set, so the database may return a station that is_open_at then turns down,
    but never drops one that is open. A range past midnight sets the evening of its
    day and the early morning of the next (Sunday's goes to Monday)."""
    if is_24h:
        return [ALL_SLOTS] * len(WEEKDAYS)
    masks = [0] * len(WEEKDAYS)
    for i, day in enumerate(WEEKDAYS):
        for start, end in (week or {}).get(day, []):
            if start < end:
                masks[i] |= _slot_bits(start, end)
            elif start > end:
                masks[i] |= _slot_bits(start, 24 * 60)
                masks[(i + 1) % len(WEEKDAYS)] |= _slot_bits(0, end)
    return masks


def slot_at(at: dt.datetime) -> tuple[int, int]:
    """(weekday, slot) of an instant in local time: which bit of which open_* column to test."""
    local = at.astimezone(LOCAL)
    return local.weekday(), (local.hour * 60 + local.minute) // SLOT_MINUTES
