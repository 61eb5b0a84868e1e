"""Every role lands on a home meant for it, the workbench gathers every program's
to-dos from the user's zone only, and every page lets the signed-in person log out."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from gaoxin.activities import services as activity_services
from gaoxin.activities.tests import factories as activity_factories
from gaoxin.core import home
from gaoxin.core.enums import Role
from gaoxin.core.tests.factories import make_user
from gaoxin.registry.tests.factories import person
from gaoxin.stations import services as station_services
from gaoxin.stations.tests.factories import station
from gaoxin.welfare.tests import factories as welfare_factories

LOGOUT_FORM = re.compile(
    r'<form[^>]*method="post"[^>]*action="/logout/"|<form[^>]*action="/logout/"[^>]*method="post"'
)

DESK = {
    Role.ZONE_ADMIN,
    Role.OFFICER,
    Role.INSTRUCTOR,
    Role.FINANCE,
    Role.DEPARTMENT_LIAISON,
    Role.NATIONAL_VIEWER,
}


def user_for(role: str, zone):
    """A login of this role as the demo makes one: display names are role labels,
    workers and enterprise contacts are linked to a registry person."""
    label = f"{zone.name}{Role(role).label}"
    if role == Role.NATIONAL_VIEWER:
        return make_user(role, None)
    user = make_user(role, zone)
    user.display_name = label
    if role in (Role.WORKER, Role.ENTERPRISE_CONTACT):
        user.person = person(
            zone, name="韦志强", role="worker" if role == Role.WORKER else "enterprise_contact"
        )
    user.save()
    if role == Role.STATION_KEEPER:
        station(zone, name="高新区总工会驿站", keeper=user.pk)
    return user


def has_logout(html: str) -> bool:
    return bool(LOGOUT_FORM.search(html))


# ------------------------------------------------------------------ landing pages


@pytest.mark.parametrize("role", Role.values)
def test_every_role_lands_on_its_own_home_with_a_logout(client, zone_a, role):
    user = user_for(role, zone_a)
    client.force_login(user)
    resp = client.get("/", follow=True)
    assert resp.status_code == 200
    html = resp.content.decode()
    path = resp.request["PATH_INFO"]
    if role in DESK:
        assert path == reverse("core:workbench")
        assert 'id="workbench-title"' in html and "工作台" in html
    elif role == Role.STATION_KEEPER:
        assert path.startswith(reverse("stations:keeper"))
        assert "站长工作台" in html and "高新区总工会驿站" in html
    elif role == Role.WORKER:
        assert path == "/"
        assert "您好，韦志强" in html
        for name in (
            "stations:nearest",
            "welfare:m-campaigns",
            "activities:list",
            "stations:visits",
            "welfare:m-vouchers",
            "activities:mine",
        ):
            assert f'href="{reverse(name)}"' in html, name
    else:  # judge, enterprise contact, entrant: their programs are still to come
        assert path == "/"
        assert str(Role(role).label) in html and "将显示在这里" in html
    assert has_logout(html)


@pytest.mark.parametrize("role", [Role.DEPARTMENT_LIAISON])
def test_desk_roles_without_a_program_yet_see_what_will_come(client, zone_a, role):
    client.force_login(user_for(role, zone_a))
    html = client.get(reverse("core:workbench")).content.decode()
    assert str(Role(role).label) in html and "将显示在这里" in html


def test_instructor_workbench_leads_to_the_visit_page(client, zone_a):
    """The party program gives instructors their page: log a visit (no placeholder)."""
    client.force_login(user_for(Role.INSTRUCTOR, zone_a))
    html = client.get(reverse("core:workbench")).content.decode()
    assert f'href="{reverse("party:m-visit")}"' in html and "将显示在这里" not in html


def test_officer_workbench_has_no_placeholder(client, zone_a):
    client.force_login(user_for(Role.OFFICER, zone_a))
    html = client.get(reverse("core:workbench")).content.decode()
    assert "将显示在这里" not in html and 'id="tiles"' in html


def test_workbench_needs_a_login_and_a_desk_role(client, zone_a):
    resp = client.get(reverse("core:workbench"))
    assert resp.status_code == 302 and "/login/" in resp.url
    client.force_login(user_for(Role.WORKER, zone_a))
    resp = client.get(reverse("core:workbench"))
    assert resp.status_code == 302 and resp.url == reverse("home")


def test_anonymous_visitors_get_the_public_home_with_login(client, db):
    html = client.get("/").content.decode()
    assert f'href="{reverse("login")}"' in html and not has_logout(html)


# ------------------------------------------------------------------ the workbench's to-dos


def make_todos(zone, officer, *, n: int):
    """n items of each kind in `zone`: a paused station, a campaign awaiting approval,
    an activity awaiting review and a person on a waiting list."""
    for _ in range(n):
        s = station(zone)
        station_services.station_transition(actor=officer, station=s, to="paused")
        welfare_factories.draft(zone, creator=officer)
        activity_factories.activity(zone, status="pending")
        full = activity_factories.activity(zone, status="published", capacity=1)
        for who in (activity_factories.worker(zone), activity_factories.worker(zone)):
            activity_services.signup_create(actor=None, activity=full, person=who)


def todo_counts(html: str) -> dict[str, int]:
    """URL → count of each to-do row on the workbench."""
    rows = re.findall(r'<span class="count">(\d+)</span>\s*<a href="([^"]+)"', html)
    return {url.replace("&amp;", "&"): int(count) for count, url in rows}


def test_workbench_lists_todos_of_every_program_from_the_own_zone_only(client, zone_a, zone_b):
    officer = user_for(Role.OFFICER, zone_a)
    make_todos(zone_a, officer, n=1)
    make_todos(zone_b, make_user(Role.OFFICER, zone_b), n=2)
    client.force_login(officer)
    html = client.get(reverse("core:workbench")).content.decode()
    assert todo_counts(html) == {
        reverse("stations:office") + "?status=paused": 1,
        reverse("welfare:office-list") + "?status=draft": 1,
        reverse("activities:office-list") + "?status=pending": 1,
        reverse("activities:office-list") + "?status=published": 1,
    }
    for text in ("个驿站暂停服务", "个福利活动待审批", "个活动待审核发布", "人在候补名单上"):
        assert text in html
    for label in ("暖新驿站", "关爱福利", "关爱活动"):
        assert label in html


def test_workbench_shows_no_todos_when_there_are_none(client, zone_a, zone_b):
    make_todos(zone_b, make_user(Role.OFFICER, zone_b), n=1)
    client.force_login(user_for(Role.OFFICER, zone_a))
    html = client.get(reverse("core:workbench")).content.decode()
    assert todo_counts(html) == {} and "暂无待办事项" in html


def test_finance_sees_campaigns_to_approve_but_not_other_programs_work(client, zone_a):
    officer = user_for(Role.OFFICER, zone_a)
    make_todos(zone_a, officer, n=1)
    client.force_login(user_for(Role.FINANCE, zone_a))
    counts = todo_counts(client.get(reverse("core:workbench")).content.decode())
    assert counts == {reverse("welfare:office-list") + "?status=draft": 1}


def test_national_viewer_picks_a_zone_or_sees_all(client, zone_a, zone_b):
    client.force_login(user_for(Role.NATIONAL_VIEWER, zone_a))
    html = client.get(reverse("core:workbench")).content.decode()
    assert zone_a.name in html and zone_b.name in html and "全部园区" in html
    html = client.get(reverse("core:workbench"), {"zone": zone_b.pk}).content.decode()
    assert f"{zone_b.name} · 工作台" in html


@pytest.mark.parametrize("rows", [1, 3])
def test_workbench_queries_do_not_grow_with_the_data(
    client, zone_a, django_assert_max_num_queries, rows
):
    officer = user_for(Role.OFFICER, zone_a)
    make_todos(zone_a, officer, n=rows)
    client.force_login(officer)
    with django_assert_max_num_queries(WORKBENCH_MAX_QUERIES):
        assert client.get(reverse("core:workbench")).status_code == 200


# session, user, groups, permissions (2), zone, then per program: stations 3,
# welfare 3 (to-dos; ledger totals, campaigns), activities 3, cases 3 (demands, late
# case steps, referrals).
WORKBENCH_MAX_QUERIES = 19


def test_worker_phone_home_queries_are_bounded(client, zone_a, django_assert_max_num_queries):
    client.force_login(user_for(Role.WORKER, zone_a))
    with django_assert_max_num_queries(14):
        assert client.get("/").status_code == 200


# ------------------------------------------------------------------ log out, names


def test_logout_form_on_a_page_of_every_program(client, zone_a):
    officer = user_for(Role.OFFICER, zone_a)
    client.force_login(officer)
    for name in (
        "stations:office",
        "welfare:office-list",
        "activities:office-list",
        "registry:import",
        "admin:index",
        "admin:registry_person_changelist",
    ):
        html = client.get(reverse(name)).content.decode()
        assert has_logout(html), name
    worker = user_for(Role.WORKER, zone_a)
    client.force_login(worker)
    for name in (
        "stations:nearest",
        "stations:visits",
        "welfare:m-campaigns",
        "welfare:m-vouchers",
        "activities:list",
        "activities:mine",
    ):
        resp = client.get(reverse(name))
        assert resp.status_code == 200, name
        assert has_logout(resp.content.decode()), name
    keeper = user_for(Role.STATION_KEEPER, zone_a)
    client.force_login(keeper)
    html = client.get(reverse("stations:keeper"), follow=True).content.decode()
    assert has_logout(html)


def test_logging_out_ends_the_session_and_returns_home(client, zone_a):
    client.force_login(user_for(Role.OFFICER, zone_a))
    resp = client.post(reverse("logout"))
    assert resp.status_code == 302 and resp.url == reverse("home")
    assert SESSION_KEY not in client.session
    assert client.get(reverse("core:workbench")).status_code == 302


def test_phone_header_shows_the_workers_name_not_a_role_label(client, zone_a):
    worker = user_for(Role.WORKER, zone_a)
    assert worker.display_name.endswith("新就业形态劳动者")
    client.force_login(worker)
    for url in ("/", reverse("activities:list")):
        html = client.get(url).content.decode()
        assert '<span class="who">韦志强</span>' in html
        assert worker.display_name not in html


def test_office_header_shows_the_login_name(client, zone_a):
    officer = make_user(Role.OFFICER, zone_a)
    officer.display_name = "李晓红"
    officer.save()
    client.force_login(officer)
    html = client.get(reverse("stations:office")).content.decode()
    assert '<strong id="user-name">李晓红</strong>' in html


# ------------------------------------------------------------------ the registry


def test_programs_are_found_by_their_home_module():
    labels = [label for label, _module in home.providers()]
    assert labels[:3] == ["暖新驿站", "关爱福利", "关爱活动"]


def test_worker_tiles_stay_off_the_workbench_and_office_tiles_off_the_phone(zone_a):
    officer = user_for(Role.OFFICER, zone_a)
    officer.person = person(zone_a)
    officer.save()
    desk = home.board(officer, zone_a, desk=True)
    assert desk.tiles and all(tile.roles - {Role.WORKER} for _label, tile in desk.tiles)
    worker = user_for(Role.WORKER, zone_a)
    phone = home.board(worker, zone_a, desk=False)
    assert phone.tiles and all(Role.WORKER in tile.roles for _label, tile in phone.tiles)
    assert phone.todos == []
