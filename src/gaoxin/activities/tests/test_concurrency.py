"""Capacity is never exceeded, retries never double, promotions never repeat —
with real threads, each on its own database connection."""

import pytest

from gaoxin.activities import services
from gaoxin.activities.models import Activity, Attendance, Session, SignUp
from gaoxin.activities.tests import factories as f
from gaoxin.core.testing import at_once, raised

pytestmark = pytest.mark.django_db(transaction=True)


def run_parallel(calls) -> tuple[list, list]:
    """Start every call at once; return (results, errors)."""
    done = at_once(calls)
    return [r for r in done if not isinstance(r, Exception)], raised(done)


def counts(activity_id: int) -> dict[str, int]:
    rows = SignUp.objects.filter(activity_id=activity_id).values_list("status", flat=True)
    return {status: list(rows).count(status) for status in ("confirmed", "waitlisted", "cancelled")}


def test_capacity_is_never_exceeded_under_concurrent_signups(zone_a):
    """Whole-activity places and per-session places alike."""
    activity = f.activity(zone_a, capacity=5)
    people = [f.worker(zone_a) for _ in range(12)]
    results, errors = run_parallel(
        [
            lambda p=p: services.signup_create(actor=None, activity=activity, person=p)
            for p in people
        ]
    )
    assert errors == []
    assert sorted(s.status for s in results) == ["confirmed"] * 5 + ["waitlisted"] * 7
    assert counts(activity.pk) == {"confirmed": 5, "waitlisted": 7, "cancelled": 0}
    activity.refresh_from_db()
    assert (activity.confirmed, activity.waitlisted) == (5, 7)

    per_session = f.activity(zone_a, capacity=3, signup_mode="session")
    session = per_session.sessions.get()
    _, errors = run_parallel(
        [
            lambda p=p: services.signup_create(
                actor=None, activity=per_session, person=p, session=session
            )
            for p in people[:8]
        ]
    )
    assert errors == []
    session.refresh_from_db()
    assert (session.confirmed, session.waitlisted) == (3, 5)
    assert counts(per_session.pk) == {"confirmed": 3, "waitlisted": 5, "cancelled": 0}


def test_retries_in_parallel_make_one_signup_and_one_attendance(zone_a):
    """Six identical sign-up POSTs make one sign-up; four scans of the QR one check-in."""
    from datetime import timedelta

    from django.utils import timezone

    from gaoxin.activities.domain import checkin_token

    activity = f.activity(zone_a, capacity=5, start=timezone.now() + timedelta(minutes=20))
    user = f.worker_user(zone_a)
    results, errors = run_parallel(
        [lambda: services.signup_create(actor=user, activity=activity, person=user.person)] * 6
    )
    assert errors == []
    assert len({s.pk for s in results}) == 1
    assert sum(1 for s in results if s.created) == 1
    assert SignUp.objects.count() == 1
    activity.refresh_from_db()
    assert activity.confirmed == 1

    token = checkin_token(Session.objects.get(activity=activity))
    results, errors = run_parallel(
        [lambda: services.attendance_checkin(actor=user, token=token)] * 4
    )
    assert errors == []
    assert Attendance.objects.count() == 1
    assert sum(1 for [r] in results if r.created) == 1


def test_parallel_cancellations_promote_each_waiting_signup_once(zone_a):
    activity = f.activity(zone_a, capacity=3)
    signups = [
        services.signup_create(actor=None, activity=activity, person=f.worker(zone_a))
        for _ in range(7)
    ]
    seated, waiting = signups[:3], signups[3:]
    results, errors = run_parallel(
        [lambda s=s: services.signup_cancel(actor=None, signup=s) for s in seated]
    )
    assert errors == []
    promoted = [p.pk for r in results for p in r.promoted]
    assert sorted(promoted) == [s.pk for s in waiting[:3]]  # the three earliest, once each
    assert counts(activity.pk) == {"confirmed": 3, "waitlisted": 1, "cancelled": 3}
    activity.refresh_from_db()
    assert (activity.confirmed, activity.waitlisted) == (3, 1)

    # cancellations racing new sign-ups: counters stay equal to the rows
    newcomers = [f.worker(zone_a) for _ in range(4)]
    seated = list(SignUp.objects.filter(activity=activity, status="confirmed"))
    calls = [lambda s=s: services.signup_cancel(actor=None, signup=s) for s in seated[:2]]
    calls += [
        lambda p=p: services.signup_create(actor=None, activity=activity, person=p)
        for p in newcomers
    ]
    _, errors = run_parallel(calls)
    assert errors == []
    activity.refresh_from_db()
    totals = counts(activity.pk)
    assert totals["confirmed"] == activity.confirmed == 3
    assert totals["waitlisted"] == activity.waitlisted == 3
    assert Activity.objects.filter(confirmed__gt=3).count() == 0
