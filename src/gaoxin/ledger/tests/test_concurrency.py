"""Retries that race: the same posting sent from many threads at once is written once."""

import pytest

from gaoxin.core.testing import at_once
from gaoxin.ledger.models import LedgerEntry
from gaoxin.ledger.selectors import ledger_balance, ledger_rollup_mismatches
from gaoxin.ledger.services import Leg, ledger_post

pytestmark = pytest.mark.django_db(transaction=True)


def test_racing_retries_post_once_and_racing_postings_all_count(zone_a):
    """One transactional test for both (each costs a database flush)."""
    legs = [Leg("test:pay:1:source", -50_000), Leg("test:pay:1:paid", 50_000)]
    results = at_once(
        [
            lambda: ledger_post(zone=zone_a.pk, entries=legs, idempotency_key="pay-1", actor=None)
            for _ in range(8)
        ]
    )
    assert all(isinstance(r, list) for r in results), results
    assert {tuple(e.pk for e in r) for r in results} == {tuple(e.pk for e in results[0])}
    assert LedgerEntry.objects.count() == 2

    def post(i):
        return ledger_post(
            zone=zone_a.pk,
            idempotency_key=f"pay-{i + 2}",
            actor=None,
            entries=[Leg("test:pay:1:source", -100), Leg("test:pay:1:paid", 100)],
        )

    results = at_once([lambda i=i: post(i) for i in range(8)])
    assert all(isinstance(r, list) for r in results), results
    assert LedgerEntry.objects.count() == 18
    assert ledger_balance(zone=zone_a, account="test:pay:1:paid") == 50_800
    assert ledger_rollup_mismatches(zone=zone_a) == []
