"""Every welfare write: create, transition, claim, redeem.

Each service checks permissions, writes its rows, posts its ledger entries
and appends its audit entry in one transaction, so money, vouchers and the
audit trail never disagree.

Claims and redemptions are first come, first served without relying on row
locks (SQLite ignores SELECT … FOR UPDATE): a conditional UPDATE … WHERE
issued < stock decides who gets the last unit, a claim slot per worker with a
unique key decides who gets a second one, and a conditional UPDATE … WHERE
redeemed_at IS NULL decides which scan redeems a voucher. Cheap reads run
before the write transaction so the common refusals (sold out, already
claimed) never queue for the write lock.

`at` back-dates an act for loaders of historical records (the demo); pages
and the API never pass it.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit import audit_record
from gaoxin.core.enums import AuditAction
from gaoxin.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from gaoxin.core.models import User, Zone
from gaoxin.core.places import places_among, places_kept_by
from gaoxin.core.rules import in_zone, require
from gaoxin.ledger.services import Leg, ledger_post
from gaoxin.registry.models import Person
from gaoxin.welfare.domain import (
    clean_campaign,
    eligibility_problem,
    local_minute,
    new_code,
    normalize_code,
    place_names,
    timing_problem,
)
from gaoxin.welfare.enums import TRANSITIONS, CampaignStatus
from gaoxin.welfare.models import MAX_PER_WORKER, Campaign, Claim

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
MAX_REQUEST_ID = 64


def _snapshot(obj, fields: list[str]) -> dict:
    data = {}
    for name in fields:
        value = getattr(obj, name)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


# ------------------------------------------------------------------ campaigns


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
            after={**_snapshot(campaign, CAMPAIGN_AUDIT_FIELDS), "status": campaign.status},
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
        if actor is not None:
            require(actor, perm, zone_id=current.zone_id)
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
            ledger_post(
                zone=current.zone_id,
                idempotency_key=f"welfare:campaign:{current.pk}:fund",
                entries=[
                    Leg(current.account("sponsor"), -current.budget_fen),
                    Leg(current.account("budget"), current.budget_fen),
                ],
                actor=actor,
                memo=_("%(title)s 预算（%(sponsor)s）")
                % {"title": current.title, "sponsor": current.sponsor_name},
                reference_type="welfare.Campaign",
                reference_id=current.pk,
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


# --------------------------------------------------------------------- claims


def _clean_request_id(request_id: str | None) -> str:
    request_id = (request_id or "").strip()
    if len(request_id) > MAX_REQUEST_ID or any(ord(c) < 33 or ord(c) > 126 for c in request_id):
        raise InvalidInput({"request_id": _("请求编号应为不超过 64 个字符的字母、数字或符号")})
    return request_id


def _check_claimer(actor: User | None, campaign: Campaign, person: Person) -> None:
    if actor is None:
        return
    if not in_zone(actor, campaign.zone_id):
        raise NotFound()
    if actor.person_id == person.pk:
        require(actor, "welfare.add_claim", zone_id=campaign.zone_id)
    elif not actor.has_perm("welfare.issue_claim"):
        raise Forbidden(_("只能为本人领取"), code="not_your_claim")


def _held(campaign: Campaign, person: Person) -> list[Claim]:
    """The vouchers `person` holds from `campaign` (at most MAX_PER_WORKER rows)."""
    return list(Claim.objects.filter(zone_id=campaign.zone_id, campaign=campaign, person=person))


def _replay_in(held: list[Claim], request_id: str) -> Claim | None:
    claim = next((c for c in held if request_id and c.request_id == request_id), None)
    if claim is not None:
        claim.replayed = True
    return claim


def _replayed(campaign: Campaign, person: Person, request_id: str) -> Claim | None:
    if not request_id:
        return None
    claim = Claim.objects.filter(
        zone_id=campaign.zone_id, campaign=campaign, person=person, request_id=request_id
    ).first()
    if claim is not None:
        claim.replayed = True
    return claim


def _limit_reached(limit: int) -> Conflict:
    if limit == 1:
        return Conflict(_("您已领取过本活动的福利，每人限领 1 份"), code="limit_reached")
    return Conflict(
        _("您已领满本活动的限领份数（每人 %(n)s 份）") % {"n": limit}, code="limit_reached"
    )


def _refusal(campaign_id: int, at: dt.datetime) -> Conflict:
    """Why the conditional update found nothing to take (read after losing the race)."""
    fresh = Campaign.objects.get(pk=campaign_id)
    problem = timing_problem(fresh, at) or _("已领完")
    code = "sold_out" if fresh.issued >= fresh.stock else "not_open"
    return Conflict(problem, code=code)


def campaign_claim(
    *,
    campaign: Campaign,
    person: Person,
    actor: User | None,
    request_id: str = "",
    at: dt.datetime | None = None,
    just_read: bool = False,
) -> Claim:
    """Give `person` one voucher, first come first served.

    `actor` is the worker claiming for themselves (needs welfare.add_claim) or
    an officer handing out on site (welfare.issue_claim); None is a trusted
    loader. With a `request_id` (the client's Idempotency-Key) a retried
    request returns the voucher of the first one, marked `replayed`.
    `just_read`: the caller read `campaign` from the database for this very
    request (the API), so it is not read again.
    """
    _check_claimer(actor, campaign, person)
    request_id = _clean_request_id(request_id)
    held = _held(campaign, person)  # answers both "a retry?" and "which slot?"
    replay = _replay_in(held, request_id)
    if replay is not None:
        return replay
    at = at or timezone.now()
    problem = eligibility_problem(campaign, person)  # who may claim never changes
    if problem:
        raise Forbidden(problem, code="not_eligible")
    # `issued` only grows and "closed" is final, so a sold-out or closed copy of
    # the campaign is the truth already: refuse without another read. (The caller
    # read this copy before `held`, so a copy of this request that won a unit
    # counted in it would be in `held`, and answered above.)
    if campaign.issued >= campaign.stock or campaign.status == CampaignStatus.CLOSED:
        raise Conflict(
            timing_problem(campaign, at) or _("已领完"),
            code="sold_out" if campaign.issued >= campaign.stock else "not_open",
        )
    try:
        return _claim_new(
            campaign, person, actor, request_id, at, held=len(held), just_read=just_read
        )
    except Conflict:
        # A copy of this very request (same key) may have won between the check
        # above and the refusal: it took the worker's last slot or the last unit.
        # A retry must get the first answer, never "limit reached" or "sold out".
        replay = _replayed(campaign, person, request_id)
        if replay is not None:
            return replay
        raise


def _claim_new(
    campaign: Campaign,
    person: Person,
    actor: User | None,
    request_id: str,
    at: dt.datetime,
    *,
    held: int,
    just_read: bool,
) -> Claim:
    fresh = campaign if just_read else Campaign.objects.filter(pk=campaign.pk).first()
    if fresh is None:
        raise NotFound()
    problem = timing_problem(fresh, at)
    if problem:
        raise Conflict(problem, code="sold_out" if fresh.issued >= fresh.stock else "not_open")
    limit = fresh.per_worker_limit
    for attempt in range(MAX_PER_WORKER + 3):
        # The next slot is the number already held; the unique (campaign,
        # person, slot) key lets only one request take it, and a slot is only
        # ever tried below the limit, so nobody ever holds more than `limit`.
        slot = held if attempt == 0 else len(_held(fresh, person))
        if slot >= limit:
            raise _limit_reached(limit)
        try:
            with transaction.atomic():
                claim = Claim.objects.create(
                    zone_id=fresh.zone_id,
                    campaign=fresh,
                    person=person,
                    slot=slot,
                    code=new_code(),
                    value_fen=fresh.unit_value_fen,
                    request_id=request_id,
                    claimed_at=at,
                    claimed_by=actor,
                )
                taken = Campaign.objects.filter(
                    pk=fresh.pk, status=CampaignStatus.OPEN, issued__lt=F("stock")
                ).update(issued=F("issued") + 1)
                if not taken:
                    raise _refusal(fresh.pk, at)
                ledger_post(
                    zone=fresh.zone_id,
                    idempotency_key=f"welfare:claim:{claim.pk}",
                    entries=[
                        Leg(fresh.account("budget"), -claim.value_fen),
                        Leg(fresh.account("outstanding"), claim.value_fen),
                    ],
                    actor=actor,
                    memo=_("%(title)s 发放给 %(name)s")
                    % {"title": fresh.title, "name": person.name},
                    reference_type="welfare.Claim",
                    reference_id=claim.pk,
                    at=at,
                )
                audit_record(
                    zone=fresh.zone_id,
                    actor=actor,
                    action=AuditAction.CREATE,
                    obj=claim,
                    after={
                        "campaign": fresh.pk,
                        "person": person.pk,
                        "slot": slot,
                        "value_fen": claim.value_fen,
                        "code": claim.code[:4] + "******",
                    },
                )
        except IntegrityError:
            # Lost a race: the same request committed first, or another request
            # of this worker took this slot (try the next), or a code collided.
            replay = _replayed(fresh, person, request_id)
            if replay is not None:
                return replay
            continue
        claim.replayed = False
        claim.campaign = fresh
        return claim
    raise Conflict(_("领取的人太多了，请稍后再试"), code="busy")


# ---------------------------------------------------------------- redemption


def _already_redeemed(claim: Claim) -> Conflict:
    return Conflict(
        _("该券已于 %(time)s 在 %(place)s 核销")
        % {"time": local_minute(claim.redeemed_at), "place": claim.redeemed_place},
        code="already_redeemed",
        fields={
            "redeemed_at": claim.redeemed_at.isoformat(),
            "redeemed_place": claim.redeemed_place,
        },
    )


def voucher_find(*, zone: Zone | int, code: str) -> Claim:
    """The voucher with this code in the zone, or a "not found" the merchant can act on."""
    zone_id = zone.pk if isinstance(zone, Zone) else zone
    normalized = normalize_code(code)
    if not normalized:
        raise InvalidInput({"code": _("券码应为 10 位字母或数字，请核对后重新输入")})
    claim = (
        Claim.objects.select_related("campaign").filter(zone_id=zone_id, code=normalized).first()
    )
    if claim is None:
        raise NotFound(_("券码不存在，请核对后重新输入"), code="voucher_not_found")
    return claim


def redeem_places(campaign: Campaign) -> list[str]:
    """The stations and merchants of the zone that the campaign's 使用地点 names
    (other words there, like "全市合作影院", describe and do not restrict)."""
    return places_among(zone_id=campaign.zone_id, names=place_names(campaign.redeem_place_hint))


def _wrong_place(named: list[str]) -> Forbidden:
    return Forbidden(
        _("该券只能在以下地点核销：%(places)s") % {"places": "、".join(named)}, code="wrong_place"
    )


def _redeem_place(*, actor: User | None, claim: Claim, typed: str) -> str:
    """Where the voucher is used — a station or merchant, never who the redeemer is.

    A keeper or merchant redeems at the station they keep, and only a voucher
    whose campaign names that place (or names none); an officer may redeem any
    voucher of the zone, at one of the named places. A loader (actor None) says
    where."""
    named = redeem_places(claim.campaign)
    if actor is None:
        return typed or (named[0] if named else _("未注明地点"))
    office = actor.has_perm("welfare.change_campaign")
    kept = [] if office else places_kept_by(user=actor, zone_id=claim.zone_id)
    if kept:
        usable = [name for name in kept if name in named] if named else kept
        if not usable:
            raise _wrong_place(named)
        return typed if typed in usable else usable[0]
    if named:
        if not office:
            raise _wrong_place(named)
        if typed in named:
            return typed
        if len(named) == 1:
            return named[0]
        raise InvalidInput(
            {"place": _("请填写核销地点，应为以下之一：%(places)s") % {"places": "、".join(named)}}
        )
    return typed or str(actor)[:80]


def voucher_redeem(
    *,
    zone: Zone | int,
    code: str,
    actor: User | None,
    place: str = "",
    at: dt.datetime | None = None,
) -> Claim:
    """Use a voucher, exactly once. A second scan, even a simultaneous one, is
    refused with the time and place of the first. The place recorded is the
    station or merchant (see _redeem_place)."""
    zone_id = zone.pk if isinstance(zone, Zone) else zone
    if actor is not None:
        require(actor, "welfare.redeem_claim", zone_id=zone_id)
    claim = voucher_find(zone=zone_id, code=code)
    if claim.redeemed_at is not None:
        raise _already_redeemed(claim)
    place = _redeem_place(actor=actor, claim=claim, typed=(place or "").strip()[:80])[:80]
    at = at or timezone.now()
    if claim.expired_at(at):
        raise Conflict(
            _("该券已过使用期限（%(t)s 截止）") % {"t": local_minute(claim.campaign.redeem_until)},
            code="expired",
        )
    with transaction.atomic():
        won = Claim.objects.filter(pk=claim.pk, redeemed_at__isnull=True).update(
            redeemed_at=at, redeemed_by=actor, redeemed_place=place
        )
        if not won:
            raise _already_redeemed(Claim.objects.get(pk=claim.pk))
        Campaign.objects.filter(pk=claim.campaign_id).update(redeemed=F("redeemed") + 1)
        campaign = claim.campaign
        ledger_post(
            zone=zone_id,
            idempotency_key=f"welfare:redeem:{claim.pk}",
            entries=[
                Leg(campaign.account("outstanding"), -claim.value_fen),
                Leg(campaign.account("redeemed"), claim.value_fen),
            ],
            actor=actor,
            memo=_("%(title)s 在 %(place)s 核销") % {"title": campaign.title, "place": place},
            reference_type="welfare.Claim",
            reference_id=claim.pk,
            at=at,
        )
        audit_record(
            zone=zone_id,
            actor=actor,
            action=AuditAction.REDEEM,
            obj=claim,
            before={"redeemed_at": None},
            after={
                "redeemed_at": at.isoformat(),
                "redeemed_place": place,
                "value_fen": claim.value_fen,
            },
        )
    claim.redeemed_at, claim.redeemed_by, claim.redeemed_place = at, actor, place
    return claim
