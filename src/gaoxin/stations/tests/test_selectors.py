"""The reads the stations pages used to build in views (views/queries.py), now
selectors: the phone list without a position, the keepers a station may get,
the stations a user's statistics cover."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gaoxin.stations import selectors, services
from gaoxin.stations.tests.factories import station

pytestmark = pytest.mark.django_db


def test_the_list_without_a_position_keeps_open_stations_of_the_zone(zone_a, zone_b):
    water = station(zone_a, name="甲区饮水点", amenities=["water"])
    rest = station(zone_a, name="甲区休息点", amenities=["rest"])
    shut = station(zone_a, name="甲区闭站点", amenities=["water"])
    today = timezone.localdate()
    services.station_closure_add(actor=None, station=shut, start_date=today, end_date=today)
    station(zone_b, name="乙区饮水点", amenities=["water"])
    listed = selectors.stations_listed(zone_id=zone_a.pk, amenities=["water"], limit=50)
    assert [(s.name, is_open) for s, is_open in listed] == [
        ("甲区闭站点", False),
        ("甲区饮水点", True),
    ]
    only_open = selectors.stations_listed(zone_id=zone_a.pk, amenities=[], open_only=True, limit=50)
    assert {s.pk for s, _ in only_open} == {water.pk, rest.pk}
    assert len(selectors.stations_listed(zone_id=None, amenities=["water"], limit=50)) == 3


@pytest.mark.parametrize("n", [1, 3])
def test_the_list_costs_two_queries_for_any_number_of_stations(zone_a, n):
    for _ in range(n):
        station(zone_a)
    with CaptureQueriesContext(connection) as ctx:
        listed = selectors.stations_listed(zone_id=zone_a.pk, amenities=[], limit=50)
    assert len(listed) == n and len(ctx.captured_queries) == 2


def test_statistics_cover_a_keepers_own_stations_and_an_officers_whole_zone(zone_a, make_user):
    keeper = make_user("station_keeper", zone_a)
    station(zone_a)
    own = station(zone_a, keeper_id=keeper.pk)
    assert selectors.station_ids_for_stats(user=keeper) == [own.pk]
    assert selectors.station_ids_for_stats(user=make_user("officer", zone_a)) is None
    assert keeper in selectors.keepers_for_new_station(user=make_user("officer", zone_a))
