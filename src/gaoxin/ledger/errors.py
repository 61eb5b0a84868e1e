"""Error codes the ledger answers with (besides core's `gaoxin.core.errors.Code`)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Code(TextChoices):
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused", _("幂等键已用于另一笔不同的记账")
    ALREADY_REVERSED = "already_reversed", _("该笔记账已被冲正过")
    REVERSE_OF_REVERSAL = "reverse_of_reversal", _("冲正记录本身不能再冲正")
