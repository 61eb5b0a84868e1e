"""Claims: a worker takes a voucher from an open campaign, or an officer hands one
out on site.

First come, first served without relying on row locks (SQLite ignores
SELECT … FOR UPDATE): a conditional UPDATE … WHERE issued < stock decides who
gets the last unit, and a claim slot per worker with a unique key decides who
gets a second one. Cheap reads run before the write transaction so the common
refusals (sold out, already claimed) never queue for the write lock.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit import audit_record
from gaoxin.core.enums import AuditAction
from gaoxin.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from gaoxin.core.models import User
from gaoxin.core.rules import in_zone, require
from gaoxin.registry.models import Person
from gaoxin.welfare.domain import eligibility_problem, new_code, timing_problem
from gaoxin.welfare.enums import CampaignStatus
from gaoxin.welfare.models import MAX_PER_WORKER, Campaign, Claim
from gaoxin.welfare.services.campaigns import campaign_move_money

MAX_REQUEST_ID = 64


def campaign_claim_for(
    *,
    campaign: Campaign,
    actor: User,
    person_id: int | None = None,
    request_id: str = "",
    just_read: bool = False,
) -> Claim:
    """A claim as a person asks for it, on a page or through the API: whose claim it
    is — the actor's own, or `person_id`'s when an officer hands a voucher out on
    site (a person of the campaign's zone) — then `campaign_claim`, which writes it
    in one transaction."""
    if person_id:
        person = Person.objects.filter(zone_id=campaign.zone_id, pk=person_id).first()
        if person is None:
            raise InvalidInput({"person_id": _("人员不存在或不属于本园区")})
    elif actor.person_id:
        person = actor.person
    else:
        raise InvalidInput({"person_id": _("当前账号未关联劳动者信息，无法为本人领取")})
    return campaign_claim(
        campaign=campaign,
        person=person,
        actor=actor,
        request_id=request_id,
        just_read=just_read,
    )


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
                    zone_id=fresh.zone_id,
                    pk=fresh.pk,
                    status=CampaignStatus.OPEN,
                    issued__lt=F("stock"),
                ).update(issued=F("issued") + 1)
                if not taken:
                    raise _refusal(fresh.pk, at)
                campaign_move_money(
                    fresh,
                    source="budget",
                    target="outstanding",
                    fen=claim.value_fen,
                    key=f"claim:{claim.pk}",
                    memo=_("%(title)s 发放给 %(name)s")
                    % {"title": fresh.title, "name": person.name},
                    record=claim,
                    actor=actor,
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
