"""Django admin for stations: read-only, zone-restricted lists that point to the
stations office pages, where writes go through the services."""

import pytest
from django.urls import reverse
from django.utils import timezone

from gaoxin.registry.tests.factories import person
from gaoxin.stations import services
from gaoxin.stations.tests.factories import station

pytestmark = pytest.mark.django_db

MODELS = ("station", "checkin", "servicerecord", "walkinbatch")


def url(model: str, view: str, *args) -> str:
    return reverse(f"admin:stations_{model}_{view}", args=args)


@pytest.fixture
def world(zone_a, zone_b, make_user):
    a = station(zone_a, name="甲区驿站")
    b = station(zone_b, name="乙区机密驿站")
    for s, zone in ((a, zone_a), (b, zone_b)):
        services.checkin_record(
            station=s,
            person=person(zone, phone="13900001111" if s is a else "13900002222"),
            services=["water"],
        )
        services.walkin_record(
            actor=None,
            station=s,
            day=timezone.localdate(),
            visits=3,
            services=["rest"],
            note=f"{s.name}补登",
        )
    return {"a": a, "b": b, "officer": make_user("officer", zone_a)}


def test_lists_show_only_the_zone_and_mask_phones(client, world):
    client.force_login(world["officer"])
    for model in MODELS:
        resp = client.get(url(model, "changelist"))
        page = resp.content.decode()
        assert resp.status_code == 200, model
        assert "乙区机密驿站" not in page, model
        assert "甲区驿站" in page, model
    page = client.get(url("checkin", "changelist")).content.decode()
    assert "139****1111" in page and "13900001111" not in page and "饮水" in page


def test_everything_is_read_only_and_points_to_the_office_pages(client, world):
    a = world["a"]
    client.force_login(world["officer"])
    for model in MODELS:
        assert client.get(url(model, "add")).status_code == 403, model
    page = client.get(url("station", "change", a.pk)).content.decode()
    assert reverse("stations:office_detail", args=[a.pk]) in page
    assert 'name="_save"' not in page
    resp = client.post(url("station", "change", a.pk), {"name": "改名"})
    assert resp.status_code == 403
    a.refresh_from_db()
    assert a.name == "甲区驿站"
    assert client.post(url("station", "delete", a.pk), {"post": "yes"}).status_code == 403


def test_another_zones_records_are_404(client, world):
    b = world["b"]
    client.force_login(world["officer"])
    assert client.get(url("station", "change", b.pk)).status_code == 404
    assert client.get(url("checkin", "change", b.checkins.get().pk)).status_code == 404
    assert client.get(url("walkinbatch", "change", b.walkin_batches.get().pk)).status_code == 404


@pytest.mark.parametrize("rows", [1, 3])
def test_changelists_cost_the_same_for_1_and_3_rows(
    client, zone_a, make_user, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        s = station(zone_a)
        services.checkin_record(station=s, person=person(zone_a), services=["water"])
        services.walkin_record(
            actor=None, station=s, day=timezone.localdate(), visits=2, services=["rest"]
        )
    client.force_login(make_user("officer", zone_a))
    for model in MODELS:
        with django_assert_max_num_queries(10):
            assert client.get(url(model, "changelist")).status_code == 200, model
