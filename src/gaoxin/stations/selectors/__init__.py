"""Reads of the stations program, by entity: stations (lists, the public map,
opening, keepers) and stats (rollups, check-ins). Import from here."""

from gaoxin.stations.nearest import (  # re-exported: the nearest search lives there
    Nearby,
    stations_nearest,
    stations_nearest_bruteforce,
)
from gaoxin.stations.selectors.stations import (
    keepers_for_new_station,
    station_for_poster,
    station_get,
    station_ids_for_stats,
    station_name_in_zone,
    station_names_among,
    station_names_kept_by,
    station_poster_version,
    station_public,
    stations_for_user,
    stations_listed,
    stations_open_flags,
    zone_keepers,
)
from gaoxin.stations.selectors.stats import (
    StationStats,
    distinct_workers_on,
    station_checkins,
    worker_visits,
    zone_station_stats,
    zone_visits_total,
)

__all__ = [
    "Nearby",
    "StationStats",
    "distinct_workers_on",
    "keepers_for_new_station",
    "station_checkins",
    "station_for_poster",
    "station_get",
    "station_ids_for_stats",
    "station_name_in_zone",
    "station_names_among",
    "station_names_kept_by",
    "station_poster_version",
    "station_public",
    "stations_for_user",
    "stations_listed",
    "stations_nearest",
    "stations_nearest_bruteforce",
    "stations_open_flags",
    "worker_visits",
    "zone_keepers",
    "zone_station_stats",
    "zone_visits_total",
]
