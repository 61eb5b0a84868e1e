"""Every write of the activities program: check, write and audit in one transaction.

Seats. A sign-up takes a seat in its slot (the activity for whole-series
sign-ups, the session for per-session ones) by a conditional UPDATE that
only succeeds while `confirmed < capacity`; a CHECK constraint backs it up.
A cancelled seat goes to the earliest waiting sign-up in the same
transaction. Locks are always taken in the order slot → sign-up → audit
chain, so concurrent cancellations and promotions on PostgreSQL queue
instead of deadlocking; on SQLite transactions are IMMEDIATE and queue anyway.

`at` parameters let the demo and imports of paper ledgers record events that
happened in the past; the API and pages never pass them.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Min
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from gaoxin.activities import domain, selectors
from gaoxin.activities.enums import (
    ACTIVITY_TRANSITIONS,
    SEATED,
    SIGNUP_TRANSITIONS,
    ActivityStatus,
    AttendanceMethod,
    Audience,
    SignupMode,
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
from gaoxin.core.audit import Change, audit_record, audit_record_many, audited_change, snapshot
from gaoxin.core.enums import AuditAction, PersonRole
from gaoxin.core.errors import ApplicationError, Conflict, InvalidInput, NotFound
from gaoxin.core.models import User, Zone
from gaoxin.core.references import reference_check
from gaoxin.core.rules import require, restrict_to_zone
from gaoxin.registry.models import Person

ACTIVITY_AUDIT_FIELDS = [
    "title",
    "kind",
    "organiser",
    "partners",
    "place",
    "station_id",
    "signup_mode",
    "audience",
    "min_age",
    "max_age",
    "eligibility_note",
    "capacity",
    "waitlist",
    "signup_deadline",
    "description",
]
SESSION_AUDIT_FIELDS = ["seq", "starts_at", "ends_at", "place", "capacity"]
PROGRAMME_AUDIT_FIELDS = ["position", "title", "genre", "performers", "duration_minutes", "note"]
EDITABLE = (ActivityStatus.DRAFT, ActivityStatus.PENDING, ActivityStatus.PUBLISHED)
OPEN_FOR_ATTENDANCE = (ActivityStatus.PUBLISHED, ActivityStatus.CLOSED)
ENDED = (ActivityStatus.CLOSED, ActivityStatus.CANCELLED)


def _raise_if_errors(errors: dict) -> None:
    if errors:
        raise InvalidInput(errors)


def _when(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _day(day: dt.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _status_label(status: str) -> str:
    return str(ActivityStatus(status).label)


def _locked_activity(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().get(pk=activity.pk)


def _require_editable(activity: Activity) -> None:
    if activity.status not in EDITABLE:
        raise Conflict(
            _("活动%(status)s，不能再修改") % {"status": _status_label(activity.status)},
            code="activity_locked",
        )


def _refresh_bounds(activity_id: int) -> None:
    """Keep the activity's first start and last end in step with its sessions."""
    bounds = Session.objects.filter(activity_id=activity_id).aggregate(
        first=Min("starts_at"), last=Max("ends_at")
    )
    Activity.objects.filter(pk=activity_id).update(
        starts_at=bounds["first"], ends_at=bounds["last"]
    )


def _check_references(values: dict, *, zone_id: int) -> None:
    """Ids that point into other programs must name a record of the activity's zone."""
    reference_check(
        "stations.station", zone_id=zone_id, record_id=values.get("station_id"), field="station_id"
    )


# ------------------------------------------------------------------- activities


def activity_create(
    *, actor: User | None, zone: Zone, data: dict, schedule: dict | None = None
) -> Activity:
    """A draft activity, optionally with its first (possibly recurring) sessions."""
    if actor is not None:
        require(actor, "activities.add_activity", zone_id=zone.pk)
    cleaned = domain.clean_activity(data)
    _raise_if_errors(cleaned.errors)
    plan = domain.clean_schedule(schedule) if schedule is not None else None
    _raise_if_errors(plan.errors if plan else {})
    _check_references(cleaned.values, zone_id=zone.pk)
    # Everything is checked and the sessions laid out before the first write; the
    # activity and its sessions then go in one transaction, or not at all.
    with transaction.atomic():
        activity = Activity.objects.create(zone=zone, created_by=actor, **cleaned.values)
        audit_record(
            zone=zone,
            actor=actor,
            action=AuditAction.CREATE,
            obj=activity,
            after={**snapshot(activity, ACTIVITY_AUDIT_FIELDS), "status": activity.status},
        )
        if plan is not None:
            _sessions_create(actor=actor, activity=activity, plan=plan.values)
    activity.refresh_from_db()
    return activity


def activity_update(*, actor: User | None, activity: Activity, data: dict) -> Activity:
    """Change an activity's details. Counters and status are never written here;
    a larger capacity promotes waiting sign-ups at once."""
    if actor is not None:
        require(actor, "activities.change_activity", zone_id=activity.zone_id)
    cleaned = domain.clean_activity(data, partial=True)
    _raise_if_errors(cleaned.errors)
    values = cleaned.values
    with transaction.atomic():
        current = _locked_activity(activity)
        _require_editable(current)
        if "station_id" in values and values["station_id"] != current.station_id:
            _check_references(values, zone_id=current.zone_id)
        with audited_change(current, ACTIVITY_AUDIT_FIELDS, actor=actor):
            has_signups = SignUp.objects.filter(activity_id=current.pk).exists()
            for key, label in (("signup_mode", _("报名方式")), ("audience", _("报名对象"))):
                if key in values and values[key] != getattr(current, key) and has_signups:
                    raise InvalidInput({key: _("已有人报名，不能再更改%(what)s") % {"what": label}})
            low = values.get("min_age", current.min_age)
            high = values.get("max_age", current.max_age)
            if low is not None and high is not None and low > high:
                raise InvalidInput({"max_age": _("最大年龄不能小于最小年龄")})
            mode = values.get("signup_mode", current.signup_mode)
            capacity = values.pop("capacity", None)
            if capacity is not None and capacity != current.capacity:
                if mode == SignupMode.SERIES:
                    # Conditional, so a seat taken meanwhile is never cut off.
                    if not Activity.objects.filter(pk=current.pk, confirmed__lte=capacity).update(
                        capacity=capacity
                    ):
                        raise InvalidInput(
                            {
                                "capacity": _("名额不能少于已确认的 %(n)d 人")
                                % {"n": current.confirmed}
                            }
                        )
                else:
                    Activity.objects.filter(pk=current.pk).update(capacity=capacity)
            if values:
                Activity.objects.filter(pk=current.pk).update(**values, updated_at=timezone.now())
            current.refresh_from_db()
        if not current.per_session and current.status == ActivityStatus.PUBLISHED:
            _promote(activity=current, session_id=None, actor=actor)
    current.refresh_from_db()
    return current


def activity_transition(
    *, actor: User | None, activity: Activity, verb: str, note: str = ""
) -> Activity:
    """The only writer of Activity.status: one verb of ACTIVITY_TRANSITIONS."""
    transition = ACTIVITY_TRANSITIONS.get(verb)
    if transition is None:
        raise ApplicationError(_("不支持的操作：%(verb)s") % {"verb": verb}, code="bad_transition")
    if actor is not None:
        require(actor, transition.perm, zone_id=activity.zone_id)
    if len(note) > 200:
        raise InvalidInput({"note": _("说明不能超过 200 个字")})
    with transaction.atomic():
        current = _locked_activity(activity)
        if current.status not in transition.sources:
            raise Conflict(
                _("活动当前状态为“%(status)s”，不能%(action)s")
                % {"status": _status_label(current.status), "action": transition.label},
                code="bad_transition",
            )
        if verb in ("submit", "publish") and not current.sessions.exists():
            raise InvalidInput({"sessions": _("请先添加至少一个场次")}, _("请先添加至少一个场次"))
        now = timezone.now()
        ended = {"ended_at": now} if transition.target in ENDED else {}
        changed = Activity.objects.filter(pk=current.pk, status=current.status).update(
            status=transition.target, updated_at=now, **ended
        )
        if not changed:  # cannot happen under the row lock; the database decides anyway
            raise Conflict(_("活动状态已变化，请刷新后重试"), code="stale")
        audit_record(
            zone=current.zone_id,
            actor=actor,
            action=AuditAction.TRANSITION,
            obj=current,
            before={"status": current.status},
            after={"status": transition.target},
            note=f"{transition.label}{'：' + note if note else ''}",
        )
    current.refresh_from_db()
    return current


# --------------------------------------------------------------------- sessions


def _sessions_create(*, actor: User | None, activity: Activity, plan: dict) -> list[Session]:
    """Write the sessions clean_schedule laid out (plan["slots"]); the caller holds
    the activity's lock, so the ceiling on sessions per activity holds."""
    slots = plan["slots"]
    existing = Session.objects.filter(activity_id=activity.pk).aggregate(
        n=Count("id"), last=Max("seq")
    )
    if existing["n"] + len(slots) > domain.MAX_SESSIONS_PER_ACTIVITY:
        raise InvalidInput(
            {
                "count": _("一个活动最多 %(max)d 个场次，已有 %(n)d 个")
                % {"max": domain.MAX_SESSIONS_PER_ACTIVITY, "n": existing["n"]}
            }
        )
    last = existing["last"] or 0
    capacity = plan.get("capacity") or activity.capacity
    sessions = [
        Session(
            zone_id=activity.zone_id,
            activity_id=activity.pk,
            seq=last + i,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            place=plan.get("place", ""),
            capacity=capacity,
        )
        for i, slot in enumerate(slots, start=1)
    ]
    Session.objects.bulk_create(sessions)
    sessions = list(Session.objects.filter(activity_id=activity.pk, seq__gt=last).order_by("seq"))
    _refresh_bounds(activity.pk)
    audit_record_many(
        zone=activity.zone_id,
        actor=actor,
        changes=[
            Change(
                action=AuditAction.CREATE,
                object_type=Session._meta.label,
                object_id=str(s.pk),
                object_repr=str(s)[:200],
                after=snapshot(s, SESSION_AUDIT_FIELDS),
            )
            for s in sessions
        ],
    )
    return sessions


def sessions_add(*, actor: User | None, activity: Activity, data: dict) -> list[Session]:
    """Add one session or a recurring run (daily, weekdays, weekly, monthly)."""
    if actor is not None:
        require(actor, "activities.change_activity", zone_id=activity.zone_id)
    plan = domain.clean_schedule(data)
    _raise_if_errors(plan.errors)
    with transaction.atomic():
        current = _locked_activity(activity)
        _require_editable(current)
        return _sessions_create(actor=actor, activity=current, plan=plan.values)


def session_update(*, actor: User | None, session: Session, data: dict) -> Session:
    """Change a session's time, place or capacity. More places promote waiting sign-ups."""
    if actor is not None:
        require(actor, "activities.change_activity", zone_id=session.zone_id)
    out = domain.Cleaned()
    values = {}
    if "starts_at" in data:
        values["starts_at"] = domain.parse_datetime(
            data["starts_at"], out, "starts_at", required=True
        )
    if "ends_at" in data:
        values["ends_at"] = domain.parse_datetime(data["ends_at"], out, "ends_at", required=True)
    if "place" in data:
        domain.optional_text(data, "place", out, max_length=200)
        values["place"] = out.values["place"]
    capacity = None
    if "capacity" in data:
        capacity = domain.parse_int(
            data["capacity"], out, "capacity", minimum=1, maximum=domain.MAX_CAPACITY, required=True
        )
    _raise_if_errors(out.errors)
    with transaction.atomic():
        activity = _locked_activity(session.activity)
        _require_editable(activity)
        current = Session.objects.select_for_update().get(pk=session.pk)
        with audited_change(current, SESSION_AUDIT_FIELDS, actor=actor):
            starts = values.get("starts_at", current.starts_at)
            ends = values.get("ends_at", current.ends_at)
            if ends <= starts:
                raise InvalidInput({"ends_at": _("结束时间应晚于开始时间")})
            if capacity is not None and not Session.objects.filter(
                pk=current.pk, confirmed__lte=capacity
            ).update(capacity=capacity):
                raise InvalidInput(
                    {"capacity": _("名额不能少于已确认的 %(n)d 人") % {"n": current.confirmed}}
                )
            if values:
                Session.objects.filter(pk=current.pk).update(**values)
            _refresh_bounds(activity.pk)
            current.refresh_from_db()
        if activity.per_session and activity.status == ActivityStatus.PUBLISHED:
            _promote(activity=activity, session_id=current.pk, actor=actor)
    current.refresh_from_db()
    return current


def session_delete(*, actor: User | None, session: Session) -> None:
    """Only a session nobody signed up for or attended can go."""
    if actor is not None:
        require(actor, "activities.change_activity", zone_id=session.zone_id)
    with transaction.atomic():
        activity = _locked_activity(session.activity)
        _require_editable(activity)
        if (
            SignUp.objects.filter(session_id=session.pk).exists()
            or Attendance.objects.filter(session_id=session.pk).exists()
        ):
            raise Conflict(_("该场次已有报名或签到记录，不能删除"), code="session_in_use")
        if activity.status != ActivityStatus.DRAFT and activity.sessions.count() == 1:
            raise Conflict(_("已提交或发布的活动至少要保留一个场次"), code="last_session")
        audit_record(
            zone=session.zone_id,
            actor=actor,
            action=AuditAction.DELETE,
            obj=session,
            before=snapshot(session, SESSION_AUDIT_FIELDS),
        )
        Session.objects.filter(pk=session.pk).delete()
        _refresh_bounds(activity.pk)


# ----------------------------------------------------------------- sign-ups


def _slot_qs(activity_id: int, session_id: int | None):
    """The row whose counters a sign-up uses."""
    if session_id:
        return Session.objects.filter(pk=session_id)
    return Activity.objects.filter(pk=activity_id)


def _require_for_person(actor: User | None, person_id: int, zone_id: int) -> None:
    """Workers act for themselves; acting for someone else is an officer's job."""
    if actor is None:
        return
    own = actor.person_id is not None and actor.person_id == person_id
    require(actor, "activities.add_signup" if own else "activities.change_signup", zone_id=zone_id)


def signup_transition(
    *, signup: SignUp, to: str, actor: User | None, note: str = "", at: dt.datetime | None = None
) -> SignUp:
    """The only writer of SignUp.status, moving its slot's counters with it.

    Callers hold the slot lock (or run on SQLite, where the transaction does).
    Raises Conflict(code="no_seat") when a promotion finds the slot full and
    Conflict(code="stale") when the sign-up changed since it was read.
    """
    frm = signup.status
    if (frm, to) not in SIGNUP_TRANSITIONS:
        raise Conflict(
            _("报名当前为“%(from)s”，不能改为“%(to)s”")
            % {"from": SignUpStatus(frm).label, "to": SignUpStatus(to).label},
            code="bad_transition",
        )
    now = at or timezone.now()
    stamp = {
        SignUpStatus.CONFIRMED: "confirmed_at",
        SignUpStatus.CANCELLED: "cancelled_at",
        SignUpStatus.ATTENDED: "attended_at",
    }[to]
    with transaction.atomic():
        slot = _slot_qs(signup.activity_id, signup.session_id)
        if frm == SignUpStatus.WAITLISTED and to == SignUpStatus.CONFIRMED:
            if not slot.filter(confirmed__lt=F("capacity")).update(
                confirmed=F("confirmed") + 1, waitlisted=F("waitlisted") - 1
            ):
                raise Conflict(_("名额已满"), code="no_seat")
        elif frm == SignUpStatus.CONFIRMED and to == SignUpStatus.CANCELLED:
            slot.update(confirmed=F("confirmed") - 1)
        elif frm == SignUpStatus.WAITLISTED and to == SignUpStatus.CANCELLED:
            slot.update(waitlisted=F("waitlisted") - 1)
        if not SignUp.objects.filter(pk=signup.pk, status=frm).update(status=to, **{stamp: now}):
            raise Conflict(_("报名状态已变化，请刷新后重试"), code="stale")
        audit_record(
            zone=signup.zone_id,
            actor=actor,
            action=AuditAction.TRANSITION,
            obj=signup,
            before={"status": frm},
            after={"status": to},
            note=note,
        )
    signup.status = to
    setattr(signup, stamp, now)
    return signup


def _promote(
    *, activity: Activity, session_id: int | None, actor: User | None, at: dt.datetime | None = None
) -> list[SignUp]:
    """Give free seats to the earliest waiting sign-ups, one by one."""
    promoted: list[SignUp] = []
    waiting = SignUp.objects.filter(
        zone_id=activity.zone_id, activity_id=activity.pk, status=SignUpStatus.WAITLISTED
    ).order_by("signed_up_at", "id")
    waiting = (
        waiting.filter(session_id=session_id)
        if session_id
        else waiting.filter(session__isnull=True)
    )
    while True:
        candidate = waiting.first()
        if candidate is None:
            break
        try:
            signup_transition(
                signup=candidate, to=SignUpStatus.CONFIRMED, actor=actor, note=_("候补递补"), at=at
            )
        except Conflict as exc:
            if exc.code == "stale":  # the candidate cancelled meanwhile: try the next one
                continue
            break  # no_seat: the slot is full
        promoted.append(candidate)
    return promoted


def _age_range_text(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return _("%(low)d–%(high)d 周岁") % {"low": low, "high": high}
    if low is not None:
        return _("%(low)d 周岁及以上") % {"low": low}
    return _("%(high)d 周岁及以下") % {"high": high}


def _outside(age: int, low: int | None, high: int | None) -> bool:
    return (low is not None and age < low) or (high is not None and age > high)


def _reference_day(activity: Activity, session: Session | None) -> dt.date:
    """Ages count on the day the activity (or the chosen session) starts."""
    start = session.starts_at if session is not None else activity.starts_at
    return domain.local_date(start or timezone.now())


def _not_eligible(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, code="not_eligible", fields={field: message}, status=422)


def _check_open(activity: Activity, session: Session | None, now: dt.datetime) -> None:
    if activity.status != ActivityStatus.PUBLISHED:
        raise Conflict(
            _("该活动当前不接受报名（%(status)s）") % {"status": _status_label(activity.status)},
            code="signup_closed",
        )
    if activity.per_session:
        if session is None:
            raise InvalidInput({"session_id": _("请选择要报名的场次")})
        if session.activity_id != activity.pk:
            raise InvalidInput({"session_id": _("所选场次不属于该活动")})
        if session.starts_at <= now:
            raise Conflict(_("该场次已开始，不能再报名"), code="signup_closed")
    else:
        if session is not None:
            raise InvalidInput({"session_id": _("本活动为整期报名，无需选择场次")})
        last = activity.sessions.aggregate(last=Max("starts_at"))["last"]
        if last is None or last <= now:
            raise Conflict(_("活动的全部场次均已开始，报名已结束"), code="signup_closed")
    if activity.signup_deadline and now > activity.signup_deadline:
        raise Conflict(
            _("报名已于 %(time)s 截止") % {"time": _when(activity.signup_deadline)},
            code="signup_closed",
        )


def _check_person(activity: Activity, person: Person, day: dt.date) -> None:
    if activity.audience == Audience.WORKERS and person.role != PersonRole.WORKER:
        raise _not_eligible("person", _("本活动仅面向新就业形态劳动者本人"))
    low, high = activity.min_age, activity.max_age
    if activity.audience != Audience.CHILDREN and person.birth_date and (low or high):
        age = domain.age_on(person.birth_date, day)
        if _outside(age, low, high):
            raise _not_eligible(
                "person",
                _("本活动仅限 %(range)s的人员报名，您在活动开始日为 %(age)d 周岁")
                % {"range": _age_range_text(low, high), "age": age},
            )


def _check_child_age(activity: Activity, birth: dt.date, day: dt.date) -> None:
    low, high = activity.min_age, activity.max_age
    if low is None and high is None:
        return
    age = domain.age_on(birth, day)
    if _outside(age, low, high):
        raise _not_eligible(
            "child_birth_date",
            _(
                "本活动只接收 %(range)s的职工子女；按出生日期，孩子在活动开始日（%(day)s）为 %(age)d 周岁"
            )
            % {"range": _age_range_text(low, high), "day": _day(day), "age": max(age, 0)},
        )


def _child_for(*, actor: User | None, person: Person, details: dict) -> Child:
    """The guardian's registered child with these details, registering it the first time."""
    name, birth = details["child_name"], details["child_birth_date"]
    identity = domain.child_identity_hash(name, birth)
    found = Child.objects.filter(
        zone_id=person.zone_id, guardian_id=person.pk, identity_hash=identity
    ).first()
    if found is not None:
        return found
    columns = domain.child_columns(name, birth, details.get("child_id_number", ""))
    try:
        with transaction.atomic():
            child = Child.objects.create(zone_id=person.zone_id, guardian=person, **columns)
    except IntegrityError:  # the same child registered by a parallel request
        return Child.objects.get(
            zone_id=person.zone_id, guardian_id=person.pk, identity_hash=identity
        )
    # Masks and a shortened hash only: the audit trail never holds a child's details.
    audit_record(
        zone=person.zone_id,
        actor=actor,
        action=AuditAction.CREATE,
        obj=child,
        after={
            "guardian_id": person.pk,
            "name_masked": child.name_masked,
            "id_number_masked": child.id_number_masked,
            "identity_hash": identity[:12],
        },
    )
    return child


def _active_signup(activity: Activity, person: Person, unique_key: str) -> SignUp | None:
    return (
        SignUp.objects.filter(
            zone_id=activity.zone_id,
            activity_id=activity.pk,
            person_id=person.pk,
            unique_key=unique_key,
        )
        .exclude(status=SignUpStatus.CANCELLED)
        .first()
    )


def signup_create(
    *,
    actor: User | None,
    activity: Activity,
    person: Person,
    session: Session | None = None,
    child: dict | Child | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> SignUp:
    """Sign a person (or their child) up: a seat if one is free, else the waiting list.

    Idempotent: while an active sign-up for the same person, session and child
    exists, it is returned (`created` is False) and nothing is written, so a
    retried request never makes two.
    """
    if person.zone_id != activity.zone_id:
        raise NotFound()
    _require_for_person(actor, person.pk, activity.zone_id)
    if len(note) > 200:
        raise InvalidInput({"note": _("备注不能超过 200 个字")})
    details = None
    if isinstance(child, dict):
        cleaned = domain.clean_child(child)
        _raise_if_errors(cleaned.errors)
        details = cleaned.values
    elif isinstance(child, Child) and child.guardian_id != person.pk:
        raise InvalidInput({"child_id": _("该子女不是报名人登记的子女")})
    now = at or timezone.now()
    slot = _slot_qs(activity.pk, session.pk if session else None)
    with transaction.atomic():
        # Lock the slot before deciding anything. A seat-grab UPDATE that
        # matches no row takes no lock, so without this a sign-up could choose
        # the waiting list just before a cancellation frees a seat and finds
        # nobody waiting. It also keeps the lock order slot → sign-up → audit.
        slot.select_for_update().first()
        activity = Activity.objects.get(pk=activity.pk)
        _check_open(activity, session, now)
        day = _reference_day(activity, session)
        _check_person(activity, person, day)
        if activity.for_children:
            if child is None:
                raise InvalidInput({"child_name": _("请填写参加活动的子女信息")})
            birth = details["child_birth_date"] if details else domain.child_birth_date(child)
            _check_child_age(activity, birth, day)
            if details is not None:
                child = _child_for(actor=actor, person=person, details=details)
        elif child is not None:
            raise InvalidInput({"child_name": _("本活动面向职工本人，无需填写子女信息")})
        unique_key = f"{session.pk if session else 0}:{child.pk if child else 0}"
        existing = _active_signup(activity, person, unique_key)
        if existing is not None:
            existing.created = False
            return existing
        try:
            with transaction.atomic():
                if slot.filter(confirmed__lt=F("capacity")).update(confirmed=F("confirmed") + 1):
                    status = SignUpStatus.CONFIRMED
                elif activity.waitlist:
                    slot.update(waitlisted=F("waitlisted") + 1)
                    status = SignUpStatus.WAITLISTED
                else:
                    raise Conflict(_("名额已满，本活动不设候补"), code="full")
                signup = SignUp.objects.create(
                    zone_id=activity.zone_id,
                    activity=activity,
                    session=session,
                    person=person,
                    child=child,
                    status=status,
                    unique_key=unique_key,
                    signed_up_at=now,
                    confirmed_at=now if status == SignUpStatus.CONFIRMED else None,
                    created_by=actor,
                    note=note,
                )
        except IntegrityError:  # a parallel request for the same seat won; it is ours too
            existing = _active_signup(activity, person, unique_key)
            if existing is None:
                raise
            existing.created = False
            return existing
        audit_record(
            zone=activity.zone_id,
            actor=actor,
            action=AuditAction.CREATE,
            obj=signup,
            after={
                "activity_id": activity.pk,
                "session_id": signup.session_id,
                "person_id": person.pk,
                "child_id": signup.child_id,
                "status": status,
            },
        )
    signup.created = True
    return signup


def signup_for(
    *,
    actor: User,
    activity: Activity,
    person_id: int | None = None,
    session_id: int | None = None,
    child_id: int | None = None,
    child: dict | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> SignUp:
    """The sign-up workflow the phone page, the office page and the API all call.

    Resolves who signs up (`person_id`, a person of the actor's zones, for an
    officer signing someone up; else the actor's own person), the session (one
    of the activity's), and the child (a registered one by `child_id`, or the
    details in `child`, registered in the same transaction as the sign-up, so a
    refused sign-up leaves no child behind), then signs up through
    `signup_create`. Every refusal names the field it concerns, the same for
    every caller.
    """
    if person_id is not None:
        person = restrict_to_zone(Person.objects.all(), actor).filter(pk=person_id).first()
        if person is None:
            raise InvalidInput({"person_id": _("人员不存在或不属于本园区")})
    elif actor.person_id is not None:
        person = actor.person
    else:
        raise InvalidInput({"person_id": _("您的账号未关联人员信息，无法报名，请联系园区工作人员")})
    session = None
    if session_id is not None:
        session = Session.objects.filter(
            zone_id=activity.zone_id, activity_id=activity.pk, pk=session_id
        ).first()
        if session is None:
            raise InvalidInput({"session_id": _("所选场次不属于该活动")})
    chosen: dict | Child | None = child
    if child_id is not None:
        chosen = Child.objects.filter(
            zone_id=person.zone_id, guardian_id=person.pk, pk=child_id
        ).first()
        if chosen is None:
            raise InvalidInput({"child_id": _("该子女不是报名人登记的子女")})
    elif child is not None and not activity.for_children and not any(child.values()):
        chosen = None  # a page's empty child fields on an activity for workers themselves
    return signup_create(
        actor=actor,
        activity=activity,
        person=person,
        session=session,
        child=chosen,
        note=note,
        at=at,
    )


def signup_cancel(
    *, actor: User | None, signup: SignUp, reason: str = "", at: dt.datetime | None = None
) -> SignUp:
    """Cancel a sign-up; a freed seat goes to the earliest waiting sign-up in the
    same transaction. Cancelling twice is harmless (the retry changes nothing).
    The promoted sign-ups are on the result's `promoted` attribute."""
    _require_for_person(actor, signup.person_id, signup.zone_id)
    if len(reason) > 200:
        raise InvalidInput({"reason": _("原因不能超过 200 个字")})
    promoted: list[SignUp] = []
    with transaction.atomic():
        _slot_qs(signup.activity_id, signup.session_id).select_for_update().first()  # slot first
        current = (
            SignUp.objects.select_for_update(of=("self",))
            .select_related("activity", "session")
            .get(pk=signup.pk)
        )
        if current.status != SignUpStatus.CANCELLED:
            activity = current.activity
            refusal = domain.cancel_refusal(current, at)
            if refusal is not None:
                raise refusal
            was = current.status
            signup_transition(
                signup=current,
                to=SignUpStatus.CANCELLED,
                actor=actor,
                note=reason or _("取消报名"),
                at=at,
            )
            if was == SignUpStatus.CONFIRMED:
                promoted = _promote(
                    activity=activity, session_id=current.session_id, actor=actor, at=at
                )
    current.promoted = promoted
    return current


# ------------------------------------------------------------------ attendance


def _session_signups(session: Session):
    """Sign-ups that a session's attendance is taken from."""
    qs = SignUp.objects.filter(zone_id=session.zone_id, activity_id=session.activity_id)
    if session.activity.per_session:
        return qs.filter(session_id=session.pk)
    return qs.filter(session__isnull=True)


def _attend(
    *, signups: list[SignUp], session: Session, method: str, actor: User | None, now: dt.datetime
) -> list[Attendance]:
    """Mark seated sign-ups present at one session, each at most once.

    One lock, one insert and one audit batch for a whole sign-in sheet; a
    parallel check-in of the same person makes the insert fail, and then
    the rows are retried one by one so the other's record is kept, not doubled.
    """
    ids = [s.pk for s in signups]
    locked = {
        s.pk: s
        for s in SignUp.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(pk__in=ids)
    }
    gone = [str(s.person) for s in locked.values() if s.status not in SEATED]
    if gone:  # cancelled between the caller's check and the lock
        raise Conflict(
            _("报名状态刚刚发生变化，不能登记出勤：%(names)s") % {"names": "、".join(gone)},
            code="stale",
        )
    existing = {
        a.signup_id: a
        for a in Attendance.objects.filter(
            zone_id=session.zone_id, session_id=session.pk, signup_id__in=ids
        )
    }
    fresh = [
        Attendance(
            zone_id=session.zone_id,
            session_id=session.pk,
            activity_id=session.activity_id,
            signup_id=pk,
            person_id=locked[pk].person_id,
            checked_in_at=now,
            method=method,
            recorded_by=actor,
        )
        for pk in ids
        if pk not in existing
    ]
    try:
        with transaction.atomic():
            Attendance.objects.bulk_create(fresh)
    except IntegrityError:
        created = []
        for row in fresh:
            try:
                with transaction.atomic():
                    row.save(force_insert=True)
                created.append(row)
            except IntegrityError:
                existing[row.signup_id] = Attendance.objects.get(
                    zone_id=session.zone_id, session_id=session.pk, signup_id=row.signup_id
                )
        fresh = created
    if any(row.pk is None for row in fresh):  # databases that do not return ids from bulk inserts
        by_signup = {
            a.signup_id: a
            for a in Attendance.objects.filter(
                session_id=session.pk, signup_id__in=[r.signup_id for r in fresh]
            )
        }
        fresh = [by_signup[r.signup_id] for r in fresh]
    note = str(AttendanceMethod(method).label)
    for row in fresh:
        signup = locked[row.signup_id]
        if signup.status == SignUpStatus.CONFIRMED:
            signup_transition(
                signup=signup, to=SignUpStatus.ATTENDED, actor=actor, note=note, at=now
            )
    audit_record_many(
        zone=session.zone_id,
        actor=actor,
        changes=[
            Change(
                action=AuditAction.CREATE,
                object_type=Attendance._meta.label,
                object_id=str(row.pk),
                object_repr=f"{session} · {locked[row.signup_id].person}",
                after={"session_id": session.pk, "signup_id": row.signup_id, "method": method},
            )
            for row in fresh
        ],
    )
    for row in fresh:
        row.created = True
    for row in existing.values():
        row.created = False
    result = {row.signup_id: row for row in [*existing.values(), *fresh]}
    return [result[pk] for pk in ids]


def _require_attendance_open(session: Session, now: dt.datetime, *, by_qr: bool) -> None:
    activity = session.activity
    if activity.status not in OPEN_FOR_ATTENDANCE:
        raise Conflict(
            _("活动%(status)s，不能签到") % {"status": _status_label(activity.status)},
            code="activity_not_open",
        )
    opens = session.starts_at - domain.CHECKIN_OPENS_BEFORE
    if now < opens:
        raise Conflict(
            _("签到尚未开始：本场 %(time)s 开始，可提前 1 小时签到")
            % {"time": _when(session.starts_at)},
            code="checkin_not_open",
        )
    if by_qr and now > session.ends_at + domain.CHECKIN_CLOSES_AFTER:
        raise Conflict(
            _("本场活动的扫码签到已结束，如已到场请联系工作人员登记"), code="checkin_closed"
        )


def attendance_checkin(
    *, actor: User, token: str, at: dt.datetime | None = None
) -> list[Attendance]:
    """A signed-up worker scans the session's QR code: each of their seated
    sign-ups (themselves, or the children they signed up) is marked present once."""
    session = selectors.session_for_token(token)
    if actor is None or not actor.is_authenticated:
        raise ApplicationError(_("请先登录再签到"), code="unauthenticated", status=401)
    require(actor, "activities.add_signup", zone_id=session.zone_id)
    if actor.person_id is None:
        raise ApplicationError(
            _("您的账号未关联人员信息，无法签到，请联系工作人员"), code="no_person", status=403
        )
    now = at or timezone.now()
    _require_attendance_open(session, now, by_qr=True)
    with transaction.atomic():
        mine = list(
            _session_signups(session)
            .filter(person_id=actor.person_id)
            .exclude(status=SignUpStatus.CANCELLED)
        )
        seated = [s for s in mine if s.status in SEATED]
        if not seated:
            if mine:
                raise Conflict(_("您在候补名单中，尚未获得名额，不能签到"), code="waitlisted")
            raise Conflict(_("您没有报名本场活动，请先报名"), code="not_signed_up")
        return _attend(
            signups=seated, session=session, method=AttendanceMethod.QR, actor=actor, now=now
        )


def attendance_mark(
    *, actor: User | None, session: Session, signup_ids: list[int], at: dt.datetime | None = None
) -> list[Attendance]:
    """An officer marks sign-ups present on the session's list (paper sign-in sheet)."""
    if actor is not None:
        require(actor, "activities.change_signup", zone_id=session.zone_id)
    ids = sorted({int(i) for i in signup_ids})
    if not ids:
        raise InvalidInput({"signup_ids": _("请选择到场的报名人员")})
    now = at or timezone.now()
    _require_attendance_open(session, now, by_qr=False)
    with transaction.atomic():
        found = {
            s.pk: s for s in _session_signups(session).filter(pk__in=ids).select_related("person")
        }
        missing = [i for i in ids if i not in found]
        if missing:
            raise InvalidInput(
                {
                    "signup_ids": _("以下报名不属于本场次：%(ids)s")
                    % {"ids": "、".join(str(i) for i in missing)}
                }
            )
        unseated = [str(s.person) for s in found.values() if s.status not in SEATED]
        if unseated:
            raise InvalidInput(
                {
                    "signup_ids": _("候补中或已取消的报名不能登记出勤：%(names)s")
                    % {"names": "、".join(unseated)}
                }
            )
        return _attend(
            signups=[found[i] for i in ids],
            session=session,
            method=AttendanceMethod.OFFICER,
            actor=actor,
            now=now,
        )


# ------------------------------------------------------------------ programme


def _renumber(activity_id: int, order: list[int]) -> None:
    for position, pk in enumerate(order, start=1):
        ProgrammeItem.objects.filter(pk=pk).exclude(position=position).update(position=position)


def _programme_order(activity_id: int) -> list[int]:
    return list(
        ProgrammeItem.objects.filter(activity_id=activity_id)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )


def programme_item_add(
    *, actor: User | None, activity: Activity, data: dict, position: int | None = None
) -> ProgrammeItem:
    """Append an item to the programme (or insert it at `position`, 1-based)."""
    if actor is not None:
        require(actor, "activities.change_activity", zone_id=activity.zone_id)
    cleaned = domain.clean_programme_item(data)
    _raise_if_errors(cleaned.errors)
    with transaction.atomic():
        current = _locked_activity(activity)
        _require_editable(current)
        order = _programme_order(current.pk)
        if len(order) >= 200:
            raise InvalidInput({"title": _("节目单最多 200 个节目")})
        item = ProgrammeItem.objects.create(
            zone_id=current.zone_id, activity=current, position=len(order) + 1, **cleaned.values
        )
        if position is not None and 1 <= position <= len(order):
            order.insert(position - 1, item.pk)
            _renumber(current.pk, order)
            item.refresh_from_db()
        audit_record(
            zone=current.zone_id,
            actor=actor,
            action=AuditAction.CREATE,
            obj=item,
            after=snapshot(item, PROGRAMME_AUDIT_FIELDS),
        )
    return item


def programme_item_update(*, actor: User | None, item: ProgrammeItem, data: dict) -> ProgrammeItem:
    if actor is not None:
        require(actor, "activities.change_activity", zone_id=item.zone_id)
    cleaned = domain.clean_programme_item(data, partial=True)
    _raise_if_errors(cleaned.errors)
    with transaction.atomic():
        _require_editable(_locked_activity(item.activity))
        current = ProgrammeItem.objects.get(pk=item.pk)
        with audited_change(current, PROGRAMME_AUDIT_FIELDS, actor=actor):
            for key, value in cleaned.values.items():
                setattr(current, key, value)
            current.save()
    return current


def programme_item_move(*, actor: User | None, item: ProgrammeItem, position: int) -> ProgrammeItem:
    """Move an item to a 1-based position; the others close up behind it."""
    if actor is not None:
        require(actor, "activities.change_activity", zone_id=item.zone_id)
    with transaction.atomic():
        _require_editable(_locked_activity(item.activity))
        order = _programme_order(item.activity_id)
        if item.pk not in order:
            raise NotFound()
        before = order.index(item.pk) + 1
        position = max(1, min(int(position), len(order)))
        order.remove(item.pk)
        order.insert(position - 1, item.pk)
        _renumber(item.activity_id, order)
        if before != position:
            audit_record(
                zone=item.zone_id,
                actor=actor,
                action=AuditAction.UPDATE,
                obj=item,
                before={"position": before},
                after={"position": position},
            )
    item.refresh_from_db()
    return item


def programme_item_delete(*, actor: User | None, item: ProgrammeItem) -> None:
    if actor is not None:
        require(actor, "activities.change_activity", zone_id=item.zone_id)
    with transaction.atomic():
        _require_editable(_locked_activity(item.activity))
        audit_record(
            zone=item.zone_id,
            actor=actor,
            action=AuditAction.DELETE,
            obj=item,
            before=snapshot(item, PROGRAMME_AUDIT_FIELDS),
        )
        ProgrammeItem.objects.filter(pk=item.pk).delete()
        _renumber(item.activity_id, _programme_order(item.activity_id))
