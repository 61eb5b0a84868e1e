"""Attendance services: QR check-in by the worker and the officer's sign-in sheet."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.activities import domain, selectors
from gaoxin.activities.enums import SEATED, ActivityStatus, AttendanceMethod, SignUpStatus
from gaoxin.activities.models import Attendance, Session, SignUp
from gaoxin.activities.services._common import _status_label, _when
from gaoxin.activities.services.seats import signup_transition
from gaoxin.core.audit import Change, audit_record_many
from gaoxin.core.enums import AuditAction
from gaoxin.core.errors import ApplicationError, Conflict, InvalidInput
from gaoxin.core.models import User
from gaoxin.core.rules import require, require_actor

OPEN_FOR_ATTENDANCE = (ActivityStatus.PUBLISHED, ActivityStatus.CLOSED)


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
        .filter(zone_id__in={s.zone_id for s in signups}, pk__in=ids)
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
    *,
    actor: User,
    token: str,
    at: dt.datetime | None = None,
    session_id: int | None = None,
    activity_id: int | None = None,
) -> list[Attendance]:
    """A signed-up worker scans the session's QR code: each of their seated
    sign-ups (themselves, or the children they signed up) is marked present once.
    `session_id`/`activity_id`: the session the token was presented at (the API's
    per-session address); another session's token there is a bad QR code."""
    session = selectors.session_for_token(token)
    presented_at = (session_id, activity_id)
    if presented_at != (None, None) and presented_at != (session.pk, session.activity_id):
        raise selectors.bad_qr_error()
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
            selectors.session_signups(session)
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
    require_actor(actor, "activities.change_signup", zone_id=session.zone_id)
    ids = sorted({int(i) for i in signup_ids})
    if not ids:
        raise InvalidInput({"signup_ids": _("请选择到场的报名人员")})
    now = at or timezone.now()
    _require_attendance_open(session, now, by_qr=False)
    with transaction.atomic():
        found = {
            s.pk: s
            for s in selectors.session_signups(session).filter(pk__in=ids).select_related("person")
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
