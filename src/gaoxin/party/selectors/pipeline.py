"""The pipeline as the party officer sees it: candidates (each list read audited) and
what is due — a talk within a month, a step whose minimum interval has passed."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from gaoxin.core.audit import audit_record
from gaoxin.core.enums import AuditAction
from gaoxin.core.models import User
from gaoxin.core.rules import require
from gaoxin.party import rules
from gaoxin.party.enums import Stage
from gaoxin.party.models import Candidate, StageRecord

SOON_DAYS = 30


def candidates_for_officer(
    *,
    user: User,
    zone_id: int,
    stage: str | None = None,
    reached: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    audit: bool = True,
) -> QuerySet[Candidate]:
    """`reached` with [since, until]: those whose step to that stage is dated in the
    period (the records behind "发展 5 人入党" and "培养积极分子 7 人")."""
    require(user, "party.view_candidate", zone_id=zone_id)
    qs = Candidate.objects.filter(zone_id=zone_id).select_related("person", "org")
    if stage:
        qs = qs.filter(stage=stage)
    if reached:
        steps = StageRecord.objects.filter(zone_id=zone_id, stage=reached)
        if since:
            steps = steps.filter(on__gte=since)
        if until:
            steps = steps.filter(on__lte=until)
        qs = qs.filter(pk__in=steps.values("candidate_id"))
    if audit:
        audit_record(
            zone=zone_id,
            actor=user,
            action=AuditAction.REVEAL,
            object_type=Candidate._meta.label,
            note=_("查看入党发展名单（%(stage)s）") % {"stage": stage or _("全部")},
        )
    return qs


@dataclass(frozen=True)
class Due:
    candidate: Candidate
    what: str
    due_on: dt.date
    overdue: bool


def due_of(candidate: Candidate, today: dt.date) -> Due | None:
    """The next thing the rules expect of this candidate, if it is due within SOON_DAYS."""
    if candidate.stage == Stage.APPLICANT and candidate.talked_on is None:
        due_on = rules.talk_due_on(candidate.applied_on)
        what = _("入党申请人谈话（一个月内）")
    elif candidate.stage == Stage.ACTIVIST:
        due_on = rules.years_later(candidate.stage_on, 1)
        what = _("培养满一年，可列为发展对象")
    elif candidate.stage == Stage.PROBATIONARY:
        due_on = rules.years_later(candidate.stage_on, 1)
        what = _("预备期满，讨论转正")
    else:
        return None
    if (due_on - today).days > SOON_DAYS:
        return None
    return Due(candidate, what, due_on, due_on < today)


def due_items(*, user: User, zone_id: int, today: dt.date, mine: bool = False) -> list[Due]:
    qs = candidates_for_officer(user=user, zone_id=zone_id, audit=False).exclude(stage=Stage.FULL)
    if mine:
        qs = qs.filter(officer_id=user.pk)
    found = [d for d in (due_of(c, today) for c in qs) if d is not None]
    return sorted(found, key=lambda d: d.due_on)
