"""Rights-protection referrals to partner departments, and who answers for a department."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.cases.enums import ReferralStatus
from gaoxin.cases.models.cases import HardshipCase
from gaoxin.cases.models.demands import Demand
from gaoxin.core.models import ZoneScoped
from gaoxin.core.zonekeys import ZoneForeignKey
from gaoxin.registry.models import Department


class LiaisonBinding(ZoneScoped):
    """A department liaison's account bound to the department they answer for: they see
    only what was referred to it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("联络员账号"),
    )
    department = ZoneForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("部门")
    )

    class Meta:
        verbose_name = _("部门联络员")
        verbose_name_plural = _("部门联络员")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "user", "department"], name="liaison_binding_once"
            )
        ]


class Referral(ZoneScoped):
    demand = ZoneForeignKey(
        Demand,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("诉求"),
    )
    case = ZoneForeignKey(
        HardshipCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("帮扶个案"),
    )
    department = ZoneForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("承办部门")
    )
    subject = models.CharField(_("转办事项"), max_length=100)
    note = models.TextField(_("转办说明"), blank=True)
    due_on = models.DateField(_("回复期限"))
    status = models.CharField(
        _("状态"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.OPEN
    )
    reply = models.TextField(_("部门回复"), blank=True)
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("回复人"),
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("转办人"),
    )
    created_at = models.DateTimeField(_("转办时间"), default=timezone.now)

    class Meta:
        verbose_name = _("转办")
        verbose_name_plural = _("转办")
        ordering = ["zone_id", "-created_at", "-id"]
        permissions = [("reply_referral", _("回复并办结转办事项"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(demand__isnull=False) | Q(case__isnull=False),
                name="referral_has_subject",
            )
        ]
        indexes = [
            models.Index(fields=["zone", "department", "status"], name="referral_zone_dept_status")
        ]

    def __str__(self) -> str:
        return self.subject

    def overdue_on(self, today) -> bool:
        return self.status != ReferralStatus.CLOSED and self.due_on < today
