from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "gaoxin.cases"
    label = "cases"
    verbose_name = _("诉求与帮扶")

    def ready(self):
        """A case carries files (申请材料、病历、走访照片) through core.attachments; other
        programs raise demands through the declared intake "demand" (core.intake) and
        point at one through the declared reference "cases.demand"."""
        from gaoxin.cases.access import CASE_FILES, case_files_may_attach, case_files_may_view
        from gaoxin.cases.enums import DemandCategory
        from gaoxin.cases.selectors.demands import demand_title_in_zone
        from gaoxin.cases.services.demands import demand_from_intake
        from gaoxin.core.attachments import attachment_owner_declare
        from gaoxin.core.intake import intake_declare
        from gaoxin.core.references import reference_declare

        intake_declare("demand", demand_from_intake, categories=DemandCategory.choices)
        reference_declare("cases.demand", label=_("诉求"), lookup=demand_title_in_zone)

        attachment_owner_declare(
            CASE_FILES,
            label=_("帮扶个案"),
            can_view=case_files_may_view,
            can_attach=case_files_may_attach,
        )
