"""Phone pages for workers: nearest stations (list and map), a station, my visits
(and their PIN), login."""

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gaoxin.core import auth
from gaoxin.core import services as core_services
from gaoxin.core.errors import InvalidInput, NotFound
from gaoxin.core.forms import errors_to_form
from gaoxin.core.views_common import phone_login_required
from gaoxin.core.views_home import PhoneLoginView
from gaoxin.stations import coords, hours, selectors, services
from gaoxin.stations.enums import Amenity
from gaoxin.stations.forms import PinForm
from gaoxin.stations.views.common import amenity_labels, distance_text, message_page, status_tag

NEAREST_K = 20
LIST_LIMIT = 50


def _row(station, open_now: bool, distance_m: float | None = None) -> dict:
    tag_class, tag_text = status_tag(station, open_now)
    return {
        "station": station,
        "open": open_now,
        "tag_class": tag_class,
        "tag_text": tag_text,
        "distance": distance_text(distance_m) if distance_m is not None else "",
        "amenities": amenity_labels(station.amenities),
    }


def _position(request):
    """(lat, lng, crs) from the query string, or None; a bad one is an error message."""
    lat, lng = request.GET.get("lat", "").strip(), request.GET.get("lng", "").strip()
    if not lat and not lng:
        return None, ""
    crs = request.GET.get("crs") or "wgs84"
    if crs not in coords.CRS_CHOICES:
        return None, _("坐标系应为 wgs84、gcj02 或 bd09")
    try:
        lat_f, lng_f = float(lat), float(lng)
        coords.to_wgs84(lat_f, lng_f, crs)
    except ValueError:
        return None, _("位置无效：纬度和经度应为数字，请重新定位")
    except InvalidInput as exc:
        return None, next(iter(exc.fields.values()), exc.message)
    return (lat_f, lng_f, crs), ""


def _find(request) -> dict:
    """What the list and the map show: the nearest stations to the position
    given, else the stations of the user's zone (or all), with the filters."""
    amenities = [a for a in request.GET.getlist("amenity") if a in Amenity.values]
    open_only = request.GET.get("open") == "1"
    position, error = _position(request)
    rows = []
    if position:
        lat, lng, crs = position
        found = selectors.stations_nearest(
            lat=lat, lng=lng, k=NEAREST_K, crs=crs, amenities=amenities, open_now=open_only
        )
        rows = [_row(n.station, n.open_now, n.distance_m) for n in found]
    else:
        zone_id = request.user.zone_id if request.user.is_authenticated else None
        listed = selectors.stations_listed(
            zone_id=zone_id, amenities=amenities, open_only=open_only, limit=LIST_LIMIT
        )
        rows = [_row(s, open_now) for s, open_now in listed]
    return {
        "rows": rows,
        "position": position,
        "position_error": error,
        "filters": {"amenities": amenities, "open": open_only},
        "amenity_choices": [(v, str(label), v in amenities) for v, label in Amenity.choices],
        "position_query": (
            f"lat={position[0]}&lng={position[1]}&crs={position[2]}" if position else ""
        ),
    }


@require_GET
def nearest(request):
    return TemplateResponse(request, "stations/nearest.html", {**_find(request), "tab": "list"})


@require_GET
def station_map(request):
    found = _find(request)
    tile_url = getattr(settings, "GAOXIN_MAP_TILE_URL", "")
    tile_crs = getattr(settings, "GAOXIN_MAP_TILE_CRS", "gcj02") or "gcj02"

    def shown(lat, lng):
        """Positions in the tiles' coordinate system (Chinese tiles are GCJ-02)."""
        if tile_url and tile_crs == "gcj02":
            return coords.wgs84_to_gcj02(lat, lng)
        return lat, lng

    markers = []
    for row in found["rows"]:
        s = row["station"]
        lat, lng = shown(s.lat, s.lng)
        markers.append(
            {
                "id": s.pk,
                "name": s.name,
                "lat": round(lat, 7),
                "lng": round(lng, 7),
                "open": row["open"],
                "tag": row["tag_text"],
                "distance": row["distance"],
                "url": reverse("stations:detail", args=[s.pk]),
            }
        )
    me = None
    if found["position"]:
        lat, lng = coords.to_wgs84(*found["position"])
        me = dict(zip(("lat", "lng"), shown(lat, lng), strict=True))
    config = {
        "tileUrl": tile_url,
        "attribution": getattr(settings, "GAOXIN_MAP_TILE_ATTRIBUTION", ""),
        "markers": markers,
        "me": me,
        "labels": {"me": _("我的位置"), "open": _("查看驿站")},
    }
    context = {**found, "tab": "map", "map_config": config, "tile_url": tile_url}
    return TemplateResponse(request, "stations/map.html", context)


@require_GET
def station_detail(request, station_id: int):
    try:
        station = selectors.station_public(station_id)
    except NotFound:
        return message_page(
            request,
            _("未找到驿站"),
            _("该驿站不存在或已撤站。"),
            status=404,
            links=[(reverse("stations:nearest"), _("查看附近驿站"))],
        )
    open_now = services.station_open_now(station)
    tag_class, tag_text = status_tag(station, open_now)
    stats = selectors.zone_station_stats(zone=station.zone_id, station_ids=[station.pk])
    label = quote(station.name)
    context = {
        "station": station,
        "open_now": open_now,
        "tag_class": tag_class,
        "tag_text": tag_text,
        "hours_text": hours.describe(station.is_24h, station.hours),
        "amenities": amenity_labels(station.amenities),
        "stats": stats,
        "geo_uri": f"geo:{station.lat:.6f},{station.lng:.6f}?q={station.lat:.6f},{station.lng:.6f}({label})",
    }
    return TemplateResponse(request, "stations/station.html", context)


def _visits_page(request, pin_form: PinForm | None = None):
    user = request.user
    person = user.person if user.is_authenticated else None
    visits = []
    if person is not None:
        visits = [
            {"checkin": c, "services": amenity_labels(c.services)}
            for c in selectors.worker_visits(person=person)
        ]
    has_pin = user.is_authenticated and user.has_usable_password()
    if pin_form is None and person is not None and auth.pin_allowed(user):
        pin_form = PinForm(has_pin=has_pin)
    context = {
        "person": person,
        "visits": visits,
        "tab": "visits",
        "pin_form": pin_form,
        "has_pin": has_pin,
    }
    return TemplateResponse(request, "stations/visits.html", context)


@require_GET
def my_visits(request):
    return _visits_page(request)


@phone_login_required("stations:login")
@require_POST
def visits_pin(request):
    """Set or change the worker's PIN, from the "my visits" page."""
    user = request.user
    if not auth.pin_allowed(user):
        return message_page(
            request,
            _("不能设置数字密码"),
            _("只有劳动者账号可以设置数字密码；其他账号请使用园区分配的密码。"),
            status=403,
            links=[(reverse("stations:visits"), _("返回我的签到"))],
        )
    has_pin = user.has_usable_password()
    form = PinForm(request.POST, has_pin=has_pin)
    if form.is_valid():
        try:
            core_services.user_pin_set(
                user=user,
                pin=form.cleaned_data["pin"],
                actor=user,
                current_pin=form.cleaned_data.get("current_pin", ""),
            )
        except InvalidInput as exc:
            errors_to_form(form, exc)
        else:
            update_session_auth_hash(request, user)  # this session stays; the others end
            messages.success(request, _("数字密码已修改") if has_pin else _("数字密码已设置"))
            return redirect("stations:visits")
    return _visits_page(request, pin_form=form)


class StationLoginView(PhoneLoginView):
    """The shared phone login; a keeper lands on their station, a worker on their visits."""

    def get_default_redirect_url(self):
        if self.request.user.has_perm("stations.add_walkinbatch"):
            return reverse("stations:keeper")
        return reverse("stations:visits")
