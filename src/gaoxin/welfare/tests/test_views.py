"""Phone and back-office pages through the test client."""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from gaoxin.core.models import AuditEntry
from gaoxin.core.tests.factories import make_user
from gaoxin.welfare import services
from gaoxin.welfare.enums import CampaignStatus
from gaoxin.welfare.models import Campaign, Claim
from gaoxin.welfare.tests.factories import draft, open_campaign, worker

# ---------------------------------------------------------------- phone pages


def test_phone_pages_need_the_phone_login(client):
    resp = client.get("/welfare/m/")
    assert resp.status_code == 302 and resp["Location"].startswith("/welfare/m/login/")
    resp = client.get("/welfare/m/login/")
    assert resp.status_code == 200 and "登录" in resp.content.decode()


def test_a_worker_logs_in_on_the_phone(client, zone_a):
    _, user = worker(zone_a)
    resp = client.post("/welfare/m/login/", {"username": user.username, "password": "pw-test-123"})
    assert resp.status_code == 302 and resp["Location"] == "/welfare/m/"
    client.logout()
    resp = client.post("/welfare/m/login/", {"username": user.username, "password": "wrong"})
    assert "用户名或密码错误" in resp.content.decode()


def test_a_worker_sees_open_campaigns_claims_and_finds_the_voucher_with_a_qr(client, zone_a):
    campaign = open_campaign(zone_a, title="夏季清凉饮品优惠券", unit_value_fen=1500, stock=3)
    draft(zone_a, title="尚未审批的活动")
    _, user = worker(zone_a)
    client.force_login(user)
    page = client.get("/welfare/m/").content.decode()
    assert "夏季清凉饮品优惠券" in page and "尚未审批的活动" not in page
    assert "15.00" in page and "剩余 3 / 3 份" in page
    request_id = re.search(r'name="request_id" value="(\w+)"', page).group(1)

    url = f"/welfare/m/campaigns/{campaign.pk}/claim/"
    resp = client.post(url, {"request_id": request_id}, follow=True)
    body = resp.content.decode()
    claim = Claim.objects.get()
    assert "领取成功" in body and claim.display_code in body
    assert "<svg" in body and "未使用" in body
    # the same form posted again (double tap, back button) gives the same voucher
    client.post(url, {"request_id": request_id})
    assert Claim.objects.count() == 1
    resp = client.post(url, {"request_id": "another"}, follow=True)
    assert "每人限领 1 份" in resp.content.decode()
    page = client.get("/welfare/m/").content.decode()
    assert "您已领取 1 份" in page and "剩余 2 / 3 份" in page


def test_a_redeemed_voucher_shows_when_and_where(client, zone_a):
    campaign = open_campaign(zone_a)
    person, user = worker(zone_a)
    claim = services.campaign_claim(campaign=campaign, person=person, actor=user)
    at = timezone.make_aware(dt.datetime(2026, 11, 23, 14, 5))
    services.voucher_redeem(
        zone=zone_a,
        code=claim.code,
        actor=make_user("station_keeper", zone_a),
        place="星汉驿站",
        at=at,
    )
    client.force_login(user)
    body = client.get("/welfare/m/vouchers/").content.decode()
    assert "已于 2026-11-23 14:05 在 星汉驿站 核销" in body
    assert "<svg" not in body  # nothing left to scan


def test_a_user_without_a_worker_record_is_told_so(client, zone_a):
    open_campaign(zone_a)
    client.force_login(make_user("station_keeper", zone_a))
    body = client.get("/welfare/m/").content.decode()
    assert "未关联新就业形态劳动者信息" in body and "/welfare/redeem/" in body


def test_the_redeem_page_redeems_once_and_then_says_when_and_where(client, zone_a):
    campaign = open_campaign(zone_a, title="电影通兑券")
    person, user = worker(zone_a)
    claim = services.campaign_claim(campaign=campaign, person=person, actor=user)
    keeper = make_user("station_keeper", zone_a)
    client.force_login(keeper)
    page = client.get(f"/welfare/redeem/?code={claim.display_code}").content.decode()
    assert "电影通兑券" in page and "未使用，可以核销" in page and claim.display_code in page
    resp = client.post("/welfare/redeem/", {"code": claim.display_code, "place": "万达影城收银台"})
    assert resp.status_code == 200 and "核销成功" in resp.content.decode()
    resp = client.post("/welfare/redeem/", {"code": claim.code.lower(), "place": "另一家"})
    body = resp.content.decode()
    assert resp.status_code == 409 and "不能重复核销" in body
    stored = Claim.objects.get(pk=claim.pk)
    when = timezone.localtime(stored.redeemed_at).strftime("%Y-%m-%d %H:%M")
    assert f"该券已于 {when} 在 万达影城收银台 核销" in body
    assert 'value="万达影城收银台"' in client.get("/welfare/redeem/").content.decode()  # remembered
    resp = client.post("/welfare/redeem/", {"code": "12345", "place": ""})
    assert resp.status_code == 422 and "10 位" in resp.content.decode()
    resp = client.post("/welfare/redeem/", {"code": "ABCDE-FGHJK"})
    assert resp.status_code == 404 and "券码不存在" in resp.content.decode()


def test_workers_cannot_open_the_redeem_page(client, zone_a):
    _, user = worker(zone_a)
    client.force_login(user)
    assert client.get("/welfare/redeem/").status_code == 403


def test_a_zone_b_campaign_is_not_found_on_phone_pages(client, zone_a, zone_b):
    theirs = open_campaign(zone_b)
    _, user = worker(zone_a)
    client.force_login(user)
    assert theirs.title not in client.get("/welfare/m/").content.decode()
    assert client.post(f"/welfare/m/campaigns/{theirs.pk}/claim/", {}).status_code == 404


def test_the_phone_pages_fit_a_small_screen(client, zone_a):
    open_campaign(zone_a)
    _, user = worker(zone_a)
    client.force_login(user)
    body = client.get("/welfare/m/").content.decode()
    assert 'name="viewport"' in body and "mobile.css" in body and 'class="btn"' in body


# -------------------------------------------------------------- office pages


@pytest.fixture
def officer(zone_a):
    return make_user("officer", zone_a)


def test_office_pages_need_an_officer(client, zone_a):
    assert client.get("/welfare/office/").status_code == 302
    _, user = worker(zone_a)
    client.force_login(user)
    assert client.get("/welfare/office/").status_code == 403


def test_an_officer_creates_a_campaign_with_errors_next_to_the_fields(client, zone_a, officer):
    client.force_login(officer)
    assert client.get("/welfare/office/new/").status_code == 200
    form = {
        "title": "读书年卡",
        "kind": "year_card",
        "sponsor_kind": "partner",
        "sponsor_name": "中铁四局、新华康康研学馆",
        "unit_value_yuan": "198",
        "stock": "50",
        "per_worker_limit": "1",
        "budget_yuan": "100",
        "claim_starts_at": "2026-12-01T09:00",
        "claim_ends_at": "2026-11-30T09:00",
    }
    resp = client.post("/welfare/office/new/", form)
    body = resp.content.decode()
    assert resp.status_code == 422
    assert "截止领取时间必须晚于开始领取时间" in body and "预算不足" in body
    assert not Campaign.objects.exists()
    resp = client.post("/welfare/office/new/", {**form, "unit_value_yuan": "19.999"})
    assert "金额最多精确到分" in resp.content.decode()
    form.update(budget_yuan="", claim_ends_at="2026-12-31T18:00", eligible_job_types=["courier"])
    resp = client.post("/welfare/office/new/", form)
    campaign = Campaign.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/welfare/office/{campaign.pk}/"
    assert (campaign.unit_value_fen, campaign.budget_fen) == (19_800, 990_000)
    assert campaign.eligible_job_types == ["courier"]


def test_approval_by_the_creator_shows_a_clear_error_then_another_officer_approves(
    client, zone_a, officer
):
    campaign = draft(zone_a, officer)
    client.force_login(officer)
    resp = client.post(f"/welfare/office/{campaign.pk}/do/approve/", follow=True)
    assert "不能审批自己创建的活动，请由另一位工作人员审批" in resp.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.DRAFT
    client.force_login(make_user("zone_admin", zone_a))
    resp = client.post(f"/welfare/office/{campaign.pk}/do/approve/", follow=True)
    assert "当前状态：已审批" in resp.content.decode()
    client.force_login(officer)
    client.post(f"/welfare/office/{campaign.pk}/do/open/")
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.OPEN
    resp = client.post(f"/welfare/office/{campaign.pk}/do/open/", follow=True)
    assert "不能改为" in resp.content.decode()
    client.post(f"/welfare/office/{campaign.pk}/do/close/")
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.CLOSED
    assert client.post(f"/welfare/office/{campaign.pk}/do/explode/").status_code == 404
    assert client.get(f"/welfare/office/{campaign.pk}/do/close/").status_code == 405


def _claimed(zone, n: int, **overrides):
    campaign = open_campaign(zone, stock=max(n, 1) + 2, **overrides)
    keeper = make_user("station_keeper", zone)
    for i in range(n):
        person, user = worker(zone)
        claim = services.campaign_claim(campaign=campaign, person=person, actor=user)
        if i == 0:
            services.voucher_redeem(zone=zone, code=claim.code, actor=keeper, place="星汉驿站")
    return campaign


def test_the_detail_page_shows_money_claims_redemptions_and_a_chart(client, zone_a, officer):
    campaign = _claimed(zone_a, 3, unit_value_fen=2000)
    client.force_login(officer)
    body = client.get(f"/welfare/office/{campaign.pk}/").content.decode()
    assert "100.00 元" in body  # budget: 5 × 20 元
    assert (
        "60.00 元" in body and "20.00 元" in body and "40.00 元" in body
    )  # issued, redeemed, left
    assert "星汉驿站" in body and 'id="claims-chart"' in body and 'class="bar"' in body
    assert Claim.objects.first().code not in body  # codes stay with their holders


@pytest.mark.parametrize("rows", [1, 3])
def test_office_lists_do_not_query_per_row(
    client, zone_a, officer, django_assert_max_num_queries, rows
):
    campaigns = [_claimed(zone_a, rows) for _ in range(rows)]
    client.force_login(officer)
    with django_assert_max_num_queries(16):
        body = client.get("/welfare/office/").content.decode()
    assert all(c.title in body for c in campaigns)
    with django_assert_max_num_queries(20):
        body = client.get(f"/welfare/office/{campaigns[0].pk}/").content.decode()
    assert body.count("<tr>") >= rows


def test_the_list_shows_the_zone_total_in_newspaper_chinese(client, zone_a, officer):
    campaign = open_campaign(zone_a, unit_value_fen=7_421_000, stock=1, budget_fen=7_421_000)
    person, user = worker(zone_a)
    services.campaign_claim(campaign=campaign, person=person, actor=user)
    client.force_login(officer)
    body = client.get("/welfare/office/").content.decode()
    assert "累计发放福利 7 万多元" in body and "74,210.00" in body


def _book(resp):
    return load_workbook(io.BytesIO(b"".join(resp.streaming_content)))


def test_claims_and_ledger_export_as_excel(client, zone_a, officer):
    campaign = _claimed(zone_a, 2, unit_value_fen=3500)
    client.force_login(officer)
    resp = client.get(f"/welfare/office/{campaign.pk}/export/claims.xlsx")
    assert resp.status_code == 200 and "attachment" in resp["Content-Disposition"]
    sheet = _book(resp).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "券码", "领取人") and len(rows) == 3
    assert {r[7] for r in rows[1:]} == {35} and {r[10] for r in rows[1:]} == {"已核销", "未使用"}
    assert all(r[1].endswith("-*****") for r in rows[1:])

    resp = client.get(f"/welfare/office/{campaign.pk}/export/redemptions.xlsx")
    rows = list(_book(resp).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][10] == "已核销" and rows[1][12] == "星汉驿站"

    resp = client.get(f"/welfare/office/{campaign.pk}/export/ledger.xlsx")
    rows = list(_book(resp).worksheets[0].iter_rows(values_only=True))
    assert (
        rows[0][3] == "科目" and len(rows) == 1 + 2 + 2 * 2 + 2
    )  # fund, two claims, one redemption
    assert sum(r[4] for r in rows[1:]) == 0
    exported = AuditEntry.objects.filter(zone=zone_a, action="export", actor_id=officer.pk)
    assert [(e.after["what"], e.after["rows"]) for e in exported.order_by("seq")] == [
        ("领取台账", 2),
        ("核销台账", 1),
        ("资金台账", 8),
    ]


def test_zone_b_campaign_pages_are_not_found_for_zone_a_officers(client, zone_a, zone_b, officer):
    theirs = draft(zone_b)
    client.force_login(officer)
    for path in ("", "export/claims.xlsx", "export/redemptions.xlsx", "export/ledger.xlsx"):
        assert client.get(f"/welfare/office/{theirs.pk}/{path}").status_code == 404
    assert client.post(f"/welfare/office/{theirs.pk}/do/close/").status_code == 404
    assert theirs.title not in client.get("/welfare/office/").content.decode()


def test_the_admin_lists_are_read_only_and_zone_bound(client, zone_a, zone_b, officer):
    mine, theirs = _claimed(zone_a, 1), _claimed(zone_b, 1)
    client.force_login(officer)
    body = client.get("/admin/welfare/campaign/").content.decode()
    assert mine.title in body and theirs.title not in body
    assert client.get(f"/admin/welfare/campaign/{theirs.pk}/change/").status_code == 404
    assert client.get("/admin/welfare/campaign/add/").status_code == 403
    assert client.get("/admin/welfare/claim/").status_code == 200
    assert client.get("/admin/ledger/ledgerentry/").status_code == 200


@pytest.mark.parametrize("rows", [1, 3])
def test_phone_lists_do_not_query_per_row(client, zone_a, django_assert_max_num_queries, rows):
    campaigns = [open_campaign(zone_a, stock=5) for _ in range(rows)]
    person, user = worker(zone_a)
    for campaign in campaigns:
        services.campaign_claim(campaign=campaign, person=person, actor=user)
    client.force_login(user)
    with django_assert_max_num_queries(10):
        body = client.get("/welfare/m/").content.decode()
    assert body.count("您已领取 1 份") == rows
    with django_assert_max_num_queries(10):
        body = client.get("/welfare/m/vouchers/").content.decode()
    assert body.count("<svg") == rows


# ------------------------------------------------ one zone answer, one set of words


def test_the_redeem_page_asks_core_which_zone_it_acts_in(client, zone_a, zone_b):
    campaign = open_campaign(zone_b, title="冬季暖心礼包")
    person, user = worker(zone_b)
    claim = services.campaign_claim(campaign=campaign, person=person, actor=user)
    keeper = make_user("station_keeper", zone_a)
    client.force_login(keeper)
    # a keeper acts in their own zone: naming another is "not found", like its records
    assert client.get("/welfare/redeem/", {"zone": zone_b.pk}).status_code == 404
    resp = client.post(f"/welfare/redeem/?zone={zone_b.pk}", {"code": claim.code})
    assert resp.status_code == 404
    assert client.get(f"/welfare/redeem/?code={claim.display_code}").status_code == 404
    assert Claim.objects.get(pk=claim.pk).redeemed_at is None

    admin = make_user(None, None, superuser=True)
    client.force_login(admin)
    page = client.get("/welfare/redeem/").content.decode()
    assert "请选择园区" in page and zone_b.name in page
    resp = client.post("/welfare/redeem/", {"code": claim.code, "place": "前台"})
    assert resp.status_code == 422 and "跨园区账号请指定园区" in resp.content.decode()
    assert (
        client.post("/welfare/redeem/", {"zone": "999999", "code": claim.code}).status_code == 404
    )
    resp = client.post("/welfare/redeem/", {"zone": zone_b.pk, "code": claim.code, "place": "前台"})
    assert resp.status_code == 200 and "核销成功" in resp.content.decode()
    assert Claim.objects.get(pk=claim.pk).redeemed_place == "前台"


def test_a_phone_claim_by_an_account_without_a_worker_says_so(client, zone_a):
    campaign = open_campaign(zone_a)
    client.force_login(make_user("station_keeper", zone_a))
    resp = client.post(f"/welfare/m/campaigns/{campaign.pk}/claim/", {}, follow=True)
    assert "当前账号未关联劳动者信息，无法为本人领取" in resp.content.decode()
    assert not Claim.objects.exists()


def test_only_those_who_may_create_open_the_create_page(client, zone_a):
    client.force_login(make_user("finance", zone_a))  # sees campaigns, creates none
    assert client.get("/welfare/office/").status_code == 200
    assert client.get("/welfare/office/new/").status_code == 403


def test_a_cross_zone_officer_names_the_zone_of_a_new_campaign(client, zone_a, zone_b):
    client.force_login(make_user(None, None, superuser=True))
    form = {
        "title": "读书年卡",
        "kind": "year_card",
        "sponsor_kind": "partner",
        "sponsor_name": "新华书店",
        "unit_value_yuan": "198",
        "stock": "5",
        "claim_starts_at": "2030-12-01T09:00",
        "claim_ends_at": "2030-12-31T09:00",
    }
    resp = client.post("/welfare/office/new/", form)
    assert resp.status_code == 422 and "跨园区账号请指定园区" in resp.content.decode()
    assert client.post("/welfare/office/new/", {**form, "zone": "999999"}).status_code == 404
    resp = client.post("/welfare/office/new/", {**form, "zone": zone_b.pk})
    assert resp.status_code == 302 and Campaign.objects.get().zone == zone_b


def test_the_create_page_says_what_the_api_says(client, zone_a, officer, api_client):
    from gaoxin.welfare.tests.factories import campaign_data

    bad = {"title": "", "stock": 0, "kind": "lottery", "sponsor_kind": ""}
    payload = {
        k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in campaign_data(**bad).items()
    }
    api = api_client.as_user(officer).post("campaigns", payload)
    assert api.status_code == 422
    said = api.json()["fields"]
    client.force_login(officer)
    form = {
        "sponsor_name": "新华书店",
        "unit_value_yuan": "198",
        "claim_starts_at": "2030-12-01T09:00",
        "claim_ends_at": "2030-12-31T09:00",
        **bad,
    }
    resp = client.post("/welfare/office/new/", form)
    errors = resp.context["form"].errors
    assert resp.status_code == 422
    for field in ("title", "stock", "kind", "sponsor_kind"):
        assert errors[field] == [said[field]], field
    assert said["title"] == "请填写活动名称" and said["stock"] == "总份数应在 1 到 1000000 之间"
    resp = client.post("/welfare/office/new/", {**form, **{k: "x" for k in bad}})
    assert resp.context["form"].errors["stock"] == ["总份数应为整数"]
    resp = client.post("/welfare/office/new/", {**form, "unit_value_yuan": "0"})
    assert "单份价值应在" in resp.context["form"].errors["unit_value_yuan"][0]
