"""Workers' phone pages, through the test client."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gaoxin.activities import domain, services
from gaoxin.activities.models import SignUp
from gaoxin.activities.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(zone_a, client):
    user = f.worker_user(zone_a)
    client.force_login(user)
    return user


def text(resp) -> str:
    return resp.content.decode()


def test_phone_pages_ask_for_the_phone_login(client, zone_a):
    resp = client.get("/activities/m/mine/")
    assert resp.status_code == 302 and resp.url.startswith("/activities/m/login/?next=")
    user = f.worker_user(zone_a, username="w.login")
    page = client.get("/activities/m/login/")
    assert "登录" in text(page)
    bad = client.post("/activities/m/login/", {"username": "w.login", "password": "wrong"})
    assert "用户名或密码错误" in text(bad)
    ok = client.post(
        "/activities/m/login/?next=/activities/m/mine/",
        {"username": "w.login", "password": "pw-test-123", "next": "/activities/m/mine/"},
    )
    assert ok.status_code == 302 and ok.url == "/activities/m/mine/"
    assert client.get("/activities/m/").context["user"] == user


def test_list_shows_open_activities_with_places_and_waiting_list(client, zone_a, zone_b, worker):
    open_one = f.activity(zone_a, title="茶艺体验", capacity=3)
    full = f.activity(zone_a, title="书法体验", capacity=1)
    services.signup_create(actor=None, activity=full, person=f.worker(zone_a))
    services.signup_create(actor=None, activity=full, person=f.worker(zone_a))
    f.activity(zone_a, title="草稿活动", status="draft")
    f.activity(zone_a, title="已开始的活动", start=timezone.now() - dt.timedelta(hours=1))
    f.activity(zone_b, title="乙区活动")
    page = text(client.get("/activities/m/"))
    assert "茶艺体验" in page and "余 3 个名额" in page
    assert "书法体验" in page and "名额已满" in page and "候补 1 人" in page
    for hidden in ("草稿活动", "已开始的活动", "乙区活动"):
        assert hidden not in page
    assert f'href="/activities/m/{open_one.pk}/"' in page


def test_workers_only_activities_are_not_offered_to_others(client, zone_a):
    f.activity(zone_a, title="骑手专场体检", audience="workers")
    contact = f.worker_user(zone_a, f.worker(zone_a, role="enterprise_contact"))
    client.force_login(contact)
    assert "骑手专场体检" not in text(client.get("/activities/m/"))


def test_signing_up_on_the_phone_and_seeing_it_in_my_signups(client, zone_a, worker):
    activity = f.activity(zone_a, title="茶艺体验", capacity=1)
    resp = client.post(f"/activities/m/{activity.pk}/", follow=True)
    assert resp.redirect_chain[-1][0] == "/activities/m/mine/"
    page = text(resp)
    assert "报名成功" in page and "茶艺体验" in page and "已确认" in page and "取消报名" in page
    again = client.post(f"/activities/m/{activity.pk}/", follow=True)
    assert "您已报名过该活动" in text(again)
    assert SignUp.objects.count() == 1


def test_a_full_activity_offers_the_waiting_list(client, zone_a, worker):
    activity = f.activity(zone_a, capacity=1)
    services.signup_create(actor=None, activity=activity, person=f.worker(zone_a))
    page = text(client.get(f"/activities/m/{activity.pk}/"))
    assert "名额已满，加入候补" in page
    resp = client.post(f"/activities/m/{activity.pk}/", follow=True)
    page = text(resp)
    assert "您已进入候补名单（第 1 位）" in page and "候补中" in page


def test_cancelling_on_the_phone_frees_the_place(client, zone_a, worker):
    activity = f.activity(zone_a, title="茶艺体验", capacity=1)
    mine = services.signup_create(actor=worker, activity=activity, person=worker.person)
    waiting = services.signup_create(actor=None, activity=activity, person=f.worker(zone_a))
    assert client.get(f"/activities/m/signups/{mine.pk}/cancel/").status_code == 405
    resp = client.post(f"/activities/m/signups/{mine.pk}/cancel/", follow=True)
    assert "已取消报名：茶艺体验" in text(resp)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    # somebody else's sign-up is not there for this worker
    assert client.post(f"/activities/m/signups/{waiting.pk}/cancel/").status_code == 404


def test_day_care_form_shows_errors_next_to_the_fields(client, zone_a, worker):
    activity = f.daycare(zone_a)
    page = text(client.get(f"/activities/m/{activity.pk}/"))
    assert "子女姓名" in page and "出生日期" in page and "身份证号（选填）" in page
    resp = client.post(f"/activities/m/{activity.pk}/", {"child_name": "", "child_birth_date": ""})
    form = resp.context["form"]
    assert form.errors == {
        "child_name": ["请填写子女姓名"],
        "child_birth_date": ["请填写子女的出生日期"],
    }
    start = timezone.localtime(activity.starts_at).date()
    resp = client.post(
        f"/activities/m/{activity.pk}/",
        {"child_name": "张小明", "child_birth_date": f.birth_for_age(15, start)},
    )
    assert "只接收 6–14 周岁的职工子女" in resp.context["form"].errors["child_birth_date"][0]
    assert SignUp.objects.count() == 0
    resp = client.post(
        f"/activities/m/{activity.pk}/",
        {"child_name": "张小明", "child_birth_date": f.birth_for_age(9, start)},
        follow=True,
    )
    page = text(resp)
    assert "报名成功" in page and "张*明" in page and "张小明" not in page


def test_per_session_activity_asks_for_a_session(client, zone_a, worker):
    activity = f.activity(zone_a, signup_mode="session", sessions=2, capacity=2)
    resp = client.post(f"/activities/m/{activity.pk}/", {})
    assert resp.context["field_errors"] == {"session_id": "请选择要报名的场次"}
    second = activity.sessions.order_by("starts_at").last()
    client.post(f"/activities/m/{activity.pk}/", {"session_id": second.pk})
    assert SignUp.objects.get().session_id == second.pk


def test_worker_without_a_person_is_told_why(client, zone_a, make_user):
    client.force_login(make_user("worker", zone_a))
    activity = f.activity(zone_a)
    resp = client.post(f"/activities/m/{activity.pk}/")
    assert "您的账号未关联人员信息" in text(resp)
    assert "您的账号未关联人员信息" in text(client.get("/activities/m/mine/"))


def test_qr_landing_page_checks_in_with_one_tap(client, zone_a, worker):
    activity = f.activity(
        zone_a, title="书记讲党课", start=timezone.now() + dt.timedelta(minutes=30)
    )
    services.signup_create(actor=worker, activity=activity, person=worker.person)
    url = f"/activities/m/checkin/{domain.checkin_token(activity.sessions.get())}/"
    landing = text(client.get(url))
    assert "书记讲党课" in landing and "确认签到" in landing
    assert activity.signups.get().status == "confirmed"  # GET never writes
    assert "签到成功" in text(client.post(url))
    assert "您已签到过" in text(client.post(url))
    assert activity.signups.get().status == "attended"


def test_forged_qr_shows_a_clear_error(client, zone_a, worker):
    resp = client.get("/activities/m/checkin/forged-token/")
    assert resp.status_code == 400
    assert "签到二维码无效或已被篡改，请扫描活动现场张贴的二维码" in text(resp)


def test_another_zones_qr_is_refused(client, zone_a, zone_b, worker):
    theirs = f.activity(zone_b, start=timezone.now() + dt.timedelta(minutes=30))
    url = f"/activities/m/checkin/{domain.checkin_token(theirs.sessions.get())}/"
    resp = client.post(url)
    assert resp.status_code == 404 and "不属于您所在的园区" in text(resp)


def test_another_zones_activity_page_is_404(client, zone_b, worker):
    assert client.get(f"/activities/m/{f.activity(zone_b).pk}/").status_code == 404


@pytest.mark.parametrize("path", ["/activities/m/", "/activities/m/mine/"])
def test_phone_lists_cost_the_same_for_one_or_three_rows(client, zone_a, worker, path):
    def add_one():
        activity = f.activity(zone_a, signup_mode="session", sessions=2)
        services.signup_create(
            actor=worker, activity=activity, person=worker.person, session=activity.sessions.first()
        )

    add_one()
    client.get(path)
    with CaptureQueriesContext(connection) as one:
        client.get(path)
    add_one()
    add_one()
    with CaptureQueriesContext(connection) as three:
        resp = client.get(path)
    assert text(resp).count("第 1 场") >= (3 if "mine" in path else 0)
    assert len(three) == len(one)
