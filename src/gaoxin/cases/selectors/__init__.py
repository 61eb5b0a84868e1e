"""Every cases read with logic: restricted to the user's zone and role (gaoxin.cases.access)."""

from gaoxin.cases.selectors.cases import (
    aid_for_case,
    aid_paid_for_user,
    case_get,
    case_timeline,
    cases_for_user,
    officers_of,
)
from gaoxin.cases.selectors.demands import (
    demand_get,
    demands_for_user,
    meeting_get,
    meeting_progress,
    meetings_for_user,
    officers_for_zone,
)
from gaoxin.cases.selectors.figures import Figures, cases_by_type_and_outcome, zone_figures
from gaoxin.cases.selectors.referrals import referral_get, referrals_for_user
from gaoxin.cases.selectors.workbench import Workbench, workbench, worker_requests

__all__ = [
    "Figures",
    "Workbench",
    "aid_for_case",
    "aid_paid_for_user",
    "case_get",
    "case_timeline",
    "cases_by_type_and_outcome",
    "cases_for_user",
    "demand_get",
    "demands_for_user",
    "meeting_get",
    "meeting_progress",
    "meetings_for_user",
    "officers_for_zone",
    "officers_of",
    "referral_get",
    "referrals_for_user",
    "worker_requests",
    "workbench",
    "zone_figures",
]
