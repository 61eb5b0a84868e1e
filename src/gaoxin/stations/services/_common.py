"""Small helpers the stations services share (not for callers outside the package)."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.errors import InvalidInput
from gaoxin.stations.enums import Amenity
from gaoxin.stations.models import ServiceRecord, Station


def local_day(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date()


def month_of(at: dt.datetime) -> dt.date:
    return local_day(at).replace(day=1)


def unknown_choices(chosen, allowed) -> tuple[list, str | None]:
    """(the choices without repeats, the unknown ones joined for a message or None)."""
    chosen = list(dict.fromkeys(chosen or []))
    bad = [str(x) for x in chosen if x not in allowed]
    return chosen, ("、".join(bad) if bad else None)


def clean_services(services) -> list[str]:
    """The services used (a check-in) or given (a keeper's count), each once."""
    chosen, bad = unknown_choices(services, Amenity.values)
    if bad is not None:
        raise InvalidInput({"services": _("未知的服务项目：%(s)s") % {"s": bad}})
    return chosen


def event_counts(n: int, job_type: str, services: list[str]) -> list[tuple[str, str, int]]:
    """The day/month counters one event moves: visits, the job type ("" when unknown)
    and each service, by `n`."""
    return [("visits", "", n), ("job", job_type or "", n), *(("service", s, n) for s in services)]


def service_records(
    station: Station, services: list[str], *, count: int, at: dt.datetime, source: str, **extra
) -> None:
    """One ServiceRecord per service of an event (a check-in's, or a keeper's batch)."""
    ServiceRecord.objects.bulk_create(
        [
            ServiceRecord(
                zone_id=station.zone_id,
                station=station,
                service=s,
                count=count,
                occurred_at=at,
                source=source,
                **extra,
            )
            for s in services
        ]
    )
