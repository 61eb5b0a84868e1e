"""Station permissions per role (merged into the role groups by core.roles)."""

from gaoxin.core.enums import Role

_VIEW = [
    "stations.view_station",
    "stations.view_checkin",
    "stations.view_servicerecord",
    "stations.view_walkinbatch",
]
_EDIT = [
    "stations.add_station",
    "stations.change_station",
    "stations.add_stationclosure",
    "stations.change_stationclosure",
    "stations.delete_stationclosure",
    "stations.add_stationphoto",
    "stations.delete_stationphoto",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ZONE_ADMIN: [*_VIEW, *_EDIT],
    Role.OFFICER: [*_VIEW, *_EDIT, "stations.add_walkinbatch"],
    # keepers see only the stations they keep (selectors narrow it further)
    Role.STATION_KEEPER: [*_VIEW, "stations.add_walkinbatch"],
    Role.NATIONAL_VIEWER: ["stations.view_station"],
    Role.INSTRUCTOR: ["stations.view_station"],
}
