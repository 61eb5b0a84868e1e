"""Reads of the activities program, restricted to what the user may see.

Officers (view permission) see every activity of their zone; workers see
published and finished activities of their zone and only their own
sign-ups. Outside one's zone everything is "not found".

Statistics are computed from the records: a session is *held* when its
activity was published (or has since closed), its start time has passed and
the activity was not closed before it;
an *event* is an activity with at least one held session in the period.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.activities import domain
from gaoxin.activities.enums import (
    ACTIVE,
    ACTIVITY_TRANSITIONS,
    CARING_KINDS,
    SEATED,
    ActivityKind,
    ActivityStatus,
    Audience,
    SignUpStatus,
)
from gaoxin.activities.models import (
    Activity,
    Attendance,
    Child,
    ProgrammeItem,
    Session,
    SignUp,
)
from gaoxin.core.enums import PersonRole
from gaoxin.core.errors import ApplicationError, NotFound
from gaoxin.core.models import User, Zone
from gaoxin.core.rules import require_perm, restrict_to_zone
from gaoxin.registry.models import Person

VISIBLE_TO_PUBLIC = (ActivityStatus.PUBLISHED, ActivityStatus.CLOSED)
HELD = (ActivityStatus.PUBLISHED, ActivityStatus.CLOSED)


def can_manage(user: User) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("activities.view_activity"))


# ------------------------------------------------------------------ activities


def activities_for_user(
    *,
    user: User,
    zone_id: int | None = None,
    status: str = "",
    kind: str = "",
    q: str = "",
) -> QuerySet[Activity]:
    """Officers: every activity of their zone. Others: published and finished ones."""
    qs = restrict_to_zone(Activity.objects.select_related("zone"), user)
    if not can_manage(user):
        qs = qs.filter(status__in=VISIBLE_TO_PUBLIC)
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(organiser__icontains=q) | Q(place__icontains=q))
    return qs.order_by("-starts_at", "-id")


def activity_get(*, user: User, activity_id: int) -> Activity:
    activity = activities_for_user(user=user).filter(pk=activity_id).first()
    if activity is None:
        raise NotFound()
    return activity


def activity_get_for_manager(*, user: User, activity_id: int) -> Activity:
    """Not found outside the zone, forbidden without the officer's view permission."""
    activity = (
        restrict_to_zone(Activity.objects.select_related("zone"), user)
        .filter(pk=activity_id)
        .first()
    )
    if activity is None:
        raise NotFound()
    require_perm(user, "activities.view_activity")
    return activity


def allowed_verbs(*, user: User, activity: Activity) -> list[tuple[str, str]]:
    """(verb, label) of the transitions this user may apply now, for buttons."""
    return [
        (verb, str(t.label))
        for verb, t in ACTIVITY_TRANSITIONS.items()
        if activity.status in t.sources and user.has_perm(t.perm)
    ]


def sessions_of(activity: Activity) -> QuerySet[Session]:
    return Session.objects.filter(zone_id=activity.zone_id, activity_id=activity.pk).order_by(
        "starts_at", "seq"
    )


def session_get(*, activity: Activity, session_id: int) -> Session:
    session = sessions_of(activity).select_related("activity").filter(pk=session_id).first()
    if session is None:
        raise NotFound()
    return session


def programme_of(activity: Activity) -> QuerySet[ProgrammeItem]:
    return ProgrammeItem.objects.filter(zone_id=activity.zone_id, activity_id=activity.pk).order_by(
        "position", "id"
    )


def programme_item_get(*, activity: Activity, item_id: int) -> ProgrammeItem:
    item = programme_of(activity).select_related("activity").filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    return item


def open_sessions(activity: Activity, now: dt.datetime | None = None) -> list[Session]:
    """Sessions one can still sign up for (per-session activities)."""
    now = now or timezone.now()
    return list(sessions_of(activity).filter(starts_at__gt=now))


def signup_open(activity: Activity, now: dt.datetime | None = None) -> bool:
    """Whether sign-up is possible at all right now (the service re-checks)."""
    now = now or timezone.now()
    if activity.status != ActivityStatus.PUBLISHED:
        return False
    if activity.signup_deadline and now > activity.signup_deadline:
        return False
    return sessions_of(activity).filter(starts_at__gt=now).exists()


def activities_open_for_person(*, user: User, now: dt.datetime | None = None) -> QuerySet[Activity]:
    """What a worker can still join: published, in their zone, a session ahead,
    before the deadline. Future sessions come prefetched for per-session activities."""
    now = now or timezone.now()
    future = Session.objects.filter(starts_at__gt=now).order_by("starts_at", "seq")
    qs = (
        restrict_to_zone(Activity.objects.all(), user)
        .filter(status=ActivityStatus.PUBLISHED)
        .filter(Q(signup_deadline__isnull=True) | Q(signup_deadline__gte=now))
        .filter(pk__in=Session.objects.filter(starts_at__gt=now).values("activity_id"))
        .prefetch_related(Prefetch("sessions", queryset=future, to_attr="future_sessions"))
        .order_by("starts_at", "id")
    )
    person = user.person if user.person_id else None
    if person is not None and person.role != PersonRole.WORKER:
        qs = qs.exclude(audience=Audience.WORKERS)
    return qs


# ------------------------------------------------------------------ sign-ups


def _signups_base() -> QuerySet[SignUp]:
    return SignUp.objects.select_related("person", "child", "session", "activity")


def signups_for_user(
    *,
    user: User,
    activity_id: int | None = None,
    status: str = "",
    mine: bool = False,
) -> QuerySet[SignUp]:
    """Officers: the zone's sign-ups. Everyone else (or `mine`): their own."""
    qs = restrict_to_zone(_signups_base(), user)
    if mine or not user.has_perm("activities.view_signup"):
        if user.person_id is None:
            return qs.none()
        qs = qs.filter(person_id=user.person_id)
    if activity_id:
        qs = qs.filter(activity_id=activity_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-signed_up_at", "-id")


def signup_get(*, user: User, signup_id: int) -> SignUp:
    signup = signups_for_user(user=user).filter(pk=signup_id).first()
    if signup is None:
        raise NotFound()
    return signup


def signups_of_activity(*, user: User, activity: Activity, status: str = "") -> QuerySet[SignUp]:
    """An activity's sign-ups in waiting-list order, for its officers."""
    require_perm(user, "activities.view_signup")
    qs = _signups_base().filter(zone_id=activity.zone_id, activity_id=activity.pk)
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(attended_sessions=Count("attendances")).order_by("signed_up_at", "id")


def my_signups(*, user: User) -> QuerySet[SignUp]:
    """A worker's own sign-ups, newest first, with what the phone list shows."""
    if user.person_id is None:
        return SignUp.objects.none()
    return (
        restrict_to_zone(_signups_base(), user)
        .filter(person_id=user.person_id)
        .select_related("activity__zone")
        .order_by(
            # active first, then by the activity's date
            "-signed_up_at",
            "-id",
        )
    )


def my_active_signups(*, user: User, activity: Activity) -> list[SignUp]:
    if user.person_id is None:
        return []
    return list(
        _signups_base()
        .filter(zone_id=activity.zone_id, activity_id=activity.pk, person_id=user.person_id)
        .filter(status__in=ACTIVE)
    )


def my_children(*, user: User) -> QuerySet[Child]:
    if user.person_id is None:
        return Child.objects.none()
    return restrict_to_zone(Child.objects.all(), user).filter(guardian_id=user.person_id)


def waitlist_position(signup: SignUp) -> int | None:
    """1 for the next in line; None when not waiting."""
    if signup.status != SignUpStatus.WAITLISTED:
        return None
    qs = SignUp.objects.filter(
        zone_id=signup.zone_id, activity_id=signup.activity_id, status=SignUpStatus.WAITLISTED
    )
    qs = (
        qs.filter(session_id=signup.session_id)
        if signup.session_id
        else qs.filter(session__isnull=True)
    )
    earlier = Q(signed_up_at__lt=signup.signed_up_at) | Q(
        signed_up_at=signup.signed_up_at, pk__lt=signup.pk
    )
    return qs.filter(earlier).count() + 1


def child_ages(signups, day: dt.date | None = None) -> dict[int, int]:
    """Child id → age (周岁) on the activity's start day, for rosters; decrypts birth dates only."""
    ages = {}
    for signup in signups:
        child = signup.child
        if child is not None and child.pk not in ages:
            ref = day or domain.local_date(signup.activity.starts_at or timezone.now())
            ages[child.pk] = domain.age_on(domain.child_birth_date(child), ref)
    return ages


# ------------------------------------------------------------------ attendance


def attendance_of_session(*, user: User, session: Session) -> QuerySet[Attendance]:
    require_perm(user, "activities.view_signup")
    return (
        Attendance.objects.filter(zone_id=session.zone_id, session_id=session.pk)
        .select_related("person", "signup__child", "recorded_by")
        .order_by("checked_in_at", "id")
    )


def attendance_of_activity(*, user: User, activity: Activity) -> QuerySet[Attendance]:
    require_perm(user, "activities.view_signup")
    return (
        Attendance.objects.filter(zone_id=activity.zone_id, activity_id=activity.pk)
        .select_related("person", "session", "signup__child", "recorded_by")
        .order_by("session__starts_at", "checked_in_at", "id")
    )


def session_roster(*, user: User, session: Session) -> list[SignUp]:
    """Seated sign-ups of a session with `present` set, for the officer's sign-in sheet."""
    require_perm(user, "activities.view_signup")
    qs = SignUp.objects.filter(zone_id=session.zone_id, activity_id=session.activity_id)
    qs = (
        qs.filter(session_id=session.pk)
        if session.activity.per_session
        else qs.filter(session__isnull=True)
    )
    present = set(
        Attendance.objects.filter(zone_id=session.zone_id, session_id=session.pk).values_list(
            "signup_id", flat=True
        )
    )
    roster = list(
        qs.filter(status__in=SEATED)
        .select_related("person", "child")
        .order_by("signed_up_at", "id")
    )
    for signup in roster:
        signup.present = signup.pk in present
    return roster


def bad_qr_error() -> ApplicationError:
    return ApplicationError(
        _("签到二维码无效或已被篡改，请扫描活动现场张贴的二维码"), code="bad_qr", status=400
    )


def session_for_token(token: str) -> Session:
    """The session a check-in QR names; a forged or stale token is a clear error."""
    parsed = domain.read_checkin_token(token)
    if parsed is None:
        raise bad_qr_error()
    zone_id, session_id = parsed
    session = (
        Session.objects.select_related("activity", "zone")
        .filter(pk=session_id, zone_id=zone_id)
        .first()
    )
    if session is None:
        raise bad_qr_error()
    return session


# ------------------------------------------------------------------ statistics


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


def people_for_signup(*, user: User, q: str = "", person_id: int | None = None) -> QuerySet[Person]:
    """Registry people of the officer's zone matching a name, phone or ID (代报名),
    or the one already chosen (`person_id`, shown again when the sign-up was refused)."""
    from gaoxin.registry.selectors import person_search_q

    require_perm(user, "activities.change_signup")
    qs = restrict_to_zone(Person.objects.select_related("employer"), user)
    if person_id is not None:
        return qs.filter(pk=person_id)
    return qs.filter(person_search_q(q))[:20] if q.strip() else qs.none()


def signup_counts(activity: Activity) -> dict[str, int]:
    """Sign-ups by status (for the officer page header)."""
    rows = (
        SignUp.objects.filter(zone_id=activity.zone_id, activity_id=activity.pk)
        .values("status")
        .annotate(n=Count("id"))
    )
    counts = defaultdict(int, {row["status"]: row["n"] for row in rows})
    return {status.value: counts[status.value] for status in SignUpStatus}


def _count_of(model, **filters):
    rows = model.objects.filter(activity=OuterRef("pk"), **filters).order_by().values("activity")
    return Coalesce(Subquery(rows.annotate(n=Count("id")).values("n")[:1]), 0)


def with_figures(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    """Adds session_count, signup_count (not cancelled) and attendance_count as
    subqueries, so a list of any length costs one query."""
    return qs.annotate(
        session_count=_count_of(Session),
        signup_count=Coalesce(
            Subquery(
                SignUp.objects.filter(activity=OuterRef("pk"))
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
