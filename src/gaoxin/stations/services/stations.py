"""Stations: create, edit, change status, close for some days, reissue the poster."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit import audit_record, audited_change, snapshot
from gaoxin.core.cleaning import Cleaner
from gaoxin.core.enums import AuditAction, Role
from gaoxin.core.errors import Conflict, InvalidInput
from gaoxin.core.models import User, Zone
from gaoxin.core.rules import require_actor
from gaoxin.core.zonekeys import locked
from gaoxin.stations import coords, hours, nearest
from gaoxin.stations.enums import Amenity, StationKind, StationStatus, amenity_mask
from gaoxin.stations.models import Station, StationClosure, grid_cell
from gaoxin.stations.services._common import local_day, unknown_choices

STATION_AUDIT_FIELDS = [
    "name",
    "kind",
    "address",
    "lat",
    "lng",
    "is_24h",
    "hours",
    "amenities",
    "capacity",
    "phone",
    "keeper_id",
    "status",
    "poster_version",
]
TRANSITIONS = {
    StationStatus.OPEN: {StationStatus.PAUSED, StationStatus.CLOSED},
    StationStatus.PAUSED: {StationStatus.OPEN, StationStatus.CLOSED},
    StationStatus.CLOSED: {StationStatus.OPEN},
}

# ------------------------------------------------------------------ cleaning


def _clean_station(zone_id: int, data: dict, *, partial: bool) -> dict:
    """Station input → model values; InvalidInput naming every wrong field."""
    c = Cleaner(data, partial=partial)
    _clean_identity(c)
    _clean_position(c, data)
    _clean_opening(c, data)
    _clean_amenities(c, data)
    _clean_contact(c)
    _clean_keeper(c, zone_id, data)
    if c.errors:
        raise InvalidInput(c.errors)
    if partial:  # an update checks the hours and derives the filter once merged
        return c.values
    _require_hours(is_24h=c.values["is_24h"], week=c.values["hours"])
    return {**c.values, **_open_filter(is_24h=c.values["is_24h"], week=c.values["hours"])}


def _clean_identity(c: Cleaner) -> None:
    c.text("name", label=_("驿站名称"), max_length=80)
    c.choice("kind", StationKind, label=_("驿站类型"), default=None)
    c.text("address", label=_("地址"), max_length=200)


def _clean_position(c: Cleaner, data: dict) -> None:
    if not (c.wanted("lat") or c.wanted("lng")):
        return
    try:
        lat, lng = coords.to_wgs84(data.get("lat"), data.get("lng"), data.get("crs") or "wgs84")
        coords.check_in_china(lat, lng)
    except InvalidInput as exc:
        c.errors.update(exc.fields)
    else:
        c.values.update(lat=round(lat, 7), lng=round(lng, 7), cell=grid_cell(lat, lng))


def _clean_opening(c: Cleaner, data: dict) -> None:
    c.boolean("is_24h", label=_("24 小时开放"))
    if not c.wanted("hours"):
        return
    try:
        c.values["hours"] = hours.parse_week(data.get("hours") or {})
    except InvalidInput as exc:
        c.errors.update(exc.fields)


def _clean_amenities(c: Cleaner, data: dict) -> None:
    if not c.wanted("amenities"):
        return
    chosen, bad = unknown_choices(data.get("amenities"), Amenity.values)
    if bad is not None:
        c.error("amenities", _("未知的服务设施：%(a)s") % {"a": bad})
    else:
        c.values.update(amenities=chosen, amenity_mask=amenity_mask(chosen))


def _clean_contact(c: Cleaner) -> None:
    c.integer("capacity", label=_("可容纳人数"), low=1, high=1000, required=False, default=10)
    c.text("phone", label=_("联系电话"), max_length=20, required=False)


def _clean_keeper(c: Cleaner, zone_id: int, data: dict) -> None:
    if not (c.wanted("keeper") or c.wanted("keeper_id")):
        return
    keeper = data.get("keeper_id", data.get("keeper"))
    keeper_id = getattr(keeper, "pk", keeper)
    if keeper_id in (None, ""):
        c.values["keeper"] = None
        return
    c.values["keeper"] = User.objects.filter(
        pk=keeper_id, zone_id=zone_id, groups__name=Role.STATION_KEEPER
    ).first()
    if c.values["keeper"] is None:
        c.error("keeper", _("站长必须是本园区的驿站站长账号"))


def _require_hours(*, is_24h: bool, week: dict | None) -> None:
    if not is_24h and not any((week or {}).values()):
        raise InvalidInput({"hours": _("请填写开放时间，或勾选 24 小时开放")})


def _open_filter(*, is_24h: bool, week: dict | None) -> dict:
    """The open-now filter's columns, which follow the hours (nearest.py)."""
    return nearest.open_filter_fields(is_24h=is_24h, week=week)


def _name_taken() -> InvalidInput:
    return InvalidInput({"name": _("本园区已有同名驿站")})


# ------------------------------------------------------------------ writes


def station_create(*, actor: User | None, zone: Zone, data: dict) -> Station:
    require_actor(actor, "stations.add_station", zone_id=zone.pk)
    values = _clean_station(zone.pk, data, partial=False)
    with transaction.atomic():
        if Station.objects.filter(zone=zone, name=values["name"]).exists():
            raise _name_taken()
        try:
            with transaction.atomic():
                station = Station.objects.create(zone=zone, **values)
        except IntegrityError:  # the same name created a moment ago by someone else
            raise _name_taken() from None
        audit_record(
            zone=zone,
            actor=actor,
            action=AuditAction.CREATE,
            obj=station,
            after=snapshot(station, STATION_AUDIT_FIELDS),
        )
    return station


def station_update(*, actor: User | None, station: Station, data: dict) -> Station:
    require_actor(actor, "stations.change_station", zone_id=station.zone_id)
    values = _clean_station(station.zone_id, data, partial=True)
    with transaction.atomic():
        station = locked(station)
        if (
            "name" in values
            and Station.objects.filter(zone_id=station.zone_id, name=values["name"])
            .exclude(pk=station.pk)
            .exists()
        ):
            raise _name_taken()
        with audited_change(station, STATION_AUDIT_FIELDS, actor=actor):
            for key, value in values.items():
                setattr(station, key, value)
            for key, value in _open_filter(is_24h=station.is_24h, week=station.hours).items():
                setattr(station, key, value)
            _require_hours(is_24h=station.is_24h, week=station.hours)
            station.save()
    return station


def station_transition(
    *, actor: User | None, station: Station, to: str, reason: str = ""
) -> Station:
    """The only setter of Station.status."""
    require_actor(actor, "stations.change_station", zone_id=station.zone_id)
    if to not in StationStatus.values:
        raise InvalidInput({"status": _("未知的状态")})
    with transaction.atomic():
        station = locked(station)
        if to not in TRANSITIONS[station.status]:
            raise Conflict(
                _("驿站当前为“%(a)s”，不能改为“%(b)s”")
                % {"a": station.get_status_display(), "b": StationStatus(to).label},
                code="bad_transition",
            )
        before = station.status
        station.status = to
        station.save(update_fields=["status", "updated_at"])
        audit_record(
            zone=station.zone_id,
            actor=actor,
            action=AuditAction.TRANSITION,
            obj=station,
            before={"status": before},
            after={"status": to},
            note=reason,
        )
    return station


def station_closure_add(
    *,
    actor: User | None,
    station: Station,
    start_date: dt.date,
    end_date: dt.date,
    reason: str = "",
) -> StationClosure:
    require_actor(actor, "stations.add_stationclosure", zone_id=station.zone_id)
    if end_date < start_date:
        raise InvalidInput({"end_date": _("结束日期不能早于开始日期")})
    with transaction.atomic():
        closure = StationClosure.objects.create(
            zone_id=station.zone_id,
            station=station,
            start_date=start_date,
            end_date=end_date,
            reason=reason,
        )
        # nearest.py asks for closures only of stations whose last closure reaches the day;
        # conditional, so two closures added at once never lower it
        Station.objects.filter(pk=station.pk).exclude(closures_until__gte=end_date).update(
            closures_until=end_date
        )
        if station.closures_until is None or station.closures_until < end_date:
            station.closures_until = end_date  # the caller's copy decides open-now too
        audit_record(
            zone=station.zone_id,
            actor=actor,
            action=AuditAction.CREATE,
            obj=closure,
            after={
                "station": station.pk,
                "start": str(start_date),
                "end": str(end_date),
                "reason": reason,
            },
        )
    return closure


def poster_reissue(*, actor: User | None, station: Station) -> Station:
    """Print a new poster: every earlier code stops working."""
    require_actor(actor, "stations.change_station", zone_id=station.zone_id)
    with transaction.atomic():
        Station.objects.filter(zone_id=station.zone_id, pk=station.pk).update(
            poster_version=F("poster_version") + 1
        )
        station.refresh_from_db()
        audit_record(
            zone=station.zone_id,
            actor=actor,
            action=AuditAction.UPDATE,
            obj=station,
            after={"poster_version": station.poster_version},
            note=_("重新生成签到海报"),
        )
    return station


# ------------------------------------------------------------------ reads a write needs


def station_open_now(station: Station, at: dt.datetime | None = None) -> bool:
    """Open for check-ins at `at` (now): status open, within its hours, not closed that day."""
    at = at or timezone.now()
    if station.status != StationStatus.OPEN:
        return False
    today = local_day(at)
    yesterday = today - dt.timedelta(days=1)  # hours past midnight belong to yesterday
    closures = []
    # closures_until only grows (it is the last day any closure ever covered), so a
    # station with none reaching yesterday needs no read: most check-ins skip it.
    if station.closures_until is not None and station.closures_until >= yesterday:
        closures = list(
            station.closures.filter(end_date__gte=yesterday, start_date__lte=today).values_list(
                "start_date", "end_date"
            )
        )
    return hours.is_open_at(is_24h=station.is_24h, week=station.hours, closures=closures, at=at)
