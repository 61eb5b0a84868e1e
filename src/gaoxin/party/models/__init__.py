from gaoxin.party.models.instructors import InstructorAssignment, InstructorVisit, UnionCoverage
from gaoxin.party.models.orgs import PartyMember, PartyOrg, PartyOrgEnterprise
from gaoxin.party.models.pipeline import Candidate, StageRecord

__all__ = [
    "Candidate",
    "InstructorAssignment",
    "InstructorVisit",
    "PartyMember",
    "PartyOrg",
    "PartyOrgEnterprise",
    "StageRecord",
    "UnionCoverage",
]
