"""Every cases write, one module per entity. Each service checks permissions and
visibility, writes its rows, posts its ledger entries and appends its audit entry in
one transaction. `at` back-dates an act for loaders of historical records (the demo);
pages and the API never pass it."""

from gaoxin.cases.services.aid import (
    DuplicateCheck,
    aid_apply,
    aid_approve,
    aid_duplicates,
    aid_pay,
)
from gaoxin.cases.services.cases import (
    case_assign,
    case_close,
    case_open,
    case_rate,
    case_step_done,
    case_type_standard,
)
from gaoxin.cases.services.demands import (
    demand_assign,
    demand_create,
    demand_rate,
    demand_resolve,
    demand_transition,
    demand_update,
    worker_ask_help,
)
from gaoxin.cases.services.meetings import meeting_create
from gaoxin.cases.services.referrals import (
    liaison_bind,
    referral_close,
    referral_create,
    referral_reply,
)

__all__ = [
    "DuplicateCheck",
    "aid_apply",
    "aid_approve",
    "aid_duplicates",
    "aid_pay",
    "case_assign",
    "case_close",
    "case_open",
    "case_rate",
    "case_step_done",
    "case_type_standard",
    "demand_assign",
    "demand_create",
    "demand_rate",
    "demand_resolve",
    "demand_transition",
    "demand_update",
    "liaison_bind",
    "meeting_create",
    "referral_close",
    "referral_create",
    "referral_reply",
    "worker_ask_help",
]
