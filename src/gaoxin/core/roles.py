"""Roles as Django groups, and what each may do.

Programs add their own permissions to ROLE_PERMISSIONS as they arrive; a
role's group is rewritten from this table after every migrate, so the code
is the single source of truth for who may do what.
"""

from django.contrib.auth.models import Group, Permission

from gaoxin.core.enums import Role

REGISTRY_VIEW = ["registry.view_enterprise", "registry.view_person", "registry.view_department"]
REGISTRY_EDIT = [
    f"registry.{verb}_{model}"
    for verb in ("add", "change", "delete")
    for model in ("enterprise", "person", "department")
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ZONE_ADMIN: [
        *REGISTRY_VIEW,
        *REGISTRY_EDIT,
        "registry.reveal_person",
        "core.view_auditentry",
        "core.view_user",
        "core.add_user",
        "core.change_user",
    ],
    Role.OFFICER: [*REGISTRY_VIEW, *REGISTRY_EDIT, "registry.reveal_person"],
    Role.INSTRUCTOR: ["registry.view_enterprise", "registry.view_person"],
    Role.STATION_KEEPER: [],
    Role.WORKER: [],
    Role.ENTERPRISE_CONTACT: [],
    Role.JUDGE: [],
    Role.ENTRANT: [],
    Role.FINANCE: ["registry.view_enterprise"],
    Role.DEPARTMENT_LIAISON: ["registry.view_enterprise", "registry.view_department"],
    Role.NATIONAL_VIEWER: ["core.view_zone", "registry.view_enterprise"],
}

# Roles that work in the back office (Django admin).
STAFF_ROLES = {
    Role.ZONE_ADMIN,
    Role.OFFICER,
    Role.INSTRUCTOR,
    Role.FINANCE,
    Role.DEPARTMENT_LIAISON,
    Role.NATIONAL_VIEWER,
}


def all_role_permissions() -> dict[str, list[str]]:
    """Core's table merged with each program's `roles.ROLE_PERMISSIONS`."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    merged = {role: list(perms) for role, perms in ROLE_PERMISSIONS.items()}
    for config in apps.get_app_configs():
        is_program = config.name.startswith("gaoxin.") and config.label != "core"
        if is_program and find_spec(f"{config.name}.roles"):
            program = import_module(f"{config.name}.roles")
            for role, perms in program.ROLE_PERMISSIONS.items():
                merged.setdefault(role, []).extend(perms)
    return merged


def sync_roles() -> None:
    """Create one group per role and set its permissions from all programs' tables."""
    for role, perms in all_role_permissions().items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:  # a program's permissions may not be migrated yet
                wanted.append(perm)
        group.permissions.set(wanted)


def sync_roles_after_migrate(sender, **kwargs) -> None:
    """Runs after each app's post_migrate (and after `flush`): cheap and idempotent,
    and by the last app every permission exists."""
    sync_roles()
