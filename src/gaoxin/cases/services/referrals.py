"""Referrals to partner departments, and the liaisons who answer for a department."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.cases.access import liaison_departments
from gaoxin.cases.domain import clean_due, clean_note
from gaoxin.cases.enums import REFERRAL_TRANSITIONS, ReferralStatus
from gaoxin.cases.models import Demand, HardshipCase, LiaisonBinding, Referral
from gaoxin.cases.services._common import refuse_if_invalid
from gaoxin.core.audit import audit_record
from gaoxin.core.enums import AuditAction, Role
from gaoxin.core.errors import Conflict, InvalidInput, NotFound
from gaoxin.core.models import User, Zone
from gaoxin.core.rules import in_zone, require, require_actor
from gaoxin.core.zonekeys import locked
from gaoxin.registry.models import Department


def _audit(referral: Referral, *, actor, action, before=None, note="") -> None:
    audit_record(
        zone=referral.zone_id,
        actor=actor,
        action=action,
        obj=referral,
        before=before,
        after={
            "status": referral.status,
            "department": referral.department_id,
            "due_on": referral.due_on.isoformat(),
            "demand": referral.demand_id,
            "case": referral.case_id,
        },
        note=note,
    )


def referral_create(
    *,
    actor: User | None,
    zone: Zone,
    department_id: int,
    due_on,
    note: str = "",
    demand: Demand | None = None,
    case: HardshipCase | None = None,
    at: dt.datetime | None = None,
) -> Referral:
    """Refer a demand or a case to a department; its liaison then sees it (and only it)."""
    require_actor(actor, "cases.add_referral", zone_id=zone.pk)
    if (demand is None) == (case is None):
        raise InvalidInput({"demand_id": _("请指定要转办的诉求或个案（二选一）")})
    subject = demand or case
    if subject.zone_id != zone.pk:
        raise NotFound()
    at = at or timezone.now()
    today = timezone.localdate(at)
    values = refuse_if_invalid(clean_due({"due_on": due_on}, start=today, label=_("回复期限")))
    note = refuse_if_invalid(clean_note({"note": note}, "note", _("转办说明"), required=False))[
        "note"
    ]
    department = Department.objects.filter(zone_id=zone.pk, pk=department_id).first()
    if department is None:
        raise InvalidInput({"department_id": _("部门不存在或不属于本园区")})
    # A case's name may carry a person's name; the liaison sees a neutral subject.
    what = demand.title if demand is not None else _("帮扶个案 %(n)s 号") % {"n": case.pk}
    with transaction.atomic():
        referral = Referral.objects.create(
            zone=zone,
            demand=demand,
            case=case,
            department=department,
            subject=what[:100],
            note=note,
            due_on=values["due_on"],
            created_by=actor,
            created_at=at,
        )
        _audit(referral, actor=actor, action=AuditAction.CREATE)
    return referral


def _liaison_check(referral: Referral, actor: User | None) -> None:
    if actor is None:
        return
    require(actor, "cases.reply_referral", zone_id=referral.zone_id)
    if not actor.is_superuser and referral.department_id not in liaison_departments(actor):
        raise NotFound()


def referral_transition(
    *, referral: Referral, to: str, actor: User | None, reply: str = "", at=None
) -> Referral:
    """The one writer of a referral's status: the liaison replies (again, if need be) and
    closes their part."""
    _liaison_check(referral, actor)
    at = at or timezone.now()
    if to == ReferralStatus.REPLIED:
        reply = refuse_if_invalid(clean_note({"reply": reply}, "reply", _("部门回复")))["reply"]
    with transaction.atomic():
        fresh = locked(referral)
        verb = REFERRAL_TRANSITIONS.get((fresh.status, to))
        if verb is None:
            raise Conflict(_("该转办事项已办结，不能再操作"), code="bad_transition")
        before = {"status": fresh.status}
        fresh.status = to
        if to == ReferralStatus.REPLIED:
            fresh.reply = reply
            fresh.replied_at = at
            fresh.replied_by = actor
        else:
            fresh.closed_at = at
        fresh.save()
        _audit(fresh, actor=actor, action=AuditAction.TRANSITION, before=before, note=verb)
    return fresh


def referral_reply(*, referral: Referral, actor: User | None, reply: str, at=None) -> Referral:
    return referral_transition(
        referral=referral, to=ReferralStatus.REPLIED, actor=actor, reply=reply, at=at
    )


def referral_close(*, referral: Referral, actor: User | None, at=None) -> Referral:
    return referral_transition(referral=referral, to=ReferralStatus.CLOSED, actor=actor, at=at)


def liaison_bind(*, actor: User | None, user: User, department_id: int) -> LiaisonBinding:
    """Bind a department liaison's account to the department they answer for."""
    zone_id = user.zone_id
    require_actor(actor, "cases.add_liaisonbinding", zone_id=zone_id)
    if actor is not None and not in_zone(actor, zone_id):
        raise NotFound()
    if zone_id is None or not user.has_role(Role.DEPARTMENT_LIAISON):
        raise InvalidInput({"user_id": _("只能绑定本园区的部门联络员账号")})
    department = Department.objects.filter(zone_id=zone_id, pk=department_id).first()
    if department is None:
        raise InvalidInput({"department_id": _("部门不存在或不属于本园区")})
    with transaction.atomic():
        binding, created = LiaisonBinding.objects.get_or_create(
            zone_id=zone_id, user=user, department=department
        )
        if created:
            audit_record(
                zone=zone_id,
                actor=actor,
                action=AuditAction.CREATE,
                obj=binding,
                after={"user": user.pk, "department": department.pk},
            )
    return binding
