"""Every welfare write: create, transition, claim, redeem — one module per entity.

Each service checks permissions, writes its rows, posts its ledger entries
and appends its audit entry in one transaction, so money, vouchers and the
audit trail never disagree.

`at` back-dates an act for loaders of historical records (the demo); pages
and the API never pass it.
"""

from gaoxin.welfare.services.campaigns import (
    CAMPAIGN_AUDIT_FIELDS,
    campaign_act,
    campaign_create,
    campaign_move_money,
    campaign_transition,
)
from gaoxin.welfare.services.claims import MAX_REQUEST_ID, campaign_claim, campaign_claim_for
from gaoxin.welfare.services.redemptions import redeem_places, voucher_find, voucher_redeem

__all__ = [
    "CAMPAIGN_AUDIT_FIELDS",
    "MAX_REQUEST_ID",
    "campaign_act",
    "campaign_claim",
    "campaign_claim_for",
    "campaign_create",
    "campaign_move_money",
    "campaign_transition",
    "redeem_places",
    "voucher_find",
    "voucher_redeem",
]
