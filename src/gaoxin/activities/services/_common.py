"""Private helpers every activities service module shares: states, locks, wording."""

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from gaoxin.activities.enums import ActivityStatus
from gaoxin.activities.models import Activity
from gaoxin.core.errors import Conflict, InvalidInput

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
    return Activity.objects.select_for_update().get(pk=activity.pk)


def _require_editable(activity: Activity) -> None:
    if activity.status not in EDITABLE:
        raise Conflict(
            _("活动%(status)s，不能再修改") % {"status": _status_label(activity.status)},
            code="activity_locked",
        )
