import pytest

from gaoxin.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from gaoxin.core.models import AuditEntry
from gaoxin.ledger.models import LedgerDaily, LedgerEntry
from gaoxin.ledger.selectors import (
    ledger_balance,
    ledger_balances,
    ledger_entries_for_user,
    ledger_rollup_mismatches,
)
from gaoxin.ledger.services import Leg, ledger_post, ledger_reverse

FUND = [Leg("test:fund:1:sponsor", -10_000), Leg("test:fund:1:budget", 10_000)]


def test_a_posting_is_written_once_and_balances_are_sums(zone_a):
    ledger_post(zone=zone_a, entries=FUND, idempotency_key="fund-1", actor=None, memo="拨款")
    ledger_post(
        zone=zone_a,
        entries=[("test:fund:1:budget", -3_500), ("test:fund:1:spent", 3_500)],
        idempotency_key="spend-1",
        actor=None,
    )
    assert ledger_balance(zone=zone_a, account="test:fund:1:budget") == 6_500
    assert ledger_balances(zone=zone_a, prefix="test:fund:1:") == {
        "test:fund:1:sponsor": -10_000,
        "test:fund:1:budget": 6_500,
        "test:fund:1:spent": 3_500,
    }
    assert sum(LedgerEntry.objects.values_list("amount_fen", flat=True)) == 0
    assert ledger_rollup_mismatches(zone=zone_a) == []


def test_the_same_key_returns_the_first_entries_and_writes_nothing(zone_a):
    first = ledger_post(zone=zone_a, entries=FUND, idempotency_key="fund-1", actor=None)
    again = ledger_post(zone=zone_a, entries=FUND, idempotency_key="fund-1", actor=None)
    assert [e.pk for e in again] == [e.pk for e in first]
    assert LedgerEntry.objects.count() == 2
    assert ledger_balance(zone=zone_a, account="test:fund:1:budget") == 10_000


def test_a_key_reused_for_different_money_is_a_conflict(zone_a):
    ledger_post(zone=zone_a, entries=FUND, idempotency_key="fund-1", actor=None)
    other = [Leg("test:fund:1:sponsor", -1), Leg("test:fund:1:budget", 1)]
    with pytest.raises(Conflict) as exc:
        ledger_post(zone=zone_a, entries=other, idempotency_key="fund-1", actor=None)
    assert exc.value.code == "idempotency_key_reused"


def test_keys_are_per_zone(zone_a, zone_b):
    ledger_post(zone=zone_a, entries=FUND, idempotency_key="fund-1", actor=None)
    ledger_post(zone=zone_b, entries=FUND, idempotency_key="fund-1", actor=None)
    assert LedgerEntry.objects.filter(zone=zone_b).count() == 2
    assert ledger_balance(zone=zone_a, account="test:fund:1:budget") == 10_000


@pytest.mark.parametrize(
    ("entries", "key"),
    [
        ([Leg("test:a:x", 100), Leg("test:a:y", -99)], "k"),  # unbalanced
        ([Leg("test:a:x", 0), Leg("test:a:y", 0)], "k"),  # zero legs
        ([Leg("test:a:x", 1.5), Leg("test:a:y", -1.5)], "k"),  # not fen
        ([Leg("Bad Account", 1), Leg("test:a:y", -1)], "k"),
        ([], "k"),
        (FUND, ""),
    ],
)
def test_bad_postings_are_refused_and_write_nothing(zone_a, entries, key):
    with pytest.raises(InvalidInput):
        ledger_post(zone=zone_a, entries=entries, idempotency_key=key, actor=None)
    assert not LedgerEntry.objects.exists()
    assert not LedgerDaily.objects.exists()


def test_entries_are_append_only(zone_a):
    entry = ledger_post(zone=zone_a, entries=FUND, idempotency_key="fund-1", actor=None)[0]
    entry.amount_fen = 1
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


def test_a_correction_is_a_reversing_posting_made_once_and_audited(zone_a, make_user):
    finance = make_user("finance", zone_a)
    ledger_post(zone=zone_a, entries=FUND, idempotency_key="fund-1", actor=None, memo="拨款")
    reversal = ledger_reverse(
        zone=zone_a, original_key="fund-1", idempotency_key="fix-1", actor=finance, memo="金额录错"
    )
    assert [e.amount_fen for e in reversal] == [10_000, -10_000]
    assert ledger_balances(zone=zone_a, prefix="test:fund:1:") == {
        "test:fund:1:sponsor": 0,
        "test:fund:1:budget": 0,
    }
    assert (
        ledger_reverse(zone=zone_a, original_key="fund-1", idempotency_key="fix-1", actor=finance)[
            0
        ].pk
        == reversal[0].pk
    )  # a retry
    with pytest.raises(Conflict) as exc:
        ledger_reverse(zone=zone_a, original_key="fund-1", idempotency_key="fix-2", actor=finance)
    assert exc.value.code == "already_reversed"
    with pytest.raises(Conflict):
        ledger_reverse(zone=zone_a, original_key="fix-1", idempotency_key="fix-3", actor=finance)
    assert LedgerEntry.objects.count() == 4
    audit = AuditEntry.objects.filter(zone=zone_a, object_type="ledger.LedgerEntry").get()
    assert audit.after["reverses"] == "fund-1" and audit.actor_id == finance.pk
    assert ledger_rollup_mismatches(zone=zone_a) == []


def test_only_finance_and_zone_admins_reverse_in_their_zone(zone_a, zone_b, make_user):
    ledger_post(zone=zone_a, entries=FUND, idempotency_key="fund-1", actor=None)
    with pytest.raises(Forbidden):
        ledger_reverse(
            zone=zone_a,
            original_key="fund-1",
            idempotency_key="x",
            actor=make_user("officer", zone_a),
        )
    with pytest.raises(NotFound):
        ledger_reverse(
            zone=zone_a,
            original_key="fund-1",
            idempotency_key="x",
            actor=make_user("finance", zone_b),
        )
    with pytest.raises(NotFound):
        ledger_reverse(
            zone=zone_a,
            original_key="missing",
            idempotency_key="x",
            actor=make_user("zone_admin", zone_a),
        )


def test_entries_are_listed_only_inside_the_users_zone(zone_a, zone_b, make_user):
    ledger_post(zone=zone_a, entries=FUND, idempotency_key="fund-1", actor=None)
    ledger_post(zone=zone_b, entries=FUND, idempotency_key="fund-1", actor=None)
    officer = make_user("officer", zone_a)
    assert {e.zone_id for e in ledger_entries_for_user(user=officer)} == {zone_a.pk}
    with pytest.raises(Forbidden):
        ledger_entries_for_user(user=make_user("worker", zone_a))
