"""Redemption: exactly once, and the second scan says when and where."""

import datetime as dt

import pytest
from django.utils import timezone

from gaoxin.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from gaoxin.core.models import AuditEntry
from gaoxin.ledger.models import LedgerEntry
from gaoxin.ledger.selectors import ledger_rollup_mismatches
from gaoxin.welfare import services
from gaoxin.welfare.models import Campaign, Claim
from gaoxin.welfare.selectors import campaign_money
from gaoxin.welfare.tests.factories import open_campaign, worker


@pytest.fixture
def voucher(zone_a):
    campaign = open_campaign(zone_a, unit_value_fen=1500, stock=5)
    person, user = worker(zone_a)
    return services.campaign_claim(campaign=campaign, person=person, actor=user)


def test_a_keeper_redeems_once_and_the_money_moves(zone_a, make_user, voucher):
    keeper = make_user("station_keeper", zone_a)
    at = timezone.make_aware(dt.datetime(2026, 11, 23, 14, 5))
    redeemed = services.voucher_redeem(
        zone=zone_a, code=voucher.display_code.lower(), actor=keeper, place="中旺通暖新驿站", at=at
    )
    assert redeemed.redeemed_at == at
    stored = Claim.objects.get(pk=voucher.pk)
    assert (stored.redeemed_by, stored.redeemed_place) == (keeper, "中旺通暖新驿站")
    assert Campaign.objects.get(pk=voucher.campaign_id).redeemed == 1
    money = campaign_money(campaign=voucher.campaign)
    assert (money.issued_fen, money.redeemed_fen, money.outstanding_fen) == (1500, 1500, 0)
    assert AuditEntry.objects.filter(object_type="welfare.Claim", action="redeem").count() == 1

    with pytest.raises(Conflict) as exc:
        services.voucher_redeem(zone=zone_a, code=voucher.code, actor=keeper, place="别处")
    assert exc.value.status == 409 and exc.value.code == "already_redeemed"
    assert exc.value.message == "该券已于 2026-11-23 14:05 在 中旺通暖新驿站 核销"
    assert exc.value.fields["redeemed_place"] == "中旺通暖新驿站"
    assert (
        LedgerEntry.objects.filter(
            reference_type="welfare.Claim", reference_id=str(voucher.pk)
        ).count()
        == 4
    )
    assert ledger_rollup_mismatches(zone=zone_a) == []


def test_the_place_defaults_to_the_redeemer(zone_a, make_user, voucher):
    keeper = make_user("station_keeper", zone_a)
    keeper.display_name = "星汉驿站站长"
    keeper.save()
    assert (
        services.voucher_redeem(zone=zone_a, code=voucher.code, actor=keeper).redeemed_place
        == "星汉驿站站长"
    )


def test_workers_cannot_redeem_and_other_zones_do_not_find_the_code(
    zone_a, zone_b, make_user, voucher
):
    _, worker_user = worker(zone_a)
    with pytest.raises(Forbidden):
        services.voucher_redeem(zone=zone_a, code=voucher.code, actor=worker_user)
    with pytest.raises(NotFound):
        services.voucher_redeem(
            zone=zone_a, code=voucher.code, actor=make_user("station_keeper", zone_b)
        )
    with pytest.raises(NotFound) as exc:
        services.voucher_redeem(
            zone=zone_b, code=voucher.code, actor=make_user("station_keeper", zone_b)
        )
    assert exc.value.code == "voucher_not_found"
    assert Claim.objects.get(pk=voucher.pk).redeemed_at is None


def test_a_mistyped_code_is_invalid_input(zone_a, make_user, voucher):
    with pytest.raises(InvalidInput) as exc:
        services.voucher_redeem(
            zone=zone_a, code="12345", actor=make_user("station_keeper", zone_a)
        )
    assert "10 位" in exc.value.fields["code"]


def test_an_expired_voucher_is_refused(zone_a, make_user):
    now = timezone.now()
    campaign = open_campaign(zone_a, redeem_until=now + dt.timedelta(days=8))
    person, user = worker(zone_a)
    claim = services.campaign_claim(campaign=campaign, person=person, actor=user)
    with pytest.raises(Conflict) as exc:
        services.voucher_redeem(
            zone=zone_a,
            code=claim.code,
            actor=make_user("officer", zone_a),
            at=now + dt.timedelta(days=9),
        )
    assert exc.value.code == "expired"


def test_a_closed_campaigns_vouchers_can_still_be_used(zone_a, make_user, voucher):
    from gaoxin.welfare.enums import CampaignStatus

    services.campaign_transition(
        campaign=voucher.campaign, to=CampaignStatus.CLOSED, actor=voucher.campaign.created_by
    )
    assert services.voucher_redeem(
        zone=zone_a, code=voucher.code, actor=make_user("officer", zone_a)
    ).redeemed_at
