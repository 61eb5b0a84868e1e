from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "gaoxin.stations"
    label = "stations"
    verbose_name = _("暖新驿站")

    def ready(self):
        from gaoxin.core.places import places_declare
        from gaoxin.core.references import reference_declare
        from gaoxin.stations.selectors import (
            station_name_in_zone,
            station_names_among,
            station_names_kept_by,
        )

        reference_declare("stations.station", label=_("驿站"), lookup=station_name_in_zone)
        places_declare(kept_by=station_names_kept_by, among=station_names_among)
