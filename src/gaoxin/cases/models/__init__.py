"""Cases program records, by entity: meetings, demands, referrals, hardship cases and aid."""

from gaoxin.cases.models.cases import (
    AidApplication,
    CaseOfficer,
    CaseStep,
    CaseStepTemplate,
    CaseType,
    HardshipCase,
)
from gaoxin.cases.models.demands import Demand, DemandEnterprise, DemandUpdate
from gaoxin.cases.models.meetings import JointMeeting, MeetingDepartment, MeetingEnterprise
from gaoxin.cases.models.referrals import LiaisonBinding, Referral

__all__ = [
    "AidApplication",
    "CaseOfficer",
    "CaseStep",
    "CaseStepTemplate",
    "CaseType",
    "Demand",
    "DemandEnterprise",
    "DemandUpdate",
    "HardshipCase",
    "JointMeeting",
    "LiaisonBinding",
    "MeetingDepartment",
    "MeetingEnterprise",
    "Referral",
]
