"""Every write of the stations program, by entity (callers use `services.x`)."""

from gaoxin.stations.services.checkins import (
    ANON_CHECKINS_LIMIT,
    ANON_CHECKINS_WINDOW,
    DuplicateCheckin,
    FirstVisit,
    anonymous_checkin_allowed,
    anonymous_checkin_refusal,
    checkin_first_visit,
    checkin_record,
    dedupe_window,
    first_visit_pin,
    worker_login_account,
    worker_register,
)
from gaoxin.stations.services.keepers import MAX_WALKINS_PER_ENTRY, walkin_record
from gaoxin.stations.services.rollups import ROLLUP_MODELS, ZONE_ROLLUP_MODELS, stats_rebuild
from gaoxin.stations.services.stations import (
    STATION_AUDIT_FIELDS,
    TRANSITIONS,
    poster_reissue,
    station_closure_add,
    station_create,
    station_open_now,
    station_transition,
    station_update,
)

__all__ = [
    "ANON_CHECKINS_LIMIT",
    "ANON_CHECKINS_WINDOW",
    "MAX_WALKINS_PER_ENTRY",
    "ROLLUP_MODELS",
    "STATION_AUDIT_FIELDS",
    "TRANSITIONS",
    "ZONE_ROLLUP_MODELS",
    "DuplicateCheckin",
    "FirstVisit",
    "anonymous_checkin_allowed",
    "anonymous_checkin_refusal",
    "checkin_first_visit",
    "checkin_record",
    "dedupe_window",
    "first_visit_pin",
    "poster_reissue",
    "station_closure_add",
    "station_create",
    "station_open_now",
    "station_transition",
    "station_update",
    "stats_rebuild",
    "walkin_record",
    "worker_login_account",
    "worker_register",
]
