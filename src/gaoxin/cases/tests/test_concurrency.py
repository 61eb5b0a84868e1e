"""Paying aid under retries and double clicks, on real connections (SQLite or PostgreSQL,
whichever DATABASE_URL names): the money moves exactly once."""

import pytest

from gaoxin.cases import services
from gaoxin.cases.enums import AidStatus
from gaoxin.cases.models import AidApplication
from gaoxin.cases.tests.factories import approved_aid
from gaoxin.core.errors import ApplicationError
from gaoxin.core.models import AuditEntry
from gaoxin.core.testing import at_once
from gaoxin.ledger.models import LedgerEntry
from gaoxin.ledger.selectors import ledger_balance, ledger_rollup_mismatches

pytestmark = pytest.mark.django_db(transaction=True)


def test_aid_is_paid_once_when_two_officers_click_and_requests_are_retried(zone_a):
    case, aid, a, b = approved_aid(zone_a, amount_fen=300000)
    calls = [
        (lambda who=who: services.aid_pay(case=case, aid_id=aid.pk, actor=who))
        for who in (a, b, a, b, a, b)
    ]
    results = at_once(calls)
    unexpected = [r for r in results if not isinstance(r, AidApplication)]
    assert unexpected == []
    assert sum(1 for r in results if not r.replayed) == 1
    assert all(r.status == AidStatus.PAID for r in results)
    assert (
        LedgerEntry.objects.filter(zone_id=zone_a.pk, idempotency_key=aid.ledger_key).count() == 2
    )
    assert ledger_balance(zone=zone_a, account="cases:aid:paid:hardship") == 300000
    assert ledger_rollup_mismatches(zone=zone_a) == []
    paid = AuditEntry.objects.filter(object_type="cases.AidApplication", note="pay")
    assert paid.count() == 1
    # and a retry afterwards pays nothing more
    again = services.aid_pay(case=case, aid_id=aid.pk, actor=a)
    assert again.replayed
    assert ledger_balance(zone=zone_a, account="cases:aid:paid:hardship") == 300000


def test_aid_is_approved_once_under_concurrency(zone_a, make_user):
    case, aid, a, b = approved_aid(zone_a)
    c = make_user("officer", zone_a)
    services.case_assign(case=case, actor=a, officer_ids=[c.pk])
    second = services.aid_apply(case=case, actor=a, data={**_data(), "kind": "tuition"})
    results = at_once(
        [
            lambda who=who: services.aid_approve(case=case, aid_id=second.pk, actor=who)
            for who in (b, c, b, c)
        ]
    )
    assert [
        r
        for r in results
        if isinstance(r, ApplicationError | Exception) and not isinstance(r, AidApplication)
    ] == []
    assert AidApplication.objects.get(pk=second.pk).status == AidStatus.APPROVED
    assert (
        AuditEntry.objects.filter(
            object_type="cases.AidApplication", object_id=str(second.pk), note="approve"
        ).count()
        == 1
    )


def _data():
    from gaoxin.cases.tests.factories import aid_data

    return aid_data()
