"""Error codes the activities program answers with (besides core's `gaoxin.core.errors.Code`)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Code(TextChoices):
    ACTIVITY_LOCKED = "activity_locked", _("活动已提交或结束，不能再修改")
    ACTIVITY_NOT_OPEN = "activity_not_open", _("活动当前状态不接受签到或取消报名")
    SESSION_IN_USE = "session_in_use", _("场次已有报名或签到记录，不能删除")
    LAST_SESSION = "last_session", _("已提交或发布的活动至少要保留一个场次")
    NO_SEAT = "no_seat", _("候补转正时名额已满")
    FULL = "full", _("名额已满且不设候补")
    SIGNUP_CLOSED = "signup_closed", _("活动不接受报名、场次已开始或报名已截止")
    NOT_ELIGIBLE = "not_eligible", _("报名人不符合活动条件（fields 说明哪一项）")
    ALREADY_CANCELLED = "already_cancelled", _("该报名已取消")
    ALREADY_ATTENDED = "already_attended", _("已签到的报名不能取消")
    SESSION_STARTED = "session_started", _("场次已开始，不能取消报名")
    CHECKIN_NOT_OPEN = "checkin_not_open", _("签到尚未开始")
    CHECKIN_CLOSED = "checkin_closed", _("扫码签到已结束")
    NO_PERSON = "no_person", _("账号未关联人员信息，无法签到")
    WAITLISTED = "waitlisted", _("仍在候补名单中，不能签到")
    NOT_SIGNED_UP = "not_signed_up", _("没有报名本场活动")
    BAD_QR = "bad_qr", _("签到二维码无效或已被篡改")
