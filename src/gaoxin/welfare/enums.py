"""Welfare choices and the one table of campaign state transitions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignKind(models.TextChoices):
    E_VOUCHER = "e_voucher", _("电子券")
    COUPON = "coupon", _("优惠券")
    GIFT_PACK = "gift_pack", _("实物礼包")
    YEAR_CARD = "year_card", _("年卡")
    OTHER = "other", _("其他")


class SponsorKind(models.TextChoices):
    ZONE = "zone", _("园区")
    UNION = "union", _("工会")
    MERCHANT = "merchant", _("爱心商家")
    PARTNER = "partner", _("合作单位")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    APPROVED = "approved", _("已审批")
    OPEN = "open", _("领取中")
    CLOSED = "closed", _("已结束")


# (from, to) → (verb shown to people, permission needed). Closing a draft or an
# approved campaign withdraws it; nothing leaves "closed".
TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    (CampaignStatus.DRAFT, CampaignStatus.APPROVED): ("approve", "welfare.approve_campaign"),
    (CampaignStatus.APPROVED, CampaignStatus.OPEN): ("open", "welfare.change_campaign"),
    (CampaignStatus.OPEN, CampaignStatus.CLOSED): ("close", "welfare.change_campaign"),
    (CampaignStatus.APPROVED, CampaignStatus.CLOSED): ("close", "welfare.change_campaign"),
    (CampaignStatus.DRAFT, CampaignStatus.CLOSED): ("close", "welfare.change_campaign"),
}

# The API's and pages' verbs → target state.
VERBS: dict[str, str] = {
    "approve": CampaignStatus.APPROVED,
    "open": CampaignStatus.OPEN,
    "close": CampaignStatus.CLOSED,
}

VERB_LABELS = {"approve": _("审批通过"), "open": _("开放领取"), "close": _("结束活动")}
