"""One sign-up workflow (services.signup_for) behind the phone page, the office
page and the API: who signs up and for which child is resolved once, so all
three give the same records and the same field errors, and a refused sign-up
leaves no child registered."""

import pytest
from django.test import Client
from django.utils import timezone

from gaoxin.activities import services
from gaoxin.activities.models import Child, SignUp
from gaoxin.activities.tests import factories as f
from gaoxin.core.models import AuditEntry

pytestmark = pytest.mark.django_db

API_NAMES = {
    "child.name": "child_name",
    "child.birth_date": "child_birth_date",
    "child.id_number": "child_id_number",
}


def _page_errors(resp) -> dict[str, str]:
    """Field → message as the phone page shows them (form fields and the others)."""
    errors = dict(resp.context["field_errors"])
    errors.update({k: v[0] for k, v in resp.context["form"].errors.items()})
    return errors


def _api_errors(resp) -> dict[str, str]:
    assert resp.status_code in (409, 422), resp.content
    return {API_NAMES.get(k, k): v for k, v in resp.json()["fields"].items()}


def _phone(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page_and_api_errors(api_client, user, activity, form: dict, body: dict):
    page = _phone(user).post(f"/activities/m/{activity.pk}/", form)
    assert page.status_code == 200 and SignUp.objects.count() == 0
    api = api_client.as_user(user).post(f"activities/{activity.pk}/signups", body)
    return _page_errors(page), _api_errors(api)


def test_a_login_without_a_person_is_refused_alike(api_client, zone_a, make_user):
    user = make_user("worker", zone_a)
    page, api = _page_and_api_errors(api_client, user, f.activity(zone_a), {}, {})
    assert page == api == {"person_id": "您的账号未关联人员信息，无法报名，请联系园区工作人员"}


def test_another_guardians_child_is_refused_alike(api_client, zone_a):
    activity = f.daycare(zone_a)
    start = timezone.localtime(activity.starts_at).date()
    other = f.worker(zone_a)
    theirs = services.signup_create(
        actor=None,
        activity=activity,
        person=other,
        child={"child_name": "韦小宝", "child_birth_date": f.birth_for_age(9, start)},
    ).child
    SignUp.objects.all().delete()
    user = f.worker_user(zone_a)
    page, api = _page_and_api_errors(
        api_client, user, activity, {"child_id": theirs.pk}, {"child_id": theirs.pk}
    )
    assert page == api == {"child_id": "该子女不是报名人登记的子女"}


def test_a_missing_session_and_a_too_young_child_are_refused_alike(api_client, zone_a):
    user = f.worker_user(zone_a)
    per_session = f.activity(zone_a, signup_mode="session", sessions=2)
    page, api = _page_and_api_errors(api_client, user, per_session, {}, {})
    assert page == api == {"session_id": "请选择要报名的场次"}
    daycare = f.daycare(zone_a)
    young = f.birth_for_age(4, timezone.localtime(daycare.starts_at).date())
    page, api = _page_and_api_errors(
        api_client,
        user,
        daycare,
        {"child_name": "张小明", "child_birth_date": young},
        {"child": {"name": "张小明", "birth_date": young}},
    )
    assert set(page) == set(api) == {"child_birth_date"}
    assert page == api and "6–14 周岁" in page["child_birth_date"]
    assert Child.objects.count() == 0


def test_page_office_and_api_make_the_same_records(api_client, zone_a, make_user):
    activity = f.daycare(zone_a)
    birth = f.birth_for_age(9, timezone.localtime(activity.starts_at).date())
    user = f.worker_user(zone_a)
    page = _phone(user).post(
        f"/activities/m/{activity.pk}/", {"child_name": "张小明", "child_birth_date": birth}
    )
    assert page.status_code == 302
    signup = SignUp.objects.get()
    again = api_client.as_user(user).post(
        f"activities/{activity.pk}/signups", {"child": {"name": "张小明", "birth_date": birth}}
    )
    assert again.status_code == 200 and again.json()["id"] == signup.pk
    by_id = api_client.as_user(user).post(
        f"activities/{activity.pk}/signups", {"child_id": signup.child_id}
    )
    assert by_id.status_code == 200 and by_id.json()["id"] == signup.pk
    # An officer signing the same worker up for the same child finds the same sign-up.
    officer = make_user("officer", zone_a)
    office = Client()
    office.force_login(officer)
    resp = office.post(
        f"/activities/office/{activity.pk}/signups/add/",
        {"person_id": user.person_id, "child_name": "张小明", "child_birth_date": birth},
        follow=True,
    )
    assert resp.status_code == 200
    api = api_client.as_user(officer).post(
        f"activities/{activity.pk}/signups",
        {"person_id": user.person_id, "child": {"name": "张小明", "birth_date": birth}},
    )
    assert api.status_code == 200 and api.json()["id"] == signup.pk
    assert SignUp.objects.count() == 1 and Child.objects.count() == 1


@pytest.mark.parametrize("via", ["page", "api", "office"])
def test_a_refused_sign_up_leaves_no_child_behind(api_client, zone_a, make_user, via):
    """The child is registered in the sign-up's transaction: when the sign-up is
    refused after that step (the activity is full and keeps no waiting list),
    neither the child nor its audit entry remains."""
    activity = f.daycare(zone_a, capacity=1, waitlist=False)
    birth = f.birth_for_age(9, timezone.localtime(activity.starts_at).date())
    services.signup_create(
        actor=None,
        activity=activity,
        person=f.worker(zone_a),
        child={"child_name": "李小红", "child_birth_date": birth},
    )
    user = f.worker_user(zone_a)
    form = {"child_name": "张小明", "child_birth_date": birth}
    if via == "page":
        resp = _phone(user).post(f"/activities/m/{activity.pk}/", form)
        assert "名额已满，本活动不设候补" in resp.content.decode()
    elif via == "office":
        office = Client()
        office.force_login(make_user("officer", zone_a))
        resp = office.post(
            f"/activities/office/{activity.pk}/signups/add/", {"person_id": user.person_id, **form}
        )
        assert "名额已满，本活动不设候补" in resp.content.decode()
    else:
        resp = api_client.as_user(user).post(
            f"activities/{activity.pk}/signups", {"child": {"name": "张小明", "birth_date": birth}}
        )
        assert resp.status_code == 409 and resp.json()["code"] == "full"
    assert not Child.objects.filter(guardian_id=user.person_id).exists()
    assert Child.objects.count() == 1 and SignUp.objects.count() == 1
    assert AuditEntry.objects.filter(object_type=Child._meta.label).count() == 1
