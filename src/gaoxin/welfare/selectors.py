"""Welfare reads, restricted to what the user may see, and the figures a zone reports.

Money figures come from the ledger (its day roll-ups), never from
multiplying counters, so what a page shows is what the ledger holds.
Periods are half-open local-date ranges [since, until).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import CharField, Count, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Concat, TruncDay, TruncHour, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.errors import NotFound
from gaoxin.core.models import User, Zone
from gaoxin.core.numbers import cn_approx, cn_yuan_approx, yuan
from gaoxin.core.rules import require_perm, restrict_to_zone
from gaoxin.core.selectors import zones_for_user
from gaoxin.ledger.selectors import balance_subquery, ledger_balances, ledger_daily
from gaoxin.welfare.domain import eligibility_problem, normalize_code, timing_problem
from gaoxin.welfare.enums import CampaignStatus
from gaoxin.welfare.models import Campaign, Claim

ACCOUNT_PREFIX = "welfare:campaign:"


# ----------------------------------------------------------------- campaigns


def campaigns_for_user(
    *, user: User, status: str = "", zone_id: int | None = None
) -> QuerySet[Campaign]:
    require_perm(user, "welfare.view_campaign")
    qs = restrict_to_zone(
        Campaign.objects.select_related("zone", "created_by", "approved_by", "eligible_enterprise"),
        user,
    )
    if status:
        qs = qs.filter(status=status)
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    return with_money(qs).order_by("zone_id", "-claim_starts_at", "-id")


def campaign_in_zone(
    *, user: User, campaign_id: int, money: bool = False, related: bool = True
) -> Campaign:
    """A campaign of the user's zone, before any role check (services check
    what the user may do with it); "not found" outside the zone. `related=False`
    reads the row alone, for the claim path where every query counts."""
    qs = Campaign.objects.all()
    if related:
        qs = qs.select_related("zone", "created_by", "approved_by", "eligible_enterprise")
    if money:
        qs = with_money(qs)
    campaign = restrict_to_zone(qs, user).filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound()
    return campaign


def campaign_get(*, user: User, campaign_id: int, money: bool = False) -> Campaign:
    """Not found outside the user's zone; forbidden without the view permission.
    A worker may see an open campaign of their zone (to claim from it)."""
    campaign = campaign_in_zone(user=user, campaign_id=campaign_id, money=money)
    if campaign.status == CampaignStatus.OPEN and user.person_id:
        return campaign
    require_perm(user, "welfare.view_campaign")
    return campaign


@dataclass
class Offer:
    """An open campaign as one worker sees it."""

    campaign: Campaign
    mine: int
    problem: str  # why the claim button is disabled ("" when it is not)

    @property
    def can_claim(self) -> bool:
        return not self.problem


def offers_for_worker(*, user: User, at: dt.datetime | None = None) -> list[Offer]:
    """Open campaigns of the worker's zone they are eligible for, with what they already hold."""
    person = user.person if user.is_authenticated else None
    if person is None or person.zone_id != user.zone_id:
        return []
    at = at or timezone.now()
    campaigns = Campaign.objects.filter(
        zone_id=person.zone_id, status=CampaignStatus.OPEN
    ).select_related("eligible_enterprise")
    campaigns = campaigns.order_by("claim_ends_at", "id")
    held = dict(
        Claim.objects.filter(
            zone_id=person.zone_id, person=person, campaign__status=CampaignStatus.OPEN
        )
        .values_list("campaign_id")
        .annotate(n=Count("id"))
    )
    offers = []
    for campaign in campaigns:
        if eligibility_problem(campaign, person):
            continue
        mine = held.get(campaign.pk, 0)
        problem = timing_problem(campaign, at)
        if not problem and mine >= campaign.per_worker_limit:
            problem = _("已领取") if campaign.per_worker_limit == 1 else _("已领满")
        offers.append(Offer(campaign=campaign, mine=mine, problem=problem))
    return offers


def claimable_for_user(*, user: User) -> QuerySet[Campaign]:
    """The campaigns a worker sees in lists: open, in their zone, and for people like them."""
    ids = [offer.campaign.pk for offer in offers_for_worker(user=user)]
    return with_money(Campaign.objects.filter(pk__in=ids)).order_by("claim_ends_at", "id")


# -------------------------------------------------------------------- claims


def vouchers_for_user(*, user: User) -> QuerySet[Claim]:
    """The vouchers the user holds as a worker (none without a linked person)."""
    if not user.is_authenticated or user.person_id is None:
        return Claim.objects.none()
    return (
        Claim.objects.filter(zone_id=user.person.zone_id, person_id=user.person_id)
        .select_related("campaign")
        .order_by("-claimed_at", "-id")
    )


def voucher_for_user(*, user: User, code: str) -> Claim:
    """One of the user's own vouchers, or a voucher a redeemer of the zone may look up."""
    normalized = normalize_code(code)
    qs = restrict_to_zone(Claim.objects.select_related("campaign", "person", "redeemed_by"), user)
    if not user.has_perm("welfare.redeem_claim") and not user.has_perm("welfare.view_claim"):
        qs = qs.filter(person_id=user.person_id) if user.person_id else qs.none()
    claim = qs.filter(code=normalized).first() if normalized else None
    if claim is None:
        raise NotFound(code="voucher_not_found")
    return claim


def redeem_zones(*, user: User) -> list[Zone]:
    """The zones a cross-zone account picks between at the till; none for a zone-bound
    account (a keeper or merchant redeems in its own zone). Forbidden without the
    permission to redeem."""
    require_perm(user, "welfare.redeem_claim")
    return list(zones_for_user(user=user)) if user.spans_zones else []


def redeem_place_default(*, user: User, zone: Zone | None) -> str:
    """What the redemption page offers as the place: the station or merchant the user
    keeps, else their name (an officer types where they are)."""
    from gaoxin.core.places import places_kept_by

    kept = places_kept_by(user=user, zone_id=zone.pk) if zone is not None else []
    return kept[0] if kept else (user.display_name or user.username)


def claims_for_campaign(
    *, user: User, campaign: Campaign, redeemed: bool | None = None
) -> QuerySet[Claim]:
    require_perm(user, "welfare.view_claim")
    qs = restrict_to_zone(
        Claim.objects.filter(campaign=campaign).select_related(
            "person", "person__employer", "claimed_by", "redeemed_by"
        ),
        user,
    )
    if redeemed is True:
        return qs.filter(redeemed_at__isnull=False).order_by("-redeemed_at", "-id")
    if redeemed is False:
        qs = qs.filter(redeemed_at__isnull=True)
    return qs.order_by("-claimed_at", "-id")


# --------------------------------------------------------------------- money


@dataclass
class Money:
    """A campaign's money in fen, read from the ledger."""

    budget_fen: int
    funded_fen: int = 0
    outstanding_fen: int = 0
    redeemed_fen: int = 0
    unissued_fen: int = 0

    @property
    def issued_fen(self) -> int:
        return self.outstanding_fen + self.redeemed_fen

    @property
    def remaining_fen(self) -> int:
        """Budget not handed out yet (the planned budget until it is funded)."""
        return self.unissued_fen if self.funded_fen else self.budget_fen

    def as_dict(self) -> dict:
        return {
            "budget_fen": self.budget_fen,
            "issued_fen": self.issued_fen,
            "redeemed_fen": self.redeemed_fen,
            "outstanding_fen": self.outstanding_fen,
            "remaining_fen": self.remaining_fen,
            "budget_yuan": yuan(self.budget_fen),
            "issued_yuan": yuan(self.issued_fen),
            "redeemed_yuan": yuan(self.redeemed_fen),
            "remaining_yuan": yuan(self.remaining_fen),
        }


BUCKETS = ("sponsor", "budget", "outstanding", "redeemed")


def with_money(qs: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """Annotate each campaign with its ledger balances (one query for a whole page)."""
    return qs.annotate(
        **{
            f"bal_{bucket}": balance_subquery(
                Concat(
                    Value(ACCOUNT_PREFIX),
                    Cast(OuterRef("pk"), CharField()),
                    Value(f":{bucket}"),
                    output_field=CharField(),
                )
            )
            for bucket in BUCKETS
        }
    )


def money_of(campaign: Campaign) -> Money:
    """A campaign's money: from `with_money` annotations, else one ledger read."""
    if hasattr(campaign, "bal_budget"):
        bal = {b: getattr(campaign, f"bal_{b}") or 0 for b in BUCKETS}
    else:
        balances = ledger_balances(zone=campaign.zone_id, prefix=campaign.account(""))
        bal = {b: balances.get(campaign.account(b), 0) for b in BUCKETS}
    return Money(
        budget_fen=campaign.budget_fen,
        funded_fen=-bal["sponsor"],
        outstanding_fen=bal["outstanding"],
        redeemed_fen=bal["redeemed"],
        unissued_fen=bal["budget"],
    )


def campaign_money(*, campaign: Campaign) -> Money:
    return money_of(campaign)


# ---------------------------------------------------------------- statistics


@dataclass
class WelfareTotals:
    """What a zone handed out in a period (ledger figures, in fen)."""

    issued_fen: int = 0
    redeemed_fen: int = 0
    claims: int = 0
    redemptions: int = 0
    campaigns: int = 0

    @property
    def issued_text(self) -> str:
        """ "7 万多元", as the seed page writes it."""
        return cn_yuan_approx(self.issued_fen)

    @property
    def claims_text(self) -> str:
        return cn_approx(self.claims, "份")

    def as_dict(self) -> dict:
        return {
            "issued_fen": self.issued_fen,
            "redeemed_fen": self.redeemed_fen,
            "claims": self.claims,
            "redemptions": self.redemptions,
            "campaigns": self.campaigns,
            "issued_yuan": yuan(self.issued_fen),
            "redeemed_yuan": yuan(self.redeemed_fen),
            "issued_text": self.issued_text,
            "claims_text": self.claims_text,
        }


_OUT = Q(account__endswith=":outstanding")
_RED = Q(account__endswith=":redeemed")
# Issued = net change of outstanding + redeemed (a redemption moves value
# between the two and nets to zero); redeemed = net change of redeemed.
_AGGREGATES = {
    "out_net": Sum("debit_fen", filter=_OUT) + Sum("credit_fen", filter=_OUT),
    "red_net": Sum("debit_fen", filter=_RED) + Sum("credit_fen", filter=_RED),
    "claims": Sum("debit_count", filter=_OUT),
    "redemptions": Sum("debit_count", filter=_RED),
}


def _day_rows(zone, since, until):
    return ledger_daily(zone=zone, prefix=ACCOUNT_PREFIX, since=since, until=until).filter(
        _OUT | _RED
    )


def _totals(row: dict) -> WelfareTotals:
    out_net, red_net = row.get("out_net") or 0, row.get("red_net") or 0
    return WelfareTotals(
        issued_fen=out_net + red_net,
        redeemed_fen=red_net,
        claims=row.get("claims") or 0,
        redemptions=row.get("redemptions") or 0,
    )


def welfare_zone_totals(
    *, zone: Zone | int, since: dt.date | None = None, until: dt.date | None = None
) -> WelfareTotals:
    """Value distributed by a zone in [since, until) — for the zone dashboard and brief."""
    totals = _totals(_day_rows(zone, since, until).aggregate(**_AGGREGATES))
    zone_id = zone.pk if isinstance(zone, Zone) else zone
    campaigns = Campaign.objects.filter(zone_id=zone_id).exclude(status=CampaignStatus.DRAFT)
    if since:
        campaigns = campaigns.filter(claim_ends_at__date__gte=since)
    if until:
        campaigns = campaigns.filter(claim_starts_at__date__lt=until)
    totals.campaigns = campaigns.count()
    return totals


def welfare_totals_by_zone(
    *, since: dt.date | None = None, until: dt.date | None = None
) -> dict[int, WelfareTotals]:
    """Value distributed per zone (for cross-zone statistics)."""
    rows = (
        _day_rows(None, since, until).values("zone_id").annotate(**_AGGREGATES).order_by("zone_id")
    )
    return {row["zone_id"]: _totals(row) for row in rows}


def welfare_zone_periods(
    *,
    zone: Zone | int,
    since: dt.date | None = None,
    until: dt.date | None = None,
    period: str = "month",
) -> list[tuple[dt.date, WelfareTotals]]:
    """Value distributed per month (or day) — a dashboard series."""
    trunc = {"month": TruncMonth, "day": TruncDay}[period]
    rows = (
        _day_rows(zone, since, until)
        .annotate(period=trunc("day"))
        .values("period")
        .annotate(**_AGGREGATES)
        .order_by("period")
    )
    return [
        (
            row["period"].date() if isinstance(row["period"], dt.datetime) else row["period"],
            _totals(row),
        )
        for row in rows
    ]


def claims_over_time(*, campaign: Campaign) -> tuple[list[tuple[dt.datetime, int]], bool]:
    """Claims per hour (campaigns of three days or less) or per day, in local
    time; returns the series and whether it is hourly."""
    hourly = campaign.claim_ends_at - campaign.claim_starts_at <= dt.timedelta(days=3)
    trunc = TruncHour if hourly else TruncDay
    tz = timezone.get_current_timezone()
    rows = (
        Claim.objects.filter(zone_id=campaign.zone_id, campaign=campaign)
        .annotate(bucket=trunc("claimed_at", tzinfo=tz))
        .values("bucket")
        .annotate(n=Count("id"))
        .order_by("bucket")
    )
    return [(row["bucket"], row["n"]) for row in rows], hourly


def person_benefits(zone_id: int, person_id: int, start: dt.date, end: dt.date) -> list:
    """What the person claimed from welfare campaigns on days [start, end] (local time):
    the welfare source of `gaoxin.core.benefits`, so a hardship case sees it before it
    pays aid for the same period."""
    from gaoxin.core.benefits import Benefit

    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    rows = (
        Claim.objects.filter(
            zone_id=zone_id, person_id=person_id, claimed_at__gte=since, claimed_at__lt=until
        )
        .values_list("campaign__title", "campaign__sponsor_name", "value_fen", "claimed_at")
        .order_by("claimed_at")
    )
    return [
        Benefit(
            source="welfare",
            what=f"{title}（{sponsor}）",
            value_fen=value_fen,
            on=timezone.localtime(at).date(),
        )
        for title, sponsor, value_fen, at in rows
    ]
