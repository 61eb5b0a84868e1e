"""Ledger entries are sealed: an edit made in the database is found by
`gaoxin audit verify`, which names the entry."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from gaoxin.ledger.models import LedgerEntry
from gaoxin.ledger.selectors import ledger_verify
from gaoxin.ledger.services import Leg, ledger_post, ledger_reverse

FUND = [Leg("test:fund:1:sponsor", -10_000), Leg("test:fund:1:budget", 10_000)]
SPEND = [Leg("test:fund:1:budget", -3_500), Leg("test:fund:1:spent", 3_500)]


def raw(sql: str, params: list) -> None:
    table = connection.ops.quote_name(LedgerEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=table), params)


def verify(capsys) -> tuple[str, str]:
    call_command("audit", "verify")
    out = capsys.readouterr()
    return out.out, out.err


def test_postings_and_reversals_are_sealed_and_verify(zone_a, zone_b, capsys):
    ledger_post(zone=zone_a, entries=FUND, idempotency_key="fund-1", actor=None, memo="拨款")
    ledger_post(zone=zone_b, entries=SPEND, idempotency_key="spend-1", actor=None, memo="发放")
    ledger_reverse(zone=zone_b, original_key="spend-1", idempotency_key="undo-1", actor=None)
    assert all(e.seal and e.seal_ok for e in LedgerEntry.objects.all())
    assert ledger_verify() == ("台账", 6, [])
    out, err = verify(capsys)
    assert "台账完好：共检查 6 条记录" in out and err == ""


@pytest.mark.parametrize(
    "change",
    [
        ("UPDATE {table} SET amount_fen = amount_fen + 100 WHERE id = %s", "amount"),
        ("UPDATE {table} SET account = 'test:fund:1:elsewhere' WHERE id = %s", "account"),
        ("UPDATE {table} SET memo = '改过' WHERE id = %s", "memo"),
        ("UPDATE {table} SET seal = '' WHERE id = %s", "seal"),
    ],
)
def test_a_hand_edited_entry_fails_verify_and_is_named(zone_a, capsys, change):
    ledger_post(zone=zone_a, entries=FUND, idempotency_key="fund-1", actor=None)
    ledger_post(zone=zone_a, entries=SPEND, idempotency_key="spend-1", actor=None)
    target = LedgerEntry.objects.get(idempotency_key="spend-1", leg=1)
    sql, _what = change
    raw(sql, [target.pk])
    with pytest.raises(CommandError, match="台账"):
        call_command("audit", "verify")
    err = capsys.readouterr().err
    assert f"分录编号 {target.pk}（幂等键 spend-1 第 1 条" in err
    assert "内容与封签不符" in err
    assert f"分录编号 {LedgerEntry.objects.get(idempotency_key='fund-1', leg=0).pk}" not in err


def test_an_amount_moved_between_legs_still_balances_but_is_caught(zone_a):
    """Both legs edited so the posting still sums to zero: the seals catch it."""
    ledger_post(zone=zone_a, entries=FUND, idempotency_key="fund-1", actor=None)
    first, second = LedgerEntry.objects.order_by("leg")
    raw("UPDATE {table} SET amount_fen = amount_fen - 1 WHERE id = %s", [first.pk])
    raw("UPDATE {table} SET amount_fen = amount_fen + 1 WHERE id = %s", [second.pk])
    _what, checked, problems = ledger_verify()
    assert checked == 2
    assert [p for p in problems if "封签" in p] and len([p for p in problems if "封签" in p]) == 2


def test_a_deleted_leg_leaves_its_posting_unbalanced(zone_a):
    ledger_post(zone=zone_a, entries=FUND, idempotency_key="fund-1", actor=None)
    raw("DELETE FROM {table} WHERE leg = %s", [1])
    _what, _checked, problems = ledger_verify()
    assert any("幂等键 fund-1" in p and "不平" in p for p in problems)


def test_seals_stay_valid_after_a_field_key_rotation(zone_a, settings):
    ledger_post(zone=zone_a, entries=FUND, idempotency_key="fund-1", actor=None)
    settings.FIELD_KEY = f"a-brand-new-field-key,{settings.FIELD_KEY}"
    ledger_post(zone=zone_a, entries=SPEND, idempotency_key="spend-1", actor=None)
    assert ledger_verify()[2] == []
    settings.FIELD_KEY = "a-brand-new-field-key"  # old key dropped: nothing vouches for its seals
    assert len(ledger_verify()[2]) == 2
