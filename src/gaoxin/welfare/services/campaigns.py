"""Campaign writes: create, the workflow verbs, and the one way money moves
between a campaign's ledger accounts (funding, issuing, redeeming)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit import audit_record, snapshot
from gaoxin.core.enums import AuditAction
from gaoxin.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from gaoxin.core.models import User, Zone
from gaoxin.core.rules import in_zone, require, require_actor
from gaoxin.ledger.services import Leg, ledger_post
from gaoxin.welfare.domain import clean_campaign
from gaoxin.welfare.enums import TRANSITIONS, VERBS, CampaignStatus
from gaoxin.welfare.models import Campaign, Claim

CAMPAIGN_AUDIT_FIELDS = [
    "title",
    "kind",
    "sponsor_kind",
    "sponsor_name",
    "unit_value_fen",
    "stock",
    "per_worker_limit",
    "budget_fen",
    "eligible_job_types",
    "eligible_enterprise_id",
    "claim_starts_at",
    "claim_ends_at",
    "redeem_until",
    "redeem_place_hint",
]


def campaign_move_money(
    campaign: Campaign,
    *,
    source: str,
    target: str,
    fen: int,
    key: str,
    memo: str,
    record: Campaign | Claim,
    actor: User | None,
    at: dt.datetime,
) -> None:
    """Move `fen` from one of the campaign's ledger accounts to another ("sponsor" →
    "budget" → "outstanding" → "redeemed"): one balanced entry, posted once per `key`
    (a retry posts nothing). Call inside the write's transaction, so the money moves
    exactly when the row that explains it (`record`) is written."""
    ledger_post(
        zone=campaign.zone_id,
        idempotency_key=f"welfare:{key}",
        entries=[Leg(campaign.account(source), -fen), Leg(campaign.account(target), fen)],
        actor=actor,
        memo=memo,
        reference_type=record._meta.label,
        reference_id=record.pk,
        at=at,
    )


def campaign_create(
    *, actor: User, zone: Zone, data: dict, at: dt.datetime | None = None
) -> Campaign:
    """A draft campaign; it hands out nothing until another officer approves it and it is opened."""
    require(actor, "welfare.add_campaign", zone_id=zone.pk)
    cleaned = clean_campaign(data, zone_id=zone.pk)
    if cleaned.errors:
        raise InvalidInput(cleaned.errors)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            zone=zone, created_by=actor, created_at=at or timezone.now(), **cleaned.values
        )
        audit_record(
            zone=zone,
            actor=actor,
            action=AuditAction.CREATE,
            obj=campaign,
            after={**snapshot(campaign, CAMPAIGN_AUDIT_FIELDS), "status": campaign.status},
        )
    return campaign


def campaign_transition(
    *, campaign: Campaign, to: str, actor: User | None, at: dt.datetime | None = None
) -> Campaign:
    """The only setter of `status`. Approval funds the budget in the ledger and must
    come from someone other than the creator; two officers clicking at once
    cannot both move the campaign (the update is conditional on the old state)."""
    if actor is not None and not in_zone(actor, campaign.zone_id):
        raise NotFound()
    at = at or timezone.now()
    with transaction.atomic():
        current = Campaign.objects.filter(pk=campaign.pk).first()
        if current is None:
            raise NotFound()
        rule = TRANSITIONS.get((current.status, to))
        if rule is None:
            target = CampaignStatus(to).label if to in CampaignStatus.values else to
            raise Conflict(
                _("活动当前为“%(now)s”，不能改为“%(to)s”")
                % {"now": current.get_status_display(), "to": target},
                code="bad_transition",
            )
        verb, perm = rule
        require_actor(actor, perm, zone_id=current.zone_id)
        changes: dict = {"status": to}
        if verb == "approve":
            if actor is not None and actor.pk == current.created_by_id:
                raise Forbidden(
                    _("不能审批自己创建的活动，请由另一位工作人员审批"), code="self_approval"
                )
            changes.update(approved_by=actor, approved_at=at)
        elif verb == "open":
            if at >= current.claim_ends_at:
                raise Conflict(_("领取截止时间已过，不能开放领取"), code="window_over")
            changes["opened_at"] = at
        else:
            changes["closed_at"] = at
        if not Campaign.objects.filter(pk=current.pk, status=current.status).update(**changes):
            raise Conflict(_("活动状态刚刚已被他人修改，请刷新后重试"), code="stale")
        if verb == "approve":
            campaign_move_money(
                current,
                source="sponsor",
                target="budget",
                fen=current.budget_fen,
                key=f"campaign:{current.pk}:fund",
                memo=_("%(title)s 预算（%(sponsor)s）")
                % {"title": current.title, "sponsor": current.sponsor_name},
                record=current,
                actor=actor,
                at=at,
            )
        audit_record(
            zone=current.zone_id,
            actor=actor,
            action=AuditAction.TRANSITION,
            obj=current,
            before={"status": current.status},
            after={"status": to},
            note=verb,
        )
    current.refresh_from_db()
    return current


def campaign_act(
    *, campaign: Campaign, verb: str, actor: User | None, at: dt.datetime | None = None
) -> Campaign:
    """A workflow verb as the pages and the API name it (approve, open, close); a verb
    that does not exist is "not found", like any page that does not exist."""
    to = VERBS.get(verb)
    if to is None:
        raise NotFound()
    return campaign_transition(campaign=campaign, to=to, actor=actor, at=at)
