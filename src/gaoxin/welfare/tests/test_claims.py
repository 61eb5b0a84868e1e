"""Claiming: limits, eligibility, idempotent retries, ledger and audit."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from gaoxin.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from gaoxin.core.models import AuditEntry
from gaoxin.core.tests.factories import make_user
from gaoxin.ledger.models import LedgerEntry
from gaoxin.ledger.selectors import ledger_rollup_mismatches
from gaoxin.registry.tests.factories import enterprise
from gaoxin.welfare import services
from gaoxin.welfare.domain import CODE_ALPHABET, normalize_code
from gaoxin.welfare.enums import CampaignStatus
from gaoxin.welfare.models import Campaign, Claim
from gaoxin.welfare.selectors import campaign_money
from gaoxin.welfare.tests.factories import draft, open_campaign, worker


def test_a_worker_claims_a_voucher_and_the_ledger_and_audit_record_it(zone_a):
    campaign = open_campaign(zone_a, unit_value_fen=3500, stock=3)
    person, user = worker(zone_a)
    claim = services.campaign_claim(campaign=campaign, person=person, actor=user)
    assert claim.replayed is False
    assert len(claim.code) == 10 and set(claim.code) <= set(CODE_ALPHABET)
    assert claim.display_code == f"{claim.code[:5]}-{claim.code[5:]}"
    assert Campaign.objects.get(pk=campaign.pk).issued == 1
    legs = LedgerEntry.objects.filter(idempotency_key=f"welfare:claim:{claim.pk}").order_by("leg")
    assert [(e.account, e.amount_fen) for e in legs] == [
        (campaign.account("budget"), -3500),
        (campaign.account("outstanding"), 3500),
    ]
    money = campaign_money(campaign=campaign)
    assert (money.issued_fen, money.redeemed_fen, money.remaining_fen) == (3500, 0, 7000)
    audit = AuditEntry.objects.get(object_type="welfare.Claim", object_id=str(claim.pk))
    assert audit.actor_id == user.pk and audit.after["value_fen"] == 3500
    assert claim.code not in str(audit.after)  # the code is a bearer secret


def test_one_per_worker_by_default(zone_a):
    campaign = open_campaign(zone_a)
    person, user = worker(zone_a)
    services.campaign_claim(campaign=campaign, person=person, actor=user)
    with pytest.raises(Conflict) as exc:
        services.campaign_claim(campaign=campaign, person=person, actor=user)
    assert exc.value.code == "limit_reached" and "每人限领 1 份" in exc.value.message
    assert Claim.objects.count() == 1


def test_a_limit_of_three_gives_three_slots(zone_a):
    campaign = open_campaign(zone_a, per_worker_limit=3, stock=10)
    person, user = worker(zone_a)
    claims = [
        services.campaign_claim(campaign=campaign, person=person, actor=user) for _ in range(3)
    ]
    assert [c.slot for c in claims] == [0, 1, 2]
    with pytest.raises(Conflict):
        services.campaign_claim(campaign=campaign, person=person, actor=user)


def test_the_stock_runs_out_and_nothing_more_is_issued(zone_a):
    campaign = open_campaign(zone_a, stock=2)
    for _ in range(2):
        person, user = worker(zone_a)
        services.campaign_claim(campaign=campaign, person=person, actor=user)
    person, user = worker(zone_a)
    with pytest.raises(Conflict) as exc:
        services.campaign_claim(campaign=campaign, person=person, actor=user)
    assert exc.value.code == "sold_out" and exc.value.message == "已领完"
    assert Campaign.objects.get(pk=campaign.pk).issued == 2


def test_the_database_refuses_a_second_slot_and_overselling_on_its_own(zone_a):
    campaign = open_campaign(zone_a, stock=1)
    person, user = worker(zone_a)
    claim = services.campaign_claim(campaign=campaign, person=person, actor=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            zone=zone_a, campaign=campaign, person=person, slot=0, code="0000000000", value_fen=1
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(issued=2)
    assert claim.pk


def test_a_retried_request_returns_the_same_voucher_and_writes_nothing(zone_a):
    campaign = open_campaign(zone_a, per_worker_limit=2)
    person, user = worker(zone_a)
    first = services.campaign_claim(
        campaign=campaign, person=person, actor=user, request_id="req-1"
    )
    rows = (Claim.objects.count(), LedgerEntry.objects.count(), AuditEntry.objects.count())
    again = services.campaign_claim(
        campaign=campaign, person=person, actor=user, request_id="req-1"
    )
    assert (again.pk, again.code, again.replayed) == (first.pk, first.code, True)
    assert (Claim.objects.count(), LedgerEntry.objects.count(), AuditEntry.objects.count()) == rows
    other = services.campaign_claim(
        campaign=campaign, person=person, actor=user, request_id="req-2"
    )
    assert other.pk != first.pk


def test_a_request_id_must_be_short_printable_text(zone_a):
    campaign = open_campaign(zone_a)
    person, user = worker(zone_a)
    with pytest.raises(InvalidInput):
        services.campaign_claim(campaign=campaign, person=person, actor=user, request_id="x" * 65)


@pytest.mark.parametrize(
    "status", [CampaignStatus.DRAFT, CampaignStatus.APPROVED, CampaignStatus.CLOSED]
)
def test_only_open_campaigns_hand_out(zone_a, status):
    campaign = open_campaign(zone_a)
    Campaign.objects.filter(pk=campaign.pk).update(status=status)
    person, user = worker(zone_a)
    with pytest.raises(Conflict) as exc:
        services.campaign_claim(campaign=campaign, person=person, actor=user)
    assert exc.value.code == "not_open"


def test_claims_outside_the_window_are_refused(zone_a):
    now = timezone.now()
    campaign = open_campaign(
        zone_a, claim_starts_at=now + dt.timedelta(days=1), claim_ends_at=now + dt.timedelta(days=2)
    )
    person, user = worker(zone_a)
    with pytest.raises(Conflict) as exc:
        services.campaign_claim(campaign=campaign, person=person, actor=user)
    assert "尚未开始" in exc.value.message
    with pytest.raises(Conflict) as exc:
        services.campaign_claim(
            campaign=campaign, person=person, actor=user, at=now + dt.timedelta(days=3)
        )
    assert "已截止" in exc.value.message


def test_eligibility_by_job_type_and_enterprise(zone_a):
    firm = enterprise(zone_a)
    campaign = open_campaign(
        zone_a, eligible_job_types=["food_delivery"], eligible_enterprise=firm.pk
    )
    courier, courier_user = worker(zone_a, job_type="courier", employer=firm.pk)
    with pytest.raises(Forbidden) as exc:
        services.campaign_claim(campaign=campaign, person=courier, actor=courier_user)
    assert exc.value.code == "not_eligible" and "外卖骑手" in exc.value.message
    outsider, outsider_user = worker(zone_a, job_type="food_delivery")
    with pytest.raises(Forbidden) as exc:
        services.campaign_claim(campaign=campaign, person=outsider, actor=outsider_user)
    assert firm.name in exc.value.message
    rider, rider_user = worker(zone_a, job_type="food_delivery", employer=firm.pk)
    assert services.campaign_claim(campaign=campaign, person=rider, actor=rider_user).pk


def test_only_workers_of_the_zone_may_claim(zone_a, zone_b):
    campaign = open_campaign(zone_a)
    resident, resident_user = worker(zone_a, role="resident")
    with pytest.raises(Forbidden):
        services.campaign_claim(campaign=campaign, person=resident, actor=resident_user)
    stranger, stranger_user = worker(zone_b)
    with pytest.raises(NotFound):  # the campaign does not exist for them
        services.campaign_claim(campaign=campaign, person=stranger, actor=stranger_user)
    with pytest.raises(Forbidden):  # a loader cannot hand a zone-A voucher to a zone-B person
        services.campaign_claim(campaign=campaign, person=stranger, actor=None)


def test_a_worker_claims_only_for_themselves_and_an_officer_may_hand_out(zone_a):
    campaign = open_campaign(zone_a, stock=5)
    someone, _ = worker(zone_a, login=False)
    _, other_user = worker(zone_a)
    with pytest.raises(Forbidden) as exc:
        services.campaign_claim(campaign=campaign, person=someone, actor=other_user)
    assert exc.value.code == "not_your_claim"
    officer = make_user("officer", zone_a)
    claim = services.campaign_claim(campaign=campaign, person=someone, actor=officer)
    assert claim.claimed_by == officer


def test_a_draft_hands_out_nothing_even_to_a_loader(zone_a):
    campaign = draft(zone_a)
    person, _ = worker(zone_a, login=False)
    with pytest.raises(Conflict):
        services.campaign_claim(campaign=campaign, person=person, actor=None)
    assert ledger_rollup_mismatches(zone=zone_a) == []


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("abcde-fghjk", "ABCDEFGHJK"),
        (" ABCDE FGHJK ", "ABCDEFGHJK"),
        ("OOOOO-IIIII", "0000011111"),
        ("ABCDE", ""),
        ("ABCDE-FGHJU", ""),
        ("", ""),
    ],
)
def test_codes_typed_by_hand_are_normalised(typed, stored):
    assert normalize_code(typed) == stored
