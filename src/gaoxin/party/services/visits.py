"""Instructors (党建指导员): assignments to firms (挂点) and the visits they log."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit import audit_record
from gaoxin.core.cleaning import Cleaner
from gaoxin.core.enums import AuditAction, Role
from gaoxin.core.errors import Forbidden, InvalidInput
from gaoxin.core.intake import Raised, intake_available, intake_raise
from gaoxin.core.models import User, Zone
from gaoxin.core.rules import require_actor
from gaoxin.party.models import InstructorAssignment, InstructorVisit
from gaoxin.party.services._common import in_zone, refuse_if_invalid
from gaoxin.registry.models import Enterprise


def assignment_create(
    *, actor: User | None, zone: Zone, instructor_id, enterprise_id, start_on, end_on=None
) -> InstructorAssignment:
    require_actor(actor, "party.add_instructorassignment", zone_id=zone.pk)
    instructor = User.objects.filter(
        pk=instructor_id if str(instructor_id).isdigit() else 0, zone_id=zone.pk
    ).first()
    if instructor is None or not instructor.has_role(Role.INSTRUCTOR):
        raise InvalidInput({"instructor_id": _("党建指导员不存在或不属于本园区")})
    firm = in_zone(Enterprise, zone.pk, enterprise_id, "enterprise_id", _("企业"))
    c = Cleaner({"start_on": start_on, "end_on": end_on})
    c.day("start_on", label=_("挂点开始日期"))
    c.day("end_on", label=_("挂点结束日期"), required=False)
    values = refuse_if_invalid(c.out)
    if values["end_on"] and values["end_on"] < values["start_on"]:
        raise InvalidInput({"end_on": _("挂点结束日期不能早于开始日期")})
    with transaction.atomic():
        row = InstructorAssignment.objects.create(
            zone=zone, instructor=instructor, enterprise=firm, **values
        )
        audit_record(
            zone=zone,
            actor=actor,
            action=AuditAction.CREATE,
            obj=row,
            after={"instructor": instructor.pk, "enterprise": firm.pk},
        )
    return row


def assigned(zone_id: int, instructor_id: int, enterprise_id: int, on) -> bool:
    return (
        InstructorAssignment.objects.filter(
            zone_id=zone_id,
            instructor_id=instructor_id,
            enterprise_id=enterprise_id,
            start_on__lte=on,
        )
        .exclude(end_on__lt=on)
        .exists()
    )


def visit_log(
    *,
    actor: User | None,
    zone: Zone,
    data: dict,
    instructor: User | None = None,
    demand: dict | None = None,
) -> InstructorVisit:
    """A visit logged by the instructor (on the phone) to a firm they are assigned to.

    With `demand` ({"title", "category", "detail"}) a need heard on the visit is raised in
    the same transaction as a demand through the declared intake (the cases program's
    own service, its checks and audit); refused there, nothing is written. Its field
    errors come back keyed "demand_<field>"."""
    require_actor(actor, "party.add_instructorvisit", zone_id=zone.pk)
    instructor = instructor or actor
    c = Cleaner(data)
    c.day("visited_on", label=_("走访日期"))
    c.text("people_met", label=_("见到的人"), max_length=200)
    c.text("topics", label=_("交流内容"), max_length=5000)
    c.text("findings", label=_("了解到的情况"), max_length=5000, required=False)
    c.text("follow_ups", label=_("后续跟进"), max_length=5000, required=False)
    values = refuse_if_invalid(c.out)
    firm = in_zone(Enterprise, zone.pk, data.get("enterprise_id"), "enterprise_id", _("企业"))
    if values["visited_on"] > timezone.localdate():
        raise InvalidInput({"visited_on": _("走访日期不能晚于今天")})
    if instructor is None or not assigned(zone.pk, instructor.pk, firm.pk, values["visited_on"]):
        raise Forbidden(_("只能记录本人挂点企业的走访"))
    with transaction.atomic():
        raised = _raise_demand(actor, zone, firm, demand) if demand else None
        visit = InstructorVisit.objects.create(
            zone=zone,
            instructor=instructor,
            enterprise=firm,
            demand_id=raised.record_id if raised else None,
            **values,
        )
        audit_record(
            zone=zone,
            actor=actor,
            action=AuditAction.CREATE,
            obj=visit,
            after={
                "enterprise": firm.pk,
                "visited_on": values["visited_on"].isoformat(),
                "demand": visit.demand_id,
            },
        )
    return visit


def _raise_demand(actor: User | None, zone: Zone, firm: Enterprise, demand: dict) -> Raised:
    if not intake_available("demand"):
        raise InvalidInput({"demand_title": _("本平台未启用诉求办理，无法反映诉求")})
    data = {
        "title": demand.get("title"),
        "category": demand.get("category"),
        "detail": demand.get("detail") or "",
        "source": "instructor_visit",
        "enterprise_ids": [firm.pk],
    }
    try:
        return intake_raise("demand", actor=actor, zone=zone, data=data)
    except InvalidInput as exc:
        fields = {f"demand_{k}": v for k, v in (exc.fields or {}).items()}
        raise InvalidInput(fields, exc.message) from exc
