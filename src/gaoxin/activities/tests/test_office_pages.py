"""Officers' workflow pages and Excel ledgers, through the test client."""

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from gaoxin.activities import services
from gaoxin.activities.models import Activity, Attendance, ProgrammeItem
from gaoxin.activities.tests import factories as f
from gaoxin.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(zone_a, make_user, client):
    user = make_user("officer", zone_a)
    client.force_login(user)
    return user


def text(resp) -> str:
    return resp.content.decode()


CREATE = {
    "title": "“关爱小候鸟”暑期托管班",
    "kind": "daycare",
    "organiser": "肇庆高新区“两新”组织党工委",
    "partners": "肇庆高新区总工会",
    "place": "暖新驿站",
    "signup_mode": "series",
    "audience": "children",
    "min_age": "6",
    "max_age": "14",
    "capacity": "30",
    "waitlist": "on",
    "s-first_start": "2030-07-15T08:30",
    "s-duration_minutes": "540",
    "s-repeat": "weekdays",
    "s-count": "10",
}


def test_officer_creates_submits_and_publishes(client, officer):
    form = client.get("/activities/office/new/")
    assert form.status_code == 200 and "场次安排" in text(form)
    resp = client.post("/activities/office/new/", CREATE)
    activity = Activity.objects.get()
    assert resp.status_code == 302 and resp.url == f"/activities/office/{activity.pk}/"
    assert (activity.kind, activity.min_age, activity.sessions.count()) == ("daycare", 6, 10)
    page = text(client.get(resp.url))
    assert "草稿" in page and "提交审核" in page and "第 10 场" in page
    for verb, label in (("submit", "待审核"), ("publish", "已发布")):
        resp = client.post(f"/activities/office/{activity.pk}/do/{verb}/", follow=True)
        assert f"活动状态已更新为“{label}”" in text(resp)
    resp = client.post(f"/activities/office/{activity.pk}/do/publish/", follow=True)
    assert "不能审核通过并发布" in text(resp)
    assert (
        AuditEntry.objects.filter(object_type="activities.Activity", action="transition").count()
        == 2
    )


def test_create_form_shows_errors_next_to_fields(client, officer):
    bad = {
        **CREATE,
        "title": "",
        "min_age": "15",
        "s-first_start": "明天",
        "s-repeat": "once",
        "s-count": "3",
    }
    resp = client.post("/activities/office/new/", bad)
    assert resp.status_code == 200
    # Django's own checks speak the API's words (core.cleaning), not "这个字段是必填项。".
    assert resp.context["form"].errors["title"] == ["请填写活动名称"]
    assert resp.context["schedule"].errors["first_start"] == [
        "首场开始时间格式应为 YYYY-MM-DD HH:MM"
    ]
    resp = client.post("/activities/office/new/", {**CREATE, "min_age": "15"})
    assert resp.context["form"].errors["max_age"] == ["最大年龄不能小于最小年龄"]
    resp = client.post("/activities/office/new/", {**CREATE, "s-repeat": "once", "s-count": "3"})
    assert resp.context["schedule"].errors["count"] == ["不重复时只能添加 1 场"]
    assert 'id="id_max_age"' in text(
        client.post("/activities/office/new/", {**CREATE, "min_age": "15"})
    )
    assert Activity.objects.count() == 0


def test_create_form_says_what_the_api_says(client, api_client, officer):
    """Blank, out-of-range, too long and unreadable input: the page's message next to
    the field is the API's answer for the same input, word for word."""
    bad = {"title": "", "capacity": "0", "place": "地" * 201, "max_age": "200"}
    page = client.post("/activities/office/new/", {**CREATE, **bad}).context["form"].errors
    body = {
        "title": "",
        "kind": "daycare",
        "organiser": CREATE["organiser"],
        "place": bad["place"],
        "audience": "children",
        "min_age": 6,
        "max_age": 200,
        "capacity": 0,
    }
    api = api_client.as_user(officer).post("activities", body)
    assert api.status_code == 422
    fields = api.json()["fields"]
    for key in ("title", "capacity", "place", "max_age"):
        assert page[key] == [fields[key]], key
    unreadable = client.post("/activities/office/new/", {**CREATE, "capacity": "三十"})
    assert unreadable.context["form"].errors["capacity"] == ["名额应为整数"]
    assert Activity.objects.count() == 0


def test_detail_shows_signups_waiting_list_and_lets_officers_cancel(client, zone_a, officer):
    activity = f.activity(zone_a, capacity=1)
    people = [f.worker(zone_a, name=name) for name in ("张三", "李四", "王五")]
    signups = [services.signup_create(actor=None, activity=activity, person=p) for p in people]
    page = text(client.get(f"/activities/office/{activity.pk}/"))
    assert "已确认（1）" in page and "候补名单（2）" in page and "李四" in page
    resp = client.post(
        f"/activities/office/{activity.pk}/signups/{signups[0].pk}/cancel/", follow=True
    )
    assert "已取消 张三 的报名；候补 李四 已递补" in text(resp)


def test_officer_signs_up_a_person_without_a_phone(client, zone_a, officer):
    activity = f.daycare(zone_a)
    person = f.worker(zone_a, name="韦志强")
    page = text(client.get(f"/activities/office/{activity.pk}/signups/add/?q=韦志强"))
    assert "韦志强" in page and "子女信息" in page
    start = timezone.localtime(activity.starts_at).date()
    resp = client.post(
        f"/activities/office/{activity.pk}/signups/add/?q=韦志强",
        {
            "person_id": person.pk,
            "child_name": "韦小宝",
            "child_birth_date": f.birth_for_age(16, start),
        },
    )
    assert "只接收 6–14 周岁的职工子女" in resp.context["form"].errors["child_birth_date"][0]
    resp = client.post(
        f"/activities/office/{activity.pk}/signups/add/",
        {
            "person_id": person.pk,
            "child_name": "韦小宝",
            "child_birth_date": f.birth_for_age(10, start),
        },
        follow=True,
    )
    assert "已为 韦志强 报名（已确认）" in text(resp)
    assert "韦*宝" in text(resp) and "韦小宝" not in text(resp)


def test_attendance_sheet_and_qr_poster(client, zone_a, officer):
    activity = f.activity(zone_a, capacity=5, start=timezone.now() + dt.timedelta(minutes=30))
    session = activity.sessions.get()
    rows = [
        services.signup_create(actor=None, activity=activity, person=f.worker(zone_a, name=n))
        for n in ("张三", "李四")
    ]
    url = f"/activities/office/{activity.pk}/sessions/{session.pk}/"
    page = text(client.get(url))
    assert "已到 0 / 2 人" in page and "登记所选人员到场" in page
    resp = client.post(url, {"signup_ids": [rows[0].pk]}, follow=True)
    assert "已登记 1 人出勤" in text(resp) and "已到 1 / 2 人" in text(resp)
    assert Attendance.objects.get().signup_id == rows[0].pk
    qr = client.get(f"{url}qr/")
    assert qr.status_code == 200 and "<svg" in text(qr) and "/activities/m/checkin/" in text(qr)


def test_programme_editor_and_printable_programme(client, zone_a, officer):
    activity = f.activity(zone_a, kind="performance", title="第二届桃花季开幕式")
    url = f"/activities/office/{activity.pk}/programme/"
    for genre, title in (
        ("古典诗词舞蹈", "书简康桥"),
        ("舞蹈", "桃花笑"),
        ("全体大合唱", "安康高新之歌"),
    ):
        client.post(url, {"genre": genre, "title": title, "action": "添加"})
    resp = client.post(url, {"title": "", "action": "添加"})
    assert resp.context["form"].errors["title"] == ["请填写节目名称"]
    songs = list(ProgrammeItem.objects.order_by("position"))
    client.post(url, {"item_id": songs[2].pk, "action": "up"})
    client.post(url, {"item_id": songs[1].pk, "action": "delete"})
    client.post(
        url,
        {
            "item_id": songs[0].pk,
            "title": "书简康桥",
            "genre": "古典诗词舞蹈",
            "performers": "高新七小的同学们",
            "action": "保存",
        },
    )
    order = list(ProgrammeItem.objects.order_by("position").values_list("title", flat=True))
    assert order == ["书简康桥", "安康高新之歌"]
    printed = text(client.get(f"{url}print/"))
    assert (
        "节 目 单" in printed
        and "古典诗词舞蹈《书简康桥》" in printed
        and "高新七小的同学们" in printed
    )
    assert printed.index("书简康桥") < printed.index("全体大合唱《安康高新之歌》")


def download(client, path: str):
    return load_workbook(BytesIO(b"".join(client.get(path).streaming_content)))


def test_excel_ledgers_of_signups_attendance_and_activities(client, zone_a, officer):
    past = timezone.now() - dt.timedelta(hours=1)
    activity = f.daycare(zone_a, start=past)
    start = timezone.localtime(activity.starts_at).date()
    guardian = f.worker(zone_a, name="冯立松")
    signup = services.signup_create(
        actor=None,
        activity=activity,
        person=guardian,
        at=past - dt.timedelta(days=1),
        child={"child_name": "冯小雨", "child_birth_date": f.birth_for_age(9, start)},
    )
    services.attendance_mark(actor=officer, session=activity.sessions.get(), signup_ids=[signup.pk])
    resp = client.get(f"/activities/office/{activity.pk}/export/signups.xlsx")
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(BytesIO(b"".join(resp.streaming_content))).active
    assert ws.title == "报名台账" and ws["B1"].value == "姓名"
    row = [c.value for c in ws[2]]
    assert (
        row[1:5] == ["冯立松", guardian.phone_masked, "冯*雨", 9]
        and row[6] == "已出席"
        and row[9] == 1
    )
    assert "冯小雨" not in str(list(ws.values))
    book = download(client, f"/activities/office/{activity.pk}/export/attendance.xlsx")
    assert book.sheetnames == ["出勤台账", "各场次汇总", "说明"]
    assert [c.value for c in book["出勤台账"][2]][3:6] == ["冯立松", "冯*雨", "工作人员登记"]
    assert book["各场次汇总"]["D2"].value == 1
    listing = download(client, "/activities/office/?export=xlsx").active
    assert [c.value for c in listing[2]][1:4] == [activity.title, "托管班", "已发布"]
    assert [c.value for c in listing[2]][9:12] == [1, 1, 1]
    exported = AuditEntry.objects.filter(action="export", actor_id=officer.pk).order_by("seq")
    assert [(e.after["what"], e.after["rows"]) for e in exported] == [
        ("报名台账", 1),
        ("出勤台账", 1),
        ("活动台账", 1),
    ]


def test_office_pages_keep_zones_and_roles_apart(client, zone_a, zone_b, make_user):
    theirs = f.activity(zone_b)
    client.force_login(make_user("officer", zone_a))
    for path in (
        "",
        "edit/",
        "programme/",
        "programme/print/",
        "export/signups.xlsx",
        f"sessions/{theirs.sessions.get().pk}/",
    ):
        assert client.get(f"/activities/office/{theirs.pk}/{path}").status_code == 404, path
    assert client.post(f"/activities/office/{theirs.pk}/do/close/").status_code == 404
    client.force_login(f.worker_user(zone_a))
    assert client.get("/activities/office/").status_code == 403
    client.logout()
    resp = client.get("/activities/office/")
    assert resp.status_code == 302 and resp.url.startswith("/admin/login/")


def test_instructor_can_look_but_not_publish(client, zone_a, make_user):
    activity = f.activity(zone_a, status="pending")
    client.force_login(make_user("instructor", zone_a))
    page = text(client.get(f"/activities/office/{activity.pk}/"))
    assert "待审核" in page and "审核通过并发布" not in page
    assert client.post(f"/activities/office/{activity.pk}/do/publish/").status_code == 403
    activity.refresh_from_db()
    assert activity.status == "pending"


def test_office_list_costs_the_same_for_one_or_three_rows(client, zone_a, officer):
    f.activity(zone_a)
    client.get("/activities/office/")
    with CaptureQueriesContext(connection) as one:
        client.get("/activities/office/")
    f.activity(zone_a)
    f.activity(zone_a, signup_mode="session")
    with CaptureQueriesContext(connection) as three:
        resp = client.get("/activities/office/")
    assert len(resp.context["activities"]) == 3
    assert len(three) == len(one)


def test_admin_lists_are_read_only_and_zone_bound(client, zone_a, zone_b, make_user):
    mine, theirs = f.activity(zone_a, title="甲区活动"), f.activity(zone_b, title="乙区活动")
    client.force_login(make_user("officer", zone_a))
    page = text(client.get("/admin/activities/activity/"))
    assert "甲区活动" in page and "乙区活动" not in page
    assert client.get(f"/admin/activities/activity/{theirs.pk}/change/").status_code == 404
    assert client.get("/admin/activities/activity/add/").status_code == 403
    assert client.get(f"/admin/activities/activity/{mine.pk}/change/").status_code == 200


def test_new_activity_is_made_in_the_zone_request_zone_gives(client, zone_a, zone_b, make_user):
    """core.tenancy.request_zone decides: an officer's own zone (another zone named is
    404), while a cross-zone account must name one, in the one message the API gives."""
    client.force_login(make_user("officer", zone_a))
    resp = client.post("/activities/office/new/", {**CREATE, "zone_id": zone_b.pk})
    assert resp.status_code == 404
    client.force_login(make_user(None, None, superuser=True))
    assert zone_b.name in text(client.get("/activities/office/new/"))
    resp = client.post("/activities/office/new/", CREATE)
    assert resp.status_code == 200 and "跨园区账号请指定园区" in text(resp)
    assert Activity.objects.count() == 0
    resp = client.post("/activities/office/new/", {**CREATE, "zone_id": zone_b.pk})
    assert resp.status_code == 302 and Activity.objects.get().zone_id == zone_b.pk
