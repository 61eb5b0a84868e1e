import pytest
from django.utils import timezone

from gaoxin.core.testing import forged
from gaoxin.registry.tests.factories import person
from gaoxin.stations import coords, tokens
from gaoxin.stations.tests.factories import station


def test_nearest_is_public_and_converts_coordinates(client, zone_a):
    s = station(zone_a, lat=23.05, lng=112.46)
    glat, glng = coords.wgs84_to_gcj02(23.06, 112.47)
    resp = client.get(
        "/api/v1/stations/nearest", {"lat": glat, "lng": glng, "crs": "gcj02", "k": 3}
    )
    assert resp.status_code == 200, resp.content
    item = resp.json()["items"][0]
    assert item["id"] == s.pk and 1000 < item["distance_m"] < 2000
    # the answer comes back in the caller's coordinate system
    assert abs(item["lat"] - coords.wgs84_to_gcj02(23.05, 112.46)[0]) < 1e-6


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lat": 112.4, "lng": 23.0}, "lat"),
        ({"lat": 23, "lng": 112, "crs": "mars"}, "crs"),
        ({"lat": 23, "lng": 112, "k": 0}, "k"),
        ({"lat": "x", "lng": 112}, "lat"),
    ],
)
def test_nearest_bad_input_is_a_clear_4xx(client, db, params, field):
    resp = client.get("/api/v1/stations/nearest", params)
    assert 400 <= resp.status_code < 500
    body = resp.json()
    assert body["code"] and field in body["fields"]


def test_worker_checks_in_via_api_with_poster_code(zone_a, make_user, api_client):
    s = station(zone_a)
    worker = make_user("worker", zone_a)
    worker.person = person(zone_a)
    worker.save()
    code = tokens.poster_code(s.pk, s.poster_version)
    api = api_client.as_user(worker)
    resp = api.post(f"stations/{s.pk}/checkins", {"code": code, "services": ["water"]})
    assert resp.status_code == 201, resp.content
    again = api.post(f"stations/{s.pk}/checkins", {"code": code, "services": ["water"]})
    assert again.status_code == 409 and again.json()["code"] == "duplicate_checkin"
    refused = api.post(f"stations/{s.pk}/checkins", {"code": forged(code), "services": []})
    assert refused.status_code == 400 and "二维码无效" in refused.json()["message"]


def test_officer_sees_stats_and_zone_b_is_404(zone_a, zone_b, make_user, api_client):
    s = station(zone_a)
    other = station(zone_b)
    officer = make_user("officer", zone_a)
    from gaoxin.stations import services

    for visits in [500] * 12 + [42]:
        services.walkin_record(
            actor=officer, station=s, day=timezone.localdate(), visits=visits, services=["water"]
        )
    api = api_client.as_user(officer)
    stats = api.get("stations/stats").json()
    assert stats["visits"] == 6042 and stats["visits_text"] == "6000 多人次"
    assert api.get(f"stations/{other.pk}").status_code == 404
    assert api.get(f"stations/{other.pk}/checkins").status_code == 404
    assert api.post(f"stations/{other.pk}/pause", {}).status_code == 404
    assert [i["id"] for i in api.get("stations").json()["items"]] == [s.pk]


def test_keeper_sees_only_own_station(zone_a, make_user, api_client):
    keeper = make_user("station_keeper", zone_a)
    mine = station(zone_a, keeper=keeper.pk)
    station(zone_a)
    api = api_client.as_user(keeper)
    assert [i["id"] for i in api.get("stations").json()["items"]] == [mine.pk]
    assert (
        api.post(
            "stations",
            {"name": "x", "kind": "hub", "address": "a", "lat": 23, "lng": 112, "is_24h": True},
        ).status_code
        == 403
    )
