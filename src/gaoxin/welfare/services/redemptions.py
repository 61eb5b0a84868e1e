"""Redemption: a voucher is used exactly once, at a station or merchant.

A conditional UPDATE … WHERE redeemed_at IS NULL decides which scan redeems a
voucher, so a second scan — even a simultaneous one — is refused with the time
and place of the first.
"""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit import audit_record
from gaoxin.core.enums import AuditAction
from gaoxin.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from gaoxin.core.models import User, Zone
from gaoxin.core.places import places_among, places_kept_by
from gaoxin.core.rules import require_actor
from gaoxin.welfare.domain import local_minute, normalize_code, place_names
from gaoxin.welfare.models import Campaign, Claim
from gaoxin.welfare.services.campaigns import campaign_move_money


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
    require_actor(actor, "welfare.redeem_claim", zone_id=zone_id)
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
        won = Claim.objects.filter(
            zone_id=claim.zone_id, pk=claim.pk, redeemed_at__isnull=True
        ).update(redeemed_at=at, redeemed_by=actor, redeemed_place=place)
        if not won:
            raise _already_redeemed(Claim.objects.get(pk=claim.pk))
        Campaign.objects.filter(zone_id=claim.zone_id, pk=claim.campaign_id).update(
            redeemed=F("redeemed") + 1
        )
        campaign = claim.campaign
        campaign_move_money(
            campaign,
            source="outstanding",
            target="redeemed",
            fen=claim.value_fen,
            key=f"redeem:{claim.pk}",
            memo=_("%(title)s 在 %(place)s 核销") % {"title": campaign.title, "place": place},
            record=claim,
            actor=actor,
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
