"""The member-development pipeline. Every step is checked against rules.py and audited;
every read of a candidate is audited too (pipeline records are sensitive)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit import audit_record
from gaoxin.core.cleaning import Cleaner
from gaoxin.core.enums import AuditAction
from gaoxin.core.errors import ApplicationError, InvalidInput, NotFound
from gaoxin.core.models import User, Zone
from gaoxin.core.rules import require, require_actor
from gaoxin.core.zonekeys import locked
from gaoxin.party import rules
from gaoxin.party.enums import Stage, next_stage
from gaoxin.party.models import Candidate, PartyMember, PartyOrg, StageRecord
from gaoxin.party.services._common import in_zone, refuse_if_invalid
from gaoxin.registry.models import Person

AUDIT_FIELDS = ["stage", "stage_on", "talked_on", "org_id", "contact_id", "trainer_id"]


def _state(candidate: Candidate) -> dict:
    return {
        "stage": candidate.stage,
        "stage_on": candidate.stage_on.isoformat(),
        "talked_on": candidate.talked_on.isoformat() if candidate.talked_on else None,
        "org": candidate.org_id,
    }


def candidate_for_officer(*, actor: User, zone: Zone, pk: int) -> Candidate:
    """One candidate for a party officer of its zone; the read itself is audited."""
    require(actor, "party.view_candidate", zone_id=zone.pk)
    candidate = Candidate.objects.filter(zone_id=zone.pk, pk=pk).select_related("person").first()
    if candidate is None:
        raise NotFound()
    audit_record(
        zone=zone,
        actor=actor,
        action=AuditAction.REVEAL,
        obj=candidate,
        note=_("查看入党发展记录"),
    )
    return candidate


def _check_day(day: dt.date, *, after: dt.date | None, field: str) -> None:
    if day > timezone.localdate():
        raise rules.RuleRefused(rules.DATE_ORDER, field, _("：日期晚于今天"))
    if after is not None and day < after:
        raise rules.RuleRefused(
            rules.DATE_ORDER, field, _("：早于上一阶段日期 %(day)s") % {"day": after.isoformat()}
        )


def candidate_apply(
    *, actor: User | None, zone: Zone, data: dict, officer: User | None = None
) -> Candidate:
    """A person hands in the application (入党申请书): the pipeline starts."""
    require_actor(actor, "party.add_candidate", zone_id=zone.pk)
    c = Cleaner(data)
    c.day("applied_on", label=_("递交申请书日期"))
    c.text("document", label=_("申请材料"), max_length=200)
    values = refuse_if_invalid(c.out)
    who = in_zone(Person, zone.pk, data.get("person_id"), "person_id", _("申请人"))
    org = in_zone(PartyOrg, zone.pk, data.get("org_id"), "org_id", _("党组织"))
    contact = in_zone(
        Person, zone.pk, data.get("contact_id"), "contact_id", _("联系人"), required=False
    )
    trainer = in_zone(
        Person, zone.pk, data.get("trainer_id"), "trainer_id", _("培养人"), required=False
    )
    applied_on = values["applied_on"]
    _check_day(applied_on, after=None, field="applied_on")
    if who.birth_date is None:
        raise InvalidInput({"person_id": _("申请人没有出生日期，无法核对年龄，请先补全身份证号")})
    if applied_on < rules.years_later(who.birth_date, 18):
        raise rules.RuleRefused(rules.AGE_18, "applied_on")
    if Candidate.objects.filter(zone_id=zone.pk, person_id=who.pk).exists():
        raise ApplicationError(
            _("此人已在发展流程中"),
            code="duplicate",
            fields={"person_id": _("此人已在发展流程中")},
            status=409,
        )
    with transaction.atomic():
        candidate = Candidate.objects.create(
            zone=zone,
            person=who,
            org=org,
            stage=Stage.APPLICANT,
            stage_on=applied_on,
            applied_on=applied_on,
            contact=contact,
            trainer=trainer,
            officer=officer or actor,
        )
        StageRecord.objects.create(
            zone=zone,
            candidate=candidate,
            stage=Stage.APPLICANT,
            on=applied_on,
            document=values["document"],
            recorded_by=actor,
        )
        audit_record(
            zone=zone,
            actor=actor,
            action=AuditAction.CREATE,
            obj=candidate,
            after=_state(candidate),
        )
    return candidate


def candidate_talk(*, actor: User | None, candidate: Candidate, talked_on) -> Candidate:
    """The talk with the applicant (谈话). Late is allowed, but shows as overdue until done."""
    require_actor(actor, "party.change_candidate", zone_id=candidate.zone_id)
    c = Cleaner({"talked_on": talked_on})
    c.day("talked_on", label=_("谈话日期"))
    day = refuse_if_invalid(c.out)["talked_on"]
    _check_day(day, after=candidate.applied_on, field="talked_on")
    with transaction.atomic():
        current = locked(candidate)
        before = _state(current)
        current.talked_on = day
        current.save(update_fields=["talked_on"])
        audit_record(
            zone=current.zone_id,
            actor=actor,
            action=AuditAction.UPDATE,
            obj=current,
            before=before,
            after=_state(current),
            note=_("入党申请人谈话"),
        )
    return current


def _stage_day(candidate: Candidate, stage: str) -> dt.date | None:
    record = StageRecord.objects.filter(
        zone_id=candidate.zone_id, candidate_id=candidate.pk, stage=stage
    ).first()
    return record.on if record else None


def candidate_advance(*, actor: User | None, candidate: Candidate, data: dict) -> Candidate:
    """One step forward (`stage` is the step asked for), with its date and document."""
    require_actor(actor, "party.change_candidate", zone_id=candidate.zone_id)
    c = Cleaner(data)
    c.choice("stage", Stage, label=_("推进到的阶段"), default=None)
    c.day("on", label=_("日期"))
    c.text("document", label=_("决议或材料"), max_length=200)
    values = refuse_if_invalid(c.out)
    zone_id = candidate.zone_id
    contact = in_zone(
        Person, zone_id, data.get("contact_id"), "contact_id", _("联系人"), required=False
    )
    trainer = in_zone(
        Person, zone_id, data.get("trainer_id"), "trainer_id", _("培养人"), required=False
    )
    with transaction.atomic():
        current = locked(candidate)
        wanted, day = values["stage"], values["on"]
        if wanted != next_stage(current.stage):
            raise rules.RuleRefused(
                rules.ONE_STEP,
                "stage",
                _("：当前阶段为%(now)s") % {"now": current.get_stage_display()},
            )
        _check_day(day, after=current.stage_on, field="on")
        if wanted == Stage.TARGET:
            since = _stage_day(current, Stage.ACTIVIST)
            if day < rules.years_later(since, 1):
                raise rules.RuleRefused(
                    rules.ACTIVIST_ONE_YEAR,
                    "on",
                    _("：%(day)s 起方可列为发展对象")
                    % {"day": rules.years_later(since, 1).isoformat()},
                )
        if wanted == Stage.FULL:
            since = _stage_day(current, Stage.PROBATIONARY)
            if day < rules.years_later(since, 1):
                raise rules.RuleRefused(
                    rules.PROBATION_ONE_YEAR,
                    "on",
                    _("：预备期 %(day)s 期满") % {"day": rules.years_later(since, 1).isoformat()},
                )
        before = _state(current)
        current.stage, current.stage_on = wanted, day
        if contact is not None:
            current.contact = contact
        if trainer is not None:
            current.trainer = trainer
        current.save(update_fields=["stage", "stage_on", "contact", "trainer"])
        StageRecord.objects.create(
            zone_id=zone_id,
            candidate=current,
            stage=wanted,
            on=day,
            document=values["document"],
            recorded_by=actor,
        )
        if wanted == Stage.PROBATIONARY:
            PartyMember.objects.create(
                zone_id=zone_id, org_id=current.org_id, person_id=current.person_id, joined_on=day
            )
        if wanted == Stage.FULL:
            PartyMember.objects.filter(zone_id=zone_id, person_id=current.person_id).update(
                full_on=day
            )
        audit_record(
            zone=zone_id,
            actor=actor,
            action=AuditAction.TRANSITION,
            obj=current,
            before=before,
            after=_state(current),
            note=values["document"],
        )
    return current
