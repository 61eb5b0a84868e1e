"""Demands: raised (at a meeting, by a keeper, an instructor, or the worker's phone),
updated, resolved, rated. `demand_transition` is the only writer of `status`."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.cases.domain import clean_demand, clean_note, clean_satisfaction
from gaoxin.cases.enums import (
    DEMAND_TRANSITIONS,
    DemandCategory,
    DemandSource,
    DemandStatus,
    Satisfaction,
)
from gaoxin.cases.models import Demand, DemandEnterprise, DemandUpdate, JointMeeting
from gaoxin.cases.services._common import refuse_if_invalid
from gaoxin.cases.services.meetings import zone_ids
from gaoxin.core.audit import audit_record
from gaoxin.core.enums import AuditAction, Role
from gaoxin.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from gaoxin.core.intake import Raised
from gaoxin.core.models import User, Zone
from gaoxin.core.rules import in_zone, require_actor
from gaoxin.core.zonekeys import locked
from gaoxin.registry.models import Enterprise, Person

DEFAULT_DUE_DAYS = 15  # 接诉即办: a demand is answered within 15 days unless told otherwise
DEMAND_AUDIT_FIELDS = ["status", "owner_id", "due_on", "resolution", "satisfaction", "reopened"]


def _audit(demand: Demand, *, actor, action, before=None, note="") -> None:
    after = {
        "status": demand.status,
        "owner": demand.owner_id,
        "due_on": demand.due_on.isoformat(),
        "satisfaction": demand.satisfaction,
        "reopened": demand.reopened,
    }
    audit_record(
        zone=demand.zone_id,
        actor=actor,
        action=action,
        obj=demand,
        before=before,
        after=after,
        note=note[:200],
    )


def demand_create(
    *,
    actor: User | None,
    zone: Zone,
    data: dict,
    enterprise_ids=(),
    meeting_id: int | None = None,
    raised_by_id: int | None = None,
    owner: User | None = None,
    at: dt.datetime | None = None,
) -> Demand:
    """A demand as an officer, keeper or instructor records it (the worker's own goes
    through `worker_ask_help`). Without a due date it is due in DEFAULT_DUE_DAYS."""
    require_actor(actor, "cases.add_demand", zone_id=zone.pk)
    at = at or timezone.now()
    today = timezone.localdate(at)
    values = refuse_if_invalid(clean_demand(data, today=today))
    if values.get("due_on") is None:
        values["due_on"] = today + dt.timedelta(days=DEFAULT_DUE_DAYS)
    elif values["due_on"] < today:
        raise InvalidInput({"due_on": _("办理期限不能早于受理日期")})
    meeting = None
    if meeting_id is not None:
        meeting = JointMeeting.objects.filter(zone_id=zone.pk, pk=meeting_id).first()
        if meeting is None:
            raise InvalidInput({"meeting_id": _("联席会议不存在或不属于本园区")})
    if values["source"] == DemandSource.MEETING and meeting is None:
        raise InvalidInput({"meeting_id": _("来源为联席会议时请选择会议")})
    person = None
    if raised_by_id is not None:
        person = Person.objects.filter(zone_id=zone.pk, pk=raised_by_id).first()
        if person is None:
            raise InvalidInput({"raised_by_id": _("提出人不存在或不属于本园区")})
    if owner is not None and not (
        owner.zone_id == zone.pk and owner.has_perm("cases.change_demand")
    ):
        raise InvalidInput({"owner_id": _("责任人应为本园区的工作人员")})
    firms = zone_ids(Enterprise, zone.pk, enterprise_ids, "enterprise_ids", _("企业"))
    with transaction.atomic():
        demand = Demand.objects.create(
            zone=zone,
            meeting=meeting,
            raised_by=person,
            owner=owner,
            created_by=actor,
            raised_at=at,
            **values,
        )
        DemandEnterprise.objects.bulk_create(
            [DemandEnterprise(zone=zone, demand=demand, enterprise_id=i) for i in firms]
        )
        _audit(demand, actor=actor, action=AuditAction.CREATE)
    return demand


def worker_ask_help(*, actor: User, title: str, detail: str, category: str = "") -> Demand:
    """The worker's own request from the phone: a demand they raised, owned by nobody
    until an officer takes it."""
    if not actor.is_authenticated or actor.zone_id is None:
        raise Forbidden()
    if not actor.has_perm("cases.ask_help"):
        raise Forbidden()
    if not actor.person_id:
        raise Forbidden(_("当前账号未关联劳动者信息，无法提交求助"), code="no_person")
    data = {
        "title": title,
        "detail": detail,
        "category": category or DemandCategory.HARDSHIP,
        "source": DemandSource.WORKER_PHONE,
    }
    zone = Zone.objects.get(pk=actor.zone_id)
    values = refuse_if_invalid(clean_demand(data, today=timezone.localdate()))
    now = timezone.now()
    with transaction.atomic():
        demand = Demand.objects.create(
            zone=zone,
            raised_by_id=actor.person_id,
            created_by=actor,
            raised_at=now,
            due_on=timezone.localdate(now) + dt.timedelta(days=DEFAULT_DUE_DAYS),
            **{k: v for k, v in values.items() if k != "due_on"},
        )
        _audit(demand, actor=actor, action=AuditAction.CREATE, note=_("劳动者手机求助"))
    return demand


def demand_transition(
    *,
    demand: Demand,
    to: str,
    actor: User | None,
    note: str,
    at: dt.datetime | None = None,
    resolution: str = "",
) -> Demand:
    """The one writer of a demand's status: checks the table, records a DemandUpdate
    (the step the worker sees), stamps the first response and the resolution, audits."""
    at = at or timezone.now()
    with transaction.atomic():
        fresh = locked(demand)
        verb = DEMAND_TRANSITIONS.get((fresh.status, to))
        if verb is None:
            raise Conflict(
                _("当前状态“%(s)s”不能改为“%(t)s”")
                % {"s": fresh.get_status_display(), "t": DemandStatus(to).label},
                code="bad_transition",
            )
        before = {"status": fresh.status, "satisfaction": fresh.satisfaction}
        previous = fresh.status
        fresh.status = to
        if fresh.responded_at is None:
            fresh.responded_at = at
        if to == DemandStatus.RESOLVED:
            fresh.resolved_at = at
            fresh.resolution = resolution or note
        elif verb == "reopen":
            fresh.reopened += 1
            fresh.resolved_at = None
        fresh.save()
        DemandUpdate.objects.create(
            zone_id=fresh.zone_id,
            demand=fresh,
            at=at,
            by=actor,
            status_from=previous,
            status_to=to,
            note=note,
        )
        _audit(fresh, actor=actor, action=AuditAction.TRANSITION, before=before, note=verb)
    return fresh


def _officer_write(demand: Demand, actor: User | None) -> None:
    require_actor(actor, "cases.change_demand", zone_id=demand.zone_id)


def demand_update(
    *, demand: Demand, actor: User | None, note: str, at: dt.datetime | None = None
) -> Demand:
    """A progress note: the demand is in progress (and counts as responded)."""
    _officer_write(demand, actor)
    note = refuse_if_invalid(clean_note({"note": note}, "note", _("办理情况")))["note"]
    return demand_transition(
        demand=demand, to=DemandStatus.IN_PROGRESS, actor=actor, note=note, at=at
    )


def demand_resolve(
    *, demand: Demand, actor: User | None, resolution: str, at: dt.datetime | None = None
) -> Demand:
    _officer_write(demand, actor)
    text = refuse_if_invalid(clean_note({"resolution": resolution}, "resolution", _("办理结果")))
    return demand_transition(
        demand=demand,
        to=DemandStatus.RESOLVED,
        actor=actor,
        note=text["resolution"],
        resolution=text["resolution"],
        at=at,
    )


def demand_assign(*, demand: Demand, actor: User | None, owner: User, due_on=None) -> Demand:
    """Give the demand an owner (and optionally a new due date)."""
    _officer_write(demand, actor)
    if not (owner.zone_id == demand.zone_id and owner.has_perm("cases.change_demand")):
        raise InvalidInput({"owner_id": _("责任人应为本园区的工作人员")})
    with transaction.atomic():
        fresh = locked(demand)
        before = {"owner": fresh.owner_id, "due_on": fresh.due_on.isoformat()}
        fresh.owner = owner
        if due_on is not None:
            fresh.due_on = due_on
        fresh.save(update_fields=["owner", "due_on"])
        _audit(fresh, actor=actor, action=AuditAction.UPDATE, before=before)
    return fresh


def may_rate(actor: User, demand: Demand) -> bool:
    """The worker who raised the demand, or a contact of a firm it concerns."""
    if not actor.person_id:
        return False
    if demand.raised_by_id is not None and actor.person_id == demand.raised_by_id:
        return True
    if not actor.has_role(Role.ENTERPRISE_CONTACT):
        return False
    employer = actor.person.employer_id
    return (
        employer is not None
        and DemandEnterprise.objects.filter(
            zone_id=demand.zone_id, demand_id=demand.pk, enterprise_id=employer
        ).exists()
    )


def demand_rate(*, demand: Demand, actor: User, satisfaction: str, comment: str = "") -> Demand:
    """The worker who raised it (or the contact of a firm it concerns) rates a resolved
    demand; 不满意 reopens it for review."""
    if not in_zone(actor, demand.zone_id) or not may_rate(actor, demand):
        raise NotFound()
    values = refuse_if_invalid(
        clean_satisfaction({"satisfaction": satisfaction, "comment": comment})
    )
    with transaction.atomic():
        fresh = locked(demand)
        if fresh.status != DemandStatus.RESOLVED:
            raise Conflict(_("诉求尚未办结，暂不能评价"), code="not_resolved")
        if fresh.rated_at is not None and fresh.rated_at >= fresh.resolved_at:
            raise Conflict(_("您已评价过本次办理结果"), code="duplicate")
        before = {"satisfaction": fresh.satisfaction}
        fresh.satisfaction = values["satisfaction"]
        fresh.rated_at = timezone.now()
        fresh.save(update_fields=["satisfaction", "rated_at"])
        audit_record(
            zone=fresh.zone_id,
            actor=actor,
            action=AuditAction.UPDATE,
            obj=fresh,
            before=before,
            after={"satisfaction": fresh.satisfaction, "comment": values.get("comment", "")},
            note="rate",
        )
    if values["satisfaction"] == Satisfaction.DISSATISFIED:
        note = _("劳动者评价“不满意”，重新办理")
        if values.get("comment"):
            note += f"：{values['comment']}"
        fresh = demand_transition(demand=fresh, to=DemandStatus.IN_PROGRESS, actor=actor, note=note)
    return fresh


def demand_from_intake(actor: User | None, zone: Zone, data: dict) -> Raised:
    """The declared intake "demand" (core.intake): a need met by another program (an
    instructor's visit) becomes a demand through `demand_create`, with its validation,
    permission check and audit."""
    demand = demand_create(
        actor=actor,
        zone=zone,
        data={k: data.get(k) for k in ("title", "detail", "category", "source", "due_on")},
        enterprise_ids=data.get("enterprise_ids") or (),
    )
    return Raised(
        kind="demand",
        record_id=demand.pk,
        label=_("诉求 #%(id)s：%(title)s") % {"id": demand.pk, "title": demand.title},
        reference="cases.demand",
    )
