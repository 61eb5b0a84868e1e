"""Back office (Django admin) of the platform: zones, logins and roles, the audit trail,
and the base classes every other admin page (the registry's, each program's) uses.

Three rules hold on every page here:

- Zone isolation: every queryset goes through `rules.restrict_to_zone`, and a
  record outside the user's zone is a real 404 (not Django's "doesn't exist"
  redirect), so an id from another zone looks exactly like a missing one.
- Services write: adds, changes and deletes call a service (`gaoxin.core.services`,
  `gaoxin.registry.services`, a program's), which
  check, write and audit in one transaction; nothing here calls `save()`.
- Masking: lists and pages show the stored masks; showing a full identifier
  is a separate permission, asked for with a reason, and audited.

A package by concern: `base` (mixins and the zone-scoped admin), `accounts` (zones,
users, roles), `audit` (the audit trail). Importing it registers them all.
"""

from gaoxin.core.admin import accounts, audit  # noqa: F401  (registers the model admins)
from gaoxin.core.admin.base import (
    NotFoundMixin,
    ReadOnlyMixin,
    ReadOnlyZoneAdmin,
    RefusalMixin,
    ZoneScopedAdmin,
)

__all__ = ["NotFoundMixin", "ReadOnlyMixin", "ReadOnlyZoneAdmin", "RefusalMixin", "ZoneScopedAdmin"]
