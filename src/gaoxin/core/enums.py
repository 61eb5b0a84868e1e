"""Choices shared across the platform."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles of DESIGN.md; each is a Django group of the same name."""

    ZONE_ADMIN = "zone_admin", _("园区管理员")
    OFFICER = "officer", _("党群工作人员")
    INSTRUCTOR = "instructor", _("党建指导员")
    STATION_KEEPER = "station_keeper", _("驿站站长")
    WORKER = "worker", _("新就业形态劳动者")
    ENTERPRISE_CONTACT = "enterprise_contact", _("企业联系人")
    JUDGE = "judge", _("评审专家")
    ENTRANT = "entrant", _("参赛者")
    FINANCE = "finance", _("财务人员")
    DEPARTMENT_LIAISON = "department_liaison", _("部门联络员")
    NATIONAL_VIEWER = "national_viewer", _("全国统计查看")


class PersonRole(models.TextChoices):
    WORKER = "worker", _("新就业形态劳动者")
    ENTERPRISE_CONTACT = "enterprise_contact", _("企业联系人")
    RESIDENT = "resident", _("居民")
    PARTY_MEMBER = "party_member", _("党员")
    OTHER = "other", _("其他")


class JobType(models.TextChoices):
    COURIER = "courier", _("快递员")
    FOOD_DELIVERY = "food_delivery", _("外卖骑手")
    RIDE_HAILING = "ride_hailing", _("网约车司机")
    TRUCK_DRIVER = "truck_driver", _("货车司机")
    DESIGNATED_DRIVER = "designated_driver", _("代驾司机")
    OTHER = "other", _("其他")


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class DepartmentKind(models.TextChoices):
    HRSS = "hrss", _("人力资源和社会保障局")
    MARKET = "market", _("市场监督管理局")
    SOCIAL_WORK = "social_work", _("社会工作局")
    UNION = "union", _("总工会")
    PARTY = "party", _("党工委")
    INVESTMENT = "investment", _("投资促进部门")
    OTHER = "other", _("其他")


class AuditAction(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    REVEAL = "reveal", _("查看完整信息")
    IMPORT = "import", _("导入")
    LOGIN = "login", _("登录")
    TRANSITION = "transition", _("状态变更")
    EXPORT = "export", _("导出")
    REDEEM = "redeem", _("核销")
    DOWNLOAD = "download", _("下载")
