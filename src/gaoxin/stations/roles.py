"""This program's permissions per role (merged into the role groups by core.roles)."""

ROLE_PERMISSIONS: dict[str, list[str]] = {}
