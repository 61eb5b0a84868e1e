"""Many claims and scans at once, on real connections (SQLite or PostgreSQL,
whichever DATABASE_URL names): the counts must come out exact."""

from collections import Counter

import pytest

from gaoxin.core.errors import Conflict
from gaoxin.core.testing import at_once
from gaoxin.ledger.selectors import ledger_rollup_mismatches
from gaoxin.welfare import services
from gaoxin.welfare.models import Campaign, Claim
from gaoxin.welfare.selectors import campaign_money
from gaoxin.welfare.tests.factories import open_campaign, worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_claim_never_exceeds_stock_or_the_per_worker_limit_under_concurrency(zone_a):
    campaign = open_campaign(zone_a, stock=5, unit_value_fen=1000, per_worker_limit=1)
    workers = [worker(zone_a) for _ in range(12)]
    calls = []
    for person, user in workers:  # every worker taps twice, without an idempotency key
        for _ in range(2):
            calls.append(
                lambda p=person, u=user: services.campaign_claim(
                    campaign=campaign, person=p, actor=u
                )
            )
    results = at_once(calls)

    successes = [r for r in results if isinstance(r, Claim)]
    refusals = Counter(r.code for r in results if isinstance(r, Conflict))
    unexpected = [r for r in results if not isinstance(r, Claim | Conflict)]
    assert unexpected == []
    assert len(successes) == 5
    assert set(refusals) <= {"sold_out", "limit_reached"} and sum(refusals.values()) == 19
    assert Campaign.objects.get(pk=campaign.pk).issued == 5
    assert Claim.objects.filter(campaign=campaign).count() == 5
    per_person = Counter(
        Claim.objects.filter(campaign=campaign).values_list("person_id", flat=True)
    )
    assert max(per_person.values()) == 1
    # Every "success" shown is a row in the database: none lost.
    assert {c.pk for c in successes} == set(Claim.objects.values_list("pk", flat=True))
    money = campaign_money(campaign=campaign)
    assert (money.issued_fen, money.remaining_fen) == (5000, 0)
    assert ledger_rollup_mismatches(zone=zone_a) == []


def test_retries_and_double_scans_under_concurrency(zone_a, make_user):
    """A claim retried from 6 threads with one Idempotency-Key gives one voucher;
    the voucher scanned at 6 tills at once is redeemed exactly once."""
    campaign = open_campaign(zone_a, stock=3, unit_value_fen=800, per_worker_limit=2)
    person, user = worker(zone_a)
    results = at_once(
        [
            lambda: services.campaign_claim(
                campaign=campaign, person=person, actor=user, request_id="tap-1"
            )
            for _ in range(6)
        ]
    )
    assert all(isinstance(r, Claim) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Claim.objects.count() == 1 and Campaign.objects.get(pk=campaign.pk).issued == 1

    code = results[0].code
    keepers = [make_user("station_keeper", zone_a) for _ in range(6)]
    scans = at_once(
        [
            lambda k=k, i=i: services.voucher_redeem(
                zone=zone_a.pk, code=code, actor=k, place=f"收银台{i}"
            )
            for i, k in enumerate(keepers)
        ]
    )
    won = [s for s in scans if isinstance(s, Claim)]
    lost = [s for s in scans if isinstance(s, Conflict)]
    assert len(won) == 1 and len(lost) == 5
    stored = Claim.objects.get(code=code)
    assert all(e.code == "already_redeemed" and stored.redeemed_place in e.message for e in lost)
    assert Campaign.objects.get(pk=campaign.pk).redeemed == 1
    money = campaign_money(campaign=campaign)
    assert (money.issued_fen, money.redeemed_fen, money.outstanding_fen) == (800, 800, 0)
    assert ledger_rollup_mismatches(zone=zone_a) == []
