"""One rule decides whether a voucher has expired (domain.voucher_expired): the
phone page greys it out, the API says `expired`, and redemption refuses it."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from gaoxin.core.errors import Conflict
from gaoxin.welfare import services
from gaoxin.welfare.models import Campaign
from gaoxin.welfare.tests.factories import open_campaign, worker

pytestmark = pytest.mark.django_db


def test_page_api_and_redemption_agree_on_expiry(api_client, zone_a, make_user):
    now = timezone.now()
    campaign = open_campaign(zone_a, redeem_until=now + dt.timedelta(days=8))
    person, user = worker(zone_a)
    claim = services.campaign_claim(campaign=campaign, person=person, actor=user)
    phone = Client()
    phone.force_login(user)

    def shown():
        page = phone.get("/welfare/m/vouchers/").content.decode()
        api = api_client.as_user(user).get("vouchers").json()["items"][0]
        return ("已过期" in page, "<svg" in page), api["expired"]

    assert shown() == ((False, True), False)
    # The deadline passes (moved to the past: the clock is not ours to move).
    Campaign.objects.filter(pk=campaign.pk).update(redeem_until=now - dt.timedelta(minutes=1))
    assert shown() == ((True, False), True)
    with pytest.raises(Conflict) as exc:
        services.voucher_redeem(zone=zone_a, code=claim.code, actor=make_user("officer", zone_a))
    assert exc.value.code == "expired"
