"""Hardship cases: opened from a demand, a visit or the worker's request; the standard
timeline's steps are due from the opening day; officers assigned; closed with an outcome."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.cases.access import case_is_officer
from gaoxin.cases.domain import clean_note, clean_satisfaction
from gaoxin.cases.enums import (
    SATISFIED,
    STANDARD_TIMELINE,
    CaseOrigin,
    CaseOutcome,
    CaseStatus,
    DemandStatus,
    Satisfaction,
)
from gaoxin.cases.models import (
    CaseOfficer,
    CaseStep,
    CaseStepTemplate,
    CaseType,
    Demand,
    HardshipCase,
)
from gaoxin.cases.services._common import refuse_if_invalid
from gaoxin.cases.services.demands import demand_transition
from gaoxin.core.audit import audit_record
from gaoxin.core.cleaning import Cleaner
from gaoxin.core.enums import AuditAction
from gaoxin.core.errors import Conflict, InvalidInput, NotFound
from gaoxin.core.models import User, Zone
from gaoxin.core.rules import in_zone, require_actor
from gaoxin.core.zonekeys import locked
from gaoxin.registry.models import Person

STANDARD_TYPE = _("困难职工帮扶")


def case_type_standard(*, zone: Zone | int) -> CaseType:
    """The zone's standard hardship case type (visit → application → review → decision →
    payment → follow-up), made on first use."""
    zone_id = zone.pk if isinstance(zone, Zone) else zone
    with transaction.atomic():
        case_type, created = CaseType.objects.get_or_create(
            zone_id=zone_id,
            name=str(STANDARD_TYPE),
            defaults={"description": str(_("困难职工帮扶的标准流程"))},
        )
        if created:
            CaseStepTemplate.objects.bulk_create(
                [
                    CaseStepTemplate(
                        zone_id=zone_id,
                        case_type=case_type,
                        order=n,
                        name=str(name),
                        kind=kind,
                        due_days=days,
                    )
                    for n, (name, kind, days) in enumerate(STANDARD_TIMELINE, start=1)
                ]
            )
    return case_type


def _officers(zone_id: int, ids) -> list[User]:
    try:
        wanted = sorted({int(i) for i in ids or []})
    except (TypeError, ValueError):
        raise InvalidInput({"officer_ids": _("经办人编号应为整数")}) from None
    found = list(User.objects.filter(zone_id=zone_id, pk__in=wanted, is_active=True))
    if len(found) != len(wanted) or not all(u.has_perm("cases.view_hardshipcase") for u in found):
        raise InvalidInput({"officer_ids": _("经办人应为本园区的党群工作人员")})
    return found


def case_open(
    *,
    actor: User | None,
    zone: Zone,
    person_id: int,
    title: str,
    summary: str = "",
    origin: str = CaseOrigin.VISIT,
    demand: Demand | None = None,
    officer_ids=(),
    case_type: CaseType | None = None,
    opened_on: dt.date | None = None,
) -> HardshipCase:
    """Open a case and lay out its timeline. The opener is always one of its officers,
    so nobody opens a case they could not then see."""
    require_actor(actor, "cases.add_hardshipcase", zone_id=zone.pk)
    c = Cleaner({"title": title, "summary": summary, "origin": origin})
    c.text("title", label=_("个案名称"), max_length=100)
    c.text("summary", label=_("情况摘要"), max_length=5000, required=False)
    c.choice("origin", CaseOrigin, label=_("来源"), default=None)
    values = refuse_if_invalid(c.out)
    person = Person.objects.filter(zone_id=zone.pk, pk=person_id).first()
    if person is None:
        raise InvalidInput({"person_id": _("帮扶对象不存在或不属于本园区")})
    if demand is not None and demand.zone_id != zone.pk:
        raise InvalidInput({"demand_id": _("诉求不存在或不属于本园区")})
    if values["origin"] == CaseOrigin.DEMAND and demand is None:
        raise InvalidInput({"demand_id": _("来源为诉求时请选择诉求")})
    officers = _officers(zone.pk, officer_ids)
    if actor is not None and actor.pk not in {o.pk for o in officers}:
        officers.append(actor)
    if not officers:
        raise InvalidInput({"officer_ids": _("请至少指定一名经办人")})
    case_type = case_type or case_type_standard(zone=zone)
    if case_type.zone_id != zone.pk:
        raise InvalidInput({"case_type_id": _("个案类型不存在或不属于本园区")})
    opened_on = opened_on or timezone.localdate()
    with transaction.atomic():
        case = HardshipCase.objects.create(
            zone=zone,
            person=person,
            case_type=case_type,
            demand=demand,
            opened_on=opened_on,
            created_by=actor,
            **values,
        )
        CaseOfficer.objects.bulk_create(
            [CaseOfficer(zone=zone, case=case, user=o) for o in officers]
        )
        CaseStep.objects.bulk_create(
            [
                CaseStep(
                    zone=zone,
                    case=case,
                    order=t.order,
                    name=t.name,
                    kind=t.kind,
                    due_on=opened_on + dt.timedelta(days=t.due_days),
                )
                for t in CaseStepTemplate.objects.filter(zone_id=zone.pk, case_type=case_type)
            ]
        )
        audit_record(
            zone=zone,
            actor=actor,
            action=AuditAction.CREATE,
            obj=case,
            after={
                "person": person.pk,
                "origin": case.origin,
                "demand": case.demand_id,
                "officers": sorted(o.pk for o in officers),
                "opened_on": opened_on.isoformat(),
            },
        )
    return case


def require_case_officer(case: HardshipCase, actor: User | None, perm: str) -> None:
    """A write on a case: in its zone, with `perm`, and one of its officers (or the
    zone admin); others learn nothing (404)."""
    if actor is None:
        return
    if not in_zone(actor, case.zone_id) or not case_is_officer(actor, case):
        raise NotFound()
    require_actor(actor, perm, zone_id=case.zone_id)


def case_assign(*, case: HardshipCase, actor: User | None, officer_ids) -> HardshipCase:
    """Add officers to a case (they then see it)."""
    require_case_officer(case, actor, "cases.change_hardshipcase")
    officers = _officers(case.zone_id, officer_ids)
    with transaction.atomic():
        have = set(
            CaseOfficer.objects.filter(zone_id=case.zone_id, case=case).values_list(
                "user_id", flat=True
            )
        )
        new = [o for o in officers if o.pk not in have]
        CaseOfficer.objects.bulk_create(
            [CaseOfficer(zone_id=case.zone_id, case=case, user=o) for o in new]
        )
        if new:
            audit_record(
                zone=case.zone_id,
                actor=actor,
                action=AuditAction.UPDATE,
                obj=case,
                before={"officers": sorted(have)},
                after={"officers": sorted(have | {o.pk for o in new})},
            )
    return case


def case_step_done(
    *,
    case: HardshipCase,
    step_id: int,
    actor: User | None,
    note: str = "",
    done_on: dt.date | None = None,
) -> CaseStep:
    """Record a step of the timeline as done (on `done_on`, today by default)."""
    require_case_officer(case, actor, "cases.change_hardshipcase")
    note = refuse_if_invalid(clean_note({"note": note}, "note", _("情况记录"), required=False))[
        "note"
    ]
    today = timezone.localdate()
    done_on = done_on or today
    if done_on > today or done_on < case.opened_on:
        raise InvalidInput({"done_on": _("完成日期应在开案日期与今天之间")})
    step = CaseStep.objects.filter(zone_id=case.zone_id, case=case, pk=step_id).first()
    if step is None:
        raise NotFound()
    with transaction.atomic():
        fresh = locked(step)
        if fresh.case.status == CaseStatus.CLOSED:
            raise Conflict(_("个案已结案，不能再记录步骤"), code="case_closed")
        if fresh.done_on is not None:
            return fresh  # a repeated click: done once
        fresh.done_on, fresh.done_by, fresh.note = done_on, actor, note
        fresh.save(update_fields=["done_on", "done_by", "note"])
        audit_record(
            zone=case.zone_id,
            actor=actor,
            action=AuditAction.UPDATE,
            obj=case,
            after={"step": fresh.order, "name": fresh.name, "done_on": done_on.isoformat()},
            note="step",
        )
    return fresh


def case_close(
    *,
    case: HardshipCase,
    actor: User | None,
    outcome: str,
    note: str = "",
    at: dt.datetime | None = None,
) -> HardshipCase:
    """Close the case with its outcome; a demand it came from is resolved with it."""
    require_case_officer(case, actor, "cases.change_hardshipcase")
    c = Cleaner({"outcome": outcome, "note": note})
    c.choice("outcome", CaseOutcome, label=_("结果"), default=None)
    c.text("note", label=_("结案说明"), max_length=5000)
    values = refuse_if_invalid(c.out)
    at = at or timezone.now()
    with transaction.atomic():
        fresh = locked(case)
        if fresh.status == CaseStatus.CLOSED:
            raise Conflict(_("个案已结案"), code="case_closed")
        before = {"status": fresh.status, "outcome": fresh.outcome}
        fresh.status = CaseStatus.CLOSED
        fresh.outcome = values["outcome"]
        fresh.outcome_note = values["note"]
        fresh.closed_at = at
        fresh.save()
        audit_record(
            zone=fresh.zone_id,
            actor=actor,
            action=AuditAction.TRANSITION,
            obj=fresh,
            before=before,
            after={"status": fresh.status, "outcome": fresh.outcome},
            note="close",
        )
        if fresh.demand_id:
            demand = fresh.demand
            if demand.status != DemandStatus.RESOLVED:
                demand_transition(
                    demand=demand,
                    to=DemandStatus.RESOLVED,
                    actor=actor,
                    note=values["note"],
                    resolution=values["note"],
                    at=at,
                )
    return fresh


def case_rate(
    *, case: HardshipCase, actor: User, satisfaction: str, comment: str = ""
) -> HardshipCase:
    """The worker rates a closed case; 不满意 reopens it for review."""
    if not in_zone(actor, case.zone_id) or actor.person_id != case.person_id:
        raise NotFound()
    values = refuse_if_invalid(
        clean_satisfaction({"satisfaction": satisfaction, "comment": comment})
    )
    with transaction.atomic():
        fresh = locked(case)
        if fresh.status != CaseStatus.CLOSED:
            raise Conflict(_("个案尚未结案，暂不能评价"), code="not_resolved")
        if fresh.satisfaction in SATISFIED:
            raise Conflict(_("您已评价过本次办理结果"), code="duplicate")
        before = {"status": fresh.status, "satisfaction": fresh.satisfaction}
        fresh.satisfaction = values["satisfaction"]
        if values["satisfaction"] == Satisfaction.DISSATISFIED:
            fresh.status = CaseStatus.OPEN
            fresh.closed_at = None
        fresh.save()
        audit_record(
            zone=fresh.zone_id,
            actor=actor,
            action=AuditAction.TRANSITION,
            obj=fresh,
            before=before,
            after={
                "status": fresh.status,
                "satisfaction": fresh.satisfaction,
                "comment": values.get("comment", ""),
            },
            note="rate",
        )
    return fresh
