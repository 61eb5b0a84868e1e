"""Session services: the schedule (one or recurring sessions), changes, deletion."""

from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils.translation import gettext as _

from gaoxin.activities import domain
from gaoxin.activities.enums import ActivityStatus
from gaoxin.activities.models import Activity, Attendance, Session, SignUp
from gaoxin.activities.services._common import (
    _audit_delete,
    _locked_activity,
    _raise_if_errors,
    _require_editable,
    _set_capacity,
)
from gaoxin.activities.services.seats import _promote
from gaoxin.core.audit import Change, audit_record_many, audited_change, snapshot
from gaoxin.core.enums import AuditAction
from gaoxin.core.errors import Conflict, InvalidInput
from gaoxin.core.models import User
from gaoxin.core.rules import require_actor
from gaoxin.core.zonekeys import locked

SESSION_AUDIT_FIELDS = ["seq", "starts_at", "ends_at", "place", "capacity"]


def _refresh_bounds(activity_id: int) -> None:
    """Keep the activity's first start and last end in step with its sessions."""
    bounds = Session.objects.filter(activity_id=activity_id).aggregate(
        first=Min("starts_at"), last=Max("ends_at")
    )
    Activity.objects.filter(pk=activity_id).update(
        starts_at=bounds["first"], ends_at=bounds["last"]
    )


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
    require_actor(actor, "activities.change_activity", zone_id=activity.zone_id)
    plan = domain.clean_schedule(data)
    _raise_if_errors(plan.errors)
    with transaction.atomic():
        current = _locked_activity(activity)
        _require_editable(current)
        return _sessions_create(actor=actor, activity=current, plan=plan.values)


def session_update(*, actor: User | None, session: Session, data: dict) -> Session:
    """Change a session's time, place or capacity. More places promote waiting sign-ups."""
    require_actor(actor, "activities.change_activity", zone_id=session.zone_id)
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
        current = locked(session)
        with audited_change(current, SESSION_AUDIT_FIELDS, actor=actor):
            starts = values.get("starts_at", current.starts_at)
            ends = values.get("ends_at", current.ends_at)
            if ends <= starts:
                raise InvalidInput({"ends_at": _("结束时间应晚于开始时间")})
            if capacity is not None:
                _set_capacity(Session.objects.filter(pk=current.pk), capacity, current.confirmed)
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
    require_actor(actor, "activities.change_activity", zone_id=session.zone_id)
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
        _audit_delete(session, SESSION_AUDIT_FIELDS, actor=actor)
        Session.objects.filter(pk=session.pk).delete()
        _refresh_bounds(activity.pk)
