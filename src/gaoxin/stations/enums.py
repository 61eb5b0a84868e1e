from django.db import models
from django.utils.translation import gettext_lazy as _


class StationKind(models.TextChoices):
    """The "2+3+N" grid: hub stations, partner stations, caring merchants."""

    HUB = "hub", _("枢纽驿站")
    PARTNER = "partner", _("合作驿站")
    MERCHANT = "merchant", _("爱心商家")


class StationStatus(models.TextChoices):
    OPEN = "open", _("运营中")
    PAUSED = "paused", _("暂停服务")
    CLOSED = "closed", _("已撤站")


class Amenity(models.TextChoices):
    """Controlled list; the order gives each amenity its bit in Station.amenity_mask."""

    WARMTH = "warmth", _("取暖")
    COOLING = "cooling", _("纳凉")
    WATER = "water", _("饮水")
    REST = "rest", _("歇脚")
    MEDICINE = "medicine", _("用药/药箱")
    READING = "reading", _("阅览")
    CHARGING = "charging", _("充电")
    MICROWAVE = "microwave", _("微波炉")
    TOILET = "toilet", _("卫生间")
    LEGAL = "legal", _("法律咨询")
    WIFI = "wifi", _("无线网络")
    REPAIR = "repair", _("应急维修")


AMENITY_BITS = {value: 1 << i for i, value in enumerate(Amenity.values)}


def amenity_mask(values) -> int:
    mask = 0
    for v in values:
        mask |= AMENITY_BITS[v]
    return mask


def amenities_from_mask(mask: int) -> list[str]:
    return [v for v, bit in AMENITY_BITS.items() if mask & bit]


class CheckinSource(models.TextChoices):
    SCAN = "scan", _("扫码签到")
    KEEPER = "keeper", _("站长登记")
    API = "api", _("接口")


WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAY_LABELS = {
    "mon": _("周一"),
    "tue": _("周二"),
    "wed": _("周三"),
    "thu": _("周四"),
    "fri": _("周五"),
    "sat": _("周六"),
    "sun": _("周日"),
}
