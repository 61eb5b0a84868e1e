"""Services: every transition (allowed and forbidden) with its audit row, the
waiting list, eligibility, personal data and programmes."""

import datetime as dt

import pytest
from django.utils import timezone

from gaoxin.activities import domain, selectors, services
from gaoxin.activities.enums import (
    ACTIVITY_TRANSITIONS,
    SIGNUP_TRANSITIONS,
    ActivityStatus,
    SignUpStatus,
)
from gaoxin.activities.models import Activity, Attendance, Child, SignUp
from gaoxin.activities.tests import factories as f
from gaoxin.core.errors import ApplicationError, Conflict, Forbidden, InvalidInput, NotFound
from gaoxin.core.models import AuditEntry
from gaoxin.core.testing import forged
from gaoxin.stations.tests.factories import station

pytestmark = pytest.mark.django_db

STATUSES = [s.value for s in ActivityStatus]


def audit_rows(obj, action=None):
    qs = AuditEntry.objects.filter(object_type=obj._meta.label, object_id=str(obj.pk))
    return list(qs.filter(action=action) if action else qs)


def put_in(zone, status: str) -> Activity:
    return f.activity(zone, status=status)


# ------------------------------------------------------------------ activities


@pytest.mark.parametrize("verb", list(ACTIVITY_TRANSITIONS))
@pytest.mark.parametrize("start", STATUSES)
def test_every_activity_transition_is_allowed_or_refused_by_the_table(
    zone_a, make_user, verb, start
):
    officer = make_user("officer", zone_a)
    activity = put_in(zone_a, start)
    transition = ACTIVITY_TRANSITIONS[verb]
    before = len(audit_rows(activity, "transition"))
    if start in transition.sources:
        done = services.activity_transition(
            actor=officer, activity=activity, verb=verb, note="测试"
        )
        assert done.status == transition.target
        row = audit_rows(activity, "transition")[0]  # newest first
        assert (row.before, row.after) == ({"status": start}, {"status": transition.target})
        assert (
            row.actor_id == officer.pk and str(transition.label) in row.note and "测试" in row.note
        )
    else:
        with pytest.raises(Conflict) as exc:
            services.activity_transition(actor=officer, activity=activity, verb=verb)
        assert exc.value.code == "bad_transition"
        assert str(ActivityStatus(start).label) in exc.value.message
        activity.refresh_from_db()
        assert activity.status == start
        assert len(audit_rows(activity, "transition")) == before


def test_unknown_verb_is_refused(zone_a):
    with pytest.raises(ApplicationError) as exc:
        services.activity_transition(actor=None, activity=put_in(zone_a, "draft"), verb="approve")
    assert exc.value.code == "bad_transition"


def test_an_activity_without_sessions_cannot_be_submitted(zone_a):
    activity = f.activity(zone_a, status="draft", sessions=0)
    with pytest.raises(InvalidInput) as exc:
        services.activity_transition(actor=None, activity=activity, verb="submit")
    assert exc.value.fields == {"sessions": "请先添加至少一个场次"}


def test_publishing_needs_the_publish_permission_and_the_zone(zone_a, zone_b, make_user):
    activity = put_in(zone_a, "pending")
    with pytest.raises(Forbidden):
        services.activity_transition(
            actor=make_user("instructor", zone_a), activity=activity, verb="publish"
        )
    with pytest.raises(NotFound):
        services.activity_transition(
            actor=make_user("officer", zone_b), activity=activity, verb="publish"
        )
    activity.refresh_from_db()
    assert activity.status == "pending"


def test_create_cleans_input_and_audits(zone_a, make_user):
    officer = make_user("officer", zone_a)
    with pytest.raises(InvalidInput) as exc:
        services.activity_create(
            actor=officer,
            zone=zone_a,
            data={"kind": "party", "capacity": "0", "min_age": 14, "max_age": 6},
        )
    fields = exc.value.fields
    assert fields["title"] == "请填写活动名称"
    assert fields["kind"].startswith("活动类型“party”不是可选值")
    assert fields["capacity"] == "名额应在 1 到 100000 之间"
    assert fields["max_age"] == "最大年龄不能小于最小年龄"
    hub = station(zone_a)  # a station of the activity's own zone (another zone's is refused)
    activity = services.activity_create(
        actor=officer,
        zone=zone_a,
        data={
            "title": "茶艺体验",
            "kind": "文化体验",
            "organiser": "总工会",
            "place": "驿站",
            "capacity": 12,
            "partners": "中铁四局、新华康康研学馆",
            "station_id": hub.pk,
        },
        schedule={
            "first_start": "2030-05-01T14:00",
            "duration_minutes": 90,
            "repeat": "weekly",
            "count": 3,
        },
    )
    assert activity.kind == "culture" and activity.partners == ["中铁四局", "新华康康研学馆"]
    assert activity.station_id == hub.pk and activity.status == "draft"
    assert [
        timezone.localtime(s.starts_at).strftime("%m-%d %H:%M") for s in activity.sessions.all()
    ] == ["05-01 14:00", "05-08 14:00", "05-15 14:00"]
    assert timezone.localtime(activity.ends_at).strftime("%m-%d %H:%M") == "05-15 15:30"
    assert audit_rows(activity, "create")[0].after["title"] == "茶艺体验"


def test_schedule_repeats_on_weekdays_and_monthly():
    start = timezone.make_aware(dt.datetime(2023, 7, 14, 8, 30))  # a Friday
    days = [
        s.starts_at.date() for s in domain.schedule(start, dt.timedelta(hours=9), "weekdays", 3)
    ]
    assert days == [dt.date(2023, 7, 14), dt.date(2023, 7, 17), dt.date(2023, 7, 18)]
    start = timezone.make_aware(dt.datetime(2024, 1, 31, 19, 30))
    months = [
        timezone.localtime(s.starts_at).date()
        for s in domain.schedule(start, dt.timedelta(hours=1), "monthly", 3)
    ]
    assert months == [dt.date(2024, 1, 31), dt.date(2024, 3, 31), dt.date(2024, 5, 31)]


def test_locked_activities_cannot_be_edited(zone_a):
    activity = put_in(zone_a, "closed")
    with pytest.raises(Conflict) as exc:
        services.activity_update(actor=None, activity=activity, data={"title": "新名字"})
    assert exc.value.code == "activity_locked" and "已结束" in exc.value.message


def test_update_audits_before_and_after_and_never_touches_counters(zone_a):
    activity = f.activity(zone_a, capacity=2)
    services.signup_create(actor=None, activity=activity, person=f.worker(zone_a))
    updated = services.activity_update(
        actor=None, activity=activity, data={"title": "改名", "place": "新地点"}
    )
    assert (updated.title, updated.confirmed) == ("改名", 1)
    row = audit_rows(activity, "update")[0]
    assert row.before["title"] != "改名" and row.after["title"] == "改名"


def test_signup_mode_cannot_change_once_people_signed_up(zone_a):
    activity = f.activity(zone_a)
    services.signup_create(actor=None, activity=activity, person=f.worker(zone_a))
    with pytest.raises(InvalidInput) as exc:
        services.activity_update(actor=None, activity=activity, data={"signup_mode": "session"})
    assert exc.value.fields == {"signup_mode": "已有人报名，不能再更改报名方式"}


# ------------------------------------------------------------------ sign-ups


def test_signup_transition_table_is_enforced(zone_a):
    activity = f.activity(zone_a, capacity=5)
    for frm in SignUpStatus:
        for to in SignUpStatus:
            if (frm, to) in SIGNUP_TRANSITIONS or frm == to:
                continue
            signup = SignUp(pk=0, status=frm, activity_id=activity.pk, zone_id=zone_a.pk)
            with pytest.raises(Conflict) as exc:
                services.signup_transition(signup=signup, to=to, actor=None)
            assert exc.value.code == "bad_transition"


def test_each_allowed_signup_transition_leaves_its_audit_row(zone_a):
    activity = f.activity(zone_a, capacity=1, start=timezone.now() + dt.timedelta(minutes=30))
    first = services.signup_create(actor=None, activity=activity, person=f.worker(zone_a))
    second = services.signup_create(actor=None, activity=activity, person=f.worker(zone_a))
    third = services.signup_create(actor=None, activity=activity, person=f.worker(zone_a))
    services.signup_cancel(
        actor=None, signup=first
    )  # confirmed → cancelled, waitlisted → confirmed
    services.signup_cancel(actor=None, signup=third)  # waitlisted → cancelled
    session = activity.sessions.get()
    services.attendance_mark(
        actor=None, session=session, signup_ids=[second.pk]
    )  # confirmed → attended
    seen = {
        (row.before["status"], row.after["status"])
        for row in AuditEntry.objects.filter(object_type="activities.SignUp", action="transition")
    }
    assert seen == {tuple(t) for t in SIGNUP_TRANSITIONS}


def test_full_activity_puts_people_on_the_waiting_list_in_order(zone_a):
    activity = f.activity(zone_a, capacity=1)
    people = [f.worker(zone_a) for _ in range(3)]
    signups = [services.signup_create(actor=None, activity=activity, person=p) for p in people]
    assert [s.status for s in signups] == ["confirmed", "waitlisted", "waitlisted"]
    assert [selectors.waitlist_position(s) for s in signups] == [None, 1, 2]
    activity.refresh_from_db()
    assert (activity.confirmed, activity.waitlisted) == (1, 2)


def test_cancelling_a_seat_promotes_the_earliest_waiting_signup(zone_a, make_user):
    activity = f.activity(zone_a, capacity=1)
    first, second, third = (
        services.signup_create(actor=None, activity=activity, person=f.worker(zone_a))
        for _ in range(3)
    )
    officer = make_user("officer", zone_a)
    result = services.signup_cancel(actor=officer, signup=first, reason="有事")
    assert [s.pk for s in result.promoted] == [second.pk]
    statuses = dict(SignUp.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "cancelled", second.pk: "confirmed", third.pk: "waitlisted"}
    activity.refresh_from_db()
    assert (activity.confirmed, activity.waitlisted) == (1, 1)
    third.refresh_from_db()
    assert selectors.waitlist_position(third) == 1
    promoted_row = audit_rows(second, "transition")[0]
    assert promoted_row.note == "候补递补" and promoted_row.actor_id == officer.pk


def test_cancelling_a_waiting_signup_promotes_nobody(zone_a):
    activity = f.activity(zone_a, capacity=1)
    first, second = (
        services.signup_create(actor=None, activity=activity, person=f.worker(zone_a))
        for _ in range(2)
    )
    assert services.signup_cancel(actor=None, signup=second).promoted == []
    activity.refresh_from_db()
    assert (activity.confirmed, activity.waitlisted) == (1, 0)


def test_cancel_is_idempotent_and_attended_signups_stay(zone_a):
    activity = f.activity(zone_a, capacity=2, start=timezone.now() + dt.timedelta(minutes=20))
    signup = services.signup_create(actor=None, activity=activity, person=f.worker(zone_a))
    services.signup_cancel(actor=None, signup=signup)
    again = services.signup_cancel(actor=None, signup=signup)
    assert again.status == "cancelled" and len(audit_rows(signup, "transition")) == 1
    activity.refresh_from_db()
    assert activity.confirmed == 0
    other = services.signup_create(actor=None, activity=activity, person=f.worker(zone_a))
    services.attendance_mark(actor=None, session=activity.sessions.get(), signup_ids=[other.pk])
    with pytest.raises(Conflict) as exc:
        services.signup_cancel(actor=None, signup=other)
    assert exc.value.code == "already_attended"


def test_a_worker_cannot_cancel_someone_elses_signup(zone_a):
    activity = f.activity(zone_a)
    signup = services.signup_create(actor=None, activity=activity, person=f.worker(zone_a))
    stranger = f.worker_user(zone_a)
    with pytest.raises(Forbidden):
        services.signup_cancel(actor=stranger, signup=signup)


def test_more_places_promote_waiting_signups(zone_a):
    activity = f.activity(zone_a, capacity=1)
    for _ in range(3):
        services.signup_create(actor=None, activity=activity, person=f.worker(zone_a))
    activity = services.activity_update(actor=None, activity=activity, data={"capacity": 2})
    assert (activity.confirmed, activity.waitlisted) == (2, 1)
    with pytest.raises(InvalidInput) as exc:
        services.activity_update(actor=None, activity=activity, data={"capacity": 1})
    assert exc.value.fields == {"capacity": "名额不能少于已确认的 2 人"}


def test_per_session_capacity_and_promotion(zone_a):
    activity = f.activity(zone_a, signup_mode="session", capacity=1, sessions=2)
    first, second = activity.sessions.order_by("starts_at")
    a = services.signup_create(
        actor=None, activity=activity, person=f.worker(zone_a), session=first
    )
    b = services.signup_create(
        actor=None, activity=activity, person=f.worker(zone_a), session=first
    )
    c = services.signup_create(
        actor=None, activity=activity, person=f.worker(zone_a), session=second
    )
    assert (a.status, b.status, c.status) == ("confirmed", "waitlisted", "confirmed")
    services.session_update(actor=None, session=first, data={"capacity": 2})
    b.refresh_from_db()
    first.refresh_from_db()
    assert b.status == "confirmed" and (first.confirmed, first.waitlisted) == (2, 0)
    with pytest.raises(InvalidInput) as exc:
        services.signup_create(actor=None, activity=activity, person=f.worker(zone_a))
    assert exc.value.fields == {"session_id": "请选择要报名的场次"}


def test_no_waitlist_means_full_is_full(zone_a):
    activity = f.activity(zone_a, capacity=1, waitlist=False)
    services.signup_create(actor=None, activity=activity, person=f.worker(zone_a))
    with pytest.raises(Conflict) as exc:
        services.signup_create(actor=None, activity=activity, person=f.worker(zone_a))
    assert exc.value.code == "full" and exc.value.message == "名额已满，本活动不设候补"
    assert SignUp.objects.count() == 1


def test_a_retried_signup_returns_the_first_one(zone_a):
    activity = f.activity(zone_a, capacity=1)
    worker = f.worker(zone_a)
    first = services.signup_create(actor=None, activity=activity, person=worker)
    again = services.signup_create(actor=None, activity=activity, person=worker)
    assert (first.created, again.created, again.pk) == (True, False, first.pk)
    activity.refresh_from_db()
    assert (activity.confirmed, SignUp.objects.count()) == (1, 1)
    assert len(AuditEntry.objects.filter(object_type="activities.SignUp", action="create")) == 1


def test_signing_up_again_after_cancelling_makes_a_new_signup(zone_a):
    activity = f.activity(zone_a)
    worker = f.worker(zone_a)
    first = services.signup_create(actor=None, activity=activity, person=worker)
    services.signup_cancel(actor=None, signup=first)
    second = services.signup_create(actor=None, activity=activity, person=worker)
    assert second.pk != first.pk and second.status == "confirmed"


@pytest.mark.parametrize(
    ("status", "code"),
    [
        ("draft", "signup_closed"),
        ("pending", "signup_closed"),
        ("closed", "signup_closed"),
        ("cancelled", "signup_closed"),
    ],
)
def test_only_published_activities_take_signups(zone_a, status, code):
    activity = put_in(zone_a, status)
    with pytest.raises(Conflict) as exc:
        services.signup_create(actor=None, activity=activity, person=f.worker(zone_a))
    assert exc.value.code == code and "不接受报名" in exc.value.message


def test_signup_closes_at_the_deadline_and_when_sessions_started(zone_a):
    activity = f.activity(zone_a, signup_deadline=timezone.now() + dt.timedelta(days=1))
    late = timezone.now() + dt.timedelta(days=2)
    with pytest.raises(Conflict) as exc:
        services.signup_create(actor=None, activity=activity, person=f.worker(zone_a), at=late)
    assert exc.value.message.startswith("报名已于") and "截止" in exc.value.message
    started = f.activity(zone_a, start=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(Conflict) as exc:
        services.signup_create(actor=None, activity=started, person=f.worker(zone_a))
    assert exc.value.message == "活动的全部场次均已开始，报名已结束"


def test_workers_only_activities_refuse_other_people(zone_a):
    activity = f.activity(zone_a, audience="workers")
    contact = f.worker(zone_a, role="enterprise_contact")
    with pytest.raises(ApplicationError) as exc:
        services.signup_create(actor=None, activity=activity, person=contact)
    assert (exc.value.code, exc.value.fields) == (
        "not_eligible",
        {"person": "本活动仅面向新就业形态劳动者本人"},
    )


def test_another_zones_person_cannot_be_signed_up(zone_a, zone_b):
    with pytest.raises(NotFound):
        services.signup_create(actor=None, activity=f.activity(zone_a), person=f.worker(zone_b))


# ------------------------------------------------------------------ children


@pytest.mark.parametrize(
    ("years", "days", "ok"),
    [
        (6, 0, True),
        (6, -1, False),
        (14, 364, True),
        (15, 0, False),
        (10, 100, True),
        (5, 300, False),
    ],
)
def test_day_care_takes_children_aged_6_to_14_on_the_start_date(zone_a, years, days, ok):
    """`years` full years and `days` more on the first day (negative: not yet that age)."""
    activity = f.daycare(zone_a)
    start = timezone.localtime(activity.starts_at).date()
    birth = start.replace(year=start.year - years) - dt.timedelta(days=days)
    child = {"child_name": "张小明", "child_birth_date": birth.isoformat()}
    if ok:
        signup = services.signup_create(
            actor=None, activity=activity, person=f.worker(zone_a), child=child
        )
        assert signup.status == "confirmed"
        return
    with pytest.raises(ApplicationError) as exc:
        services.signup_create(actor=None, activity=activity, person=f.worker(zone_a), child=child)
    message = exc.value.fields["child_birth_date"]
    assert exc.value.code == "not_eligible" and "只接收 6–14 周岁的职工子女" in message
    assert f"为 {domain.age_on(birth, start)} 周岁" in message
    assert Child.objects.count() == 0 and SignUp.objects.count() == 0


def test_day_care_needs_the_childs_details(zone_a):
    activity = f.daycare(zone_a)
    worker = f.worker(zone_a)
    with pytest.raises(InvalidInput) as exc:
        services.signup_create(actor=None, activity=activity, person=worker)
    assert exc.value.fields == {"child_name": "请填写参加活动的子女信息"}
    with pytest.raises(InvalidInput) as exc:
        services.signup_create(
            actor=None,
            activity=activity,
            person=worker,
            child={"child_name": "", "child_birth_date": "2015-02-30"},
        )
    assert exc.value.fields == {
        "child_name": "请填写子女姓名",
        "child_birth_date": "子女出生日期不是有效的日期",
    }
    with pytest.raises(InvalidInput) as exc:
        services.signup_create(
            actor=None,
            activity=activity,
            person=worker,
            child={"child_name": "李乐", "child_id_number": "441202201501011234"},
        )
    assert exc.value.fields == {"child_id_number": "身份证号校验位错误"}


def test_childs_details_are_encrypted_masked_and_never_audited_in_clear(zone_a):
    activity = f.daycare(zone_a)
    start = timezone.localtime(activity.starts_at).date()
    birth = start.replace(year=start.year - 9)
    number = f.valid_id_for(birth)
    worker = f.worker(zone_a)
    signup = services.signup_create(
        actor=None,
        activity=activity,
        person=worker,
        child={
            "child_name": "欧阳娜娜",
            "child_birth_date": birth.isoformat(),
            "child_id_number": number,
        },
    )
    child = Child.objects.get()
    assert (child.name_masked, child.id_number_masked) == (
        "欧**娜",
        number[:4] + "*" * 10 + number[-4:],
    )
    stored = " ".join(str(v) for v in Child.objects.values().get().values())
    assert "欧阳娜娜" not in stored and number not in stored and birth.isoformat() not in stored
    assert domain.child_birth_date(child) == birth
    audited = " ".join(
        str(row.before) + str(row.after) + row.note + row.object_repr
        for row in AuditEntry.objects.all()
    )
    assert "欧阳娜娜" not in audited and number not in audited and birth.isoformat() not in audited
    # the same child again is the same sign-up; a second child is a second one
    again = services.signup_create(
        actor=None,
        activity=activity,
        person=worker,
        child={"child_name": "欧阳娜娜", "child_id_number": number},
    )
    assert again.pk == signup.pk and Child.objects.count() == 1
    sister = services.signup_create(
        actor=None,
        activity=activity,
        person=worker,
        child={"child_name": "欧阳菲菲", "child_birth_date": birth.isoformat()},
    )
    assert sister.pk != signup.pk and Child.objects.count() == 2


def test_birth_date_must_agree_with_the_id_number(zone_a):
    activity = f.daycare(zone_a)
    number = f.valid_id_for(dt.date(2015, 3, 1))
    with pytest.raises(InvalidInput) as exc:
        services.signup_create(
            actor=None,
            activity=activity,
            person=f.worker(zone_a),
            child={
                "child_name": "王小",
                "child_birth_date": "2015-03-02",
                "child_id_number": number,
            },
        )
    assert exc.value.fields == {"child_birth_date": "出生日期与身份证号中的出生日期不一致"}


def test_adult_activities_take_no_child(zone_a):
    with pytest.raises(InvalidInput) as exc:
        services.signup_create(
            actor=None,
            activity=f.activity(zone_a),
            person=f.worker(zone_a),
            child={"child_name": "王小", "child_birth_date": "2015-03-02"},
        )
    assert exc.value.fields == {"child_name": "本活动面向职工本人，无需填写子女信息"}


# ------------------------------------------------------------------ attendance


def test_qr_checkin_marks_a_signed_up_worker_present_once(zone_a):
    activity = f.activity(zone_a, start=timezone.now() + dt.timedelta(minutes=30))
    user = f.worker_user(zone_a)
    signup = services.signup_create(actor=user, activity=activity, person=user.person)
    session = activity.sessions.get()
    token = domain.checkin_token(session)
    [first] = services.attendance_checkin(actor=user, token=token)
    [again] = services.attendance_checkin(actor=user, token=token)
    assert (first.created, again.created, again.pk) == (True, False, first.pk)
    assert Attendance.objects.count() == 1 and first.method == "qr"
    signup.refresh_from_db()
    assert signup.status == "attended" and signup.attended_at is not None
    assert audit_rows(first, "create")[0].after == {
        "session_id": session.pk,
        "signup_id": signup.pk,
        "method": "qr",
    }


def test_forged_or_foreign_qr_is_refused_in_chinese(zone_a):
    activity = f.activity(zone_a, start=timezone.now() + dt.timedelta(minutes=30))
    user = f.worker_user(zone_a)
    services.signup_create(actor=user, activity=activity, person=user.person)
    token = domain.checkin_token(activity.sessions.get())
    for bad in (
        forged(token),
        "not-a-token",
        token.replace(token.split(":")[0], "eyJ6IjoxLCJzIjo5OTl9"),
    ):
        with pytest.raises(ApplicationError) as exc:
            services.attendance_checkin(actor=user, token=bad)
        assert exc.value.code == "bad_qr" and exc.value.message.startswith(
            "签到二维码无效或已被篡改"
        )
    assert Attendance.objects.count() == 0


def test_a_token_presented_at_another_sessions_address_is_a_bad_qr(zone_a):
    """The API's per-session check-in address takes only that session's token."""
    activity = f.activity(zone_a, start=timezone.now() + dt.timedelta(minutes=30))
    other = f.activity(zone_a, start=timezone.now() + dt.timedelta(minutes=30))
    user = f.worker_user(zone_a)
    services.signup_create(actor=user, activity=activity, person=user.person)
    session = activity.sessions.get()
    token = domain.checkin_token(session)
    elsewhere = other.sessions.get()
    for presented_at in ((elsewhere.pk, other.pk), (session.pk, other.pk)):
        with pytest.raises(ApplicationError) as exc:
            services.attendance_checkin(
                actor=user, token=token, session_id=presented_at[0], activity_id=presented_at[1]
            )
        assert exc.value.code == "bad_qr"
    assert Attendance.objects.count() == 0
    done = services.attendance_checkin(
        actor=user, token=token, session_id=session.pk, activity_id=activity.pk
    )
    assert [a.session_id for a in done] == [session.pk]


def test_checkin_refuses_the_waiting_list_strangers_and_early_birds(zone_a):
    activity = f.activity(zone_a, capacity=1, start=timezone.now() + dt.timedelta(minutes=30))
    seated, waiting, stranger = (f.worker_user(zone_a) for _ in range(3))
    services.signup_create(actor=seated, activity=activity, person=seated.person)
    services.signup_create(actor=waiting, activity=activity, person=waiting.person)
    token = domain.checkin_token(activity.sessions.get())
    for user, code in ((waiting, "waitlisted"), (stranger, "not_signed_up")):
        with pytest.raises(Conflict) as exc:
            services.attendance_checkin(actor=user, token=token)
        assert exc.value.code == code
    early = timezone.now() - dt.timedelta(hours=1)
    with pytest.raises(Conflict) as exc:
        services.attendance_checkin(actor=seated, token=token, at=early)
    assert exc.value.code == "checkin_not_open" and "可提前 1 小时签到" in exc.value.message


def test_officer_marks_attendance_from_the_list(zone_a, make_user):
    activity = f.activity(zone_a, capacity=2, start=timezone.now() - dt.timedelta(minutes=10))
    # sign-ups recorded before the start (a paper sheet entered afterwards)
    before = timezone.now() - dt.timedelta(days=1)
    rows = [
        services.signup_create(actor=None, activity=activity, person=f.worker(zone_a), at=before)
        for _ in range(3)
    ]
    officer = make_user("officer", zone_a)
    session = activity.sessions.get()
    with pytest.raises(InvalidInput) as exc:
        services.attendance_mark(actor=officer, session=session, signup_ids=[rows[2].pk])
    assert "候补中或已取消的报名不能登记出勤" in exc.value.fields["signup_ids"]
    marked = services.attendance_mark(
        actor=officer, session=session, signup_ids=[rows[0].pk, rows[1].pk]
    )
    assert [m.created for m in marked] == [True, True]
    again = services.attendance_mark(actor=officer, session=session, signup_ids=[rows[0].pk])
    assert [m.created for m in again] == [False]
    assert Attendance.objects.filter(method="officer", recorded_by=officer).count() == 2
    with pytest.raises(Forbidden):
        services.attendance_mark(
            actor=f.worker_user(zone_a), session=session, signup_ids=[rows[0].pk]
        )


# ------------------------------------------------------------------ programme


def test_programme_items_keep_their_running_order(zone_a):
    activity = f.activity(zone_a, kind="performance")

    def add(title, **kw):
        return services.programme_item_add(
            actor=None, activity=activity, data={"title": title, "genre": "歌舞"}, **kw
        )

    a, b, c = add("《书简康桥》"), add("桃花笑"), add("将进酒")
    d = add("十里桃花·十里情", position=2)
    order = lambda: list(selectors.programme_of(activity).values_list("title", flat=True))  # noqa: E731
    assert order() == ["书简康桥", "十里桃花·十里情", "桃花笑", "将进酒"]
    services.programme_item_move(actor=None, item=c, position=1)
    assert order() == ["将进酒", "书简康桥", "十里桃花·十里情", "桃花笑"]
    services.programme_item_delete(actor=None, item=a)
    assert order() == ["将进酒", "十里桃花·十里情", "桃花笑"]
    assert list(selectors.programme_of(activity).values_list("position", flat=True)) == [1, 2, 3]
    services.programme_item_update(actor=None, item=d, data={"performers": "高新七小的同学们"})
    assert audit_rows(d, "update")[0].after["performers"] == "高新七小的同学们"
    assert b.display == "歌舞《桃花笑》"
    with pytest.raises(InvalidInput) as exc:
        services.programme_item_add(actor=None, activity=activity, data={"title": "《》"})
    assert exc.value.fields == {"title": "请填写节目名称"}


# ------------------------------------------------------------------ statistics


def test_totals_count_what_was_held_by_kind_and_period(zone_a, zone_b):
    now = timezone.now()
    long_ago = now - dt.timedelta(days=40)
    culture = f.activity(zone_a, kind="culture", sessions=3, repeat="weekly", start=long_ago)
    signup = services.signup_create(
        actor=None, activity=culture, person=f.worker(zone_a), at=long_ago - dt.timedelta(days=1)
    )
    for session in culture.sessions.all():
        services.attendance_mark(
            actor=None, session=session, signup_ids=[signup.pk], at=session.starts_at
        )
    f.activity(zone_a, kind="caring", start=now - dt.timedelta(days=1))
    f.activity(zone_a, kind="caring", start=now - dt.timedelta(days=1), status="cancelled")
    f.activity(zone_a, kind="caring", start=now - dt.timedelta(days=1), status="pending")
    f.activity(zone_b, kind="caring", start=now - dt.timedelta(days=1))
    totals = selectors.activities_zone_totals(zone_a)
    assert totals["events"] == {
        "daycare": 0,
        "health": 0,
        "caring": 1,
        "culture": 1,
        "party_study": 0,
        "topic_study": 0,
        "party_joint": 0,
        "secretary_lecture": 0,
        "performance": 0,
        "other": 0,
    }
    assert (totals["caring_events"], totals["events_total"]) == (1, 2)
    assert (totals["sessions"]["culture"], totals["sessions_total"]) == (3, 4)
    assert (totals["signups"], totals["attendance"]["culture"], totals["participants"]) == (1, 3, 1)
    # a period that holds only the first culture session
    first_week = selectors.activities_zone_totals(
        zone_a, long_ago.date(), (long_ago + dt.timedelta(days=3)).date()
    )
    assert (first_week["sessions_total"], first_week["attendance_total"]) == (1, 1)
    by_zone = selectors.activities_totals_by_zone(zones=[zone_a, zone_b])
    assert by_zone[zone_b.pk]["caring_events"] == 1 and by_zone[zone_a.pk]["caring_events"] == 1


def test_sessions_after_an_early_close_were_never_held(zone_a):
    start = timezone.now() - dt.timedelta(hours=22)  # daily: yesterday, then two still ahead
    activity = f.activity(zone_a, kind="daycare", audience="open", sessions=3, start=start)
    services.activity_transition(actor=None, activity=activity, verb="close")
    later = timezone.now() + dt.timedelta(days=5)
    totals = selectors.activities_zone_totals(zone_a, now=later)
    assert (totals["events"]["daycare"], totals["sessions"]["daycare"]) == (1, 1)


def test_monthly_figures_split_a_period_by_calendar_month(zone_a):
    may = timezone.make_aware(dt.datetime(2024, 5, 30, 9))
    f.activity(zone_a, kind="culture", sessions=3, repeat="daily", start=may)  # 30, 31 May, 1 June
    months = selectors.activities_monthly(zone_a, dt.date(2024, 5, 1), dt.date(2024, 7, 1))
    assert [(m["month"], m["sessions_total"]) for m in months] == [
        (dt.date(2024, 5, 1), 2),
        (dt.date(2024, 6, 1), 1),
    ]
