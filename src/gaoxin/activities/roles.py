"""This program's permissions per role (merged into the role groups by core.roles).

Workers sign themselves up and check in; signing someone else up, marking
attendance and reading rosters is officers' work.
"""

from gaoxin.core.enums import Role

MANAGE = [
    "activities.view_activity",
    "activities.add_activity",
    "activities.change_activity",
    "activities.publish_activity",
    "activities.view_signup",
    "activities.add_signup",
    "activities.change_signup",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ZONE_ADMIN: MANAGE,
    Role.OFFICER: MANAGE,
    Role.INSTRUCTOR: ["activities.view_activity"],
    Role.WORKER: ["activities.add_signup"],
    Role.NATIONAL_VIEWER: ["activities.view_activity"],
}
