"""The member-development pipeline: a candidate and the dated record of each stage."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import ZoneScoped
from gaoxin.core.zonekeys import ZoneForeignKey
from gaoxin.party.enums import Stage
from gaoxin.party.models.orgs import PartyOrg
from gaoxin.registry.models import Person


class Candidate(ZoneScoped):
    person = ZoneForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("发展对象本人")
    )
    org = ZoneForeignKey(
        PartyOrg, on_delete=models.PROTECT, related_name="candidates", verbose_name=_("党组织")
    )
    stage = models.CharField(_("当前阶段"), max_length=20, choices=Stage.choices)
    stage_on = models.DateField(_("进入当前阶段日期"))
    applied_on = models.DateField(_("递交申请书日期"))
    talked_on = models.DateField(_("谈话日期"), null=True, blank=True)
    contact = ZoneForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("培养联系人"),
    )
    trainer = ZoneForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("培养人"),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("负责工作人员"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("入党发展对象")
        verbose_name_plural = _("入党发展对象")
        ordering = ["zone_id", "applied_on", "id"]
        permissions = [("view_candidate", _("查看入党发展记录"))]
        default_permissions = ("add", "change")
        constraints = [
            models.UniqueConstraint(fields=["zone", "person"], name="party_candidate_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} #{self.pk}"


class StageRecord(ZoneScoped):
    candidate = ZoneForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="records", verbose_name=_("发展对象")
    )
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices)
    on = models.DateField(_("日期"))
    document = models.CharField(_("决议或材料"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("记录人"),
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("发展阶段记录")
        verbose_name_plural = _("发展阶段记录")
        ordering = ["zone_id", "on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "candidate", "stage"], name="party_stage_once")
        ]
        indexes = [models.Index(fields=["zone", "stage", "on"], name="party_stage_on")]
