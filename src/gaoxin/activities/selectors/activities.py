"""Activity reads: lists, one activity, its sessions and programme, what is open."""

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from gaoxin.activities.enums import ACTIVITY_TRANSITIONS, ActivityStatus, Audience
from gaoxin.activities.models import Activity, ProgrammeItem, Session
from gaoxin.core.enums import PersonRole
from gaoxin.core.errors import NotFound
from gaoxin.core.models import User
from gaoxin.core.rules import require_perm, restrict_to_zone

VISIBLE_TO_PUBLIC = (ActivityStatus.PUBLISHED, ActivityStatus.CLOSED)


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
    party_org_id: int | None = None,
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
    if party_org_id:
        qs = qs.filter(party_org_id=party_org_id)
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


def session_for_checkin_code(*, user: User, activity: Activity, session_id: int) -> Session:
    """A session whose check-in QR code the user may print or read: the officers who
    take attendance (change_signup) only."""
    require_perm(user, "activities.change_signup")
    return session_get(activity=activity, session_id=session_id)


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


def places(activity: Activity) -> tuple[int, int]:
    """(places left, people waiting) over what can still be joined; uses the prefetched
    `future_sessions` of activities_open_for_person when there."""
    if activity.per_session:
        future = getattr(activity, "future_sessions", None)
        if future is None:
            future = open_sessions(activity)
        return sum(s.places_left for s in future), sum(s.waitlisted for s in future)
    return activity.places_left, activity.waitlisted


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
