"""A zone with nothing recorded yet says so, instead of "0 个驿站点累计服务 0 人次"."""

import pytest
from django.urls import reverse

from gaoxin.stations.tests.factories import station

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("stations", [0, 2])
def test_stats_of_an_empty_zone_say_there_is_nothing_yet(client, zone_a, make_user, stations):
    for _ in range(stations):
        station(zone_a)
    client.force_login(make_user("officer", zone_a))
    page = client.get(reverse("stations:office_stats"), {"zone": zone_a.pk}).content.decode()
    assert "甲高新区尚无驿站服务记录" in page
    assert "0 人次" not in page and "0 个驿站点" not in page
