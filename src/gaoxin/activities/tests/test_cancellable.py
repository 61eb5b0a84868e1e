"""One rule decides whether a sign-up can still be cancelled
(domain.cancel_refusal): the phone page offers the button, the API says
`cancellable`, and the cancel service refuses exactly when they say no."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from gaoxin.activities import services
from gaoxin.activities.models import Session
from gaoxin.activities.tests import factories as f

pytestmark = pytest.mark.django_db


def _offered(user, api_client, signup) -> tuple[bool, bool]:
    phone = Client()
    phone.force_login(user)
    page = phone.get("/activities/m/mine/").content.decode()
    on_page = f'action="/activities/m/signups/{signup.pk}/cancel/"' in page
    api = api_client.as_user(user).get(f"signups/{signup.pk}").json()
    return on_page, api["cancellable"]


def test_page_and_api_offer_cancelling_exactly_when_the_service_allows_it(api_client, zone_a):
    user = f.worker_user(zone_a)
    open_one = f.activity(zone_a, capacity=3)
    signup = services.signup_create(actor=user, activity=open_one, person=user.person)
    assert _offered(user, api_client, signup) == (True, True)

    started = f.activity(zone_a, capacity=3, signup_mode="session")
    late = services.signup_create(
        actor=user, activity=started, person=user.person, session=started.sessions.get()
    )
    Session.objects.filter(activity=started).update(
        starts_at=timezone.now() - dt.timedelta(minutes=5)
    )
    assert _offered(user, api_client, late) == (False, False)
    resp = api_client.as_user(user).post(f"signups/{late.pk}/cancel", {})
    assert resp.status_code == 409 and resp.json()["code"] == "session_started"

    closed = f.activity(zone_a, capacity=3)
    kept = services.signup_create(actor=user, activity=closed, person=user.person)
    services.activity_transition(actor=None, activity=closed, verb="close")
    assert _offered(user, api_client, kept) == (False, False)
    resp = api_client.as_user(user).post(f"signups/{kept.pk}/cancel", {})
    assert resp.status_code == 409 and resp.json()["code"] == "activity_not_open"

    resp = api_client.as_user(user).post(f"signups/{signup.pk}/cancel", {})
    assert resp.status_code == 200 and resp.json()["cancellable"] is False
    assert _offered(user, api_client, signup) == (False, False)
