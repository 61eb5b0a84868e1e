"""Error codes the cases program answers with (besides core's `gaoxin.core.errors.Code`)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Code(TextChoices):
    SELF_APPROVAL_AID = "self_approval_aid", _("帮扶申请须由申请人以外的工作人员审批")
    DUPLICATE_NEED = "duplicate_need", _("同一人同一期间已获同类帮扶，须确认后才能继续")
    NOT_YOUR_REQUEST = "not_your_request", _("只能评价本人提出的诉求或个案")
    NOT_RESOLVED = "not_resolved", _("尚未办结，暂不能评价")
    CASE_CLOSED = "case_closed", _("个案已结案")
    NO_PERSON = "no_person", _("当前账号未关联劳动者信息")
