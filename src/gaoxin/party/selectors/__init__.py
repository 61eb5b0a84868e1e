"""Reads of the party program."""

from gaoxin.party.selectors.figures import coverage, development_figures
from gaoxin.party.selectors.orgs import (
    firm_choices,
    instructor_choices,
    members_of,
    org_for_user,
    orgs_for_user,
)
from gaoxin.party.selectors.pipeline import candidates_for_officer, due_items
from gaoxin.party.selectors.visits import assignments_for_user, stale_firms, visits_for_user

__all__ = [
    "firm_choices",
    "instructor_choices",
    "assignments_for_user",
    "candidates_for_officer",
    "coverage",
    "development_figures",
    "due_items",
    "members_of",
    "org_for_user",
    "orgs_for_user",
    "stale_firms",
    "visits_for_user",
]
