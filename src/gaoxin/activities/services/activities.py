"""Activity services: create, update and the status transitions."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.activities import domain
from gaoxin.activities.enums import ACTIVITY_TRANSITIONS, ActivityStatus, SignupMode
from gaoxin.activities.models import Activity, SignUp
from gaoxin.activities.services._common import (
    _locked_activity,
    _raise_if_errors,
    _require_editable,
    _set_capacity,
    _status_label,
)
from gaoxin.activities.services.seats import _promote
from gaoxin.activities.services.sessions import _sessions_create
from gaoxin.core.audit import audit_record, audited_change, snapshot
from gaoxin.core.enums import AuditAction
from gaoxin.core.errors import ApplicationError, Conflict, InvalidInput
from gaoxin.core.models import User, Zone
from gaoxin.core.references import reference_check
from gaoxin.core.rules import require_actor

ENDED = (ActivityStatus.CLOSED, ActivityStatus.CANCELLED)
ACTIVITY_AUDIT_FIELDS = list(domain.ACTIVITY_FIELDS)


def _check_references(values: dict, *, zone_id: int) -> None:
    """Ids that point into other programs must name a record of the activity's zone."""
    reference_check(
        "stations.station", zone_id=zone_id, record_id=values.get("station_id"), field="station_id"
    )
    reference_check(
        "party.partyorg",
        zone_id=zone_id,
        record_id=values.get("party_org_id"),
        field="party_org_id",
    )


def activity_create(
    *, actor: User | None, zone: Zone, data: dict, schedule: dict | None = None
) -> Activity:
    """A draft activity, optionally with its first (possibly recurring) sessions."""
    require_actor(actor, "activities.add_activity", zone_id=zone.pk)
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
    require_actor(actor, "activities.change_activity", zone_id=activity.zone_id)
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
                    _set_capacity(
                        Activity.objects.filter(pk=current.pk), capacity, current.confirmed
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
    require_actor(actor, transition.perm, zone_id=activity.zone_id)
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
