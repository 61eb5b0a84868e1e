"""The front door sends staff to the back office and shows everyone else the phone menu."""

from django.urls import reverse


def test_anonymous_phone_home_links_every_program(client, db):
    html = client.get("/").content.decode()
    for name in ("stations:nearest", "welfare:m-campaigns", "activities:list", "stations:login"):
        assert f'href="{reverse(name)}"' in html


def test_staff_are_sent_to_the_back_office_with_a_workbench(client, zone_a, make_user):
    client.force_login(make_user("officer", zone_a))
    resp = client.get("/")
    assert resp.status_code == 302 and resp.url == reverse("admin:index")
    html = client.get(resp.url).content.decode()
    assert "业务工作台" in html
    for name in ("stations:office", "welfare:office-list", "activities:office-list", "core:import"):
        assert f'href="{reverse(name)}"' in html


def test_keeper_sees_keeper_tools(client, zone_a, make_user):
    client.force_login(make_user("station_keeper", zone_a))
    html = client.get("/").content.decode()
    assert reverse("stations:keeper") in html and reverse("welfare:redeem") in html
