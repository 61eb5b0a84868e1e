"""The printable check-in poster of a station, made offline.

The QR code carries the full check-in URL: GAOXIN_PUBLIC_URL (else the address
the page was asked on) plus the short route /s/<code>/, where the code is signed and bound to the station and the
poster's version (tokens.py), so re-issuing a poster revokes every old print.
Two renderings: an A4 PNG drawn with Pillow and a CJK font (if both are
available), and an HTML page with an inline SVG QR code that prints crisply
from any browser, which is also the fallback when no CJK font is installed.
"""

import io
import os
from dataclasses import dataclass
from functools import cache

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.stations import hours, tokens
from gaoxin.stations.models import Station

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
NOTO_CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
NOTO_CJK_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
#: A4 at 150 dpi: sharp enough to print, small enough to send over a phone network.
A4_PX = (1240, 1754)
QR_BORDER = 4  # quiet zone, in modules, as the QR standard asks
QR_TOP = 520
QR_MAX_PX = 860
RED = (192, 57, 43)


def checkin_path(station: Station) -> str:
    code = tokens.poster_code(station.pk, station.poster_version)
    return reverse("stations_short:checkin", args=[code])


def checkin_url(station: Station, request=None) -> str:
    """GAOXIN_PUBLIC_URL (what phones outside can reach; `gaoxin up` sets it to the
    address it serves on) when set, else the address this request came in on."""
    public = getattr(settings, "GAOXIN_PUBLIC_URL", "")
    if public:
        return public.rstrip("/") + checkin_path(station)
    if request is not None:
        return request.build_absolute_uri(checkin_path(station))
    return DEFAULT_PUBLIC_URL + checkin_path(station)


def make_qr(url: str) -> segno.QRCode:
    # Level M survives a smudged or partly torn print; never a Micro QR (phones can't read it).
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str, *, scale: int = 1) -> str:
    """Inline SVG (no external file), for the HTML poster."""
    return make_qr(url).svg_inline(
        scale=scale, border=QR_BORDER, dark="#000", light="#fff", omitsize=True
    )


@dataclass(frozen=True)
class QrBox:
    """Where the QR code sits on the PNG: top-left corner of the quiet zone,
    pixels per module, and modules per side including the quiet zone."""

    x: int
    y: int
    module_px: int
    modules: int


def qr_box(url: str) -> QrBox:
    modules = len(make_qr(url).matrix) + 2 * QR_BORDER
    module_px = QR_MAX_PX // modules
    side = module_px * modules
    return QrBox((A4_PX[0] - side) // 2, QR_TOP, module_px, modules)


def cjk_font_path() -> str | None:
    """GAOXIN_CJK_FONT if set and present, else Debian's Noto Sans CJK, else None."""
    for path in (getattr(settings, "GAOXIN_CJK_FONT", ""), NOTO_CJK):
        if path and os.path.exists(path):
            return path
    return None


@cache
def _font(path: str, size: int, bold: bool):
    from PIL import ImageFont

    if bold and path == NOTO_CJK and os.path.exists(NOTO_CJK_BOLD):
        path = NOTO_CJK_BOLD
    index = 2 if path.endswith(".ttc") else 0  # Noto CJK collections: 2 is Simplified Chinese
    try:
        return ImageFont.truetype(path, size, index=index)
    except OSError:
        return ImageFont.truetype(path, size)


def png_available() -> bool:
    try:
        import PIL  # noqa: F401
    except ImportError:
        return False
    return cjk_font_path() is not None


NO_LINE_START = "，。、；：？！）》」』】,.;:?!)"


def _wrap(draw, text: str, font, width: int) -> list[str]:
    """Break Chinese text (no spaces needed) into lines no wider than `width`;
    punctuation never starts a line (it stays at the end of the one before)."""
    lines, line = [], ""
    for ch in text:
        if draw.textlength(line + ch, font=font) > width and line and ch not in NO_LINE_START:
            lines.append(line)
            line = ch
        else:
            line += ch
    return [*lines, line] if line else lines


def _fitting_font(draw, path: str, text: str, sizes, *, lines: int, bold: bool):
    """The largest of `sizes` at which `text` wraps into at most `lines` lines."""
    for size in sizes:
        font = _font(path, size, bold)
        if len(_wrap(draw, text, font, A4_PX[0] - 160)) <= lines:
            return font
    return _font(path, sizes[-1], bold)


def _centered(draw, y: int, text: str, font, fill, width: int = A4_PX[0]) -> int:
    """Draw centred lines from y; return the y below them."""
    for line in _wrap(draw, text, font, width - 160):
        box = draw.textbbox((0, 0), line, font=font)
        draw.text(
            ((width - (box[2] - box[0])) // 2 - box[0], y - box[1]), line, font=font, fill=fill
        )
        y += int((box[3] - box[1]) * 1.45)
    return y


def poster_png(station: Station, *, url: str | None = None, request=None) -> bytes | None:
    """The A4 poster as PNG bytes, or None when Pillow or a CJK font is missing
    (then the HTML poster is the one to print)."""
    font_path = cjk_font_path()
    if font_path is None:
        return None
    try:
        from PIL import Image, ImageDraw
    except ImportError:
        return None
    url = url or checkin_url(station, request)
    w, h = A4_PX
    img = Image.new("RGB", A4_PX, "white")
    draw = ImageDraw.Draw(img)

    draw.rectangle([0, 0, w, 200], fill=RED)
    _centered(draw, 58, _("暖新驿站 · 扫码签到"), _font(font_path, 76, True), "white")
    name_font = _fitting_font(
        draw, font_path, station.name, (64, 54, 46, 38, 32), lines=2, bold=True
    )
    y = _centered(draw, 250, station.name, name_font, (29, 29, 31))
    _centered(
        draw,
        max(y + 10, 420),
        _("手机扫码，一键签到；首次使用请填写手机号"),
        _font(font_path, 36, False),
        (90, 90, 95),
    )

    box = qr_box(url)
    matrix = make_qr(url).matrix
    side = box.module_px * box.modules
    draw.rectangle([box.x, box.y, box.x + side - 1, box.y + side - 1], fill="white")
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                x0 = box.x + (c + QR_BORDER) * box.module_px
                y0 = box.y + (r + QR_BORDER) * box.module_px
                draw.rectangle(
                    [x0, y0, x0 + box.module_px - 1, y0 + box.module_px - 1], fill="black"
                )

    y = box.y + side + 10
    y = _centered(draw, y, url, _font(font_path, 30, False), (29, 29, 31))
    hours_text = _("开放时间：%(h)s") % {"h": hours.describe(station.is_24h, station.hours)}
    hours_font = _fitting_font(draw, font_path, hours_text, (34, 28, 24), lines=2, bold=False)
    _centered(draw, y + 24, hours_text, hours_font, (29, 29, 31))
    footer = _("%(zone)s · 海报第 %(v)d 版 · %(day)s 生成（旧版海报的二维码已失效）") % {
        "zone": station.zone.name,
        "v": station.poster_version,
        "day": timezone.localdate().isoformat(),
    }
    draw.rectangle([0, h - 110, w, h], fill=(245, 245, 247))
    _centered(draw, h - 80, footer, _font(font_path, 26, False), (110, 110, 115))

    out = io.BytesIO()
    img.save(out, format="PNG", dpi=(150, 150))
    return out.getvalue()
