"""Where a voucher is redeemed: a campaign that names its places is redeemed only by
those places' keepers (or an officer); the recorded place is the station or
merchant, never the redeemer's role; the audit entry says 核销."""

import pytest
from django.urls import reverse

from gaoxin.core.models import AuditEntry
from gaoxin.stations.tests.factories import station
from gaoxin.welfare import services
from gaoxin.welfare.models import Claim
from gaoxin.welfare.tests.factories import open_campaign, worker

pytestmark = pytest.mark.django_db

CINEMAS = ["肇庆万达影城（端州店）", "肇庆星光影城（高新区店）"]


@pytest.fixture
def cinema_voucher(zone_a):
    for name in CINEMAS:
        station(zone_a, name=name, kind="merchant")
    campaign = open_campaign(zone_a, title="电影通兑券", redeem_place_hint="、".join(CINEMAS))
    person, user = worker(zone_a)
    return services.campaign_claim(campaign=campaign, person=person, actor=user)


def _keeper_of(zone, make_user, name, **station_data):
    keeper = make_user("station_keeper", zone)
    keeper.display_name = "肇庆高新区驿站站长"  # the role label a keeper account carries
    keeper.save(update_fields=["display_name"])
    station(zone, name=name, keeper=keeper.pk, **station_data)
    return keeper


def test_a_station_keeper_cannot_redeem_a_cinema_voucher(
    client, zone_a, make_user, cinema_voucher, api_client
):
    keeper = _keeper_of(zone_a, make_user, "暖新驿站·高新区总工会服务中心")
    resp = api_client.as_user(keeper).post(f"vouchers/{cinema_voucher.code}/redeem", {})
    assert resp.status_code == 403 and resp.json()["code"] == "wrong_place"
    assert "肇庆万达影城（端州店）" in resp.json()["message"]
    client.force_login(keeper)
    page = client.post(reverse("welfare:redeem"), {"code": cinema_voucher.code, "place": "影院"})
    assert page.status_code == 403 and "该券只能在以下地点核销" in page.content.decode()
    assert Claim.objects.get(pk=cinema_voucher.pk).redeemed_at is None


def test_the_cinema_redeems_and_the_place_is_the_cinema(client, zone_a, make_user, cinema_voucher):
    merchant = _keeper_of(zone_a, make_user, "肇庆星光影城（高新区店）-售票处", kind="merchant")
    # the merchant keeps a named place too
    from gaoxin.stations.models import Station

    Station.objects.filter(zone=zone_a, name=CINEMAS[1]).update(keeper=merchant)
    client.force_login(merchant)
    page = client.get(reverse("welfare:redeem"))
    assert f'value="{CINEMAS[1]}"' in page.content.decode()  # the place offered: the cinema
    resp = client.post(
        reverse("welfare:redeem"), {"code": cinema_voucher.code, "place": "肇庆高新区驿站站长"}
    )
    assert resp.status_code == 200, resp.content.decode()
    stored = Claim.objects.get(pk=cinema_voucher.pk)
    assert (stored.redeemed_by, stored.redeemed_place) == (merchant, CINEMAS[1])
    entry = AuditEntry.objects.get(
        object_type="welfare.Claim", object_id=str(stored.pk), action="redeem"
    )
    assert "核销" in str(entry) and entry.get_action_display() == "核销"
    assert entry.after["redeemed_place"] == CINEMAS[1]


def test_a_keeper_records_their_station_not_their_role(zone_a, make_user, api_client):
    keeper = _keeper_of(zone_a, make_user, "暖新驿站·中旺通物流站")
    campaign = open_campaign(zone_a, redeem_place_hint="全市合作影院")  # describes, names none
    person, user = worker(zone_a)
    voucher = services.campaign_claim(campaign=campaign, person=person, actor=user)
    resp = api_client.as_user(keeper).post(
        f"vouchers/{voucher.code}/redeem", {"place": "肇庆高新区驿站站长"}
    )
    assert resp.status_code == 200, resp.content
    assert resp.json()["redeemed_place"] == "暖新驿站·中旺通物流站"


def test_an_officer_redeems_at_a_named_place(zone_a, make_user, api_client, cinema_voucher):
    officer = api_client.as_user(make_user("officer", zone_a))
    url = f"vouchers/{cinema_voucher.code}/redeem"
    unsure = officer.post(url, {"place": "办公室"})
    assert unsure.status_code == 422 and "place" in unsure.json()["fields"]
    done = officer.post(url, {"place": CINEMAS[0]})
    assert done.status_code == 200 and done.json()["redeemed_place"] == CINEMAS[0]
