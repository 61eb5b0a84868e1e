"""In real browsers: an instructor logs a visit on the phone at an assigned firm (a blank
field's error sits next to it), and the party officer sees the visit on the instructors'
page; the need the instructor heard, raised on the same form, is among the zone's
demands (the cases program) when the officer opens them."""

import pytest
from django.utils import timezone

from gaoxin.core.tests.factories import make_user
from gaoxin.party import services
from gaoxin.party.models import InstructorVisit
from gaoxin.registry.tests.factories import enterprise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "gaoxin-demo"


def _with_password(user):
    user.set_password(PASSWORD)
    user.save()
    return user


def test_instructor_logs_a_visit_and_the_officer_sees_it(phone_page, desk_page, zone_a):
    instructor = _with_password(make_user("instructor", zone_a, username="browser.instructor"))
    _with_password(make_user("officer", zone_a, username="browser.officer"))
    firm = enterprise(zone_a, name="肇庆市速达同城配送有限公司", is_new_economy=True)
    services.assignment_create(
        actor=None,
        zone=zone_a,
        instructor_id=instructor.pk,
        enterprise_id=firm.pk,
        start_on=timezone.localdate().replace(day=1),
    )

    phone = phone_page
    phone.goto("/party/m/")
    phone.fill("#id_username", instructor.username)
    phone.fill("#id_password", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url("**/party/m/")
    assert "从未走访" in phone.inner_text("#stale")
    phone.select_option("#id_enterprise_id", label=firm.name)
    phone.click("#visit-submit")  # blank: the error sits next to the field
    assert "请填写见到的人" in phone.inner_text("#error-people_met")
    phone.fill("#id_people_met", "冯某、骑手代表")
    phone.fill("#id_topics", "了解骑手午间歇脚和充电难")
    phone.fill("#id_demand_title", "希望增设电动车充电桩")
    phone.select_option("#id_demand_category", label="休息与驿站服务")
    phone.click("#visit-submit")
    phone.wait_for_selector("#mine li:has-text('肇庆市速达同城配送有限公司')")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert InstructorVisit.objects.get().people_met == "冯某、骑手代表"

    desk = desk_page
    desk.goto("/admin/login/?next=/party/office/instructors/")
    desk.fill("#id_username", "browser.officer")
    desk.fill("#id_password", PASSWORD)
    desk.click("input[type=submit]")
    desk.wait_for_url("**/party/office/instructors/")
    assert "了解骑手午间歇脚和充电难" in desk.inner_text("#visits")
    assert "挂点企业均已按时走访" in desk.inner_text("#stale")
    desk.goto("/cases/office/demands/")
    row = desk.locator("tr", has_text="希望增设电动车充电桩")
    assert "党建指导员走访" in row.inner_text()
