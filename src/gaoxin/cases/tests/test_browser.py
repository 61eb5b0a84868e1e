"""In real browsers: a worker asks for help on the phone, an officer takes the case through
its steps to payment (a second officer approves the aid), and the worker sees the request
resolved and rates it."""

import pytest
from django.utils import timezone

from gaoxin.cases.models import AidApplication, Demand, HardshipCase
from gaoxin.cases.tests.factories import worker
from gaoxin.core.tests.factories import make_user
from gaoxin.ledger.selectors import ledger_balance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "gaoxin-demo"


def _with_password(user):
    user.set_password(PASSWORD)
    user.save()
    return user


def _office_login(page, username: str, next_url: str) -> None:
    page.context.clear_cookies()
    page.goto(f"/admin/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"**{next_url}")


def test_worker_asks_officer_pays_worker_rates(phone_page, desk_page, zone_a):
    _, user = worker(zone_a, name="韦志强")
    _with_password(user)
    _with_password(make_user("officer", zone_a, username="browser.officer"))
    _with_password(make_user("officer", zone_a, username="browser.approver"))
    phone = phone_page

    # The worker asks for help on the phone.
    phone.goto("/cases/m/ask/")
    phone.fill("#id_username", user.username)
    phone.fill("#id_password", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url("**/cases/m/ask/")
    phone.click("#ask-submit")  # blank: the error sits next to the field
    assert "请填写诉求标题" in phone.inner_text("#error-title")
    phone.fill("#id_title", "住院医药费负担重")
    phone.fill("#id_detail", "孩子上学学费也交不起")
    phone.click("#ask-submit")
    phone.wait_for_url("**/cases/m/demands/*/")
    assert "已受理" in phone.inner_text("#demand-status")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    demand = Demand.objects.get()

    # An officer takes it from the workbench and opens a case from it.
    desk = desk_page
    _office_login(desk, "browser.officer", "/cases/office/")
    desk.click(f"#unowned a[href='/cases/office/demands/{demand.pk}/']")
    desk.click("#take")
    desk.click("#open-case")
    desk.select_option("#id_officer_ids", label="browser.approver")
    desk.click("#case-form input[type=submit]")
    desk.wait_for_url("**/cases/office/cases/*/")
    case = HardshipCase.objects.get()
    assert case.person_id == user.person_id and case.demand_id == demand.pk
    for order in (1, 2, 3, 4):
        desk.fill(f"#step-{order} input[name=note]", f"第 {order} 步完成")
        desk.click(f"#step-{order} .step-done")
        desk.wait_for_selector(f"#step-{order}.done")
    desk.select_option("#aid-form #id_kind", "critical_illness")
    desk.fill("#aid-form #id_amount", "8000")
    year = timezone.localdate().year
    desk.fill("#aid-form #id_period_start", f"{year}-01-01")
    desk.fill("#aid-form #id_period_end", f"{year}-12-31")
    desk.click("#aid-form button[type=submit]")
    desk.wait_for_selector("#aid .aid-status")
    assert "已申请" in desk.inner_text("#aid")
    assert desk.locator("#aid .aid-approve").count() == 0  # the applicant cannot approve

    # A second officer approves; the first pays, once.
    _office_login(desk, "browser.approver", f"/cases/office/cases/{case.pk}/")
    desk.click("#aid .aid-approve")
    desk.wait_for_selector("#aid .aid-pay")
    _office_login(desk, "browser.officer", f"/cases/office/cases/{case.pk}/")
    desk.click("#aid .aid-pay")
    desk.wait_for_selector("text=已发放 8,000.00 元")
    assert AidApplication.objects.get().status == "paid"
    assert ledger_balance(zone=zone_a, account="cases:aid:paid:critical_illness") == 800000
    desk.fill("#step-6 input[name=note]", "回访：已出院")
    desk.click("#step-6 .step-done")
    desk.wait_for_selector("#step-6.done")
    assert "逾期" not in desk.inner_text("#timeline")
    desk.select_option("#close-form #id_outcome", "aided")
    desk.fill("#close-form #id_note", "已发放大病救助 8000 元")
    desk.click("#close-form button[type=submit]")
    desk.wait_for_selector("text=已结案")

    # The worker sees it resolved, step by step, and rates it.
    phone.goto(f"/cases/m/demands/{demand.pk}/")
    assert "已办结" in phone.inner_text("#demand-status")
    assert "已发放大病救助 8000 元" in phone.inner_text("#resolution")
    phone.click("text=查看帮扶进度")
    steps = phone.inner_text("#steps")
    assert "入户走访" in steps and "发放帮扶救助金" in steps and "待办理" not in steps
    phone.go_back()
    phone.check("input[value=satisfied]")
    phone.click("#rate-submit")
    phone.wait_for_selector("text=感谢您的评价")
    assert "满意" in phone.inner_text("#my-rating")
    assert Demand.objects.get().satisfaction == "satisfied"
