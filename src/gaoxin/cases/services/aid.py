"""Aid applications of a case: applied by one officer, approved by another, paid once
through the ledger.

Exactly once: the payment is a conditional UPDATE … WHERE status = 'approved' (one
request wins it, on SQLite and PostgreSQL alike), and the ledger posting's idempotency
key is the application's own (`AidApplication.ledger_key`), so a retried or
double-clicked payment returns the first payment and moves no money.

Before approval and payment the officer is warned — and must confirm — when the same
person already got aid of the same kind in an overlapping period; the warning also
lists what other programs (welfare) gave the person in the period, through
`gaoxin.core.benefits`.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.cases.domain import clean_aid
from gaoxin.cases.enums import AidStatus, CaseStatus, StepKind
from gaoxin.cases.models import AidApplication, CaseStep, HardshipCase
from gaoxin.cases.services._common import refuse_if_invalid
from gaoxin.cases.services.cases import require_case_officer
from gaoxin.core.audit import audit_record
from gaoxin.core.benefits import Benefit, benefits_received
from gaoxin.core.enums import AuditAction
from gaoxin.core.errors import Conflict, Forbidden, NotFound
from gaoxin.core.models import User
from gaoxin.core.numbers import yuan
from gaoxin.ledger.services import Leg, ledger_post

FUND_ACCOUNT = "cases:aid:fund"


def paid_account(kind: str) -> str:
    return f"cases:aid:paid:{kind}"


@dataclass
class DuplicateCheck:
    """What the officer must see before approving or paying."""

    same_kind: list[AidApplication] = field(default_factory=list)
    benefits: list[Benefit] = field(default_factory=list)

    @property
    def needs_confirm(self) -> bool:
        return bool(self.same_kind)

    def lines(self) -> list[str]:
        rows = [
            _("%(kind)s %(amount)s 元（%(start)s 至 %(end)s，%(status)s）")
            % {
                "kind": a.get_kind_display(),
                "amount": yuan(a.amount_fen),
                "start": a.period_start.isoformat(),
                "end": a.period_end.isoformat(),
                "status": a.get_status_display(),
            }
            for a in self.same_kind
        ]
        rows += [
            _("福利：%(what)s %(amount)s 元（%(on)s）")
            % {"what": b.what, "amount": yuan(b.value_fen), "on": b.on.isoformat()}
            for b in self.benefits
        ]
        return rows


def aid_duplicates(aid: AidApplication) -> DuplicateCheck:
    same = list(
        AidApplication.objects.filter(
            zone_id=aid.zone_id,
            person_id=aid.person_id,
            kind=aid.kind,
            status__in=[AidStatus.APPROVED, AidStatus.PAID],
            period_start__lte=aid.period_end,
            period_end__gte=aid.period_start,
        )
        .exclude(pk=aid.pk)
        .order_by("period_start", "pk")
    )
    benefits = benefits_received(
        zone_id=aid.zone_id, person_id=aid.person_id, start=aid.period_start, end=aid.period_end
    )
    return DuplicateCheck(same_kind=same, benefits=benefits)


def _refuse_unconfirmed(aid: AidApplication, confirm: bool) -> None:
    check = aid_duplicates(aid)
    if check.needs_confirm and not confirm:
        raise Conflict(
            _("该劳动者在同一期间已获同类帮扶，请核对后勾选“确认不属于重复帮扶”再继续"),
            code="duplicate_need",
            fields={"confirm_duplicate": "；".join(check.lines())},
        )


def aid_apply(
    *, case: HardshipCase, actor: User | None, data: dict, at: dt.datetime | None = None
) -> AidApplication:
    require_case_officer(case, actor, "cases.add_aidapplication")
    values = refuse_if_invalid(clean_aid(data))
    if case.status == CaseStatus.CLOSED:
        raise Conflict(_("个案已结案，不能再提交帮扶申请"), code="case_closed")
    with transaction.atomic():
        aid = AidApplication.objects.create(
            zone_id=case.zone_id,
            case=case,
            person_id=case.person_id,
            applied_by=actor,
            applied_at=at or timezone.now(),
            **values,
        )
        audit_record(
            zone=case.zone_id,
            actor=actor,
            action=AuditAction.CREATE,
            obj=aid,
            after={
                "case": case.pk,
                "kind": aid.kind,
                "amount_fen": aid.amount_fen,
                "period": [aid.period_start.isoformat(), aid.period_end.isoformat()],
            },
        )
    return aid


def _get(case: HardshipCase, aid_id: int) -> AidApplication:
    aid = AidApplication.objects.filter(zone_id=case.zone_id, case=case, pk=aid_id).first()
    if aid is None:
        raise NotFound()
    return aid


def aid_approve(
    *,
    case: HardshipCase,
    aid_id: int,
    actor: User | None,
    confirm_duplicate: bool = False,
    at: dt.datetime | None = None,
) -> AidApplication:
    """Approve: by an officer other than the applicant, after the duplicate warning."""
    require_case_officer(case, actor, "cases.approve_aidapplication")
    aid = _get(case, aid_id)
    if aid.status == AidStatus.APPROVED and actor is not None and aid.approved_by_id == actor.pk:
        return aid  # a repeated click
    if actor is not None and aid.applied_by_id == actor.pk:
        raise Forbidden(_("帮扶申请须由申请人以外的工作人员审批"), code="self_approval_aid")
    _refuse_unconfirmed(aid, confirm_duplicate)
    at = at or timezone.now()
    with transaction.atomic():
        won = AidApplication.objects.filter(
            zone_id=aid.zone_id, pk=aid.pk, status=AidStatus.APPLIED
        ).update(
            status=AidStatus.APPROVED,
            approved_by=actor,
            approved_at=at,
            duplicate_confirmed=confirm_duplicate,
        )
        if not won:
            fresh = AidApplication.objects.get(zone_id=aid.zone_id, pk=aid.pk)
            if fresh.status in (AidStatus.APPROVED, AidStatus.PAID):
                return fresh
            raise Conflict(_("该申请当前状态不能审批"), code="bad_transition")
        audit_record(
            zone=aid.zone_id,
            actor=actor,
            action=AuditAction.TRANSITION,
            obj=aid,
            before={"status": AidStatus.APPLIED},
            after={
                "status": AidStatus.APPROVED,
                "amount_fen": aid.amount_fen,
                "duplicate_confirmed": confirm_duplicate,
            },
            note="approve",
        )
    return AidApplication.objects.get(zone_id=aid.zone_id, pk=aid.pk)


def aid_pay(
    *,
    case: HardshipCase,
    aid_id: int,
    actor: User | None,
    confirm_duplicate: bool = False,
    at: dt.datetime | None = None,
) -> AidApplication:
    """Pay an approved application exactly once; a retry or a second click returns the
    first payment (marked `replayed`)."""
    require_case_officer(case, actor, "cases.pay_aidapplication")
    aid = _get(case, aid_id)
    if aid.status == AidStatus.PAID:
        aid.replayed = True
        return aid
    if aid.status != AidStatus.APPROVED:
        raise Conflict(_("帮扶申请审批通过后才能发放"), code="bad_transition")
    _refuse_unconfirmed(aid, confirm_duplicate or aid.duplicate_confirmed)
    at = at or timezone.now()
    with transaction.atomic():
        won = AidApplication.objects.filter(
            zone_id=aid.zone_id, pk=aid.pk, status=AidStatus.APPROVED
        ).update(status=AidStatus.PAID, paid_by=actor, paid_at=at)
        if not won:  # another click or retry paid it first
            fresh = AidApplication.objects.get(zone_id=aid.zone_id, pk=aid.pk)
            if fresh.status != AidStatus.PAID:
                raise Conflict(_("帮扶申请审批通过后才能发放"), code="bad_transition")
            fresh.replayed = True
            return fresh
        ledger_post(
            zone=aid.zone_id,
            entries=[
                Leg(FUND_ACCOUNT, -aid.amount_fen),
                Leg(paid_account(aid.kind), aid.amount_fen),
            ],
            idempotency_key=aid.ledger_key,
            actor=actor,
            memo=_("%(kind)s：帮扶个案 %(case)s 号")
            % {"kind": aid.get_kind_display(), "case": case.pk},
            reference_type=aid._meta.label,
            reference_id=aid.pk,
            at=at,
        )
        CaseStep.objects.filter(
            zone_id=case.zone_id, case=case, kind=StepKind.PAYMENT, done_on__isnull=True
        ).update(done_on=timezone.localdate(at), done_by=actor)
        audit_record(
            zone=aid.zone_id,
            actor=actor,
            action=AuditAction.TRANSITION,
            obj=aid,
            before={"status": AidStatus.APPROVED},
            after={"status": AidStatus.PAID, "amount_fen": aid.amount_fen, "key": aid.ledger_key},
            note="pay",
        )
    fresh = AidApplication.objects.get(zone_id=aid.zone_id, pk=aid.pk)
    fresh.replayed = False
    return fresh
