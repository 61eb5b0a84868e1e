"""Signed, station-bound codes for the QR poster: /s/<code>.

The code names the station, the poster's version and the day it was printed,
and carries an HMAC of those; re-issuing a poster bumps the version, which
revokes every old print. Short enough for a QR code a cheap phone scans from
a metre away.
"""

import base64
import hashlib
import hmac
import time

from django.conf import settings
from django.utils.translation import gettext as _

from gaoxin.core.errors import ApplicationError

DAY = 86400


def _b36(n: int) -> str:
    chars = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = chars[r] + out
        if n == 0:
            return out


def _mac(body: str) -> str:
    key = hashlib.sha256(f"gaoxin-station-poster:{settings.SECRET_KEY}".encode()).digest()
    digest = hmac.new(key, body.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:10]).decode().lower()


def poster_code(station_id: int, version: int, *, issued_day: int | None = None) -> str:
    day = int(time.time() // DAY) if issued_day is None else issued_day
    body = f"{_b36(station_id)}-{_b36(version)}-{_b36(day)}"
    return f"{body}-{_mac(body)}"


class BadPosterCode(ApplicationError):
    status = 400
    code = "bad_poster_code"


def poster_decode(code: str, *, current_version) -> int:
    """Return the station id of a valid code; `current_version(station_id)` gives the
    station's live poster version (None if there is no such station)."""
    parts = (code or "").strip().lower().split("-")
    if len(parts) != 4:
        raise BadPosterCode(_("二维码无效：请扫描驿站张贴的签到二维码"))
    body = "-".join(parts[:3])
    if not hmac.compare_digest(_mac(body), parts[3]):
        raise BadPosterCode(_("二维码无效：请扫描驿站张贴的签到二维码"))
    try:
        station_id, version, day = (int(p, 36) for p in parts[:3])
    except ValueError:
        raise BadPosterCode(_("二维码无效：请扫描驿站张贴的签到二维码")) from None
    live = current_version(station_id)
    if live is None:
        raise BadPosterCode(_("该驿站已不存在"), code="station_gone", status=404)
    max_age = getattr(settings, "GAOXIN_POSTER_MAX_AGE_DAYS", 1100)
    if version != live or (time.time() // DAY) - day > max_age:
        raise BadPosterCode(
            _("该二维码已过期：驿站已更换新的签到海报，请扫描现场最新的二维码"),
            code="poster_expired",
        )
    return station_id
