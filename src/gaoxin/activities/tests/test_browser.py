"""In a real phone-sized browser: the waiting list promotes on cancellation."""

import pytest

from gaoxin.activities.tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username: str, next_path: str) -> None:
    page.goto(f"/activities/m/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-test-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"**{next_path}")


def test_waitlisted_worker_is_promoted_when_someone_cancels(phone_page, live_server, zone_a):
    activity = f.activity(zone_a, title="茶艺体验", capacity=1)
    f.worker_user(zone_a, username="first.worker")
    f.worker_user(zone_a, username="waiting.worker")

    # the first worker takes the only place
    first = phone_page
    log_in(first, "first.worker", "/activities/m/")
    first.click("text=茶艺体验")
    first.click("text=确认报名")
    first.wait_for_url("**/activities/m/mine/")
    assert first.locator(".notice").inner_text() == "报名成功"

    # the second worker finds it full and joins the waiting list
    second_context = phone_page.context.browser.new_context(
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        base_url=live_server.url,
    )
    second = second_context.new_page()
    log_in(second, "waiting.worker", "/activities/m/")
    card = second.locator("a.activity-card", has_text="茶艺体验")
    assert "名额已满" in card.inner_text()
    card.click()
    second.click("text=名额已满，加入候补")
    second.wait_for_url("**/activities/m/mine/")
    assert "候补第 1 位" in second.locator("main").inner_text()
    assert second.locator("article.signup .state").inner_text() == "候补中"

    # the first worker cancels on their phone
    first.click("summary:has-text('取消报名')")
    first.click("text=确认取消报名")
    first.wait_for_url("**/activities/m/mine/")
    assert "已取消报名：茶艺体验" in first.locator(".notice").inner_text()

    # the waiting worker reloads "my sign-ups" and has the place
    second.reload()
    assert second.locator("article.signup .state").inner_text() == "已确认"
    assert activity.signups.get(person__users__username="waiting.worker").status == "confirmed"
    second_context.close()
