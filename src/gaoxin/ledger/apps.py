from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    """Money in integer fen: append-only entries, balances are sums (shared by programs)."""

    name = "gaoxin.ledger"
    label = "ledger"
    verbose_name = _("资金台账")
