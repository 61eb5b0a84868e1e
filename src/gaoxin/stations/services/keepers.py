"""Keepers' writes: the count of people served who did not scan (walk-ins)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit import audit_record
from gaoxin.core.cleaning import Cleaner
from gaoxin.core.enums import AuditAction, Role
from gaoxin.core.errors import Forbidden, InvalidInput
from gaoxin.core.models import User
from gaoxin.core.rules import require_actor
from gaoxin.stations.enums import CheckinSource
from gaoxin.stations.models import Station, WalkinBatch
from gaoxin.stations.services import rollups
from gaoxin.stations.services._common import (
    clean_services,
    event_counts,
    local_day,
    service_records,
)

MAX_WALKINS_PER_ENTRY = 500


def _require_keeper_of(actor: User | None, station: Station) -> None:
    require_actor(actor, "stations.add_walkinbatch", zone_id=station.zone_id)
    if (
        actor is not None
        and actor.has_role(Role.STATION_KEEPER)
        and not actor.is_superuser
        and station.keeper_id != actor.pk
    ):
        raise Forbidden(_("只能为您负责的驿站登记"))


def _clean_walkins(actor: User | None, day: dt.date, visits) -> int:
    """The count as an int; InvalidInput naming the visits and the day when wrong."""
    c = Cleaner({"visits": visits})
    c.integer("visits", label=_("人次"), low=1, high=MAX_WALKINS_PER_ENTRY)
    today = local_day(timezone.now())
    if day > today:
        c.error("day", _("不能登记未来的日期"))
    elif actor is not None and day < today - dt.timedelta(days=31):  # the system may load history
        c.error("day", _("只能补登最近 31 天的记录"))
    if c.errors:
        raise InvalidInput(c.errors)
    return c.values["visits"]


def walkin_record(
    *,
    actor: User | None,
    station: Station,
    day: dt.date,
    visits: int,
    services: list[str] | None = None,
    note: str = "",
) -> WalkinBatch:
    """A keeper's count of people served who did not scan ("今天 12 人次饮水"): the batch,
    its service records, the rollups and the audit entry in one transaction."""
    _require_keeper_of(actor, station)
    visits = _clean_walkins(actor, day, visits)
    services = clean_services(services)
    at = timezone.now()
    if day != local_day(at):
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))
    with transaction.atomic():
        batch = WalkinBatch.objects.create(
            zone_id=station.zone_id,
            station=station,
            day=day,
            visits=visits,
            services=services,
            note=note[:100],
            entered_by=actor,
        )
        service_records(
            station, services, count=visits, at=at, source=CheckinSource.KEEPER, entered_by=actor
        )
        counts = event_counts(visits, "", services)
        rollups.bump_station(station.zone_id, station.pk, day, counts)
        audit_record(
            zone=station.zone_id,
            actor=actor,
            action=AuditAction.CREATE,
            obj=batch,
            after={"station": station.pk, "day": str(day), "visits": visits, "services": services},
        )
        rollups.bump_zone(station.zone_id, day, counts)
    return batch
