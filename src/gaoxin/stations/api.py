"""Stations API: registry, nearest, check-ins, walk-in counts, statistics."""

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from gaoxin.core.api import Pages
from gaoxin.core.errors import Forbidden, InvalidInput
from gaoxin.core.numbers import cn_approx
from gaoxin.core.rules import require
from gaoxin.core.selectors import zones_for_user
from gaoxin.stations import coords, hours, selectors, services, tokens
from gaoxin.stations.models import Station
from gaoxin.stations.schemas import (
    CheckinIn,
    CheckinOut,
    NearbyList,
    StationIn,
    StationOut,
    StationPatch,
    StatsOut,
    StatusIn,
    WalkinIn,
    WalkinOut,
)

router = Router()


def _out(station: Station) -> dict:
    return {**{f: getattr(station, f) for f in ("id", "zone_id", "name", "kind", "address", "lat", "lng",
            "is_24h", "amenities", "capacity", "phone", "keeper_id", "status")},
            "hours_text": hours.describe(station.is_24h, station.hours)}  # fmt: skip


@router.get("/stations/nearest", auth=None, response=NearbyList, summary="最近的驿站（公开）")
def stations_nearest(request: HttpRequest, lat: float, lng: float, k: int = 5, crs: str = "wgs84",
                     amenity: Query[list[str]] = None, open_now: bool = False):  # fmt: skip
    if crs not in coords.CRS_CHOICES:
        raise InvalidInput({"crs": _("坐标系应为 wgs84、gcj02 或 bd09")})
    if not 1 <= k <= 50:
        raise InvalidInput({"k": _("k 应为 1～50")})
    found = selectors.stations_nearest(
        lat=lat, lng=lng, k=k, crs=crs, amenities=amenity or [], open_now=open_now
    )
    items = []
    for n in found:
        la, ln = coords.from_wgs84(n.station.lat, n.station.lng, crs)
        items.append({**_out(n.station), "lat": round(la, 7), "lng": round(ln, 7),
                      "distance_m": round(n.distance_m), "open_now": n.open_now})  # fmt: skip
    return {"items": items, "count": len(items)}


@router.get("/stations", response=list[StationOut], summary="驿站列表")
@paginate(Pages)
def station_list(
    request: HttpRequest, zone_id: int | None = None, status: str = "", kind: str = "", q: str = ""
):
    return [
        _out(s)
        for s in selectors.stations_for_user(
            user=request.user, zone_id=zone_id, status=status, kind=kind, q=q
        )
    ]


@router.post("/stations", response={201: StationOut}, summary="新增驿站")
def station_create(request: HttpRequest, payload: StationIn):
    from gaoxin.core.api import _target_zone

    zone = _target_zone(request, payload.zone_id)
    data = payload.dict(exclude={"zone_id"})
    return Status(201, _out(services.station_create(actor=request.user, zone=zone, data=data)))


@router.get("/stations/stats", response=StatsOut, summary="驿站服务统计（来自汇总表）")
def station_stats(request: HttpRequest, zone_id: int | None = None, since: dt.date | None = None,
                  until: dt.date | None = None):  # fmt: skip
    zone_id = zone_id or request.user.zone_id
    zone = zones_for_user(user=request.user).filter(pk=zone_id).first() if zone_id else None
    if zone is None:
        raise InvalidInput({"zone_id": _("请指定园区")})
    require(request.user, "stations.view_station", zone_id=zone.pk)
    ids = None
    if request.user.has_role("station_keeper") and not request.user.is_superuser:
        ids = list(selectors.stations_for_user(user=request.user).values_list("id", flat=True))
    stats = selectors.zone_station_stats(zone=zone, since=since, until=until, station_ids=ids)
    rows = lambda pairs: [{"key": k, "value": v} for k, v in pairs]  # noqa: E731
    return {"zone_id": zone.pk, "visits": stats.visits, "visits_text": cn_approx(stats.visits, "人次"),
            "workers": stats.workers, "by_month": rows(stats.by_month), "by_service": rows(stats.by_service),
            "by_job": rows(stats.by_job), "by_station": stats.by_station}  # fmt: skip


@router.get("/stations/{station_id}", response=StationOut, summary="驿站详情")
def station_detail(request: HttpRequest, station_id: int):
    return _out(selectors.station_get(user=request.user, station_id=station_id))


@router.patch("/stations/{station_id}", response=StationOut, summary="修改驿站")
def station_update(request: HttpRequest, station_id: int, payload: StationPatch):
    station = selectors.station_get(user=request.user, station_id=station_id)
    data = payload.dict(exclude_unset=True)
    if ("lat" in data) != ("lng" in data):
        raise InvalidInput({"lat": _("修改位置时请同时提供纬度和经度")})
    return _out(services.station_update(actor=request.user, station=station, data=data))


def _transition(request, station_id: int, to: str, payload: StatusIn | None):
    station = selectors.station_get(user=request.user, station_id=station_id)
    reason = payload.reason if payload else ""
    return _out(
        services.station_transition(actor=request.user, station=station, to=to, reason=reason)
    )


@router.post("/stations/{station_id}/open", response=StationOut, summary="开放驿站")
def station_open(request: HttpRequest, station_id: int, payload: StatusIn | None = None):
    return _transition(request, station_id, "open", payload)


@router.post("/stations/{station_id}/pause", response=StationOut, summary="暂停服务")
def station_pause(request: HttpRequest, station_id: int, payload: StatusIn | None = None):
    return _transition(request, station_id, "paused", payload)


@router.post("/stations/{station_id}/close", response=StationOut, summary="撤站")
def station_close(request: HttpRequest, station_id: int, payload: StatusIn | None = None):
    return _transition(request, station_id, "closed", payload)


def _checkin_out(c) -> dict:
    person = f"{c.person.name} {c.person.phone_masked}".strip() if c.person_id else ""
    return {"id": c.pk, "station_id": c.station_id, "occurred_at": c.occurred_at, "services": c.services,
            "person": person}  # fmt: skip


@router.get("/stations/{station_id}/checkins", response=list[CheckinOut], summary="签到记录")
@paginate(Pages)
def station_checkins(request: HttpRequest, station_id: int):
    station = selectors.station_get(user=request.user, station_id=station_id)
    return [_checkin_out(c) for c in selectors.station_checkins(user=request.user, station=station)]


@router.post(
    "/stations/{station_id}/checkins",
    response={201: CheckinOut},
    summary="劳动者签到（需海报签到码）",
)
def station_checkin(request: HttpRequest, station_id: int, payload: CheckinIn):
    person = getattr(request.user, "person", None)
    if person is None:
        raise Forbidden(_("只有登记为劳动者的账号才能签到"), code="not_worker")
    code_station = tokens.poster_decode(
        payload.code, current_version=selectors.station_poster_version
    )
    if code_station != station_id:
        raise InvalidInput({"code": _("签到码与驿站不符")})
    station = selectors.station_public(station_id)
    checkin = services.checkin_record(
        station=station, person=person, services=payload.services, source="api"
    )
    return Status(201, _checkin_out(checkin))


@router.post(
    "/stations/{station_id}/walkins", response={201: WalkinOut}, summary="站长登记未扫码人次"
)
def station_walkins(request: HttpRequest, station_id: int, payload: WalkinIn):
    station = selectors.station_get(user=request.user, station_id=station_id)
    batch = services.walkin_record(actor=request.user, station=station, day=payload.day, visits=payload.visits,
                                   services=payload.services, note=payload.note)  # fmt: skip
    return Status(201, {"id": batch.pk, "station_id": station.pk, "day": batch.day, "visits": batch.visits,
                 "services": batch.services})  # fmt: skip
