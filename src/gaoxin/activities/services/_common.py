"""Private helpers the service modules share: locks, permission, capacity, delete entries, wording."""

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from gaoxin.activities.enums import ActivityStatus
from gaoxin.activities.models import Activity
from gaoxin.core.audit import audit_record, snapshot
from gaoxin.core.enums import AuditAction
from gaoxin.core.errors import Conflict, InvalidInput
from gaoxin.core.models import User
from gaoxin.core.zonekeys import locked

EDITABLE = (ActivityStatus.DRAFT, ActivityStatus.PENDING, ActivityStatus.PUBLISHED)


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
    return locked(activity)


def _require_editable(activity: Activity) -> None:
    if activity.status not in EDITABLE:
        raise Conflict(
            _("活动%(status)s，不能再修改") % {"status": _status_label(activity.status)},
            code="activity_locked",
        )


def _set_capacity(slot, capacity: int, confirmed: int) -> None:
    """A new capacity for the slot (one activity or session row), never below the seats
    taken: a conditional UPDATE, so a seat taken meanwhile is never cut off."""
    if not slot.filter(confirmed__lte=capacity).update(capacity=capacity):
        raise InvalidInput({"capacity": _("名额不能少于已确认的 %(n)d 人") % {"n": confirmed}})


def _audit_delete(obj, fields: list[str], *, actor: User | None) -> None:
    """The entry for a record about to be deleted: what it held, in the same transaction."""
    audit_record(
        zone=obj.zone_id,
        actor=actor,
        action=AuditAction.DELETE,
        obj=obj,
        before=snapshot(obj, fields),
    )
