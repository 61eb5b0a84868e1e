"""Welfare campaigns and the vouchers (claims) they hand out.

The database is the last line of defence against overselling and double
claims: `issued <= stock` is a check constraint, and a worker's claims of a
campaign are numbered by `slot` with a unique (zone, campaign, person, slot)
key, so whatever the service gets wrong under concurrency, the rows cannot
exceed the stock or give anyone a second slot they were not allotted.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import ZoneScoped
from gaoxin.core.zonekeys import ZoneForeignKey
from gaoxin.registry.models import Enterprise, Person
from gaoxin.welfare.enums import CampaignKind, CampaignStatus, SponsorKind

MAX_PER_WORKER = 10


class Campaign(ZoneScoped):
    title = models.CharField(_("活动名称"), max_length=80)
    kind = models.CharField(_("福利类型"), max_length=20, choices=CampaignKind.choices)
    description = models.TextField(_("说明"), blank=True)
    sponsor_kind = models.CharField(_("出资方类型"), max_length=20, choices=SponsorKind.choices)
    sponsor_name = models.CharField(_("出资方"), max_length=80)
    unit_value_fen = models.BigIntegerField(_("单份价值（分）"))
    stock = models.PositiveIntegerField(_("总份数"))
    per_worker_limit = models.PositiveSmallIntegerField(_("每人限领份数"), default=1)
    budget_fen = models.BigIntegerField(_("预算（分）"))
    eligible_job_types = models.JSONField(_("限定职业类型"), default=list, blank=True)
    eligible_enterprise = ZoneForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("限定企业"),
    )
    claim_starts_at = models.DateTimeField(_("开始领取时间"))
    claim_ends_at = models.DateTimeField(_("截止领取时间"))
    redeem_until = models.DateTimeField(_("核销截止时间"), null=True, blank=True)
    redeem_place_hint = models.CharField(_("使用地点"), max_length=120, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=CampaignStatus.choices,
        default=CampaignStatus.DRAFT,
        editable=False,
    )
    issued = models.PositiveIntegerField(_("已发放份数"), default=0, editable=False)
    redeemed = models.PositiveIntegerField(_("已核销份数"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("创建人"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    opened_at = models.DateTimeField(_("开放时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("福利活动")
        verbose_name_plural = _("福利活动")
        ordering = ["zone_id", "-claim_starts_at", "-id"]
        permissions = [("approve_campaign", _("审批福利活动"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(issued__lte=F("stock")), name="campaign_issued_within_stock"
            ),
            models.CheckConstraint(
                condition=Q(redeemed__lte=F("issued")), name="campaign_redeemed_within_issued"
            ),
            models.CheckConstraint(
                condition=Q(unit_value_fen__gt=0), name="campaign_unit_value_positive"
            ),
            models.CheckConstraint(condition=Q(stock__gt=0), name="campaign_stock_positive"),
            models.CheckConstraint(
                condition=Q(per_worker_limit__gte=1, per_worker_limit__lte=MAX_PER_WORKER),
                name="campaign_limit_range",
            ),
            models.CheckConstraint(
                condition=Q(budget_fen__gte=F("stock") * F("unit_value_fen")),
                name="campaign_budget_covers_stock",
            ),
            models.CheckConstraint(
                condition=Q(claim_ends_at__gt=F("claim_starts_at")), name="campaign_window_ordered"
            ),
        ]
        indexes = [models.Index(fields=["zone", "status"], name="campaign_zone_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def remaining(self) -> int:
        return self.stock - self.issued

    def account(self, bucket: str) -> str:
        """Ledger account of this campaign (see gaoxin.ledger.models for the scheme)."""
        return f"welfare:campaign:{self.pk}:{bucket}"

    def is_claimable_at(self, at) -> bool:
        return (
            self.status == CampaignStatus.OPEN
            and self.claim_starts_at <= at < self.claim_ends_at
            and self.issued < self.stock
        )


class Claim(ZoneScoped):
    """One voucher (券) a worker holds: claimed once, redeemed at most once."""

    campaign = ZoneForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="claims", verbose_name=_("福利活动")
    )
    person = ZoneForeignKey(
        Person, on_delete=models.PROTECT, related_name="welfare_claims", verbose_name=_("领取人")
    )
    slot = models.PositiveSmallIntegerField(_("第几份"), default=0)
    code = models.CharField(_("券码"), max_length=10)
    value_fen = models.BigIntegerField(_("价值（分）"))
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    claimed_at = models.DateTimeField(_("领取时间"), default=timezone.now)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("经办人"),
    )
    redeemed_at = models.DateTimeField(_("核销时间"), null=True, blank=True)
    redeemed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("核销人"),
    )
    redeemed_place = models.CharField(_("核销地点"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("福利券")
        verbose_name_plural = _("福利券")
        ordering = ["zone_id", "-claimed_at", "-id"]
        permissions = [
            ("redeem_claim", _("核销福利券")),
            ("issue_claim", _("代为领取（现场发放）")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "campaign", "person", "slot"], name="claim_one_per_slot"
            ),
            models.UniqueConstraint(fields=["zone", "code"], name="claim_code_unique_in_zone"),
            models.UniqueConstraint(
                fields=["zone", "campaign", "person", "request_id"],
                condition=~Q(request_id=""),
                name="claim_request_once",
            ),
            models.CheckConstraint(condition=Q(slot__lt=MAX_PER_WORKER), name="claim_slot_range"),
            models.CheckConstraint(condition=Q(value_fen__gt=0), name="claim_value_positive"),
            models.CheckConstraint(
                condition=Q(redeemed_at__isnull=True) | ~Q(redeemed_place=""),
                name="claim_redeemed_has_place",
            ),
        ]
        indexes = [
            models.Index(fields=["zone", "campaign", "claimed_at"], name="claim_campaign_time"),
            models.Index(fields=["zone", "person", "claimed_at"], name="claim_person_time"),
            models.Index(
                fields=["zone", "campaign", "redeemed_at"], name="claim_campaign_redeemed"
            ),
        ]

    def __str__(self) -> str:
        return self.display_code

    @property
    def display_code(self) -> str:
        return f"{self.code[:5]}-{self.code[5:]}"

    @property
    def is_redeemed(self) -> bool:
        return self.redeemed_at is not None

    def expired_at(self, at: dt.datetime) -> bool:
        """Unused and past its campaign's redemption deadline at `at`. The one
        rule: redemption refuses it, the phone page greys it out, the API says
        `expired`."""
        until = self.campaign.redeem_until
        return self.redeemed_at is None and until is not None and at > until

    @property
    def expired(self) -> bool:
        return self.expired_at(timezone.now())
