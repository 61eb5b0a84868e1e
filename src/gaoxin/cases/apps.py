from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "gaoxin.cases"
    label = "cases"
    verbose_name = _("诉求与帮扶")

    def ready(self):
        """A case carries files (申请材料、病历、走访照片) through core.attachments."""
        from gaoxin.cases.access import CASE_FILES, case_files_may_attach, case_files_may_view
        from gaoxin.core.attachments import attachment_owner_declare

        attachment_owner_declare(
            CASE_FILES,
            label=_("帮扶个案"),
            can_view=case_files_may_view,
            can_attach=case_files_may_attach,
        )
