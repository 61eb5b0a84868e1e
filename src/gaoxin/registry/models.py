"""The registry: enterprises, people and departments of each zone.

Every table carries `zone` and every unique constraint includes it (see
`gaoxin.core.models`). Personal identifiers are stored as ciphertext, a keyed
blind index for lookup and uniqueness, and a pre-masked copy for lists, so a
list page never decrypts anything.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gaoxin.core.enums import DepartmentKind, Gender, JobType, PersonRole
from gaoxin.core.models import ZoneScoped
from gaoxin.core.zonekeys import ZoneForeignKey


class Enterprise(ZoneScoped):
    name = models.CharField(_("企业名称"), max_length=100)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    industry = models.CharField(_("行业"), max_length=40, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone_cipher = models.TextField(_("联系电话（密文）"), blank=True, editable=False)
    contact_phone_masked = models.CharField(
        _("联系电话"), max_length=20, blank=True, editable=False
    )
    is_new_economy = models.BooleanField(_("新业态企业"), default=False)
    name_initials = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["zone_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "uscc"], name="enterprise_uscc_unique_in_zone"),
        ]
        indexes = [models.Index(fields=["zone", "name"], name="enterprise_zone_name")]

    def __str__(self) -> str:
        return self.name


class Department(ZoneScoped):
    """A partner bureau cases can be referred to (人社局, 市场监管局 …)."""

    name = models.CharField(_("部门名称"), max_length=60)
    kind = models.CharField(_("类别"), max_length=20, choices=DepartmentKind.choices)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["zone_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="department_name_unique_in_zone"),
        ]

    def __str__(self) -> str:
        return self.name


class Person(ZoneScoped):
    name = models.CharField(_("姓名"), max_length=40)
    name_pinyin = models.CharField(_("姓名拼音"), max_length=200, blank=True, editable=False)
    name_initials = models.CharField(_("拼音首字母"), max_length=200, blank=True, editable=False)
    id_number_cipher = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=False)
    id_number_masked = models.CharField(_("身份证号"), max_length=18, blank=True, editable=False)
    phone_cipher = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone_masked = models.CharField(_("手机号码"), max_length=20, blank=True, editable=False)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    role = models.CharField(
        _("身份"), max_length=30, choices=PersonRole.choices, default=PersonRole.WORKER
    )
    job_type = models.CharField(_("职业类型"), max_length=30, choices=JobType.choices, blank=True)
    employer = ZoneForeignKey(
        Enterprise,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("所在企业"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["zone_id", "name_pinyin", "id"]
        permissions = [("reveal_person", _("查看完整身份证号和手机号"))]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "id_number_hash"],
                condition=~Q(id_number_hash=""),
                name="person_id_number_unique_in_zone",
            ),
            models.UniqueConstraint(
                fields=["zone", "phone_hash"],
                condition=~Q(phone_hash=""),
                name="person_phone_unique_in_zone",
            ),
        ]
        indexes = [
            models.Index(fields=["zone", "name_initials"], name="person_zone_initials"),
            models.Index(fields=["zone", "employer"], name="person_zone_employer"),
        ]

    def __str__(self) -> str:
        return self.name
