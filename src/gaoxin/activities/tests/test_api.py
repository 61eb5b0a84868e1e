"""The /api/v1 routes of activities, called the way an integrator calls them."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gaoxin.activities import services
from gaoxin.activities.models import SignUp
from gaoxin.activities.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(zone_a, make_user):
    return make_user("officer", zone_a)


def test_officer_takes_an_activity_from_draft_to_closed(api_client, officer):
    api = api_client.as_user(officer)
    resp = api.post(
        "activities",
        {
            "title": "茶艺体验",
            "kind": "culture",
            "organiser": "肇庆高新区总工会",
            "place": "新华康康研学馆",
            "partners": ["中铁四局", "新华康康研学馆"],
            "capacity": 20,
            "schedule": {"first_start": "2030-05-01T14:00:00", "duration_minutes": 120},
        },
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert (body["status"], body["status_label"], body["kind_label"]) == (
        "draft",
        "草稿",
        "文化体验",
    )
    pk = body["id"]
    for verb, status in (
        ("submit", "pending"),
        ("reject", "draft"),
        ("submit", "pending"),
        ("publish", "published"),
        ("close", "closed"),
    ):
        resp = api.post(f"activities/{pk}/{verb}", {"note": "ok"})
        assert resp.status_code == 200, resp.content
        assert resp.json()["status"] == status
    resp = api.post(f"activities/{pk}/publish")
    assert resp.status_code == 409
    assert resp.json()["code"] == "bad_transition"
    assert resp.json()["message"] == "活动当前状态为“已结束”，不能审核通过并发布"
    resp = api.get(f"activities/{pk}/sessions")
    assert [s["seq"] for s in resp.json()] == [1]


def test_bad_activity_input_is_reported_per_field(api_client, officer):
    resp = api_client.as_user(officer).post(
        "activities",
        {"title": "", "kind": "x", "organiser": "工会", "place": "驿站", "capacity": 0},
    )
    assert resp.status_code == 422
    fields = resp.json()["fields"]
    assert fields["title"] == "请填写活动名称" and fields["capacity"] == "名额应在 1 到 100000 之间"
    assert fields["kind"].startswith("活动类型“x”不是可选值")


def test_signup_retry_returns_the_same_signup(api_client, zone_a):
    activity = f.activity(zone_a, capacity=3)
    worker = f.worker_user(zone_a)
    api = api_client.as_user(worker)
    first = api.post(f"activities/{activity.pk}/signups", {})
    again = api.post(f"activities/{activity.pk}/signups", {})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert (first.json()["created"], again.json()["created"]) == (True, False)
    assert SignUp.objects.count() == 1
    mine = api.get("signups").json()
    assert mine["count"] == 1 and mine["items"][0]["status_label"] == "已确认"


def test_cancelling_via_the_api_promotes_the_waiting_list(api_client, zone_a):
    activity = f.activity(zone_a, capacity=1)
    first, second = f.worker_user(zone_a), f.worker_user(zone_a)
    one = api_client.as_user(first).post(f"activities/{activity.pk}/signups").json()
    two = api_client.as_user(second).post(f"activities/{activity.pk}/signups").json()
    assert (one["status"], two["status"], two["waitlist_position"]) == (
        "confirmed",
        "waitlisted",
        1,
    )
    resp = api_client.as_user(first).post(f"signups/{one['id']}/cancel", {"reason": "临时有事"})
    assert resp.status_code == 200, resp.content
    assert resp.json()["status"] == "cancelled" and resp.json()["promoted_ids"] == [two["id"]]
    now = api_client.as_user(second).get(f"signups/{two['id']}").json()
    assert (now["status"], now["waitlist_position"]) == ("confirmed", None)
    # the first worker cannot touch the second's sign-up: it does not exist for them
    assert api_client.as_user(first).post(f"signups/{two['id']}/cancel").status_code == 404


def test_another_zones_activities_do_not_exist(api_client, zone_a, zone_b, officer):
    theirs = f.activity(zone_b)
    their_signup = services.signup_create(actor=None, activity=theirs, person=f.worker(zone_b))
    session = theirs.sessions.get()
    worker = f.worker_user(zone_a)
    for user in (officer, worker):
        api = api_client.as_user(user)
        for method, path in (
            ("get", f"activities/{theirs.pk}"),
            ("get", f"activities/{theirs.pk}/sessions"),
            ("get", f"activities/{theirs.pk}/signups"),
            ("post", f"activities/{theirs.pk}/signups"),
            ("post", f"activities/{theirs.pk}/publish"),
            ("post", f"activities/{theirs.pk}/close"),
            ("patch", f"activities/{theirs.pk}"),
            ("get", f"activities/{theirs.pk}/programme"),
            ("get", f"activities/{theirs.pk}/sessions/{session.pk}/checkin-code"),
            ("post", f"activities/{theirs.pk}/sessions/{session.pk}/attendance"),
            ("get", f"signups/{their_signup.pk}"),
            ("post", f"signups/{their_signup.pk}/cancel"),
        ):
            resp = getattr(api, method)(path) if method == "get" else getattr(api, method)(path, {})
            if path.endswith("/attendance"):
                resp = api.post(path, {"signup_ids": [their_signup.pk]})
            assert resp.status_code == 404, (user, method, path, resp.content)
            assert resp.json()["code"] == "not_found"
        assert api.get("activities").json()["count"] == 0
        assert api.get("signups").json()["count"] == 0
    resp = api_client.as_user(officer).post(
        f"activities/{f.activity(zone_a).pk}/signups", {"person_id": their_signup.person_id}
    )
    assert resp.status_code == 422 and resp.json()["fields"] == {
        "person_id": "人员不存在或不属于本园区"
    }


def test_workers_see_only_published_activities_and_cannot_manage(api_client, zone_a):
    draft = f.activity(zone_a, status="draft")
    published = f.activity(zone_a)
    api = api_client.as_user(f.worker_user(zone_a))
    assert api.get(f"activities/{draft.pk}").status_code == 404
    assert [a["id"] for a in api.get("activities").json()["items"]] == [published.pk]
    resp = api.post(f"activities/{published.pk}/close")
    assert resp.status_code == 403 and resp.json()["message"] == "您没有执行此操作的权限"
    resp = api.post(
        "activities",
        {"title": "x", "kind": "culture", "organiser": "x", "place": "x", "capacity": 1},
    )
    assert resp.status_code == 403


def test_child_errors_carry_the_api_field_names(api_client, zone_a):
    activity = f.daycare(zone_a)
    api = api_client.as_user(f.worker_user(zone_a))
    resp = api.post(
        f"activities/{activity.pk}/signups", {"child": {"name": "", "birth_date": "十月"}}
    )
    assert resp.status_code == 422
    assert resp.json()["fields"] == {
        "child.name": "请填写子女姓名",
        "child.birth_date": "子女出生日期格式应为 YYYY-MM-DD",
    }
    start = timezone.localtime(activity.starts_at).date()
    too_young = f.birth_for_age(4, start)
    resp = api.post(
        f"activities/{activity.pk}/signups", {"child": {"name": "张小明", "birth_date": too_young}}
    )
    assert resp.status_code == 422 and resp.json()["code"] == "not_eligible"
    assert "6–14 周岁" in resp.json()["fields"]["child.birth_date"]
    ok = api.post(
        f"activities/{activity.pk}/signups",
        {"child": {"name": "张小明", "birth_date": f.birth_for_age(8, start)}},
    )
    assert ok.status_code == 201
    assert ok.json()["child"]["name"] == "张*明"
    again = api.post(f"activities/{activity.pk}/signups", {"child_id": ok.json()["child"]["id"]})
    assert again.status_code == 200 and again.json()["id"] == ok.json()["id"]


def test_qr_checkin_and_officer_attendance(api_client, zone_a, officer):
    activity = f.activity(zone_a, capacity=3, start=timezone.now() + dt.timedelta(minutes=30))
    session = activity.sessions.get()
    worker, other = f.worker_user(zone_a), f.worker_user(zone_a)
    mine = api_client.as_user(worker).post(f"activities/{activity.pk}/signups").json()
    theirs = api_client.as_user(other).post(f"activities/{activity.pk}/signups").json()
    code = api_client.as_user(officer).get(
        f"activities/{activity.pk}/sessions/{session.pk}/checkin-code"
    )
    assert code.status_code == 200
    assert code.json()["url"].endswith(f"/activities/m/checkin/{code.json()['token']}/")
    token = code.json()["token"]
    assert (
        api_client.as_user(worker)
        .get(f"activities/{activity.pk}/sessions/{session.pk}/checkin-code")
        .status_code
        == 403
    )
    resp = api_client.as_user(worker).post("checkins", {"token": token})
    assert resp.status_code == 200 and resp.json()[0]["signup_id"] == mine["id"]
    resp = api_client.as_user(worker).post("checkins", {"token": token[:-3] + "abc"})
    assert resp.status_code == 400
    assert resp.json() == {
        "code": "bad_qr",
        "message": "签到二维码无效或已被篡改，请扫描活动现场张贴的二维码",
        "fields": {},
    }
    resp = api_client.as_user(officer).post(
        f"activities/{activity.pk}/sessions/{session.pk}/attendance", {"signup_ids": [theirs["id"]]}
    )
    assert resp.status_code == 200 and resp.json()[0]["method"] == "officer"
    listed = api_client.as_user(officer).get(
        f"activities/{activity.pk}/sessions/{session.pk}/attendance"
    )
    assert listed.json()["count"] == 2
    signups = api_client.as_user(officer).get(f"activities/{activity.pk}/signups").json()["items"]
    assert {s["status"] for s in signups} == {"attended"}


def test_programme_api_keeps_the_running_order(api_client, zone_a, officer):
    activity = f.activity(zone_a, kind="performance")
    api = api_client.as_user(officer)
    ids = []
    for genre, title in (("古典诗词舞蹈", "书简康桥"), ("舞蹈", "桃花笑"), ("经典吟诵", "将进酒")):
        resp = api.post(f"activities/{activity.pk}/programme", {"genre": genre, "title": title})
        assert resp.status_code == 201, resp.content
        ids.append(resp.json()["id"])
    assert (
        api.post(f"activities/{activity.pk}/programme/{ids[2]}/move", {"position": 2}).status_code
        == 200
    )
    assert (
        api.patch(
            f"activities/{activity.pk}/programme/{ids[0]}", {"performers": "高新七小的同学们"}
        ).status_code
        == 200
    )
    listed = (
        api_client.as_user(f.worker_user(zone_a)).get(f"activities/{activity.pk}/programme").json()
    )
    assert [(i["position"], i["title"]) for i in listed] == [
        (1, "书简康桥"),
        (2, "将进酒"),
        (3, "桃花笑"),
    ]
    assert listed[0]["performers"] == "高新七小的同学们"
    assert api.delete(f"activities/{activity.pk}/programme/{ids[1]}").status_code == 204
    assert len(api.get(f"activities/{activity.pk}/programme").json()) == 2


def test_totals_count_held_sessions_signups_and_attendance(api_client, zone_a, officer):
    past = timezone.now() - dt.timedelta(days=2)
    held = f.activity(zone_a, kind="caring", start=past)
    services.signup_create(
        actor=None, activity=held, person=f.worker(zone_a), at=past - dt.timedelta(days=1)
    )
    services.attendance_mark(
        actor=None,
        session=held.sessions.get(),
        signup_ids=list(held.signups.values_list("pk", flat=True)),
    )
    f.activity(zone_a, kind="caring")  # not held yet
    f.activity(zone_a, kind="caring", start=past, status="draft")  # never published
    resp = api_client.as_user(officer).get("activities/totals")
    body = resp.json()
    assert resp.status_code == 200, resp.content
    assert (body["events"]["caring"], body["caring_events"], body["sessions_total"]) == (1, 1, 1)
    assert (body["signups"], body["attendance_total"], body["participants"]) == (1, 1, 1)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert (
        api_client.as_user(officer).get("activities/totals", since=tomorrow).json()["events_total"]
        == 0
    )


@pytest.mark.parametrize("path", ["activities", "signups"])
def test_lists_cost_the_same_for_one_or_three_rows(api_client, zone_a, officer, path):
    api = api_client.as_user(officer)

    def add_one():
        activity = f.activity(zone_a)
        services.signup_create(actor=None, activity=activity, person=f.worker(zone_a))

    add_one()
    api.get(path)  # warm caches (permissions, content types)
    with CaptureQueriesContext(connection) as one:
        assert api.get(path).json()["count"] == 1
    add_one()
    add_one()
    with CaptureQueriesContext(connection) as three:
        assert api.get(path).json()["count"] == 3
    assert len(three) == len(one)
