"""Retries that race: the same posting sent from many threads at once is written once."""

import threading

import pytest
from django.db import connection

from gaoxin.ledger.models import LedgerEntry
from gaoxin.ledger.selectors import ledger_balance, ledger_rollup_mismatches
from gaoxin.ledger.services import Leg, ledger_post

pytestmark = pytest.mark.django_db(transaction=True)


def _run_threads(n: int, target) -> list:
    results: list = []
    barrier = threading.Barrier(n)

    def run(i):
        try:
            barrier.wait()
            results.append(target(i))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_racing_retries_post_once_and_racing_postings_all_count(zone_a):
    """One transactional test for both (each costs a database flush)."""
    legs = [Leg("test:pay:1:source", -50_000), Leg("test:pay:1:paid", 50_000)]
    results = _run_threads(
        8, lambda i: ledger_post(zone=zone_a.pk, entries=legs, idempotency_key="pay-1", actor=None)
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

    results = _run_threads(8, post)
    assert all(isinstance(r, list) for r in results), results
    assert LedgerEntry.objects.count() == 18
    assert ledger_balance(zone=zone_a, account="test:pay:1:paid") == 50_800
    assert ledger_rollup_mismatches(zone=zone_a) == []
