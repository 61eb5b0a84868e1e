"""Hardship cases (困难职工帮扶): a type with a standard timeline, the steps of each case,
its assigned officers, and the aid applications paid through the ledger."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.cases.enums import (
    AidKind,
    AidStatus,
    CaseOrigin,
    CaseOutcome,
    CaseStatus,
    Satisfaction,
    StepKind,
)
from gaoxin.cases.models.demands import Demand
from gaoxin.core.models import ZoneScoped
from gaoxin.core.zonekeys import ZoneForeignKey
from gaoxin.registry.models import Person

MAX_STEP_DAYS = 365


class CaseType(ZoneScoped):
    name = models.CharField(_("个案类型"), max_length=60)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("个案类型")
        verbose_name_plural = _("个案类型")
        ordering = ["zone_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="case_type_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class CaseStepTemplate(ZoneScoped):
    """One step of a case type's standard timeline: due `due_days` after the case opens."""

    case_type = ZoneForeignKey(CaseType, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("步骤"), max_length=60)
    kind = models.CharField(_("步骤类型"), max_length=20, choices=StepKind.choices)
    due_days = models.PositiveSmallIntegerField(_("期限（开案后天数）"))

    class Meta:
        verbose_name = _("标准步骤")
        verbose_name_plural = _("标准步骤")
        ordering = ["zone_id", "case_type_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "case_type", "order"], name="case_step_template_order"
            ),
            models.CheckConstraint(
                condition=Q(due_days__lte=MAX_STEP_DAYS), name="case_step_template_days"
            ),
        ]


class HardshipCase(ZoneScoped):
    person = ZoneForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("帮扶对象")
    )
    case_type = ZoneForeignKey(
        CaseType, on_delete=models.PROTECT, related_name="cases", verbose_name=_("个案类型")
    )
    title = models.CharField(_("个案名称"), max_length=100)
    summary = models.TextField(_("情况摘要"), blank=True)
    origin = models.CharField(_("来源"), max_length=20, choices=CaseOrigin.choices)
    demand = ZoneForeignKey(
        Demand,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("来源诉求"),
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    outcome = models.CharField(_("结果"), max_length=20, choices=CaseOutcome.choices, blank=True)
    outcome_note = models.TextField(_("结案说明"), blank=True)
    opened_on = models.DateField(_("开案日期"))
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    satisfaction = models.CharField(
        _("满意度"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("开案人"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("帮扶个案")
        verbose_name_plural = _("帮扶个案")
        ordering = ["zone_id", "-opened_on", "-id"]
        permissions = [("view_all_cases", _("查看本园区全部帮扶个案"))]
        indexes = [
            models.Index(fields=["zone", "status"], name="case_zone_status"),
            models.Index(fields=["zone", "person"], name="case_zone_person"),
        ]

    def __str__(self) -> str:
        return self.title


class CaseOfficer(ZoneScoped):
    """An officer assigned to a case: with the zone admin, the only ones who see it."""

    case = ZoneForeignKey(HardshipCase, on_delete=models.CASCADE, related_name="officer_links")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("个案经办人")
        verbose_name_plural = _("个案经办人")
        constraints = [
            models.UniqueConstraint(fields=["zone", "case", "user"], name="case_officer_once")
        ]
        indexes = [models.Index(fields=["zone", "user"], name="case_officer_user")]


class CaseStep(ZoneScoped):
    case = ZoneForeignKey(HardshipCase, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("步骤"), max_length=60)
    kind = models.CharField(_("步骤类型"), max_length=20, choices=StepKind.choices)
    due_on = models.DateField(_("期限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("完成人"),
    )
    note = models.TextField(_("情况记录"), blank=True)

    class Meta:
        verbose_name = _("个案步骤")
        verbose_name_plural = _("个案步骤")
        ordering = ["zone_id", "case_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "case", "order"], name="case_step_order")
        ]
        indexes = [models.Index(fields=["zone", "done_on", "due_on"], name="case_step_due")]

    def late_on(self, today) -> bool:
        """Late: past due and not done, or done after its due date."""
        if self.done_on is None:
            return self.due_on < today
        return self.done_on > self.due_on


class AidApplication(ZoneScoped):
    case = ZoneForeignKey(
        HardshipCase, on_delete=models.PROTECT, related_name="aid", verbose_name=_("帮扶个案")
    )
    person = ZoneForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("受助人")
    )
    kind = models.CharField(_("帮扶类型"), max_length=20, choices=AidKind.choices)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    period_start = models.DateField(_("所属期间起"))
    period_end = models.DateField(_("所属期间止"))
    reason = models.TextField(_("申请理由"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=AidStatus.choices, default=AidStatus.APPLIED
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("申请经办人"),
    )
    applied_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发放人"),
    )
    paid_at = models.DateTimeField(_("发放时间"), null=True, blank=True)
    duplicate_confirmed = models.BooleanField(_("已确认重复提示"), default=False)

    class Meta:
        verbose_name = _("帮扶救助申请")
        verbose_name_plural = _("帮扶救助申请")
        ordering = ["zone_id", "-applied_at", "-id"]
        permissions = [
            ("approve_aidapplication", _("审批帮扶救助申请")),
            ("pay_aidapplication", _("发放帮扶救助金")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="aid_amount_positive"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="aid_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("applied_by")),
                name="aid_approver_not_applicant",
            ),
            models.CheckConstraint(
                condition=~Q(status=AidStatus.PAID) | Q(paid_at__isnull=False),
                name="aid_paid_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["zone", "person", "kind"], name="aid_zone_person_kind"),
            models.Index(fields=["zone", "status", "paid_at"], name="aid_zone_paid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_fen / 100:.2f}"

    @property
    def ledger_key(self) -> str:
        """The one idempotency key of this application's payment: a retry posts nothing."""
        return f"cases:aid:{self.pk}:pay"
