"""In a real browser: an officer logs in, lands on the workbench, sees a to-do, logs out."""

import pytest

from gaoxin.core.tests.factories import make_user
from gaoxin.welfare.tests.factories import draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "gaoxin-demo"


def test_officer_sees_the_workbench_and_logs_out(desk_page, live_server, zone_a):
    officer = make_user("officer", zone_a, username="browser.officer")
    officer.display_name = "李晓红"
    officer.set_password(PASSWORD)
    officer.save()
    draft(zone_a, title="中秋慰问券")
    page = desk_page
    page.goto("/")
    page.click("text=登录")
    page.fill("#id_username", "browser.officer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/office/")
    assert "甲高新区 · 工作台" in page.inner_text("#workbench-title")
    assert "个福利活动待审批" in page.inner_text("#todos")
    assert page.inner_text("#user-name") == "李晓红"
    page.click("#todos a:has-text('个福利活动待审批')")
    page.wait_for_url("**/welfare/office/?status=draft")
    assert "中秋慰问券" in page.content()
    page.click("#logout-form button")
    page.wait_for_url(live_server.url + "/")  # the public home
    assert page.locator("#logout-form").count() == 0
    assert page.locator("a:has-text('登录')").count() == 1
    page.goto("/office/")
    assert "/login/" in page.url
