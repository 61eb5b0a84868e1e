"""This program's permissions per role (merged into the role groups by core.roles).

Redemption: a caring merchant or 驿站 keeper holds the station_keeper role
and redeems vouchers of their zone; officers and zone admins may redeem too.
Workers claim for themselves (add_claim); officers may hand a voucher to a
worker on site (issue_claim), recorded as the claim's 经办人.
"""

from gaoxin.core.enums import Role

OFFICE = [
    "welfare.view_campaign",
    "welfare.add_campaign",
    "welfare.change_campaign",
    "welfare.approve_campaign",
    "welfare.view_claim",
    "welfare.issue_claim",
    "welfare.redeem_claim",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ZONE_ADMIN: OFFICE,
    Role.OFFICER: OFFICE,
    Role.FINANCE: ["welfare.view_campaign", "welfare.view_claim", "welfare.approve_campaign"],
    Role.NATIONAL_VIEWER: ["welfare.view_campaign"],
    Role.STATION_KEEPER: ["welfare.redeem_claim"],
    Role.WORKER: ["welfare.add_claim"],
}
