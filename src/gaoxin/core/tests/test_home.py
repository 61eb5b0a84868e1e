"""The front door: anonymous visitors get the phone menu, staff the workbench, keepers their station."""

from django.urls import reverse


def test_anonymous_phone_home_links_every_program(client, db):
    html = client.get("/").content.decode()
    for name in ("stations:nearest", "welfare:m-campaigns", "activities:list", "login"):
        assert f'href="{reverse(name)}"' in html


def test_staff_are_sent_to_the_workbench_with_every_program(client, zone_a, make_user):
    client.force_login(make_user("officer", zone_a))
    resp = client.get("/")
    assert resp.status_code == 302 and resp.url == reverse("core:workbench")
    html = client.get(resp.url).content.decode()
    assert "工作台" in html
    for name in (
        "stations:office",
        "welfare:office-list",
        "activities:office-list",
        "registry:import",
        "admin:index",
    ):
        assert f'href="{reverse(name)}"' in html


def test_admin_index_links_the_workbench(client, zone_a, make_user):
    client.force_login(make_user("officer", zone_a))
    html = client.get(reverse("admin:index")).content.decode()
    assert "业务工作台" in html and f'href="{reverse("core:workbench")}"' in html


def test_keeper_lands_on_keeper_tools(client, zone_a, make_user):
    client.force_login(make_user("station_keeper", zone_a))
    resp = client.get("/", follow=True)
    assert resp.redirect_chain[0][0] == reverse("stations:keeper")
    html = resp.content.decode()
    assert reverse("stations:keeper") in html and reverse("welfare:redeem") in html
