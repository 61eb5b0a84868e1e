"""Reads of stations themselves: lists, one station, the public map and list,
whether stations are open, the logins that may keep one."""

import datetime as dt

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.enums import Role
from gaoxin.core.errors import Conflict, NotFound
from gaoxin.core.models import User
from gaoxin.core.rules import require_perm, restrict_to_zone
from gaoxin.core.selectors import zones_for_user
from gaoxin.stations import hours, tokens
from gaoxin.stations.enums import AMENITY_BITS, StationStatus
from gaoxin.stations.models import Station, StationClosure


def station_names_kept_by(*, user: User, zone_id: int) -> list[str]:
    """The stations and merchants `user` keeps in the zone (where they redeem vouchers)."""
    return list(
        Station.objects.filter(zone_id=zone_id, keeper=user)
        .order_by("name")
        .values_list("name", flat=True)
    )


def station_names_among(*, zone_id: int, names: list[str]) -> list[str]:
    """Those of `names` that are stations or merchants of the zone, in the order given."""
    if not names:
        return []
    known = set(
        Station.objects.filter(zone_id=zone_id, name__in=names).values_list("name", flat=True)
    )
    return [name for name in names if name in known]


def stations_for_user(
    *, user: User, zone_id: int | None = None, status: str = "", kind: str = "", q: str = ""
) -> QuerySet[Station]:
    require_perm(user, "stations.view_station")
    qs = restrict_to_zone(Station.objects.select_related("zone", "keeper"), user)
    if user.has_role(Role.STATION_KEEPER) and not user.is_superuser:
        qs = qs.filter(keeper=user)
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(address__icontains=q))
    return qs.order_by("zone_id", "name", "id")


def station_get(*, user: User, station_id: int) -> Station:
    station = stations_for_user(user=user).filter(pk=station_id).first()
    if station is None:
        raise NotFound()
    return station


def station_name_in_zone(zone_id: int, station_id: int) -> str | None:
    """The station's name if this zone has a station with this id: the lookup behind
    the declared reference "stations.station" (core.references), through which other
    programs (an activity held at a station) check the ids they store."""
    return (
        Station.objects.filter(zone_id=zone_id, pk=station_id)
        .values_list("name", flat=True)
        .first()
    )


def station_poster_version(station_id: int) -> int | None:
    """The station's live poster version, for tokens.poster_decode (None: no such station)."""
    return Station.objects.filter(pk=station_id).values_list("poster_version", flat=True).first()


def station_public(station_id: int, *, with_zone: bool = True) -> Station:
    """A station as anyone may see it (phone pages): closed-down ones are gone.

    Read by its key and checked here rather than with `.exclude(status=…)`: every
    check-in asks this, and the ORM builds the plain read in a third of the time
    (`with_zone=False` for a check-in, which needs only the zone's id)."""
    rows = Station.objects.select_related("zone") if with_zone else Station.objects
    try:
        station = rows.get(pk=station_id)
    except Station.DoesNotExist:
        raise NotFound() from None
    if station.status == StationStatus.CLOSED:
        raise NotFound()
    return station


def station_for_poster(code: str) -> Station:
    """The station a poster's code names, as the poster page and the API find it. A bad
    or outdated code raises tokens.BadPosterCode; a good code of a station closed down
    since (撤站) is a Conflict `station_closed_down`: the poster is real, the station gone."""
    station_id = tokens.poster_decode(code, current_version=station_poster_version)
    try:
        return station_public(station_id)
    except NotFound:
        raise Conflict(
            _("该驿站已撤站，不再提供签到服务。请查找附近的其他驿站。"), code="station_closed_down"
        ) from None


def stations_listed(
    *, zone_id: int | None, amenities: list[str], open_only: bool = False, limit: int
) -> list[tuple[Station, bool]]:
    """(station, open now) for the phone list and map without a position: the
    stations anyone may see (not closed down), of one zone or all, with the
    amenities asked for, only the open ones with `open_only`."""
    want = 0
    for a in amenities:
        want |= AMENITY_BITS.get(a, 0)
    qs = Station.objects.exclude(status=StationStatus.CLOSED)
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    if want:
        qs = qs.alias(has=F("amenity_mask").bitand(want)).filter(has=want)
    stations = list(qs.order_by("zone_id", "name", "id")[:limit])
    flags = stations_open_flags(stations)
    return [(s, flags[s.pk]) for s in stations if flags[s.pk] or not open_only]


def stations_open_flags(stations, at: dt.datetime | None = None) -> dict[int, bool]:
    """Whether each station is open now, with one query for all their closures."""
    at = at or timezone.now()
    today = timezone.localtime(at).date()
    closures: dict[int, list] = {}
    ids = [s.pk for s in stations]
    if ids:
        for sid, start, end in StationClosure.objects.filter(
            station_id__in=ids, start_date__lte=today, end_date__gte=today - dt.timedelta(days=1)
        ).values_list("station_id", "start_date", "end_date"):
            closures.setdefault(sid, []).append((start, end))
    return {
        s.pk: s.status == StationStatus.OPEN
        and hours.is_open_at(is_24h=s.is_24h, week=s.hours, closures=closures.get(s.pk, []), at=at)
        for s in stations
    }


def zone_keepers(zone) -> QuerySet[User]:
    """Logins that may keep a station of the zone (what services.station_create
    accepts); `zone` is an id or a queryset of zone ids."""
    if zone is None:
        return User.objects.none()
    lookup = {"zone_id__in": zone} if isinstance(zone, QuerySet) else {"zone_id": zone}
    return (
        User.objects.filter(**lookup, groups__name=Role.STATION_KEEPER, is_active=True)
        .select_related("zone")
        .distinct()
        .order_by("zone_id", "display_name", "username")
    )


def keepers_for_new_station(*, user: User) -> QuerySet[User]:
    """Keepers a new station may get: the user's zone's (cross-zone users see every
    zone's, and the service refuses a keeper of another zone than the station's)."""
    return zone_keepers(zones_for_user(user=user).values("id"))


def station_ids_for_stats(*, user: User) -> list[int] | None:
    """The stations whose figures a user's statistics cover: a keeper's own, or
    None for the whole zone."""
    if user.has_role(Role.STATION_KEEPER) and not user.is_superuser:
        return list(stations_for_user(user=user).values_list("id", flat=True))
    return None
