from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    """Money in integer fen: append-only entries, balances are sums (shared by programs)."""

    name = "gaoxin.ledger"
    label = "ledger"
    verbose_name = _("资金台账")

    def ready(self) -> None:
        # `gaoxin audit verify` checks the ledger too; core may not import programs,
        # so the ledger offers its check.
        from gaoxin.core.audit import register_integrity_check
        from gaoxin.ledger.selectors import ledger_verify

        register_integrity_check(ledger_verify)
