"""Writes of the party program: organisations, the pipeline, instructors' visits."""

from gaoxin.party.services.orgs import (
    member_add,
    org_cover,
    org_create,
    union_cover,
)
from gaoxin.party.services.pipeline import (
    candidate_advance,
    candidate_apply,
    candidate_for_officer,
    candidate_talk,
)
from gaoxin.party.services.visits import assignment_create, visit_log

__all__ = [
    "assignment_create",
    "candidate_advance",
    "candidate_apply",
    "candidate_for_officer",
    "candidate_talk",
    "member_add",
    "org_cover",
    "org_create",
    "union_cover",
    "visit_log",
]
