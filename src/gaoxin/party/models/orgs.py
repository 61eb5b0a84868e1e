"""Party organisations, the enterprises each covers, and their members."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import ZoneScoped
from gaoxin.core.zonekeys import ZoneForeignKey
from gaoxin.party.enums import OrgKind
from gaoxin.registry.models import Enterprise, Person


class PartyOrg(ZoneScoped):
    name = models.CharField(_("组织名称"), max_length=100)
    kind = models.CharField(_("组织类别"), max_length=20, choices=OrgKind.choices)
    parent = ZoneForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级组织"),
    )
    secretary = ZoneForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("书记"),
    )
    founded_on = models.DateField(_("成立日期"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["zone_id", "founded_on", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="party_org_name_once")]

    def __str__(self) -> str:
        return self.name


class PartyOrgEnterprise(ZoneScoped):
    """An enterprise covered by an organisation (组织覆盖) from a date."""

    org = ZoneForeignKey(
        PartyOrg,
        on_delete=models.CASCADE,
        related_name="enterprise_links",
        verbose_name=_("党组织"),
    )
    enterprise = ZoneForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    since = models.DateField(_("覆盖起始日期"))

    class Meta:
        verbose_name = _("党组织覆盖企业")
        verbose_name_plural = _("党组织覆盖企业")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "org", "enterprise"], name="party_org_enterprise_once"
            )
        ]


class PartyMember(ZoneScoped):
    """A member of an organisation; `joined_on` is the day they became 预备党员 (党龄 counts
    from it), `full_on` the day they became 正式党员."""

    org = ZoneForeignKey(
        PartyOrg, on_delete=models.PROTECT, related_name="members", verbose_name=_("党组织")
    )
    person = ZoneForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("党员")
    )
    joined_on = models.DateField(_("入党日期"))
    full_on = models.DateField(_("转正日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["zone_id", "joined_on", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "person"], name="party_member_once")]
