"""Error codes the welfare program answers with (besides core's `gaoxin.core.errors.Code`)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Code(TextChoices):
    SELF_APPROVAL = "self_approval", _("不能审批自己创建的活动")
    WINDOW_OVER = "window_over", _("领取截止时间已过，不能开放领取")
    NOT_YOUR_CLAIM = "not_your_claim", _("只能为本人领取")
    LIMIT_REACHED = "limit_reached", _("已领满每人限领份数")
    NOT_ELIGIBLE = "not_eligible", _("不符合领取条件")
    SOLD_OUT = "sold_out", _("已领完")
    NOT_OPEN = "not_open", _("不在领取时间内或活动未开放")
    BUSY = "busy", _("领取的人太多，请稍后再试")
    ALREADY_REDEEMED = "already_redeemed", _("该券已核销")
    VOUCHER_NOT_FOUND = "voucher_not_found", _("券码不存在")
    WRONG_PLACE = "wrong_place", _("该券不能在此地点核销")
    EXPIRED = "expired", _("该券已过使用期限")
