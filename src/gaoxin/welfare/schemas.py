"""API shapes for welfare. Money is integer fen; the *_yuan strings are for display."""

import datetime as dt

from ninja import Field, Schema

from gaoxin.core.numbers import yuan
from gaoxin.core.schemas import Id, Moment
from gaoxin.welfare.selectors import money_of


class CampaignIn(Schema):
    zone_id: Id | None = Field(None, description="跨园区账号必填；本园区账号可省略")
    title: str = Field(..., max_length=80)
    kind: str = Field(
        ...,
        description="e_voucher 电子券 / coupon 优惠券 / gift_pack 实物礼包 / year_card 年卡 / other",
    )
    description: str = Field("", max_length=2000)
    sponsor_kind: str = Field(
        ..., description="zone 园区 / union 工会 / merchant 爱心商家 / partner 合作单位"
    )
    sponsor_name: str = Field(..., max_length=80)
    unit_value_fen: int = Field(..., description="单份价值（分）")
    stock: int = Field(..., description="总份数")
    per_worker_limit: int = Field(1, description="每人限领份数（1–10）")
    budget_fen: int | None = Field(None, description="预算（分），省略时为 总份数 × 单份价值")
    eligible_job_types: list[str] = Field([], description="限定职业类型，空表示不限")
    eligible_enterprise_id: Id | None = Field(None, description="限定企业，空表示不限")
    claim_starts_at: Moment
    claim_ends_at: Moment
    redeem_until: Moment | None = None
    redeem_place_hint: str = Field("", max_length=120)


class MoneyOut(Schema):
    budget_fen: int
    issued_fen: int
    redeemed_fen: int
    outstanding_fen: int
    remaining_fen: int
    budget_yuan: str
    issued_yuan: str
    redeemed_yuan: str
    remaining_yuan: str


class CampaignOut(Schema):
    id: int
    zone_id: int
    title: str
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    description: str
    sponsor_kind: str
    sponsor_name: str
    unit_value_fen: int
    stock: int
    per_worker_limit: int
    budget_fen: int
    issued: int = Field(..., description="已发放份数")
    redeemed: int = Field(..., description="已核销份数")
    remaining_stock: int = Field(..., alias="remaining")
    eligible_job_types: list[str]
    eligible_enterprise_id: int | None
    claim_starts_at: dt.datetime
    claim_ends_at: dt.datetime
    redeem_until: dt.datetime | None
    redeem_place_hint: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    created_by_id: int
    approved_by_id: int | None
    money: MoneyOut

    @staticmethod
    def resolve_money(obj) -> dict:
        return money_of(obj).as_dict()


class ClaimIn(Schema):
    person_id: Id | None = Field(None, description="代为领取（现场发放）时填写；本人领取省略")
    request_id: str = Field(
        "", max_length=64, description="客户端请求编号，也可用请求头 Idempotency-Key"
    )


class VoucherOut(Schema):
    """A voucher as its holder sees it: the full code, for the QR."""

    id: int
    code: str = Field(..., alias="display_code")
    campaign_id: int
    campaign_title: str = Field(..., alias="campaign.title")
    value_fen: int
    value_yuan: str
    claimed_at: dt.datetime
    redeemed_at: dt.datetime | None
    redeemed_place: str
    redeem_until: dt.datetime | None = Field(..., alias="campaign.redeem_until")
    expired: bool = Field(..., description="未使用且已过核销截止时间（与核销时的判断相同）")
    redeem_place_hint: str = Field(..., alias="campaign.redeem_place_hint")

    @staticmethod
    def resolve_value_yuan(obj) -> str:
        return yuan(obj.value_fen)


class ClaimOut(Schema):
    """A claim as officers see it: the code masked, the person by name."""

    id: int
    campaign_id: int
    person_id: int
    person_name: str = Field(..., alias="person.name")
    slot: int
    code: str
    value_fen: int
    claimed_at: dt.datetime
    claimed_by_id: int | None
    redeemed_at: dt.datetime | None
    redeemed_by_id: int | None
    redeemed_place: str

    @staticmethod
    def resolve_code(obj) -> str:
        return f"{obj.code[:5]}-*****"


class RedeemIn(Schema):
    place: str = Field("", max_length=80, description="核销地点，省略时为核销人")
    zone_id: Id | None = Field(None, description="跨园区账号必填")


class RedeemOut(Schema):
    code: str = Field(..., alias="display_code")
    campaign_id: int
    campaign_title: str = Field(..., alias="campaign.title")
    value_fen: int
    redeemed_at: dt.datetime
    redeemed_place: str


class LedgerEntryOut(Schema):
    id: int
    zone_id: int
    idempotency_key: str
    leg: int
    account: str
    amount_fen: int
    reference_type: str
    reference_id: str
    memo: str
    reverses_key: str
    actor_id: int | None
    created_at: dt.datetime


class WelfareTotalsOut(Schema):
    zone_id: int
    since: dt.date | None
    until: dt.date | None
    campaigns: int
    claims: int
    redemptions: int
    issued_fen: int
    redeemed_fen: int
    issued_yuan: str
    redeemed_yuan: str
    issued_text: str = Field(..., description="报道口径，如“7 万多元”")
    claims_text: str


class PeriodOut(Schema):
    period: dt.date
    claims: int
    redemptions: int
    issued_fen: int
    redeemed_fen: int
