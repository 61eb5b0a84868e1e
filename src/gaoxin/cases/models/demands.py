"""Demands (诉求): raised, owned, updated, resolved, rated — each tracked to an outcome."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.cases.enums import DemandCategory, DemandSource, DemandStatus, Satisfaction
from gaoxin.cases.models.meetings import JointMeeting
from gaoxin.core.models import ZoneScoped
from gaoxin.core.zonekeys import ZoneForeignKey
from gaoxin.registry.models import Enterprise, Person


class Demand(ZoneScoped):
    title = models.CharField(_("诉求标题"), max_length=100)
    detail = models.TextField(_("诉求内容"), blank=True)
    category = models.CharField(_("类别"), max_length=20, choices=DemandCategory.choices)
    source = models.CharField(_("来源"), max_length=20, choices=DemandSource.choices)
    meeting = ZoneForeignKey(
        JointMeeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demands",
        verbose_name=_("联席会议"),
    )
    raised_by = ZoneForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提出人"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任人"),
    )
    due_on = models.DateField(_("办理期限"))
    status = models.CharField(
        _("状态"), max_length=20, choices=DemandStatus.choices, default=DemandStatus.OPEN
    )
    resolution = models.TextField(_("办理结果"), blank=True)
    raised_at = models.DateTimeField(_("受理时间"), default=timezone.now)
    responded_at = models.DateTimeField(_("首次响应时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    satisfaction = models.CharField(
        _("满意度"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(_("重新办理次数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        ordering = ["zone_id", "-raised_at", "-id"]
        permissions = [("ask_help", _("劳动者本人求助并评价"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=DemandStatus.RESOLVED, resolved_at__isnull=False)
                | ~Q(status=DemandStatus.RESOLVED),
                name="demand_resolved_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["zone", "status", "due_on"], name="demand_zone_status_due"),
            models.Index(fields=["zone", "meeting"], name="demand_zone_meeting"),
            models.Index(fields=["zone", "raised_by"], name="demand_zone_person"),
        ]

    def __str__(self) -> str:
        return self.title

    def overdue_on(self, today) -> bool:
        return self.status != DemandStatus.RESOLVED and self.due_on < today

    @property
    def days_taken(self) -> int | None:
        if self.resolved_at is None:
            return None
        return max((self.resolved_at - self.raised_at).days, 0)


class DemandEnterprise(ZoneScoped):
    demand = ZoneForeignKey(Demand, on_delete=models.CASCADE, related_name="enterprise_links")
    enterprise = ZoneForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("涉及企业")
        verbose_name_plural = _("涉及企业")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "demand", "enterprise"], name="demand_enterprise_once"
            )
        ]


class DemandUpdate(ZoneScoped):
    """One step of a demand's history: what was done, by whom, from which status to which."""

    demand = ZoneForeignKey(Demand, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("办理人"),
    )
    status_from = models.CharField(_("原状态"), max_length=20, choices=DemandStatus.choices)
    status_to = models.CharField(_("新状态"), max_length=20, choices=DemandStatus.choices)
    note = models.TextField(_("办理情况"))

    class Meta:
        verbose_name = _("诉求办理记录")
        verbose_name_plural = _("诉求办理记录")
        ordering = ["zone_id", "at", "id"]
