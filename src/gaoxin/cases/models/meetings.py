"""Joint meetings (联席会议): held every half year; firms and departments attend."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import ZoneScoped
from gaoxin.core.zonekeys import ZoneForeignKey
from gaoxin.registry.models import Department, Enterprise


class JointMeeting(ZoneScoped):
    held_on = models.DateField(_("会议日期"))
    title = models.CharField(_("会议名称"), max_length=100)
    minutes = models.TextField(_("会议纪要"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("记录人"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("联席会议")
        verbose_name_plural = _("联席会议")
        ordering = ["zone_id", "-held_on", "-id"]
        indexes = [models.Index(fields=["zone", "held_on"], name="meeting_zone_day")]

    def __str__(self) -> str:
        return self.title


class MeetingEnterprise(ZoneScoped):
    meeting = ZoneForeignKey(
        JointMeeting, on_delete=models.CASCADE, related_name="enterprise_links"
    )
    enterprise = ZoneForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("参会企业")
        verbose_name_plural = _("参会企业")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "meeting", "enterprise"], name="meeting_enterprise_once"
            )
        ]


class MeetingDepartment(ZoneScoped):
    meeting = ZoneForeignKey(
        JointMeeting, on_delete=models.CASCADE, related_name="department_links"
    )
    department = ZoneForeignKey(Department, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("参会部门")
        verbose_name_plural = _("参会部门")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "meeting", "department"], name="meeting_department_once"
            )
        ]
