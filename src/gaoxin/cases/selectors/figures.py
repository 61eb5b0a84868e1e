"""Figures computed from records, for the zone dashboard (the reports issue) and the
cases pages. Each rate carries its definition, shown next to it wherever it is shown
(Beijing 12345 "接诉即办": 响应率, 解决率, 满意率)."""

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.cases.enums import SATISFIED, AidStatus, CaseStatus, DemandStatus
from gaoxin.cases.models import AidApplication, Demand, HardshipCase
from gaoxin.core.numbers import cn_yuan_approx

RESPONSE_DAYS = 2  # a demand is "responded to" when someone acts on it within two days

DEFINITIONS = {
    "response_rate": gettext_lazy(
        "响应率 = 受理后 2 天内有办理记录（首次响应）的诉求数 ÷ 受理的诉求数"
    ),
    "resolution_rate": gettext_lazy("解决率 = 已办结的诉求数 ÷ 受理的诉求数"),
    "satisfaction_rate": gettext_lazy(
        "满意率 = 评价为“满意”或“基本满意”的诉求数 ÷ 已评价的诉求数（按最近一次评价）"
    ),
    "median_days": gettext_lazy("办结天数中位数 = 已办结诉求从受理到办结所用天数的中位数"),
}


def _pct(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


@dataclass
class MeetingFigures:
    meeting_id: int
    title: str
    held_on: dt.date
    raised: int
    resolved: int


@dataclass
class Figures:
    raised: int = 0
    responded: int = 0
    resolved: int = 0
    rated: int = 0
    satisfied: int = 0
    overdue: int = 0
    median_days: float | None = None
    aid_paid_fen: int = 0
    aid_paid_count: int = 0
    per_meeting: list[MeetingFigures] = field(default_factory=list)
    per_half_year: list[tuple[str, int, int]] = field(default_factory=list)
    cases: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def response_rate(self):
        return _pct(self.responded, self.raised)

    @property
    def resolution_rate(self):
        return _pct(self.resolved, self.raised)

    @property
    def satisfaction_rate(self):
        return _pct(self.satisfied, self.rated)

    @property
    def aid_paid_text(self) -> str:
        return _("累计发放帮扶救助金 %(money)s") % {"money": cn_yuan_approx(self.aid_paid_fen)}

    definitions = DEFINITIONS


def _half(day: dt.date) -> str:
    return _("%(y)d 年%(h)s") % {"y": day.year, "h": _("上半年") if day.month <= 6 else _("下半年")}


def cases_by_type_and_outcome(*, zone_id: int) -> list[tuple[str, str, int]]:
    rows = (
        HardshipCase.objects.filter(zone_id=zone_id)
        .values("case_type__name", "status", "outcome")
        .annotate(n=Count("id"))
        .order_by("case_type__name", "status", "outcome")
    )
    labels = dict(CaseStatus.choices)
    from gaoxin.cases.enums import CaseOutcome

    outcomes = dict(CaseOutcome.choices)
    return [
        (
            r["case_type__name"],
            str(outcomes.get(r["outcome"], labels.get(r["status"])))
            if r["outcome"]
            else str(labels[r["status"]]),
            r["n"],
        )
        for r in rows
    ]


def zone_figures(
    *, zone_id: int, since: dt.date | None = None, until: dt.date | None = None
) -> Figures:
    """Demands raised in [since, until) (local days) and what became of them; cases by
    type and outcome; aid paid (all time)."""
    qs = Demand.objects.filter(zone_id=zone_id)
    tz = timezone.get_current_timezone()
    if since:
        qs = qs.filter(raised_at__gte=dt.datetime.combine(since, dt.time.min, tzinfo=tz))
    if until:
        qs = qs.filter(raised_at__lt=dt.datetime.combine(until, dt.time.min, tzinfo=tz))
    rows = list(
        qs.values_list(
            "raised_at",
            "responded_at",
            "resolved_at",
            "status",
            "satisfaction",
            "due_on",
            "meeting_id",
            "meeting__title",
            "meeting__held_on",
        )
    )
    today = timezone.localdate()
    figures = Figures(raised=len(rows))
    days = []
    meetings: dict[int, MeetingFigures] = {}
    halves: dict[str, list[int]] = {}
    for raised, responded, resolved_at, status, satisfaction, due_on, m_id, m_title, m_day in rows:
        done = status == DemandStatus.RESOLVED
        if responded and responded - raised <= dt.timedelta(days=RESPONSE_DAYS):
            figures.responded += 1
        if done:
            figures.resolved += 1
            days.append(max((resolved_at - raised).days, 0))
        elif due_on < today:
            figures.overdue += 1
        if satisfaction:
            figures.rated += 1
            figures.satisfied += satisfaction in SATISFIED
        if m_id:
            m = meetings.setdefault(m_id, MeetingFigures(m_id, m_title, m_day, 0, 0))
            m.raised += 1
            m.resolved += done
        half = halves.setdefault(_half(timezone.localtime(raised, tz).date()), [0, 0])
        half[0] += 1
        half[1] += done
    figures.median_days = statistics.median(days) if days else None
    figures.per_meeting = sorted(meetings.values(), key=lambda m: m.held_on)
    figures.per_half_year = [(k, v[0], v[1]) for k, v in sorted(halves.items())]
    paid = AidApplication.objects.filter(zone_id=zone_id, status=AidStatus.PAID).aggregate(
        fen=Sum("amount_fen"), n=Count("id")
    )
    figures.aid_paid_fen, figures.aid_paid_count = paid["fen"] or 0, paid["n"]
    figures.cases = cases_by_type_and_outcome(zone_id=zone_id)
    return figures
