"""Joint meetings: recorded with the firms and departments that attended."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.cases.domain import clean_meeting
from gaoxin.cases.models import JointMeeting, MeetingDepartment, MeetingEnterprise
from gaoxin.cases.services._common import refuse_if_invalid
from gaoxin.core.audit import audit_record
from gaoxin.core.enums import AuditAction
from gaoxin.core.errors import InvalidInput
from gaoxin.core.models import User, Zone
from gaoxin.core.rules import require_actor
from gaoxin.registry.models import Department, Enterprise


def zone_ids(model, zone_id: int, ids, field: str, label) -> list[int]:
    """The ids as given, each checked to be a record of this zone (else 422 on `field`)."""
    try:
        wanted = sorted({int(i) for i in ids or []})
    except (TypeError, ValueError):
        raise InvalidInput({field: _("%(what)s编号应为整数") % {"what": label}}) from None
    found = set(model.objects.filter(zone_id=zone_id, pk__in=wanted).values_list("pk", flat=True))
    if len(found) != len(wanted):
        raise InvalidInput({field: _("%(what)s不存在或不属于本园区") % {"what": label}})
    return wanted


def meeting_create(
    *,
    actor: User | None,
    zone: Zone,
    data: dict,
    enterprise_ids=(),
    department_ids=(),
    at: dt.datetime | None = None,
) -> JointMeeting:
    """A joint meeting with its attendees; demands raised there point at it."""
    require_actor(actor, "cases.add_jointmeeting", zone_id=zone.pk)
    values = refuse_if_invalid(clean_meeting(data))
    firms = zone_ids(Enterprise, zone.pk, enterprise_ids, "enterprise_ids", _("企业"))
    departments = zone_ids(Department, zone.pk, department_ids, "department_ids", _("部门"))
    with transaction.atomic():
        meeting = JointMeeting.objects.create(
            zone=zone, created_by=actor, created_at=at or timezone.now(), **values
        )
        MeetingEnterprise.objects.bulk_create(
            [MeetingEnterprise(zone=zone, meeting=meeting, enterprise_id=i) for i in firms]
        )
        MeetingDepartment.objects.bulk_create(
            [MeetingDepartment(zone=zone, meeting=meeting, department_id=i) for i in departments]
        )
        audit_record(
            zone=zone,
            actor=actor,
            action=AuditAction.CREATE,
            obj=meeting,
            after={
                "held_on": meeting.held_on.isoformat(),
                "title": meeting.title,
                "enterprises": firms,
                "departments": departments,
            },
        )
    return meeting
