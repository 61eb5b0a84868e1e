"""Stations API: registry, nearest, check-ins, walk-in counts, statistics, and
everything the workers' phone pages do (the poster's landing, a first visit
that registers the worker, my visits, the public station page) through the
same services and limits as those pages."""

import io

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from gaoxin.core.api import Pages
from gaoxin.core.errors import ApplicationError, Forbidden, InvalidInput, NotFound
from gaoxin.core.numbers import cn_approx
from gaoxin.core.rules import require
from gaoxin.core.schemas import Day, Id
from gaoxin.core.tenancy import request_zone
from gaoxin.stations import coords, hours, poster, selectors, services, tokens
from gaoxin.stations.enums import CheckinSource
from gaoxin.stations.models import Station
from gaoxin.stations.schemas import (
    CheckinOut,
    FirstVisitIn,
    FirstVisitOut,
    NearbyList,
    PosterOut,
    StationCheckinIn,
    StationIn,
    StationOut,
    StationPatch,
    StationPublicOut,
    StatsOut,
    StatusIn,
    VisitOut,
    WalkinIn,
    WalkinOut,
)

router = Router()


def _out(station: Station) -> dict:
    return {
        **{
            f: getattr(station, f)
            for f in (
                "id",
                "zone_id",
                "name",
                "kind",
                "address",
                "lat",
                "lng",
                "is_24h",
                "amenities",
                "capacity",
                "phone",
                "keeper_id",
                "status",
            )
        },
        "hours_text": hours.describe(station.is_24h, station.hours),
    }


@router.get("/stations/nearest", auth=None, response=NearbyList, summary="最近的驿站（公开）")
def stations_nearest(
    request: HttpRequest,
    lat: float,
    lng: float,
    k: int = 5,
    crs: str = "wgs84",
    amenity: Query[list[str]] = None,
    open_now: bool = False,
):
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
        items.append(
            {
                **_out(n.station),
                "lat": round(la, 7),
                "lng": round(ln, 7),
                "distance_m": round(n.distance_m),
                "open_now": n.open_now,
            }
        )
    return {"items": items, "count": len(items)}


def _public_out(station: Station, crs: str = "wgs84") -> dict:
    """What the phone pages show anyone about a station (its page, the poster's landing)."""
    if crs not in coords.CRS_CHOICES:
        raise InvalidInput({"crs": _("坐标系应为 wgs84、gcj02 或 bd09")})
    lat, lng = coords.from_wgs84(station.lat, station.lng, crs)
    stats = selectors.zone_station_stats(zone=station.zone_id, station_ids=[station.pk])
    fields = ("id", "zone_id", "name", "kind", "address", "is_24h", "amenities", "phone", "status")
    return {
        **{f: getattr(station, f) for f in fields},
        "lat": round(lat, 7),
        "lng": round(lng, 7),
        "hours_text": hours.describe(station.is_24h, station.hours),
        "open_now": services.station_open_now(station),
        "visits": stats.visits,
        "visits_text": cn_approx(stats.visits, "人次"),
        "workers": stats.workers,
    }


@router.get(
    "/stations/by-code/{code}",
    auth=None,
    response=StationPublicOut,
    summary="扫码：签到码对应的驿站（公开，即海报签到页所示）",
)
def station_by_code(request: HttpRequest, code: str, crs: str = "wgs84"):
    return _public_out(selectors.station_for_poster(code), crs)


@router.get("/stations", response=list[StationOut], summary="驿站列表")
@paginate(Pages)
def station_list(
    request: HttpRequest, zone_id: Id | None = None, status: str = "", kind: str = "", q: str = ""
):
    return [
        _out(s)
        for s in selectors.stations_for_user(
            user=request.user, zone_id=zone_id, status=status, kind=kind, q=q
        )
    ]


@router.post("/stations", response={201: StationOut}, summary="新增驿站")
def station_create(request: HttpRequest, payload: StationIn):
    zone = request_zone(request, payload.zone_id)
    data = payload.dict(exclude={"zone_id"})
    return Status(201, _out(services.station_create(actor=request.user, zone=zone, data=data)))


@router.get("/stations/stats", response=StatsOut, summary="驿站服务统计（来自汇总表）")
def station_stats(
    request: HttpRequest,
    zone_id: Id | None = None,
    since: Day | None = None,
    until: Day | None = None,
):
    zone = request_zone(request, zone_id)
    require(request.user, "stations.view_station", zone_id=zone.pk)
    ids = None
    if request.user.has_role("station_keeper") and not request.user.is_superuser:
        ids = list(selectors.stations_for_user(user=request.user).values_list("id", flat=True))
    stats = selectors.zone_station_stats(zone=zone, since=since, until=until, station_ids=ids)
    rows = lambda pairs: [{"key": k, "value": v} for k, v in pairs]  # noqa: E731
    return {
        "zone_id": zone.pk,
        "visits": stats.visits,
        "visits_text": cn_approx(stats.visits, "人次"),
        "workers": stats.workers,
        "by_month": rows(stats.by_month),
        "by_service": rows(stats.by_service),
        "by_job": rows(stats.by_job),
        "by_station": stats.by_station,
    }


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
    return {
        "id": c.pk,
        "station_id": c.station_id,
        "occurred_at": c.occurred_at,
        "services": c.services,
        "person": person,
    }


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
def station_checkin(request: HttpRequest, station_id: int, payload: StationCheckinIn):
    person = getattr(request.user, "person", None)
    if person is None:
        raise Forbidden(_("只有登记为劳动者的账号才能签到"), code="not_worker")
    try:  # read once: for the poster code's version check and for the check-in
        station = selectors.station_public(station_id, with_zone=False)
    except NotFound:
        station = None

    def live_version(sid: int) -> int | None:
        if station is not None and sid == station.pk:
            return station.poster_version
        return selectors.station_poster_version(sid)

    code_station = tokens.poster_decode(payload.code, current_version=live_version)
    if code_station != station_id:
        raise InvalidInput({"code": _("签到码与驿站不符")})
    if station is None:  # closed down (撤站)
        raise NotFound()
    checkin = services.checkin_record(
        station=station, person=person, services=payload.services, source="api"
    )
    return Status(201, _checkin_out(checkin))


@router.post(
    "/stations/{station_id}/walkins", response={201: WalkinOut}, summary="站长登记未扫码人次"
)
def station_walkins(request: HttpRequest, station_id: int, payload: WalkinIn):
    station = selectors.station_get(user=request.user, station_id=station_id)
    batch = services.walkin_record(
        actor=request.user,
        station=station,
        day=payload.day,
        visits=payload.visits,
        services=payload.services,
        note=payload.note,
    )
    return Status(
        201,
        {
            "id": batch.pk,
            "station_id": station.pk,
            "day": batch.day,
            "visits": batch.visits,
            "services": batch.services,
        },
    )


@router.post(
    "/stations/{station_id}/checkins/register",
    auth=None,
    response={201: FirstVisitOut},
    summary="首次签到：按手机号和职业类型登记劳动者并签到（可同时设置数字密码），返回令牌",
)
def station_checkin_first_visit(request: HttpRequest, station_id: int, payload: FirstVisitIn):
    """The poster page's first visit, for a mini-program: one transaction registers,
    sets the PIN and checks in (a refused check-in leaves nothing behind). Counts
    against the same per-address limit as the page's anonymous form."""
    station = selectors.station_for_poster(payload.code)
    if station.pk != station_id:
        raise InvalidInput({"code": _("签到码与驿站不符")})
    address = request.META.get("REMOTE_ADDR", "")
    if not services.anonymous_checkin_allowed(address=address, station=station):
        raise services.anonymous_checkin_refusal()
    visit = services.checkin_first_visit(
        station=station,
        phone=payload.phone,
        job_type=payload.job_type,
        name=payload.name,
        pin=payload.pin,
        services=payload.services,
        source=CheckinSource.API,
        issue_api_token=True,
    )
    person = visit.person
    return Status(
        201,
        {
            "note": visit.note,
            "token": visit.token or None,
            "expires_in": settings.GAOXIN_TOKEN_TTL if visit.token else None,
            "worker": {
                "id": person.pk,
                "zone_id": person.zone_id,
                "name": person.name,
                "phone_masked": person.phone_masked,
                "job_type": person.job_type,
            },
            "checkin": _checkin_out(visit.checkin),
            "pin_set": visit.pin_set,
            "pin_ignored": visit.pin_ignored,
            "station_visits_today": _visits_today(station),
        },
    )


def _visits_today(station: Station) -> int:
    today = timezone.localdate()
    return selectors.zone_station_stats(
        zone=station.zone_id, since=today, until=today, station_ids=[station.pk]
    ).visits


@router.get(
    "/stations/{station_id}/public",
    auth=None,
    response=StationPublicOut,
    summary="驿站公开信息（手机驿站页：开放时间、服务、此刻是否开放、累计服务）",
)
def station_public(request: HttpRequest, station_id: int, crs: str = "wgs84"):
    return _public_out(selectors.station_public(station_id), crs)


@router.get("/visits", response=list[VisitOut], summary="我的签到记录（劳动者）")
@paginate(Pages)
def my_visits(request: HttpRequest):
    person = getattr(request.user, "person", None)
    if person is None:
        raise Forbidden(_("只有登记为劳动者的账号才有签到记录"), code="not_worker")
    return [
        {
            "id": c.pk,
            "station_id": c.station_id,
            "station_name": c.station.name,
            "occurred_at": c.occurred_at,
            "services": c.services,
            "source": c.source,
        }
        for c in selectors.worker_visits(person=person, limit=None)
    ]


def _poster_station(request: HttpRequest, station_id: int) -> Station:
    """Who prints a station's poster: its keeper, or an officer or zone admin of its zone
    (another zone's station, or another keeper's, is not found)."""
    station = selectors.station_get(user=request.user, station_id=station_id)
    user = request.user
    if not (user.has_perm("stations.change_station") or user.has_perm("stations.add_walkinbatch")):
        raise Forbidden(_("只有驿站站长和党群工作人员可以获取签到海报"))
    return station


def _poster_out(station: Station) -> dict:
    code = tokens.poster_code(station.pk, station.poster_version)
    return {
        "station_id": station.pk,
        "version": station.poster_version,
        "code": code,
        "path": poster.checkin_path(station),
        "url": poster.checkin_url(station),
    }


@router.get(
    "/stations/{station_id}/poster",
    response=PosterOut,
    summary="签到海报：二维码内容（format=png 为 A4 海报图片，format=svg 为二维码矢量图）",
)
def station_poster(request: HttpRequest, station_id: int, format: str = "json"):  # noqa: A002
    station = _poster_station(request, station_id)
    if format == "json":
        return _poster_out(station)
    if format == "svg":
        svg = io.BytesIO()  # a standalone SVG document, not the poster page's inline one
        poster.make_qr(poster.checkin_url(station)).save(
            svg, kind="svg", scale=10, border=poster.QR_BORDER
        )
        response = HttpResponse(svg.getvalue(), content_type="image/svg+xml")
    elif format == "png":
        png = poster.poster_png(station)
        if png is None:
            raise ApplicationError(
                _("服务器未安装中文字体，无法生成海报图片：请改用 format=svg 或 url 生成二维码"),
                code="poster_png_unavailable",
                status=409,
            )
        response = HttpResponse(png, content_type="image/png")
        response["Content-Disposition"] = content_disposition_header(
            False, _("签到海报-%(name)s.png") % {"name": station.name}
        )
    else:
        raise InvalidInput({"format": _("只能是 json、png 或 svg")})
    response["Cache-Control"] = "no-store"
    return response


@router.post(
    "/stations/{station_id}/poster/reissue",
    response=PosterOut,
    summary="重新生成签到海报（旧海报上的二维码全部失效）",
)
def station_poster_reissue(request: HttpRequest, station_id: int):
    station = selectors.station_get(user=request.user, station_id=station_id)
    return _poster_out(services.poster_reissue(actor=request.user, station=station))
