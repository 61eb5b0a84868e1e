"""Sign-up reads: sign-ups, waiting-list places, children, attendance, check-in codes."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.activities import domain
from gaoxin.activities.enums import ACTIVE, SEATED, SignUpStatus
from gaoxin.activities.models import Activity, Attendance, Child, Session, SignUp
from gaoxin.core.errors import ApplicationError, NotFound
from gaoxin.core.models import User
from gaoxin.core.rules import require_perm, restrict_to_zone
from gaoxin.registry.models import Person


def in_slot(qs: QuerySet[SignUp], session_id: int | None) -> QuerySet[SignUp]:
    """The sign-ups of one slot: a session's (per-session sign-up) or, with no session,
    the whole series'. Seats and the waiting list are counted per slot."""
    return qs.filter(session_id=session_id) if session_id else qs.filter(session__isnull=True)


def session_signups(session: Session) -> QuerySet[SignUp]:
    """The sign-ups a session's attendance is taken from: its own, or the series'."""
    qs = SignUp.objects.filter(zone_id=session.zone_id, activity_id=session.activity_id)
    return in_slot(qs, session.pk if session.activity.per_session else None)


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


def signup_get(*, user: User, signup_id: int, mine: bool = False) -> SignUp:
    """One sign-up the user may see (`mine`: only their own); not found otherwise."""
    signup = signups_for_user(user=user, mine=mine).filter(pk=signup_id).first()
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


def activity_signup_get(*, user: User, activity: Activity, signup_id: int) -> SignUp:
    """One sign-up of the activity, for its officers; not found otherwise."""
    signup = signups_of_activity(user=user, activity=activity).filter(pk=signup_id).first()
    if signup is None:
        raise NotFound()
    return signup


def activity_signups_by_status(*, user: User, activity: Activity) -> dict[str, list[SignUp]]:
    """The officer's page lists: {"seated", "waiting", "cancelled"}, each in waiting-list
    order with each child's age (`age`); empty lists without the view permission."""
    lists: dict[str, list[SignUp]] = {"seated": [], "waiting": [], "cancelled": []}
    if not user.has_perm("activities.view_signup"):
        return lists
    signups = list(signups_of_activity(user=user, activity=activity))
    ages = child_ages(signups)
    for signup in signups:
        signup.age = ages.get(signup.child_id)
        if signup.status in SEATED:
            lists["seated"].append(signup)
        elif signup.status == SignUpStatus.WAITLISTED:
            lists["waiting"].append(signup)
        else:
            lists["cancelled"].append(signup)
    return lists


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
    qs = in_slot(qs, signup.session_id)
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
    qs = session_signups(session)
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
