"""A worker scans a station's poster on a small phone, registers, checks in and
sees the visit; the keeper sees it counted. Driven through Debian's Chromium."""

import pytest

from gaoxin.stations import poster
from gaoxin.stations.models import Checkin
from gaoxin.stations.tests.factories import station

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/stations-checkin.png"


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_worker_scans_registers_checks_in_and_the_keeper_sees_it(
    phone_page, desk_page, zone_a, make_user
):
    keeper = make_user("station_keeper", zone_a, username="browser.keeper")
    keeper.set_password("gaoxin-demo")
    keeper.save()
    s = station(
        zone_a,
        name="暖新驿站·高新区总工会服务中心",
        keeper=keeper.pk,
        amenities=["warmth", "water", "rest", "medicine", "charging", "microwave"],
    )

    page = phone_page
    page.goto(poster.checkin_path(s))  # what the phone's camera opens from the QR code
    assert page.locator("h2").first.inner_text() == s.name
    page.fill("input[name=phone]", "13912345678")
    page.locator("#job-types label", has_text="外卖骑手").click()
    page.locator("#services label", has_text="饮水").click()
    page.locator("#services label", has_text="充电").click()
    page.fill("input[name=name]", "李师傅")
    page.fill("input[name=pin]", "205817")
    assert fits_the_screen(page)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=SCREENSHOT)  # what the phone shows first
    page.screenshot(path="/tmp/stations-checkin-full.png", full_page=True)

    page.locator("#checkin-button").click()
    page.wait_for_url("**/ok/")
    result = page.locator("#checkin-result").inner_text()
    assert "签到成功" in result and "今天第 1 位" in result
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path="/tmp/stations-checkin-done.png", full_page=True)

    page.get_by_role("link", name="查看我的签到").click()
    page.wait_for_url("**/stations/m/visits/")
    visits = page.locator("#visit-list").inner_text()
    assert s.name in visits and "饮水、充电" in visits
    assert fits_the_screen(page)

    # A new phone: the phone number and the PIN chosen on the first visit log in again.
    page.context.clear_cookies()
    page.goto("/stations/m/login/?next=/stations/m/visits/")
    page.fill("input[name=username]", "13912345678")
    page.fill("input[name=password]", "205817")
    page.locator("#login-form button[type=submit]").click()
    page.wait_for_url("**/stations/m/visits/")
    assert s.name in page.locator("#visit-list").inner_text()

    # A second tap is not a second visit.
    page.goto(poster.checkin_path(s))
    page.locator("#checkin-button").click()
    page.wait_for_url("**/ok/")
    assert "不重复计数" in page.locator("#checkin-result").inner_text()
    assert Checkin.objects.count() == 1

    keeper_page = desk_page
    keeper_page.goto("/stations/m/login/?next=/stations/keeper/")
    keeper_page.fill("input[name=username]", "browser.keeper")
    keeper_page.fill("input[name=password]", "gaoxin-demo")
    keeper_page.locator("#login-form button[type=submit]").click()
    keeper_page.wait_for_url(f"**/stations/keeper/{s.pk}/")
    assert keeper_page.locator("#today-visits").inner_text() == "1"
    assert keeper_page.locator("#today-workers").inner_text() == "1"
    assert "139****5678" in keeper_page.locator("#recent-checkins").inner_text()


def test_map_shows_markers_and_the_list_when_tiles_are_unreachable(phone_page, zone_a, settings):
    settings.GAOXIN_MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"  # nothing listens there
    settings.GAOXIN_MAP_TILE_CRS = "gcj02"
    for i, name in enumerate(["东站", "西站", "南站"]):
        station(zone_a, name=f"暖新驿站·{name}", lat=23.33 + i / 200, lng=112.69 + i / 200)
    page = phone_page
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto("/stations/m/map/")
    page.wait_for_selector("#map[data-markers='3']")
    assert page.locator("#map path.leaflet-interactive").count() == 3
    assert page.locator("#station-list li.station-row").count() == 3
    page.locator("#map path.leaflet-interactive").first.click()
    assert "暖新驿站·" in page.locator(".leaflet-popup-content").inner_text()
    assert not errors and fits_the_screen(page)
    page.screenshot(path="/tmp/stations-map.png", full_page=True)
