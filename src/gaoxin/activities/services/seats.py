"""Seats: the only writer of SignUp.status and the waiting list's promotion."""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.activities import selectors
from gaoxin.activities.enums import SIGNUP_TRANSITIONS, SignUpStatus
from gaoxin.activities.models import Activity, Session, SignUp
from gaoxin.core.audit import audit_record
from gaoxin.core.enums import AuditAction
from gaoxin.core.errors import Conflict
from gaoxin.core.models import User


def _slot_qs(zone_id: int, activity_id: int, session_id: int | None):
    """The row whose counters a sign-up uses (found with its zone: one shard)."""
    if session_id:
        return Session.objects.filter(zone_id=zone_id, pk=session_id)
    return Activity.objects.filter(zone_id=zone_id, pk=activity_id)


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
        slot = _slot_qs(signup.zone_id, signup.activity_id, signup.session_id)
        if frm == SignUpStatus.WAITLISTED and to == SignUpStatus.CONFIRMED:
            if not slot.filter(confirmed__lt=F("capacity")).update(
                confirmed=F("confirmed") + 1, waitlisted=F("waitlisted") - 1
            ):
                raise Conflict(_("名额已满"), code="no_seat")
        elif frm == SignUpStatus.CONFIRMED and to == SignUpStatus.CANCELLED:
            slot.update(confirmed=F("confirmed") - 1)
        elif frm == SignUpStatus.WAITLISTED and to == SignUpStatus.CANCELLED:
            slot.update(waitlisted=F("waitlisted") - 1)
        if not SignUp.objects.filter(zone_id=signup.zone_id, pk=signup.pk, status=frm).update(
            status=to, **{stamp: now}
        ):
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
    waiting = selectors.in_slot(waiting, session_id)
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
