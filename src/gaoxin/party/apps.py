from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "gaoxin.party"
    label = "party"
    verbose_name = _("党建")

    def ready(self):
        """Other programs refer to an organisation (a star rating, a branch's activity)
        through the declared reference "party.partyorg"; each pipeline step carries its
        resolution or document as core attachments."""
        from gaoxin.core.attachments import attachment_owner_declare
        from gaoxin.core.figures import figures_declare
        from gaoxin.core.references import reference_declare
        from gaoxin.party.access import STEP_FILES, step_files_may_attach, step_files_may_view
        from gaoxin.party.selectors.orgs import org_name_in_zone
        from gaoxin.party.selectors.report import figures

        figures_declare("party", figures)
        reference_declare("party.partyorg", label=_("党组织"), lookup=org_name_in_zone)
        attachment_owner_declare(
            STEP_FILES,
            label=_("发展党员材料"),
            can_view=step_files_may_view,
            can_attach=step_files_may_attach,
        )
