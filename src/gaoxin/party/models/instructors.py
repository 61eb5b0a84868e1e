"""Party-building instructors (党建指导员) assigned to firms, their visits, and the
union coverage of firms (registry has no union field, so it is recorded here)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import ZoneScoped
from gaoxin.core.references import ReferenceField
from gaoxin.core.zonekeys import ZoneForeignKey
from gaoxin.registry.models import Enterprise


class InstructorAssignment(ZoneScoped):
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("党建指导员"),
    )
    enterprise = ZoneForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="+", verbose_name=_("挂点企业")
    )
    start_on = models.DateField(_("挂点开始日期"))
    end_on = models.DateField(_("挂点结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("党建指导员挂点")
        verbose_name_plural = _("党建指导员挂点")
        ordering = ["zone_id", "start_on", "id"]


class InstructorVisit(ZoneScoped):
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("党建指导员"),
    )
    enterprise = ZoneForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="+", verbose_name=_("走访企业")
    )
    visited_on = models.DateField(_("走访日期"))
    people_met = models.CharField(_("见到的人"), max_length=200)
    topics = models.TextField(_("交流内容"))
    findings = models.TextField(_("了解到的情况"), blank=True)
    follow_ups = models.TextField(_("后续跟进"), blank=True)
    demand_id = ReferenceField(
        _("反映的诉求"),
        kind="cases.demand",
        null=True,
        blank=True,
        help_text=_("走访中了解到的诉求，交诉求程序跟踪办理"),
    )
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["zone_id", "-visited_on", "-id"]
        indexes = [
            models.Index(fields=["zone", "enterprise", "visited_on"], name="party_visit_firm_on")
        ]


class UnionCoverage(ZoneScoped):
    """A firm covered by a trade union (工会) from a date: the second half of 双覆盖."""

    enterprise = ZoneForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    since = models.DateField(_("建会日期"))
    union_name = models.CharField(_("工会名称"), max_length=100)

    class Meta:
        verbose_name = _("工会覆盖")
        verbose_name_plural = _("工会覆盖")
        constraints = [
            models.UniqueConstraint(fields=["zone", "enterprise"], name="party_union_once")
        ]
