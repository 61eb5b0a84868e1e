from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "gaoxin.party"
    label = "party"
    verbose_name = _("党建")

    def ready(self):
        """Other programs refer to an organisation (a star rating, a branch's activity)
        through the declared reference "party.partyorg"."""
        from gaoxin.core.references import reference_declare
        from gaoxin.party.selectors.orgs import org_name_in_zone

        reference_declare("party.partyorg", label=_("党组织"), lookup=org_name_in_zone)
