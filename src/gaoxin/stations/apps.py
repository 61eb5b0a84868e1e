from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "gaoxin.stations"
    label = "stations"
    verbose_name = _("暖新驿站")

    def ready(self):
        from gaoxin.core.references import reference_declare
        from gaoxin.stations.selectors import station_name_in_zone

        reference_declare("stations.station", label=_("驿站"), lookup=station_name_in_zone)
