from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gaoxin.core"
    label = "core"
    verbose_name = _("系统")  # zones, logins, roles, the audit trail

    def ready(self) -> None:
        # Roles are groups whose permissions exist only after migrate has
        # created them; syncing here is configuration, not a workflow.
        from gaoxin.core import checks  # noqa: F401  (registers `gaoxin check`'s key check)
        from gaoxin.core.logging import install as mask_identifiers_in_logs
        from gaoxin.core.roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="gaoxin-sync-roles")
        mask_identifiers_in_logs()


class GaoxinAdminConfig(AdminConfig):
    """Django admin with our site (gaoxin.core.sites), so that `admin.site`
    everywhere is the one whose own-password page is audited."""

    default_site = "gaoxin.core.sites.GaoxinAdminSite"
