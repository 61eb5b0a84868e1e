"""This program's permissions per role (merged into the role groups by core.roles).

Pipeline records are sensitive personal data: only the zone's party officers
(`party.view_candidate`) see them, and every read is audited. Instructors log visits
to the firms they are assigned to.
"""

from gaoxin.core.enums import Role

ORGS = ["party.view_partyorg", "party.add_partyorg", "party.change_partyorg"]
PIPELINE = ["party.view_candidate", "party.add_candidate", "party.change_candidate"]
INSTRUCTORS = [
    "party.view_instructorassignment",
    "party.add_instructorassignment",
    "party.view_instructorvisit",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ZONE_ADMIN: [*ORGS, *INSTRUCTORS, "party.add_unioncoverage"],
    Role.OFFICER: [*ORGS, *PIPELINE, *INSTRUCTORS, "party.add_unioncoverage"],
    Role.INSTRUCTOR: ["party.view_partyorg", "party.add_instructorvisit"],
}
