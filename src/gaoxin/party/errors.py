"""Error codes the party program answers with (besides core's `gaoxin.core.errors.Code`).

Every refusal of the pipeline carries `rule_refused` and names its rule (see rules.py)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Code(TextChoices):
    RULE_REFUSED = "rule_refused", _("不符合发展党员工作规定（message 写明条款）")
