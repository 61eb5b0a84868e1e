"""Welfare routes: campaigns, their workflow verbs, claims, vouchers, totals.

Thin: parse → service/selector → shape. Claims accept an `Idempotency-Key`
header (or `request_id` in the body): a retried POST answers 200 with the
voucher of the first instead of 201 with a new one.
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from gaoxin.core.api import Pages
from gaoxin.core.errors import InvalidInput
from gaoxin.core.rules import require_perm
from gaoxin.core.schemas import Day, Id
from gaoxin.core.tenancy import request_zone
from gaoxin.ledger.selectors import ledger_entries_for_user
from gaoxin.registry.models import Person
from gaoxin.welfare import selectors, services
from gaoxin.welfare.enums import VERBS
from gaoxin.welfare.schemas import (
    CampaignIn,
    CampaignOut,
    ClaimIn,
    ClaimOut,
    LedgerEntryOut,
    PeriodOut,
    RedeemIn,
    RedeemOut,
    VoucherOut,
    WelfareTotalsOut,
)

router = Router()


def _campaign(request: HttpRequest, campaign_id: int):
    return selectors.campaign_get(user=request.user, campaign_id=campaign_id, money=True)


class CampaignFilter(Schema):
    status: str = ""
    zone_id: Id | None = None


@router.get(
    "/campaigns", response=list[CampaignOut], summary="福利活动列表（劳动者只看到可领取的）"
)
@paginate(Pages)
def campaign_list(request: HttpRequest, filters: Query[CampaignFilter]):
    user = request.user
    if not user.has_perm("welfare.view_campaign"):
        return selectors.claimable_for_user(user=user)
    return selectors.campaigns_for_user(user=user, status=filters.status, zone_id=filters.zone_id)


@router.post("/campaigns", response={201: CampaignOut}, summary="新建福利活动（草稿）")
def campaign_create(request: HttpRequest, payload: CampaignIn):
    zone = request_zone(request, payload.zone_id)
    data = payload.dict(exclude={"zone_id"})
    data["eligible_enterprise"] = data.pop("eligible_enterprise_id")
    try:
        campaign = services.campaign_create(actor=request.user, zone=zone, data=data)
    except InvalidInput as exc:
        exc.fields = {
            ("eligible_enterprise_id" if k == "eligible_enterprise" else k): v
            for k, v in exc.fields.items()
        }
        raise
    return Status(201, _campaign(request, campaign.pk))


@router.get(
    "/campaigns/{campaign_id}",
    response=CampaignOut,
    summary="福利活动详情（含预算、已发放、已核销、结余）",
)
def campaign_detail(request: HttpRequest, campaign_id: Id):
    return _campaign(request, campaign_id)


def _transition(request: HttpRequest, campaign_id: int, verb: str):
    campaign = selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    services.campaign_transition(campaign=campaign, to=VERBS[verb], actor=request.user)
    return _campaign(request, campaign_id)


@router.post(
    "/campaigns/{campaign_id}/approve",
    response=CampaignOut,
    summary="审批通过（须由创建人以外的人员审批）",
)
def campaign_approve(request: HttpRequest, campaign_id: Id):
    return _transition(request, campaign_id, "approve")


@router.post("/campaigns/{campaign_id}/open", response=CampaignOut, summary="开放领取")
def campaign_open(request: HttpRequest, campaign_id: Id):
    return _transition(request, campaign_id, "open")


@router.post(
    "/campaigns/{campaign_id}/close", response=CampaignOut, summary="结束活动（或撤回未开放的活动）"
)
def campaign_close(request: HttpRequest, campaign_id: Id):
    return _transition(request, campaign_id, "close")


@router.post(
    "/campaigns/{campaign_id}/claims",
    response={200: VoucherOut, 201: VoucherOut},
    summary="领取（先到先得；重试同一 Idempotency-Key 返回同一张券）",
)
def campaign_claim(request: HttpRequest, campaign_id: Id, payload: ClaimIn | None = None):
    user = request.user
    campaign = selectors.campaign_in_zone(user=user, campaign_id=campaign_id, related=False)
    payload = payload or ClaimIn()
    if payload.person_id:
        person = Person.objects.filter(zone_id=campaign.zone_id, pk=payload.person_id).first()
        if person is None:
            raise InvalidInput({"person_id": _("人员不存在或不属于本园区")})
    elif user.person_id:
        person = user.person
    else:
        raise InvalidInput({"person_id": _("当前账号未关联人员，请填写 person_id（代为领取）")})
    request_id = request.headers.get("Idempotency-Key") or payload.request_id
    claim = services.campaign_claim(
        campaign=campaign, person=person, actor=user, request_id=request_id, just_read=True
    )
    return Status(200 if claim.replayed else 201, claim)


@router.get(
    "/campaigns/{campaign_id}/claims", response=list[ClaimOut], summary="领取记录（工作人员）"
)
@paginate(Pages)
def campaign_claims(request: HttpRequest, campaign_id: Id, redeemed: bool | None = None):
    campaign = selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    return selectors.claims_for_campaign(user=request.user, campaign=campaign, redeemed=redeemed)


@router.get(
    "/campaigns/{campaign_id}/ledger", response=list[LedgerEntryOut], summary="活动资金台账分录"
)
@paginate(Pages)
def campaign_ledger(request: HttpRequest, campaign_id: Id):
    campaign = selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    return ledger_entries_for_user(
        user=request.user, zone_id=campaign.zone_id, account_prefix=campaign.account("")
    )


@router.get("/vouchers", response=list[VoucherOut], summary="我的福利券")
@paginate(Pages)
def voucher_list(request: HttpRequest):
    return selectors.vouchers_for_user(user=request.user)


@router.get("/vouchers/{code}", response=VoucherOut, summary="查询福利券（本人或核销人员）")
def voucher_detail(request: HttpRequest, code: str):
    return selectors.voucher_for_user(user=request.user, code=code)


@router.post(
    "/vouchers/{code}/redeem",
    response=RedeemOut,
    summary="核销（只能核销一次；再次核销返回 409 及首次核销的时间地点）",
)
def voucher_redeem(request: HttpRequest, code: str, payload: RedeemIn | None = None):
    payload = payload or RedeemIn()
    zone = request_zone(request, payload.zone_id)
    return services.voucher_redeem(zone=zone, code=code, actor=request.user, place=payload.place)


class TotalsFilter(Schema):
    zone_id: Id | None = None
    since: Day | None = None
    until: Day | None = None


@router.get(
    "/welfare/totals", response=WelfareTotalsOut, summary="园区福利发放合计（[since, until) 按日）"
)
def welfare_totals(request: HttpRequest, filters: Query[TotalsFilter]):
    require_perm(request.user, "welfare.view_campaign")
    zone = request_zone(request, filters.zone_id)
    totals = selectors.welfare_zone_totals(zone=zone, since=filters.since, until=filters.until)
    return {"zone_id": zone.pk, "since": filters.since, "until": filters.until, **totals.as_dict()}


class PeriodFilter(TotalsFilter):
    period: str = "month"


@router.get("/welfare/periods", response=list[PeriodOut], summary="园区福利发放（按月或按日）")
def welfare_periods(request: HttpRequest, filters: Query[PeriodFilter]):
    require_perm(request.user, "welfare.view_campaign")
    if filters.period not in ("month", "day"):
        raise InvalidInput({"period": _("只能是 month 或 day")})
    zone = request_zone(request, filters.zone_id)
    rows = selectors.welfare_zone_periods(
        zone=zone, since=filters.since, until=filters.until, period=filters.period
    )
    return [{"period": start, **t.as_dict()} for start, t in rows]
