"""The welfare API as an integrator calls it: bearer token, JSON, {code, message, fields}."""

import datetime as dt

import pytest
from django.utils import timezone

from gaoxin.core.tests.factories import make_user
from gaoxin.registry.tests.factories import enterprise
from gaoxin.welfare import services
from gaoxin.welfare.models import Campaign, Claim
from gaoxin.welfare.tests.factories import draft, open_campaign, worker


def _payload(**overrides) -> dict:
    now = timezone.now()
    data = {
        "title": "夏季清凉饮品优惠券",
        "kind": "coupon",
        "sponsor_kind": "merchant",
        "sponsor_name": "爱心商家联盟",
        "unit_value_fen": 1500,
        "stock": 100,
        "claim_starts_at": (now - dt.timedelta(hours=1)).isoformat(),
        "claim_ends_at": (now + dt.timedelta(days=30)).isoformat(),
    }
    data.update(overrides)
    return data


def test_an_officer_runs_a_campaign_end_to_end(zone_a, api_client):
    creator, approver = make_user("officer", zone_a), make_user("zone_admin", zone_a)
    as_creator, as_approver = api_client.as_user(creator), api_client.as_user(approver)
    resp = as_creator.post("campaigns", _payload())
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["status"] == "draft" and body["status_label"] == "草稿"
    assert body["money"]["budget_fen"] == 150_000 and body["money"]["budget_yuan"] == "1,500.00"
    cid = body["id"]

    resp = as_creator.post(f"campaigns/{cid}/approve")
    assert resp.status_code == 403
    assert resp.json()["code"] == "self_approval"
    assert "不能审批自己创建的活动" in resp.json()["message"]

    assert as_approver.post(f"campaigns/{cid}/approve").json()["status"] == "approved"
    assert as_creator.post(f"campaigns/{cid}/open").json()["status"] == "open"
    resp = as_creator.post(f"campaigns/{cid}/approve")
    assert resp.status_code == 409 and resp.json()["code"] == "bad_transition"

    person, user = worker(zone_a)
    as_worker = api_client.as_user(user)
    listed = as_worker.get("campaigns").json()
    assert [c["id"] for c in listed["items"]] == [cid] and listed["count"] == 1
    resp = as_worker.post(f"campaigns/{cid}/claims")
    assert resp.status_code == 201, resp.content
    voucher = resp.json()
    assert voucher["value_fen"] == 1500 and voucher["value_yuan"] == "15.00"
    assert len(voucher["code"]) == 11 and voucher["redeemed_at"] is None

    mine = as_worker.get("vouchers").json()
    assert mine["count"] == 1 and mine["items"][0]["code"] == voucher["code"]

    detail = as_creator.get(f"campaigns/{cid}").json()
    assert detail["issued"] == 1
    assert detail["money"]["issued_fen"] == 1500 and detail["money"]["remaining_fen"] == 148_500

    claims = as_creator.get(f"campaigns/{cid}/claims").json()
    assert claims["count"] == 1 and claims["items"][0]["person_name"] == person.name
    assert claims["items"][0]["code"].endswith("-*****")  # officers never see the bearer code

    keeper = api_client.as_user(make_user("station_keeper", zone_a))
    resp = keeper.post(f"vouchers/{voucher['code']}/redeem", {"place": "中旺通暖新驿站"})
    assert resp.status_code == 200, resp.content
    assert resp.json()["redeemed_place"] == "中旺通暖新驿站"
    resp = keeper.post(f"vouchers/{voucher['code']}/redeem", {"place": "别处"})
    assert resp.status_code == 409
    err = resp.json()
    assert err["code"] == "already_redeemed"
    assert err["message"].startswith("该券已于 ") and err["message"].endswith(
        " 在 中旺通暖新驿站 核销"
    )
    assert err["fields"]["redeemed_place"] == "中旺通暖新驿站"

    ledger = as_creator.get(f"campaigns/{cid}/ledger").json()
    assert ledger["count"] == 6  # fund, claim, redeem: two legs each
    assert sum(e["amount_fen"] for e in ledger["items"]) == 0
    detail = as_creator.get(f"campaigns/{cid}").json()
    assert detail["money"]["redeemed_fen"] == 1500 and detail["redeemed"] == 1

    assert as_creator.post(f"campaigns/{cid}/close").json()["status"] == "closed"
    resp = as_worker.post(f"campaigns/{cid}/claims")
    assert resp.status_code == 409


def test_a_retried_claim_with_the_same_idempotency_key_returns_the_same_voucher(zone_a, client):
    from gaoxin.core.services import api_token_issue

    campaign = open_campaign(zone_a, per_worker_limit=2)
    _, user = worker(zone_a)
    headers = {"Authorization": f"Bearer {api_token_issue(user=user)}", "Idempotency-Key": "tap-42"}
    url = f"/api/v1/campaigns/{campaign.pk}/claims"
    first = client.post(url, data="{}", content_type="application/json", headers=headers)
    again = client.post(url, data="{}", content_type="application/json", headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["code"] == again.json()["code"]
    assert Claim.objects.count() == 1
    headers["Idempotency-Key"] = "tap-43"
    assert (
        client.post(url, data="{}", content_type="application/json", headers=headers).status_code
        == 201
    )


def test_errors_are_specific_and_in_chinese(zone_a, api_client):
    as_officer = api_client.as_user(make_user("officer", zone_a))
    resp = as_officer.post("campaigns", _payload(stock="many", title=""))
    assert resp.status_code == 422
    assert resp.json()["fields"]["stock"] == "应为数字"
    resp = as_officer.post("campaigns", _payload(title="", eligible_enterprise_id=424242))
    assert resp.status_code == 422
    assert set(resp.json()["fields"]) == {"title", "eligible_enterprise_id"}
    assert not Campaign.objects.exists()
    resp = as_officer.post("vouchers/123/redeem", {})
    assert resp.status_code == 422 and "10 位" in resp.json()["fields"]["code"]
    resp = as_officer.post("vouchers/ABCDE-FGHJK/redeem", {})
    assert resp.status_code == 404 and resp.json()["code"] == "voucher_not_found"


def test_zone_b_campaigns_are_not_found_for_zone_a_users(zone_a, zone_b, api_client):
    theirs = open_campaign(zone_b)
    person_b, user_b = worker(zone_b)
    voucher = services.campaign_claim(campaign=theirs, person=person_b, actor=user_b)
    officer = api_client.as_user(make_user("officer", zone_a))
    _, user_a = worker(zone_a)
    as_worker = api_client.as_user(user_a)
    for path in (
        f"campaigns/{theirs.pk}",
        f"campaigns/{theirs.pk}/claims",
        f"campaigns/{theirs.pk}/ledger",
    ):
        assert officer.get(path).status_code == 404, path
    for verb in ("approve", "open", "close"):
        assert officer.post(f"campaigns/{theirs.pk}/{verb}").status_code == 404
    assert as_worker.post(f"campaigns/{theirs.pk}/claims").status_code == 404
    assert officer.get("campaigns").json()["count"] == 0
    keeper = api_client.as_user(make_user("station_keeper", zone_a))
    assert keeper.post(f"vouchers/{voucher.code}/redeem", {}).status_code == 404
    assert as_worker.get(f"vouchers/{voucher.code}").status_code == 404
    assert Claim.objects.get(pk=voucher.pk).redeemed_at is None


def test_workers_cannot_manage_or_read_other_peoples_claims(zone_a, api_client):
    campaign = open_campaign(zone_a)
    _, user = worker(zone_a)
    as_worker = api_client.as_user(user)
    assert as_worker.post("campaigns", _payload()).status_code == 403
    assert as_worker.post(f"campaigns/{campaign.pk}/close").status_code == 403
    assert as_worker.get(f"campaigns/{campaign.pk}/claims").status_code == 403
    somebody, _ = worker(zone_a, login=False)
    resp = as_worker.post(f"campaigns/{campaign.pk}/claims", {"person_id": somebody.pk})
    assert resp.status_code == 403 and resp.json()["code"] == "not_your_claim"
    draft_campaign = draft(zone_a)
    assert as_worker.get(f"campaigns/{draft_campaign.pk}").status_code == 403


def test_an_officer_hands_out_on_site_for_a_worker_without_a_phone(zone_a, api_client):
    campaign = open_campaign(zone_a, kind="gift_pack")
    somebody, _ = worker(zone_a, login=False)
    officer = make_user("officer", zone_a)
    resp = api_client.as_user(officer).post(
        f"campaigns/{campaign.pk}/claims", {"person_id": somebody.pk}
    )
    assert resp.status_code == 201
    assert Claim.objects.get().claimed_by == officer


def test_eligibility_limits_what_a_worker_is_offered(zone_a, api_client):
    firm = enterprise(zone_a)
    open_campaign(zone_a, eligible_enterprise=firm.pk)
    riders = open_campaign(zone_a, eligible_job_types=["food_delivery"])
    _, user = worker(zone_a, job_type="food_delivery")
    listed = api_client.as_user(user).get("campaigns").json()
    assert [c["id"] for c in listed["items"]] == [riders.pk]


@pytest.mark.parametrize("rows", [1, 3])
def test_the_campaign_list_reads_money_without_n_plus_one(
    zone_a, api_client, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        open_campaign(zone_a)
    as_officer = api_client.as_user(make_user("officer", zone_a))
    with django_assert_max_num_queries(6):
        body = as_officer.get("campaigns").json()
    assert body["count"] == rows
    assert all(c["money"]["budget_fen"] == 35_000 for c in body["items"])


def test_zone_totals_read_like_the_seed(zone_a, api_client):
    campaign = open_campaign(zone_a, unit_value_fen=7_421_000, stock=1, budget_fen=7_421_000)
    person, user = worker(zone_a)
    services.campaign_claim(campaign=campaign, person=person, actor=user)
    body = api_client.as_user(make_user("officer", zone_a)).get("welfare/totals").json()
    assert body["issued_fen"] == 7_421_000 and body["issued_text"] == "7 万多元"
    assert body["claims"] == 1 and body["campaigns"] == 1
    today = timezone.localdate()
    periods = (
        api_client.as_user(make_user("officer", zone_a))
        .get("welfare/periods", period="day", since=today.isoformat())
        .json()
    )
    assert [p["issued_fen"] for p in periods] == [7_421_000]


def test_the_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/campaigns",
        "/api/v1/campaigns/{campaign_id}/approve",
        "/api/v1/campaigns/{campaign_id}/claims",
        "/api/v1/vouchers/{code}/redeem",
        "/api/v1/welfare/totals",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/campaigns/{campaign_id}/claims"]) == {"get", "post"}


def test_whose_claim_is_decided_in_one_place(zone_a, zone_b, api_client):
    campaign = open_campaign(zone_a)
    officer = api_client.as_user(make_user("officer", zone_a))
    resp = officer.post(f"campaigns/{campaign.pk}/claims", {})
    assert resp.status_code == 422
    assert resp.json()["fields"] == {"person_id": "当前账号未关联劳动者信息，无法为本人领取"}
    stranger, _ = worker(zone_b, login=False)
    resp = officer.post(f"campaigns/{campaign.pk}/claims", {"person_id": stranger.pk})
    assert resp.status_code == 422
    assert resp.json()["fields"] == {"person_id": "人员不存在或不属于本园区"}
    assert not Claim.objects.exists()


def test_an_unknown_workflow_verb_is_not_found(zone_a):
    from gaoxin.core.errors import NotFound

    campaign = draft(zone_a)
    with pytest.raises(NotFound):
        services.campaign_act(campaign=campaign, verb="explode", actor=campaign.created_by)
    assert Campaign.objects.get(pk=campaign.pk).status == "draft"
