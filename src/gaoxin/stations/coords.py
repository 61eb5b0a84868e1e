"""WGS-84 ⇄ GCJ-02 ⇄ BD-09 conversions.

Phones report WGS-84 (GPS); Chinese map apps give GCJ-02 (AMap, Tencent) or
BD-09 (Baidu). We store WGS-84 and convert at the edges. GCJ-02 has no closed
inverse: WGS-84 is recovered by fixed-point iteration to well under a metre.
Outside mainland China no offset is applied, as the map vendors do.
"""

import math

from django.utils.translation import gettext as _

from gaoxin.core.errors import InvalidInput

_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0
CRS_CHOICES = ("wgs84", "gcj02", "bd09")


def out_of_china(lat: float, lng: float) -> bool:
    return not (73.66 < lng < 135.05 and 3.86 < lat < 53.55)


def _dlat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _dlng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    if out_of_china(lat, lng):
        return lat, lng
    dlat = _dlat(lng - 105.0, lat - 35.0)
    dlng = _dlng(lng - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lat + dlat, lng + dlng


def gcj02_to_wgs84(lat: float, lng: float) -> tuple[float, float]:
    if out_of_china(lat, lng):
        return lat, lng
    wlat, wlng = lat, lng
    for _i in range(30):
        glat, glng = wgs84_to_gcj02(wlat, wlng)
        dlat, dlng = lat - glat, lng - glng
        wlat, wlng = wlat + dlat, wlng + dlng
        if abs(dlat) < 1e-10 and abs(dlng) < 1e-10:
            break
    return wlat, wlng


def gcj02_to_bd09(lat: float, lng: float) -> tuple[float, float]:
    z = math.sqrt(lng * lng + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * _X_PI)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def bd09_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    x, y = lng - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return z * math.sin(theta), z * math.cos(theta)


def to_wgs84(lat: float, lng: float, crs: str) -> tuple[float, float]:
    """Validate a position given in `crs` and return it in WGS-84."""
    lat, lng = check_position(lat, lng)
    if crs == "wgs84":
        return lat, lng
    if crs == "gcj02":
        return gcj02_to_wgs84(lat, lng)
    if crs == "bd09":
        return gcj02_to_wgs84(*bd09_to_gcj02(lat, lng))
    raise InvalidInput({"crs": _("坐标系应为 wgs84、gcj02 或 bd09")})


def from_wgs84(lat: float, lng: float, crs: str) -> tuple[float, float]:
    if crs == "gcj02":
        return wgs84_to_gcj02(lat, lng)
    if crs == "bd09":
        return gcj02_to_bd09(*wgs84_to_gcj02(lat, lng))
    return lat, lng


def check_position(lat, lng) -> tuple[float, float]:
    """Reject impossible or swapped coordinates with a message that says which;
    return them as floats."""
    errors = {}
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        raise InvalidInput({"lat": _("纬度和经度应为数字")}) from None
    if not (math.isfinite(lat) and math.isfinite(lng)):
        raise InvalidInput({"lat": _("纬度和经度应为有限的数字")})
    if abs(lat) > 90:
        if abs(lng) <= 90 and abs(lat) <= 180:
            errors["lat"] = _(
                "纬度超出 -90～90：纬度和经度可能填反了（中国境内纬度约 4～54，经度约 73～135）"
            )
        else:
            errors["lat"] = _("纬度超出 -90～90")
    if abs(lng) > 180:
        errors["lng"] = _("经度超出 -180～180")
    if errors:
        raise InvalidInput(errors)
    return lat, lng


def check_in_china(lat: float, lng: float) -> None:
    """Stations are in China: a position outside is almost always swapped or mistyped."""
    check_position(lat, lng)
    if out_of_china(lat, lng):
        if not out_of_china(lng, lat):
            raise InvalidInput({"lat": _("纬度和经度填反了：中国境内纬度约 4～54，经度约 73～135")})
        raise InvalidInput({"lat": _("位置不在中国境内，请核对经纬度")})


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    r = 6371008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(h)))
