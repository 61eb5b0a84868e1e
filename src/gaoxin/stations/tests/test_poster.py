"""The check-in poster: an A4 PNG whose QR code is exactly segno's code of the
station's signed check-in URL, and an HTML print page with an inline SVG."""

import io
import os
from urllib.parse import urlparse

import pytest
from django.urls import resolve, reverse

from gaoxin.stations import poster, tokens
from gaoxin.stations.tests.factories import station

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(zone_a, make_user):
    return make_user("officer", zone_a)


def test_checkin_url_uses_the_public_address_and_a_bound_code(zone_a, settings):
    settings.GAOXIN_PUBLIC_URL = "https://gx.example.cn/"
    s = station(zone_a)
    url = poster.checkin_url(s)
    assert url.startswith("https://gx.example.cn/s/")
    match = resolve(urlparse(url).path)
    assert match.view_name == "stations_short:checkin"
    assert tokens.poster_decode(match.kwargs["code"], current_version=lambda sid: 1) == s.pk


def test_checkin_url_defaults_to_the_local_server(zone_a, settings):
    settings.GAOXIN_PUBLIC_URL = ""
    assert poster.checkin_url(station(zone_a)).startswith("http://127.0.0.1:8000/s/")


def _png(client, s):
    resp = client.get(reverse("stations:office_poster_png", args=[s.pk]))
    assert resp.status_code == 200 and resp["Content-Type"] == "image/png"
    return resp.content


def test_png_poster_is_a4_and_its_qr_is_segnos_code_of_the_url(client, zone_a, officer, settings):
    image = pytest.importorskip("PIL.Image")
    if poster.cjk_font_path() is None:
        pytest.skip("no CJK font on this machine")
    settings.GAOXIN_PUBLIC_URL = "http://192.0.2.10:8000"
    s = station(zone_a, name="暖新驿站·高新区总工会服务中心")
    client.force_login(officer)
    img = image.open(io.BytesIO(_png(client, s))).convert("L")
    assert img.size == poster.A4_PX
    url = poster.checkin_url(s)
    box = poster.qr_box(url)
    matrix = poster.make_qr(url).matrix
    # Sample the centre of every module (and the quiet zone) and compare with segno.
    drawn = []
    for r in range(box.modules):
        row = []
        for c in range(box.modules):
            x = box.x + c * box.module_px + box.module_px // 2
            y = box.y + r * box.module_px + box.module_px // 2
            row.append(img.getpixel((x, y)) < 128)
        drawn.append(row)
    border = poster.QR_BORDER
    expected = [[False] * box.modules for _ in range(box.modules)]
    for r, line in enumerate(matrix):
        for c, dark in enumerate(line):
            expected[r + border][c + border] = bool(dark)
    assert drawn == expected
    assert box.module_px >= 8  # big enough to scan from a metre away on A4 at 150 dpi
    # something is printed above (title, name) and below (the short URL) the code
    strip = lambda y0, y1: img.crop((0, y0, img.size[0], y1)).getextrema()[0]  # noqa: E731
    assert strip(220, 400) < 100
    side = box.module_px * box.modules
    assert strip(box.y + side + 5, box.y + side + 60) < 100


def test_png_poster_falls_back_to_the_html_poster_without_a_cjk_font(
    client, zone_a, officer, settings, monkeypatch
):
    settings.GAOXIN_CJK_FONT = "/nonexistent/font.ttc"
    monkeypatch.setattr(poster, "NOTO_CJK", "/nonexistent/noto.ttc")
    s = station(zone_a)
    client.force_login(officer)
    resp = client.get(reverse("stations:office_poster_png", args=[s.pk]))
    assert resp.status_code == 302 and resp["Location"] == reverse(
        "stations:office_poster", args=[s.pk]
    )
    assert (
        "下载海报图片"
        not in client.get(reverse("stations:office_detail", args=[s.pk])).content.decode()
    )


def test_html_poster_has_an_inline_svg_qr_and_the_short_url(client, zone_a, officer):
    s = station(zone_a, name="打印站")
    client.force_login(officer)
    page = client.get(reverse("stations:office_poster", args=[s.pk])).content.decode()
    url = "http://testserver" + poster.checkin_path(s)  # no GAOXIN_PUBLIC_URL: the page's address
    assert "打印站" in page and "暖新驿站 · 扫码签到" in page and url in page
    assert '<svg viewBox="0 0 ' in page and "<img" not in page
    assert poster.qr_svg(url) in page
    assert "@page { size: A4" in page


def test_new_poster_changes_the_code_and_the_old_one_stops_working(client, zone_a, officer):
    s = station(zone_a)
    old = poster.checkin_url(s)
    client.force_login(officer)
    client.post(reverse("stations:office_reissue", args=[s.pk]))
    s.refresh_from_db()
    new = poster.checkin_url(s)
    assert new != old
    assert client.get(urlparse(old).path).status_code == 400
    assert client.get(urlparse(new).path).status_code == 200


def test_poster_follows_the_address_gaoxin_up_serves_on(client, zone_a, officer, settings):
    from gaoxin.core.management.commands.up import public_url

    settings.GAOXIN_PUBLIC_URL = public_url(host="127.0.0.1", port=8101, environ={})
    s = station(zone_a)
    client.force_login(officer)
    page = client.get(reverse("stations:office_poster", args=[s.pk])).content.decode()
    assert "http://127.0.0.1:8101/s/" in page and ":8000" not in page


def test_poster_without_a_public_address_follows_the_page_address(
    client, zone_a, officer, settings
):
    settings.GAOXIN_PUBLIC_URL = ""
    s = station(zone_a)
    client.force_login(officer)
    page = client.get(
        reverse("stations:office_poster", args=[s.pk]), headers={"host": "localhost:8101"}
    ).content.decode()
    assert "http://localhost:8101/s/" in page and ":8000" not in page


def test_public_address_is_unset_by_default():
    from config.settings import base

    if "GAOXIN_PUBLIC_URL" not in os.environ:
        assert base.GAOXIN_PUBLIC_URL == ""
