"""Reads the pages need that selectors.py does not offer (yet).

Kept here, small and side-effect free, so the views stay thin; each is a
candidate to move into selectors.py.
"""

import datetime as dt

from django.db.models import F, QuerySet
from django.utils import timezone

from gaoxin.core.enums import Role
from gaoxin.core.models import User
from gaoxin.stations import hours
from gaoxin.stations.enums import AMENITY_BITS, StationStatus
from gaoxin.stations.models import Checkin, Station, StationClosure


def public_stations(*, zone_id: int | None, amenities: list[str], limit: int) -> list[Station]:
    """Stations anyone may see (not closed down), of one zone or all, with the amenities asked for."""
    want = 0
    for a in amenities:
        want |= AMENITY_BITS.get(a, 0)
    qs = Station.objects.exclude(status=StationStatus.CLOSED)
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    if want:
        qs = qs.alias(has=F("amenity_mask").bitand(want)).filter(has=want)
    return list(qs.order_by("zone_id", "name", "id")[:limit])


def open_flags(stations, at: dt.datetime | None = None) -> dict[int, bool]:
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


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def distinct_workers_on(station: Station, day: dt.date) -> int:
    """Distinct scanning workers at one station on one local day.

    selectors.zone_station_stats counts distinct workers to date (StationWorker
    has no day), so a day's figure comes from that station-day's check-ins,
    which the (zone, station, occurred_at) index bounds.
    """
    start, end = day_bounds(day)
    return (
        Checkin.objects.filter(
            zone_id=station.zone_id, station=station, occurred_at__gte=start, occurred_at__lt=end
        )  # fmt: skip
        .values("person_id")
        .distinct()
        .count()
    )


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
