"""The stations pages through the Django test client: the poster check-in,
workers' phone pages, keepers' pages and the back office."""

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from gaoxin.core import crypto
from gaoxin.core.models import AuditEntry, User
from gaoxin.core.tests.factories import valid_mobile
from gaoxin.registry.models import Person
from gaoxin.registry.tests.factories import person
from gaoxin.stations import coords, selectors, services, tokens
from gaoxin.stations.enums import WEEKDAYS
from gaoxin.stations.models import Checkin, Station, WalkinBatch
from gaoxin.stations.tests.factories import station

pytestmark = pytest.mark.django_db

LIST_MAX_QUERIES = 26  # two sets of figures, each four grouped aggregates; constant in rows


def checkin_url(s: Station, **kwargs) -> str:
    return reverse(
        "stations_short:checkin", args=[tokens.poster_code(s.pk, s.poster_version, **kwargs)]
    )


def html(resp) -> str:
    return resp.content.decode()


def errors_of(page: str, field_id: str) -> str:
    """The error list rendered next to a phone-form field."""
    m = re.search(rf'<ul class="errorlist" id="{field_id}-errors">(.*?)</ul>', page, re.S)
    return m.group(1) if m else ""


def worker_user(zone, make_user, **data):
    user = make_user("worker", zone)
    user.person = person(zone, **data)
    user.save()
    return user


@pytest.fixture
def keeper(zone_a, make_user):
    return make_user("station_keeper", zone_a)


@pytest.fixture
def officer(zone_a, make_user):
    return make_user("officer", zone_a)


# ------------------------------------------------------------------ check-in landing


def test_landing_shows_station_hours_services_and_one_button(client, zone_a):
    s = station(zone_a, name="暖新驿站·总工会", amenities=["water", "rest", "charging"])
    resp = client.get(checkin_url(s))
    page = html(resp)
    assert resp.status_code == 200
    assert "暖新驿站·总工会" in page and "24 小时" in page and "营业中" in page
    for label in ("饮水", "歇脚", "充电"):
        assert label in page
    assert page.count('id="checkin-button"') == 1
    # first visit: phone and job type, job types as radio buttons
    assert 'name="phone"' in page and page.count('name="job_type"') == 6
    assert "csrfmiddlewaretoken" in page


def test_logged_in_worker_checks_in_with_one_tap(client, zone_a, make_user):
    s = station(zone_a)
    user = worker_user(zone_a, make_user, name="王师傅")
    client.force_login(user)
    url = checkin_url(s)
    page = html(client.get(url))
    assert "王师傅" in page and 'name="phone"' not in page
    resp = client.post(url, {"services": ["water", "charging"]})
    assert resp.status_code == 302 and resp["Location"].endswith("/ok/")
    done = html(client.get(resp["Location"]))
    assert "签到成功" in done and "今天第 1 位" in done
    checkin = Checkin.objects.get()
    assert (checkin.station, checkin.person, checkin.services) == (
        s,
        user.person,
        ["water", "charging"],
    )


def test_repeated_tap_is_not_counted_twice_and_says_so(client, zone_a, make_user):
    s = station(zone_a)
    client.force_login(worker_user(zone_a, make_user))
    url = checkin_url(s)
    client.post(url, {"services": ["water"]})
    resp = client.post(url, {"services": ["water"]}, follow=True)
    page = html(resp)
    assert resp.status_code == 200
    assert "已签到，无需重复" in page and "本次不重复计数" in page
    assert Checkin.objects.count() == 1
    assert selectors.zone_visits_total(zone=zone_a) == 1


def test_first_visit_registers_the_worker_and_logs_them_in(client, zone_a):
    s = station(zone_a)
    phone = valid_mobile()
    resp = client.post(
        checkin_url(s),
        {"phone": phone, "job_type": "food_delivery", "name": "李骑手", "services": ["rest"]},
    )
    assert resp.status_code == 302
    p = Person.objects.get(zone=zone_a, phone_hash=crypto.blind_index("phone", phone))
    assert (p.name, p.job_type, p.role) == ("李骑手", "food_delivery", "worker")
    user = User.objects.get(person=p)
    assert user.zone_id == zone_a.pk and not user.has_usable_password() and user.has_role("worker")
    assert client.session[SESSION_KEY] == str(user.pk)
    done = html(client.get(resp["Location"]))
    assert "签到成功" in done and "已为您登记" in done
    visits = html(client.get(reverse("stations:visits")))
    assert s.name in visits and "歇脚" in visits


def test_a_phone_already_registered_checks_in_but_does_not_log_in(client, zone_a):
    s = station(zone_a)
    phone = valid_mobile()
    owner = person(zone_a, phone=phone, job_type="courier")
    resp = client.post(checkin_url(s), {"phone": phone, "job_type": "other"}, follow=True)
    page = html(resp)
    assert "签到成功" in page and "该手机号已登记，请登录后查看我的签到" in page
    assert SESSION_KEY not in client.session
    assert Checkin.objects.get().person == owner
    assert not User.objects.filter(person=owner).exists()
    assert Person.objects.filter(zone=zone_a).count() == 1


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ({"phone": "12345", "job_type": "courier"}, "id_phone", "手机"),
        ({"phone": "", "job_type": "courier"}, "id_phone", "请填写手机号"),
        ({"phone": "13912345678"}, "id_job_type", "请选择职业类型"),
        ({"phone": "13912345678", "job_type": "astronaut"}, "id_job_type", "请选择职业类型"),
        (
            {"phone": "13912345678", "job_type": "courier", "services": ["sauna"]},
            "id_services",
            "不是本站提供的服务",
        ),
    ],
)
def test_registration_errors_are_next_to_their_fields(client, zone_a, data, field, text):
    s = station(zone_a)
    resp = client.post(checkin_url(s), data)
    assert resp.status_code == 200
    assert text in errors_of(html(resp), field)
    assert not Person.objects.exists() and not Checkin.objects.exists()


def test_forged_and_garbled_codes_get_a_friendly_400(client, zone_a):
    s = station(zone_a)
    good = tokens.poster_code(s.pk, s.poster_version)
    for code in (good[:-2] + ("aa" if not good.endswith("aa") else "bb"), "hello", "1-1-1-abc"):
        for method in (client.get, client.post):
            resp = method(reverse("stations_short:checkin", args=[code]))
            assert resp.status_code == 400
            assert "二维码无效" in html(resp) and "查找附近的驿站" in html(resp)
    assert not Checkin.objects.exists()


def test_a_code_of_another_station_cannot_be_turned_into_this_one(client, zone_a, make_user):
    a, b = station(zone_a), station(zone_a)
    code = tokens.poster_code(a.pk, a.poster_version)
    tampered = code.replace(f"{tokens._b36(a.pk)}-", f"{tokens._b36(b.pk)}-", 1)
    assert html(client.get(reverse("stations_short:checkin", args=[tampered]))).count("二维码无效")


def test_expired_and_revoked_posters_ask_for_the_latest_one(client, zone_a, officer):
    s = station(zone_a)
    old = checkin_url(s)
    services.poster_reissue(actor=officer, station=s)
    resp = client.get(old)
    assert resp.status_code == 400 and "已过期" in html(resp) and "最新" in html(resp)
    ancient = checkin_url(Station.objects.get(pk=s.pk), issued_day=1000)
    assert "已过期" in html(client.get(ancient))
    assert client.get(checkin_url(Station.objects.get(pk=s.pk))).status_code == 200


def test_paused_or_closed_station_refuses_with_a_page(client, zone_a, make_user, officer):
    s = station(zone_a)
    client.force_login(worker_user(zone_a, make_user))
    url = checkin_url(s)
    services.station_transition(actor=officer, station=s, to="paused")
    for method in (client.get, client.post):
        resp = method(url, {"services": ["water"]})
        assert resp.status_code == 409 and "暂停服务" in html(resp)
    services.station_transition(actor=officer, station=s, to="closed")
    resp = client.post(url, {"services": ["water"]})
    assert resp.status_code == 409 and "撤站" in html(resp)
    assert not Checkin.objects.exists()


def test_outside_opening_hours_there_is_no_button(client, zone_a, make_user):
    today = WEEKDAYS[timezone.localdate().weekday()]
    s = station(zone_a, is_24h=False, hours={d: "08:00-20:00" for d in WEEKDAYS if d != today})
    client.force_login(worker_user(zone_a, make_user))
    url = checkin_url(s)
    page = html(client.get(url))
    assert "现在不在开放时间" in page and 'id="checkin-button"' not in page
    assert client.post(url, {"services": []}).status_code == 409
    assert not Checkin.objects.exists()


def test_worker_of_another_zone_is_not_logged_out_by_registering(client, zone_a, zone_b, make_user):
    s = station(zone_a)
    stranger = worker_user(zone_b, make_user)
    client.force_login(stranger)
    page = html(client.get(checkin_url(s)))
    assert 'name="phone"' in page and "不是本园区的劳动者账号" in page
    resp = client.post(
        checkin_url(s), {"phone": valid_mobile(), "job_type": "courier"}, follow=True
    )
    assert "签到成功" in html(resp)
    assert client.session[SESSION_KEY] == str(stranger.pk)
    assert Checkin.objects.get().zone_id == zone_a.pk


def test_result_page_without_a_check_in_goes_back_to_the_form(client, zone_a):
    s = station(zone_a)
    code = tokens.poster_code(s.pk, s.poster_version)
    resp = client.get(reverse("stations_short:checkin_done", args=[code]))
    assert resp.status_code == 302 and resp["Location"] == reverse(
        "stations_short:checkin", args=[code]
    )


# ------------------------------------------------------------------ worker phone pages


def test_nearest_without_position_lists_the_zone_and_offers_to_locate(
    client, zone_a, zone_b, make_user
):
    mine = station(zone_a, name="甲区驿站", amenities=["water", "medicine"])
    station(zone_b, name="乙区驿站")
    client.force_login(worker_user(zone_a, make_user))
    page = html(client.get(reverse("stations:nearest")))
    assert "甲区驿站" in page and "乙区驿站" not in page
    assert 'id="locate"' in page and "navigator.geolocation" in page
    assert "营业中" in page and "用药/药箱" in page
    assert reverse("stations:detail", args=[mine.pk]) in page


def test_nearest_with_position_sorts_by_distance_and_filters(client, zone_a):
    near = station(zone_a, name="近站", lat=23.05, lng=112.46, amenities=["water"])
    far = station(zone_a, name="远站", lat=23.10, lng=112.46, amenities=["water", "charging"])
    resp = client.get(reverse("stations:nearest"), {"lat": 23.051, "lng": 112.46, "crs": "wgs84"})
    page = html(resp)
    assert page.index("近站") < page.index("远站")
    assert "110 米" in page and "公里" in page
    only = html(
        client.get(
            reverse("stations:nearest"), {"lat": 23.051, "lng": 112.46, "amenity": "charging"}
        )
    )
    assert "远站" in only and "近站" not in only
    services.station_transition(actor=None, station=near, to="paused")
    open_only = html(
        client.get(reverse("stations:nearest"), {"lat": 23.051, "lng": 112.46, "open": "1"})
    )
    assert "远站" in open_only and "近站" not in open_only
    assert far.pk


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "abc", "lng": "112"},
        {"lat": "112.4", "lng": "23.0"},
        {"lat": "23", "lng": "112", "crs": "mars"},
        {"lat": "nan", "lng": "1"},
    ],
)
def test_nearest_with_a_bad_position_explains_and_still_lists(client, zone_a, params):
    station(zone_a, name="某驿站")
    resp = client.get(reverse("stations:nearest"), params)
    page = html(resp)
    assert resp.status_code == 200 and "某驿站" in page
    status = re.search(r'id="locate-status"[^>]*>(.*?)</p>', page, re.S).group(1)
    assert status.strip()


def test_map_works_without_tiles_and_converts_for_gcj02_tiles(client, zone_a, settings):
    s = station(zone_a, name="地图站", lat=23.05, lng=112.46)
    settings.GAOXIN_MAP_TILE_URL = ""
    page = html(client.get(reverse("stations:map")))
    assert "vendor/leaflet/leaflet.js" in page and "vendor/leaflet/leaflet.css" in page
    assert 'id="no-tiles"' in page and "地图站" in page
    assert '"lat": 23.05' in page  # WGS-84 as stored: nothing to line up with
    settings.GAOXIN_MAP_TILE_URL = "http://tiles.invalid/{z}/{x}/{y}.png"
    settings.GAOXIN_MAP_TILE_CRS = "gcj02"
    page = html(client.get(reverse("stations:map")))
    glat, glng = coords.wgs84_to_gcj02(s.lat, s.lng)
    assert f'"lat": {round(glat, 7)}' in page and f'"lng": {round(glng, 7)}' in page
    assert 'id="no-tiles"' not in page and "tiles.invalid" in page
    settings.GAOXIN_MAP_TILE_CRS = "wgs84"
    assert '"lat": 23.05' in html(client.get(reverse("stations:map")))


def test_station_page_has_address_hours_navigation_and_visits(client, zone_a, make_user):
    s = station(zone_a, name="详情站", address="工业大道 8 号", is_24h=False, hours="07:00-22:00")
    services.walkin_record(
        actor=None, station=s, day=timezone.localdate(), visits=7, services=["water"]
    )
    page = html(client.get(reverse("stations:detail", args=[s.pk])))
    assert "工业大道 8 号" in page and "每天 07:00-22:00" in page
    assert f"geo:{s.lat:.6f},{s.lng:.6f}" in page
    assert '<span class="big" id="station-visits">7</span>' in page


def test_closed_or_missing_station_page_is_a_chinese_404(client, zone_a):
    s = station(zone_a)
    services.station_transition(actor=None, station=s, to="closed")
    for pk in (s.pk, 999999):
        resp = client.get(reverse("stations:detail", args=[pk]))
        assert resp.status_code == 404 and "未找到驿站" in html(resp)


def test_my_visits_for_anonymous_explains_and_links_to_login(client, db):
    page = html(client.get(reverse("stations:visits")))
    assert "扫码签到后" in page and reverse("stations:login") in page


def test_my_visits_lists_the_workers_check_ins_only(client, zone_a, make_user):
    a, b = station(zone_a, name="常去的站"), station(zone_a, name="别人的站")
    me = worker_user(zone_a, make_user)
    services.checkin_record(station=a, person=me.person, services=["charging"])
    services.checkin_record(station=b, person=person(zone_a), services=[])
    client.force_login(me)
    page = html(client.get(reverse("stations:visits")))
    assert "常去的站" in page and "充电" in page and "别人的站" not in page


def test_phone_login_page_logs_a_keeper_into_the_keeper_page(client, zone_a, keeper):
    s = station(zone_a, keeper=keeper.pk)
    resp = client.post(
        reverse("stations:login"), {"username": keeper.username, "password": "pw-test-123"}
    )
    assert resp.status_code == 302 and resp["Location"] == reverse("stations:keeper")
    assert client.get(resp["Location"])["Location"] == reverse(
        "stations:keeper_station", args=[s.pk]
    )
    bad = client.post(reverse("stations:login"), {"username": keeper.username, "password": "x"})
    assert bad.status_code == 200 and "errorlist" in html(bad)


# ------------------------------------------------------------------ keeper pages


def test_keeper_sees_today_and_enters_a_walk_in_batch(client, zone_a, keeper, make_user):
    s = station(zone_a, keeper=keeper.pk, amenities=["water", "rest"])
    worker = worker_user(zone_a, make_user, phone="13912348888")
    services.checkin_record(station=s, person=worker.person, services=["water"])
    client.force_login(keeper)
    url = reverse("stations:keeper_station", args=[s.pk])
    page = html(client.get(url))
    assert '<span class="big" id="today-visits">1</span>' in page
    assert '<span class="big" id="today-workers">1</span>' in page
    assert "139****8888" in page and "13912348888" not in page
    resp = client.post(url, {"visits": "12", "services": ["water", "rest"]}, follow=True)
    page = html(resp)
    assert "已登记" in page and "12 人次" in page
    assert '<span class="big" id="today-visits">13</span>' in page
    batch = WalkinBatch.objects.get()
    assert (batch.visits, batch.services, batch.entered_by, batch.day) == (
        12,
        ["water", "rest"],
        keeper,
        timezone.localdate(),
    )
    assert AuditEntry.objects.filter(object_type="stations.WalkinBatch").exists()


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ({"visits": "0"}, "id_visits", "人次应在 1 到 500 之间"),
        ({"visits": "abc"}, "id_visits", "整数"),
        ({"visits": "501"}, "id_visits", "人次应在 1 到 500 之间"),
        ({"visits": ""}, "id_visits", "请填写人次"),
        ({"visits": "3", "day": "2099-01-01"}, "id_day", "未来"),
        ({"visits": "3", "day": "2001-01-01"}, "id_day", "31 天"),
        ({"visits": "3", "day": "昨天"}, "id_day", "日期格式"),
    ],
)
def test_keeper_batch_errors_are_next_to_their_fields(client, zone_a, keeper, data, field, text):
    s = station(zone_a, keeper=keeper.pk)
    client.force_login(keeper)
    resp = client.post(reverse("stations:keeper_station", args=[s.pk]), data)
    assert resp.status_code == 200
    assert text in errors_of(html(resp), field)
    assert not WalkinBatch.objects.exists()


def test_the_keeper_page_and_the_api_refuse_a_count_in_the_same_words(
    client, api_client, zone_a, keeper
):
    s = station(zone_a, keeper=keeper.pk)
    client.force_login(keeper)
    page = html(client.post(reverse("stations:keeper_station", args=[s.pk]), {"visits": "501"}))
    body = {"day": timezone.localdate().isoformat(), "visits": 501}
    api = api_client.as_user(keeper).post(f"stations/{s.pk}/walkins", body).json()
    assert api["fields"]["visits"] == "人次应在 1 到 500 之间"
    assert api["fields"]["visits"] in errors_of(page, "id_visits")
    assert not WalkinBatch.objects.exists()


def test_keeper_cannot_reach_another_station(client, zone_a, zone_b, keeper, make_user):
    station(zone_a, keeper=keeper.pk)
    neighbour = station(zone_a, keeper=make_user("station_keeper", zone_a).pk)
    elsewhere = station(zone_b)
    client.force_login(keeper)
    for s in (neighbour, elsewhere):
        url = reverse("stations:keeper_station", args=[s.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"visits": "5"}).status_code == 404
    assert not WalkinBatch.objects.exists()


def test_keeper_pages_need_login_and_the_role(client, zone_a, make_user):
    s = station(zone_a)
    url = reverse("stations:keeper_station", args=[s.pk])
    resp = client.get(url)
    assert resp.status_code == 302 and resp["Location"].startswith(reverse("stations:login"))
    client.force_login(worker_user(zone_a, make_user))
    resp = client.get(url)
    assert resp.status_code == 403 and "无权访问" in html(resp)


def test_officer_uses_the_keeper_page_for_any_station_of_the_zone(client, zone_a, officer):
    a, b = station(zone_a, name="一号站"), station(zone_a, name="二号站")
    client.force_login(officer)
    page = html(client.get(reverse("stations:keeper")))
    assert "一号站" in page and "二号站" in page
    resp = client.post(reverse("stations:keeper_station", args=[b.pk]), {"visits": "4"})
    assert resp.status_code == 302 and WalkinBatch.objects.get().station == b
    assert a.pk


# ------------------------------------------------------------------ officer pages


def station_post(**values) -> dict:
    data = {
        "name": "暖新驿站·新站",
        "kind": "partner",
        "address": "迎宾大道 1 号",
        "lat": "23.3352",
        "lng": "112.6985",
        "crs": "gcj02",
        "capacity": "20",
        "phone": "",
        "keeper": "",
        "amenities": ["water", "rest"],
        "is_24h": "",
        **{f"hours_{d}": "08:00-20:00" for d in WEEKDAYS},
    }
    data.update(values)
    return data


def row_errors(page: str, field: str) -> str:
    m = re.search(rf'<div class="form-row errors" id="row-{field}">(.*?)</div>', page, re.S)
    return m.group(1) if m else ""


def test_officer_creates_a_station_from_map_app_coordinates(client, zone_a, officer, keeper):
    client.force_login(officer)
    resp = client.post(reverse("stations:office_new"), station_post(keeper=str(keeper.pk)))
    s = Station.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse(
        "stations:office_detail", args=[s.pk]
    )
    lat, lng = coords.gcj02_to_wgs84(23.3352, 112.6985)
    assert abs(s.lat - lat) < 1e-6 and abs(s.lng - lng) < 1e-6
    assert s.keeper == keeper and s.hours["mon"] == [[480, 1200]] and s.zone == zone_a
    assert AuditEntry.objects.filter(object_type="stations.Station", action="create").exists()


@pytest.mark.parametrize(
    ("values", "field", "text"),
    [
        ({"lat": "112.6985", "lng": "23.3352"}, "lat", "填反"),
        ({"lat": "北纬23度"}, "lat", "数字"),
        ({"lat": "51.5", "lng": "-0.12"}, "lat", "不在中国境内"),
        ({"name": ""}, "name", "请填写驿站名称"),
        ({"capacity": "0"}, "capacity", "可容纳人数应在 1 到 1000 之间"),
        ({"hours_tue": "8点到20点"}, "hours_tue", "格式应为 08:00-20:00"),
        ({**{f"hours_{d}": "" for d in WEEKDAYS}}, "is_24h", "开放时间"),
        ({"keeper": "999999"}, "keeper", "站长"),
    ],
)
def test_officer_form_errors_are_next_to_the_field(client, zone_a, officer, values, field, text):
    client.force_login(officer)
    resp = client.post(reverse("stations:office_new"), station_post(**values))
    assert resp.status_code == 200
    assert text in row_errors(html(resp), field)
    assert not Station.objects.exists()


def test_the_station_form_and_the_api_use_the_words_of_core_cleaning(
    client, api_client, zone_a, officer
):
    client.force_login(officer)
    page = html(client.post(reverse("stations:office_new"), station_post(capacity="0", kind="")))
    api = api_client.as_user(officer)
    body = {k: v for k, v in station_post().items() if not k.startswith("hours_")}
    body.update(keeper_id=None, is_24h=True, capacity=0, kind="")
    body.pop("keeper")
    fields = api.post("stations", body).json()["fields"]
    assert fields["capacity"] == "可容纳人数应在 1 到 1000 之间"
    assert fields["kind"].startswith("请选择驿站类型，可选：")
    for key in ("capacity", "kind"):
        assert fields[key] in row_errors(page, key), key
    assert not Station.objects.exists()


def test_every_mistake_is_shown_at_once(client, zone_a, officer):
    client.force_login(officer)
    page = html(
        client.post(
            reverse("stations:office_new"),
            station_post(lat="112.69", lng="23.33", hours_mon="8点", name=""),
        )
    )
    assert "填反" in row_errors(page, "lat")
    assert "格式应为" in row_errors(page, "hours_mon")
    assert "请填写驿站名称" in row_errors(page, "name")


def test_cross_zone_admin_picks_the_zone_of_a_new_station_and_of_the_figures(
    client, zone_a, zone_b, make_user
):
    admin = make_user(None, None, superuser=True)
    client.force_login(admin)
    assert 'name="zone"' in html(client.get(reverse("stations:office_new")))
    resp = client.post(reverse("stations:office_new"), station_post(zone=str(zone_b.pk)))
    assert resp.status_code == 302 and Station.objects.get().zone == zone_b
    services.walkin_record(
        actor=None, station=Station.objects.get(), day=timezone.localdate(), visits=9, services=[]
    )
    assert (
        client.get(reverse("stations:office_stats"), {"zone": zone_b.pk}).context["stats"].visits
        == 9
    )
    assert (
        client.get(reverse("stations:office_stats"), {"zone": zone_a.pk}).context["stats"].visits
        == 0
    )
    assert client.get(reverse("stations:office_stats"), {"zone": "999999"}).status_code == 404


def test_office_pages_take_the_zone_from_the_kit(client, zone_a, zone_b, officer, make_user):
    """core.tenancy.request_zone decides: a cross-zone account that names no zone sees its
    one message next to the zone, and a zone one may not see is a 404, like its records."""
    client.force_login(make_user(None, None, superuser=True))
    page = html(client.get(reverse("stations:office_stats")))
    assert "跨园区账号请指定园区" in page and 'id="stats-figures"' not in page
    page = html(client.post(reverse("stations:office_new"), station_post(zone="")))
    assert "跨园区账号请指定园区" in row_errors(page, "zone")
    client.force_login(officer)
    assert (
        client.post(reverse("stations:office_new"), station_post(zone=str(zone_b.pk))).status_code
        == 404
    )
    assert client.get(reverse("stations:office_export"), {"zone": zone_b.pk}).status_code == 404
    assert not Station.objects.exists()


def test_duplicate_name_is_refused_next_to_the_name(client, zone_a, officer):
    station(zone_a, name="重名站")
    client.force_login(officer)
    resp = client.post(reverse("stations:office_new"), station_post(name="重名站"))
    assert "同名" in row_errors(html(resp), "name")


def test_officer_edits_pauses_reopens_and_reprints(client, zone_a, officer):
    s = station(zone_a, name="旧名")
    client.force_login(officer)
    edit = reverse("stations:office_edit", args=[s.pk])
    form = html(client.get(edit))
    assert 'value="旧名"' in form
    resp = client.post(
        edit, station_post(name="新名", lat=f"{s.lat}", lng=f"{s.lng}", crs="wgs84", is_24h="on")
    )
    assert resp.status_code == 302
    s.refresh_from_db()
    assert s.name == "新名" and s.is_24h and abs(s.lat - 23.1) < 1e-9
    status = reverse("stations:office_status", args=[s.pk])
    page = html(client.post(status, {"to": "paused"}, follow=True))
    assert "暂停服务" in page and Station.objects.get(pk=s.pk).status == "paused"
    client.post(status, {"to": "closed"})
    page = html(client.post(status, {"to": "paused"}, follow=True))
    assert "不能改为" in page and Station.objects.get(pk=s.pk).status == "closed"
    old = checkin_url(Station.objects.get(pk=s.pk))
    client.post(reverse("stations:office_reissue", args=[s.pk]))
    assert Station.objects.get(pk=s.pk).poster_version == 2
    assert client.get(old).status_code == 400


def test_office_pages_need_staff_and_permissions(client, zone_a, keeper, make_user):
    s = station(zone_a)
    url = reverse("stations:office_detail", args=[s.pk])
    assert client.get(url)["Location"].startswith(reverse("admin:login"))
    client.force_login(keeper)  # a keeper is not back-office staff
    assert client.get(url)["Location"].startswith(reverse("admin:login"))
    client.force_login(make_user("finance", zone_a))  # staff without station permissions
    assert client.get(url).status_code == 403
    viewer = make_user("instructor", zone_a)  # may view, may not change
    client.force_login(viewer)
    assert client.get(url).status_code == 200
    assert (
        client.post(reverse("stations:office_status", args=[s.pk]), {"to": "paused"}).status_code
        == 403
    )
    assert client.get(reverse("stations:office_new")).status_code == 403


def test_zone_a_officer_gets_404_on_every_zone_b_station_page(client, zone_a, zone_b, officer):
    other = station(zone_b, name="乙区机密驿站")
    client.force_login(officer)
    for name in ("office_detail", "office_edit", "office_poster", "office_poster_png"):
        assert client.get(reverse(f"stations:{name}", args=[other.pk])).status_code == 404, name
    for name, data in (
        ("office_status", {"to": "paused"}),
        ("office_reissue", {}),
        ("office_edit", station_post()),
    ):
        assert client.post(reverse(f"stations:{name}", args=[other.pk]), data).status_code == 404, (
            name
        )
    assert client.get(reverse("stations:keeper_station", args=[other.pk])).status_code == 404
    assert "乙区机密驿站" not in html(client.get(reverse("stations:office"), {"q": "乙区"}))
    assert "乙区机密驿站" not in html(client.get(reverse("stations:office_stats")))
    assert client.get(reverse("stations:office_stats"), {"zone": zone_b.pk}).status_code == 404
    assert "乙区机密驿站" not in html(
        client.get(reverse("stations:office_stats"), {"zone": zone_b.pk})
    )
    other.refresh_from_db()
    assert other.status == "open" and other.poster_version == 1


def test_office_list_searches_and_pages(client, zone_a, officer):
    for i in range(30):
        station(zone_a, name=f"站点{i:02d}", address="建设路" if i == 7 else "工业大道")
    client.force_login(officer)
    page = html(client.get(reverse("stations:office")))
    assert page.count('class="station-row"') == 25 and "共 30 个驿站" in page
    found = html(client.get(reverse("stations:office"), {"q": "建设路"}))
    assert found.count('class="station-row"') == 1 and "站点07" in found
    assert (
        html(client.get(reverse("stations:office"), {"page": "2"})).count('class="station-row"')
        == 5
    )
    assert client.get(reverse("stations:office"), {"page": "abc"}).status_code == 200


# ------------------------------------------------------------------ statistics and export


def make_history(zone, officer):
    a = station(zone, name="甲站", amenities=["water", "rest", "charging"])
    b = station(zone, name="乙站")
    now = timezone.now()
    # Today's two visits stay today (local time) also just after midnight.
    midnight = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))
    courier = person(zone, job_type="courier", phone="13911112222")
    rider = person(zone, job_type="food_delivery", phone="13933334444")
    services.checkin_record(
        station=a, person=courier, services=["water"], at=now - dt.timedelta(days=40)
    )
    services.checkin_record(
        station=a,
        person=courier,
        services=["rest", "water"],
        at=max(now - dt.timedelta(hours=2), midnight + dt.timedelta(seconds=1)),
    )
    services.checkin_record(
        station=b,
        person=rider,
        services=["charging"],
        at=max(now - dt.timedelta(hours=1), midnight + dt.timedelta(seconds=2)),
    )
    for visits in [500] * 12 + [42]:
        services.walkin_record(
            actor=officer,
            station=a,
            day=timezone.localdate(),
            visits=visits,
            services=["water"],
            note="站长补登",
        )
    return a, b


def test_stats_page_shows_what_the_selectors_compute(client, zone_a, officer):
    make_history(zone_a, officer)
    client.force_login(officer)
    resp = client.get(reverse("stations:office_stats"))
    page = html(resp)
    expected = selectors.zone_station_stats(zone=zone_a)
    assert resp.context["stats"] == expected
    assert expected.visits == 6045
    assert f'<strong id="fig-visits">{expected.visits}</strong>' in page
    assert f'<strong id="fig-workers">{expected.workers}</strong>' in page
    assert "累计服务 6000 多人次" in page
    for row in expected.by_station:
        assert (
            f'<td class="visits">{row["visits"]}</td><td class="workers">{row["workers"]}</td>'
            in page
        )
    bars = re.findall(r'data-label="([\d-]+)" data-value="(\d+)"', page)
    assert {m: int(v) for m, v in bars if int(v)} == dict(expected.by_month)
    assert "<svg" in page and "饮水" in page and "快递员" in page and "站长登记（未扫码）" in page


def test_stats_date_filter_and_its_errors(client, zone_a, officer):
    make_history(zone_a, officer)
    client.force_login(officer)
    today = timezone.localdate()
    resp = client.get(
        reverse("stations:office_stats"), {"since": today.isoformat(), "until": today.isoformat()}
    )
    expected = selectors.zone_station_stats(zone=zone_a, since=today, until=today)
    assert resp.context["stats"] == expected and expected.visits == 6044
    assert "期间服务" in html(resp)
    assert "按所涉月份去重" in html(resp) and "人，累计" not in html(
        resp
    )  # a period is not "to date"
    bad = client.get(reverse("stations:office_stats"), {"since": "2025-13-01", "until": "x"})
    assert bad.status_code == 200 and "日期格式" in html(bad)
    swapped = client.get(
        reverse("stations:office_stats"), {"since": "2025-02-01", "until": "2025-01-01"}
    )
    assert "结束日期不能早于开始日期" in html(swapped)
    export = client.get(reverse("stations:office_export"), {"since": "x"})
    assert export.status_code == 302 and reverse("stations:office_stats") in export["Location"]


def test_export_is_a_workbook_with_masked_phones_only(client, zone_a, zone_b, officer):
    from openpyxl import load_workbook

    make_history(zone_a, officer)
    station(zone_b, name="乙区驿站")
    client.force_login(officer)
    resp = client.get(reverse("stations:office_export"))
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(b"".join(resp.streaming_content)), read_only=True)
    assert wb.sheetnames[:3] == ["签到记录", "站长登记", "汇总"]
    cells = [
        str(c)
        for ws in wb.worksheets
        for row in ws.iter_rows(values_only=True)
        for c in row
        if c is not None
    ]
    text = "\n".join(cells)
    assert "13911112222" not in text and "13933334444" not in text
    assert "139****2222" in text and "139****4444" in text
    rows = list(wb["签到记录"].iter_rows(values_only=True))
    assert rows[0][:4] == ("时间", "驿站", "劳动者", "手机号(已脱敏)") and len(rows) == 4
    assert {r[1] for r in rows[1:]} == {"甲站", "乙站"}
    walkins = list(wb["站长登记"].iter_rows(values_only=True))
    assert len(walkins) == 14 and sum(r[2] for r in walkins[1:]) == 6042
    summary = list(wb["汇总"].iter_rows(values_only=True))
    assert summary[-1][0] == "合计" and summary[-1][2] == 6045
    assert "乙区驿站" not in text
    entry = AuditEntry.objects.get(zone=zone_a, action="export")  # who took the list out
    assert entry.actor_id == officer.pk and entry.after["what"] == "暖新驿站台账"
    assert (
        entry.after["rows"] == 3 + 13 + len(summary) - 2
    )  # rows of the three sheets, no headers or 合计


def test_export_respects_the_period(client, zone_a, officer):
    from openpyxl import load_workbook

    make_history(zone_a, officer)
    client.force_login(officer)
    today = timezone.localdate().isoformat()
    resp = client.get(reverse("stations:office_export"), {"since": today, "until": today})
    wb = load_workbook(io.BytesIO(b"".join(resp.streaming_content)), read_only=True)
    assert len(list(wb["签到记录"].iter_rows(values_only=True))) == 3  # header + today's two


# ------------------------------------------------------------------ query counts


@pytest.mark.parametrize("rows", [1, 3])
def test_list_pages_cost_the_same_for_1_and_3_rows(
    client, zone_a, officer, keeper, make_user, django_assert_max_num_queries, rows
):
    me = worker_user(zone_a, make_user)
    kept = station(zone_a, keeper=keeper.pk, lat=23.05, lng=112.46)
    for i in range(rows):
        s = station(zone_a, lat=23.05 + i / 1000, lng=112.46) if i else kept
        services.checkin_record(station=s, person=me.person, services=["water"])
        services.checkin_record(station=kept, person=person(zone_a), services=["rest"])
        services.walkin_record(
            actor=None, station=s, day=timezone.localdate(), visits=2, services=[]
        )
    pages = [
        (me, reverse("stations:nearest"), {}),
        (me, reverse("stations:nearest"), {"lat": 23.05, "lng": 112.46}),
        (me, reverse("stations:map"), {}),
        (me, reverse("stations:visits"), {}),
        (keeper, reverse("stations:keeper_station", args=[kept.pk]), {}),
        (officer, reverse("stations:keeper"), {}),
        (officer, reverse("stations:office"), {}),
        (officer, reverse("stations:office_stats"), {}),
        (officer, reverse("stations:office_detail", args=[kept.pk]), {}),
    ]
    for user, url, params in pages:
        client.force_login(user)
        with django_assert_max_num_queries(LIST_MAX_QUERIES):
            resp = client.get(url, params)
        assert resp.status_code == 200, url
