"""Activity figures computed from the records: totals by zone and month, list counts."""

import datetime as dt

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from gaoxin.activities.enums import (
    CARING_KINDS,
    THREE_ONES,
    ActivityKind,
    ActivityStatus,
    SignUpStatus,
)
from gaoxin.activities.models import Activity, Attendance, Session, SignUp
from gaoxin.core.models import Zone
from gaoxin.core.references import reference_name

HELD = (ActivityStatus.PUBLISHED, ActivityStatus.CLOSED)


def _period(since: dt.datetime | dt.date | None, until: dt.datetime | dt.date | None):
    def aware(value):
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time.min)
        return timezone.make_aware(value) if timezone.is_naive(value) else value

    return aware(since), aware(until)


def _held_sessions(since, until, now, zone_ids=None) -> QuerySet[Session]:
    """Sessions that took place: published (or since closed), started by now,
    and not after the activity was closed early. Cancelled activities never count."""
    qs = Session.objects.filter(activity__status__in=HELD, starts_at__lte=now).filter(
        Q(activity__ended_at__isnull=True) | Q(starts_at__lte=F("activity__ended_at"))
    )
    if zone_ids is not None:
        qs = qs.filter(zone_id__in=zone_ids)
    if since is not None:
        qs = qs.filter(starts_at__gte=since)
    if until is not None:
        qs = qs.filter(starts_at__lt=until)
    return qs


def _empty_totals(zone_id: int, since, until) -> dict:
    kinds = {kind.value: 0 for kind in ActivityKind}
    return {
        "zone_id": zone_id,
        "since": since,
        "until": until,
        "events": dict(kinds),
        "events_total": 0,
        "caring_events": 0,
        "sessions": dict(kinds),
        "sessions_total": 0,
        "signups": 0,
        "attendance": dict(kinds),
        "attendance_total": 0,
        "participants": 0,
    }


def activities_totals_by_zone(
    since: dt.datetime | dt.date | None = None,
    until: dt.datetime | dt.date | None = None,
    *,
    zones=None,
    now: dt.datetime | None = None,
) -> dict[int, dict]:
    """activities_zone_totals for many zones at once, in a fixed number of queries.

    `since` is inclusive and `until` exclusive; dates mean midnight, local time.
    """
    since, until = _period(since, until)
    now = now or timezone.now()
    zone_ids = None if zones is None else [z.pk if isinstance(z, Zone) else int(z) for z in zones]
    ids = zone_ids if zone_ids is not None else list(Zone.objects.values_list("pk", flat=True))
    totals = {zone_id: _empty_totals(zone_id, since, until) for zone_id in ids}
    held = _held_sessions(since, until, now, zone_ids)
    for row in held.values("zone_id", "activity__kind").annotate(
        sessions=Count("id"), events=Count("activity_id", distinct=True)
    ):
        entry = totals.setdefault(row["zone_id"], _empty_totals(row["zone_id"], since, until))
        entry["sessions"][row["activity__kind"]] = row["sessions"]
        entry["events"][row["activity__kind"]] = row["events"]
    attendance = Attendance.objects.filter(session__in=held)
    for row in attendance.values("zone_id", "activity__kind").annotate(n=Count("id")):
        totals[row["zone_id"]]["attendance"][row["activity__kind"]] = row["n"]
    for row in attendance.values("zone_id").annotate(people=Count("person_id", distinct=True)):
        totals[row["zone_id"]]["participants"] = row["people"]
    signups = SignUp.objects.exclude(status=SignUpStatus.CANCELLED)
    if zone_ids is not None:
        signups = signups.filter(zone_id__in=zone_ids)
    if since is not None:
        signups = signups.filter(signed_up_at__gte=since)
    if until is not None:
        signups = signups.filter(signed_up_at__lt=until)
    for row in signups.values("zone_id").annotate(n=Count("id")):
        totals[row["zone_id"]]["signups"] = row["n"]
    for entry in totals.values():
        entry["events_total"] = sum(entry["events"].values())
        entry["sessions_total"] = sum(entry["sessions"].values())
        entry["attendance_total"] = sum(entry["attendance"].values())
        entry["caring_events"] = sum(entry["events"][k] for k in CARING_KINDS)
    return totals


def activities_zone_totals(
    zone: Zone | int,
    since: dt.datetime | dt.date | None = None,
    until: dt.datetime | dt.date | None = None,
    *,
    now: dt.datetime | None = None,
) -> dict:
    """One zone's activity figures for the dashboard, computed from the records.

    Returns `events` (activities held, by kind), `events_total`,
    `caring_events` (托管班 + 体检理疗 + 关爱慰问: the seed's "关爱慰问活动 10 余场次"),
    `sessions` (by kind) and `sessions_total`, `signups` (made in the period,
    not cancelled), `attendance` (check-ins at held sessions, by kind; 人次)
    with `attendance_total`, and `participants` (distinct people who attended).
    """
    zone_id = zone.pk if isinstance(zone, Zone) else int(zone)
    return activities_totals_by_zone(since, until, zones=[zone_id], now=now)[zone_id]


MAX_MONTHS = 240


def activities_monthly(
    zone: Zone | int, since: dt.date, until: dt.date, *, now: dt.datetime | None = None
) -> list[dict]:
    """Per calendar month between `since` and `until`: {month: date, **totals}.

    A fixed number of queries per month, so at most MAX_MONTHS months (ValueError beyond)."""
    months = []
    cursor = dt.date(since.year, since.month, 1)
    if (until.year - cursor.year) * 12 + until.month - cursor.month > MAX_MONTHS:
        raise ValueError(f"at most {MAX_MONTHS} months")
    while cursor < until:
        nxt = dt.date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
        months.append((cursor, min(nxt, until)))
        cursor = nxt
    return [
        {"month": start, **activities_zone_totals(zone, max(start, since), end, now=now)}
        for start, end in months
    ]


def _count_of(model, **filters):
    rows = model.objects.filter(zone_id=OuterRef("zone_id"), activity=OuterRef("pk"), **filters)
    rows = rows.order_by().values("activity")
    return Coalesce(Subquery(rows.annotate(n=Count("id")).values("n")[:1]), 0)


def with_figures(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    """Adds session_count, signup_count (not cancelled) and attendance_count as
    subqueries, so a list of any length costs one query."""
    return qs.annotate(
        session_count=_count_of(Session),
        signup_count=Coalesce(
            Subquery(
                SignUp.objects.filter(zone_id=OuterRef("zone_id"), activity=OuterRef("pk"))
                .exclude(status=SignUpStatus.CANCELLED)
                .order_by()
                .values("activity")
                .annotate(n=Count("id"))
                .values("n")[:1]
            ),
            0,
        ),
        attendance_count=_count_of(Attendance),
    )


def party_org_counts(zone_id: int, since=None, until=None) -> list[dict]:
    """Activities held by party organisations (the "三个一" of a branch and any other
    kind), per organisation and kind: how many activities had a session in the period
    and how many sessions were held. The organisation's name comes through the declared
    reference "party.partyorg"."""
    since, until = _period(since, until)
    sessions = _held_sessions(since, until, timezone.now(), zone_ids=[zone_id]).filter(
        activity__party_org_id__isnull=False
    )
    rows = (
        sessions.values("activity__party_org_id", "activity__kind")
        .annotate(activities=Count("activity_id", distinct=True), sessions=Count("id"))
        .order_by("activity__party_org_id", "activity__kind")
    )
    names: dict[int, str | None] = {}
    out = []
    for row in rows:
        org_id = row["activity__party_org_id"]
        if org_id not in names:
            names[org_id] = reference_name("party.partyorg", zone_id=zone_id, record_id=org_id)
        out.append(
            {
                "party_org_id": org_id,
                "party_org_name": names[org_id] or "",
                "kind": row["activity__kind"],
                "kind_label": str(ActivityKind(row["activity__kind"]).label),
                "three_ones": row["activity__kind"] in THREE_ONES,
                "activities": row["activities"],
                "sessions": row["sessions"],
            }
        )
    return out
