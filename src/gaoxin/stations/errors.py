"""Error codes the stations program answers with (besides core's `gaoxin.core.errors.Code`)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Code(TextChoices):
    STATION_CLOSED_DOWN = "station_closed_down", _("驿站已撤站，不再提供签到服务")
    STATION_NOT_OPEN = "station_not_open", _("驿站暂停服务，暂不能签到")
    STATION_CLOSED_NOW = "station_closed_now", _("现在不在驿站开放时间内")
    NOT_WORKER = "not_worker", _("只有登记为劳动者的账号才能签到")
    OTHER_ZONE = "other_zone", _("驿站不属于劳动者登记的园区")
    DUPLICATE_CHECKIN = "duplicate_checkin", _("今天已在该驿站签到过")
    CHECKIN_THROTTLED = "checkin_throttled", _("本网络提交签到次数过多，请稍后再试")
    BAD_POSTER_CODE = "bad_poster_code", _("签到二维码无效")
    POSTER_EXPIRED = "poster_expired", _("签到海报已更换，二维码已过期")
    STATION_GONE = "station_gone", _("二维码对应的驿站已不存在")
    POSTER_PNG_UNAVAILABLE = "poster_png_unavailable", _("服务器未安装中文字体，无法生成海报图片")
