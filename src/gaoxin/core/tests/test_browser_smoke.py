"""The back office opens in a real browser and a demo officer can log in."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_logs_in_and_sees_the_registry(desk_page, zone_a, make_user):
    officer = make_user("officer", zone_a, username="browser.officer")
    officer.set_password("gaoxin-demo")
    officer.save()
    page = desk_page
    page.goto("/admin/login/")
    page.fill("#id_username", "browser.officer")
    page.fill("#id_password", "gaoxin-demo")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    assert "企业" in page.content()
