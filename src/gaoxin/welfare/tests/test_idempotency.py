"""A claim retried with the same Idempotency-Key, several copies in flight at once,
always gets the first answer: one voucher, never a 409 "limit reached"."""

from collections import Counter

import pytest
from django.test import Client

from gaoxin.core import services as core_services
from gaoxin.core.testing import at_once
from gaoxin.ledger.models import LedgerEntry
from gaoxin.welfare.models import Campaign, Claim
from gaoxin.welfare.tests.factories import open_campaign, worker

pytestmark = pytest.mark.django_db(transaction=True)

COPIES = 6
ROUNDS = 4


@pytest.mark.parametrize("limit", [1, 2])
def test_simultaneous_retries_with_one_key_all_get_the_first_voucher(zone_a, limit):
    campaign = open_campaign(zone_a, stock=50, unit_value_fen=700, per_worker_limit=limit)
    url = f"/api/v1/campaigns/{campaign.pk}/claims"
    for round_ in range(ROUNDS):
        person, user = worker(zone_a)
        headers = {
            "Authorization": f"Bearer {core_services.api_token_issue(user=user)}",
            "Idempotency-Key": f"tap-{round_}",
        }

        def claim(client, headers=headers):
            response = client.post(url, data="{}", content_type="application/json", headers=headers)
            return response.status_code, response.json()

        answers = at_once([lambda: claim(Client()) for _ in range(COPIES)])
        assert all(isinstance(a, tuple) for a in answers), answers
        statuses = Counter(status for status, _body in answers)
        assert statuses == {201: 1, 200: COPIES - 1}, answers
        assert len({body["code"] for _status, body in answers}) == 1, answers
        claims = Claim.objects.filter(campaign=campaign, person=person)
        assert claims.count() == 1
        assert (
            LedgerEntry.objects.filter(
                reference_type="welfare.Claim", reference_id=claims.get().pk
            ).count()
            == 2
        )
    assert Campaign.objects.get(pk=campaign.pk).issued == ROUNDS


def test_a_retry_after_the_last_unit_went_to_its_first_copy_gets_that_voucher(zone_a):
    """Sold out by the very request being retried: the retry answers with its voucher."""
    campaign = open_campaign(zone_a, stock=1, unit_value_fen=700)
    person, user = worker(zone_a)
    headers = {
        "Authorization": f"Bearer {core_services.api_token_issue(user=user)}",
        "Idempotency-Key": "last-one",
    }
    url = f"/api/v1/campaigns/{campaign.pk}/claims"

    def claim(client):
        response = client.post(url, data="{}", content_type="application/json", headers=headers)
        return response.status_code, response.json()

    answers = at_once([lambda: claim(Client()) for _ in range(COPIES)])
    assert Counter(status for status, _body in answers) == {201: 1, 200: COPIES - 1}, answers
    assert len({body["code"] for _status, body in answers}) == 1
    assert Claim.objects.filter(campaign=campaign).count() == 1
