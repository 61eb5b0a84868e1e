"""Sign-up services: who signs up for what (self or child), eligibility, cancellation."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.activities import domain
from gaoxin.activities.enums import ActivityStatus, Audience, SignUpStatus
from gaoxin.activities.models import Activity, Child, Session, SignUp
from gaoxin.activities.services._common import _day, _raise_if_errors, _status_label, _when
from gaoxin.activities.services.seats import _promote, _slot_qs, signup_transition
from gaoxin.core.audit import audit_record
from gaoxin.core.enums import AuditAction, PersonRole
from gaoxin.core.errors import Conflict, InvalidInput, NotFound
from gaoxin.core.models import User
from gaoxin.core.rules import require, restrict_to_zone
from gaoxin.registry.models import Person


def _require_for_person(actor: User | None, person_id: int, zone_id: int) -> None:
    """Workers act for themselves; acting for someone else is an officer's job."""
    if actor is None:
        return
    own = actor.person_id is not None and actor.person_id == person_id
    require(actor, "activities.add_signup" if own else "activities.change_signup", zone_id=zone_id)


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


class NotEligible(InvalidInput):
    """The person (or child) does not meet the activity's conditions: a field error
    (422, `fields` says which), with its own code so integrators can tell it apart."""

    code = "not_eligible"

    def __init__(self, field: str, message: str):
        super().__init__({field: message}, message)


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
        raise NotEligible("person", _("本活动仅面向新就业形态劳动者本人"))
    low, high = activity.min_age, activity.max_age
    if activity.audience != Audience.CHILDREN and person.birth_date and (low or high):
        age = domain.age_on(person.birth_date, day)
        if _outside(age, low, high):
            raise NotEligible(
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
        raise NotEligible(
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
    slot = _slot_qs(activity.zone_id, activity.pk, session.pk if session else None)
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
        _slot_qs(
            signup.zone_id, signup.activity_id, signup.session_id
        ).select_for_update().first()  # slot first
        current = (
            SignUp.objects.select_for_update(of=("self",))
            .select_related("activity", "session")
            .get(zone_id=signup.zone_id, pk=signup.pk)
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
