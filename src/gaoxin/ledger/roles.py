"""Who may read the ledger and post corrections (merged into the role groups by core.roles)."""

from gaoxin.core.enums import Role

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ZONE_ADMIN: ["ledger.view_ledgerentry", "ledger.reverse_ledgerentry"],
    Role.OFFICER: ["ledger.view_ledgerentry"],
    Role.FINANCE: ["ledger.view_ledgerentry", "ledger.reverse_ledgerentry"],
    Role.NATIONAL_VIEWER: ["ledger.view_ledgerentry"],
}
