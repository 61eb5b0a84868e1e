"""In a real phone-sized browser: a worker claims, a merchant redeems, a second scan is refused."""

import re

import pytest
from django.utils import timezone

from gaoxin.core.tests.factories import make_user
from gaoxin.welfare.models import Claim
from gaoxin.welfare.tests.factories import open_campaign, worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "gaoxin-demo"


def _with_password(user):
    user.set_password(PASSWORD)
    user.save()
    return user


def _log_in(page, username: str) -> None:
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_worker_claims_on_the_phone_merchant_redeems_once(phone_page, zone_a):
    campaign = open_campaign(zone_a, title="电影通兑券", unit_value_fen=3500, stock=2)
    _, user = worker(zone_a)
    _with_password(user)
    keeper = _with_password(make_user("station_keeper", zone_a, username="browser.keeper"))
    keeper.display_name = "星汉驿站"
    keeper.save()
    page = phone_page

    # The worker logs in, sees the campaign and claims it.
    page.goto("/welfare/m/")
    _log_in(page, user.username)
    page.wait_for_url("**/welfare/m/")
    card = page.locator(f"#c{campaign.pk}")
    assert "电影通兑券" in card.inner_text() and "剩余 2 / 2 份" in card.inner_text()
    assert _fits_the_screen(page)
    card.get_by_role("button", name="立即领取").click()
    page.wait_for_url("**/welfare/m/vouchers/**")
    assert "领取成功" in page.inner_text("main")
    code = page.inner_text(".voucher .code").strip()
    assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", code)
    assert page.locator(".voucher .qr svg").count() == 1
    assert _fits_the_screen(page)
    assert Claim.objects.get().display_code == code

    # The merchant scans the QR: it opens the redemption page with the code filled in.
    page.context.clear_cookies()
    page.goto(f"/welfare/redeem/?code={code}")
    _log_in(page, "browser.keeper")
    page.wait_for_url("**/welfare/redeem/?code=*")
    assert "未使用，可以核销" in page.inner_text("#redeem-preview")
    page.fill("#id_place", "星汉驿站收银台")
    page.click("#redeem-submit")
    assert "核销成功" in page.inner_text("#redeem-result")

    # A second scan of the same code is refused with the first one's time and place.
    page.fill("#id_code", code)
    page.click("#redeem-submit")
    refusal = page.inner_text("#redeem-error")
    stored = Claim.objects.get()
    when = timezone.localtime(stored.redeemed_at).strftime("%Y-%m-%d %H:%M")
    assert "不能重复核销" in refusal
    assert f"该券已于 {when} 在 星汉驿站收银台 核销" in refusal
    assert _fits_the_screen(page)
