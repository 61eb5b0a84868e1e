"""One answer to "which zone does this request act in", whichever program is asked.

core.tenancy.request_zone: the user's own zone when none is named; a cross-zone user
must name one (422 on zone_id, one message); a zone the user may not see is 404.
"""

import pytest

from gaoxin.core.errors import InvalidInput, NotFound
from gaoxin.core.tenancy import request_zone

MESSAGE = "跨园区账号请指定园区"

# (method, path, body) of every route that asks which zone a request acts in.
CREATES = [
    ("post", "enterprises", {"name": "矩阵企业", "uscc": None}),
    ("post", "people", {"name": "王五"}),
    (
        "post",
        "stations",
        {"name": "测试驿站", "kind": "hub", "address": "某路 1 号", "lat": 23.3, "lng": 112.7},
    ),
    (
        "post",
        "activities",
        {
            "title": "茶艺体验",
            "kind": "culture",
            "organiser": "总工会",
            "place": "研学馆",
            "capacity": 20,
        },
    ),
    (
        "post",
        "campaigns",
        {
            "title": "清凉饮品券",
            "kind": "coupon",
            "sponsor_kind": "merchant",
            "sponsor_name": "爱心商家联盟",
            "unit_value_fen": 1500,
            "stock": 100,
            "claim_starts_at": "2030-01-01T08:00:00",
            "claim_ends_at": "2030-02-01T08:00:00",
        },
    ),
]
READS = ["stations/stats", "activities/totals", "welfare/totals", "welfare/periods"]


def _body(body, zone_id=None):
    from gaoxin.registry.tests.test_api import valid_uscc

    body = {k: (valid_uscc() if k == "uscc" else v) for k, v in body.items()}
    return body if zone_id is None else {**body, "zone_id": zone_id}


def test_request_zone_itself(zone_a, zone_b, make_user):
    officer = make_user("officer", zone_a)
    assert request_zone(officer) == zone_a
    assert request_zone(officer, str(zone_a.pk)) == zone_a
    for other in (zone_b.pk, 999999, "x"):
        with pytest.raises(NotFound):
            request_zone(officer, other)
    viewer = make_user("national_viewer", None)
    with pytest.raises(InvalidInput) as exc:
        request_zone(viewer)
    assert exc.value.fields == {"zone_id": MESSAGE}
    assert request_zone(viewer, zone_b.pk) == zone_b


@pytest.mark.parametrize(("method", "path", "body"), CREATES)
def test_creating_names_the_zone_the_same_way_everywhere(
    api_client, zone_a, zone_b, make_user, method, path, body
):
    admin = api_client.as_user(make_user(None, None, superuser=True))
    resp = getattr(admin, method)(path, _body(body))
    assert resp.status_code == 422, resp.content
    assert resp.json()["fields"] == {"zone_id": MESSAGE}

    officer = api_client.as_user(make_user("zone_admin", zone_a))
    for zone_id in (zone_b.pk, 999999):
        resp = getattr(officer, method)(path, _body(body, zone_id))
        assert resp.status_code == 404, resp.content
        assert resp.json()["code"] == "not_found"


@pytest.mark.parametrize("path", READS)
def test_figures_of_a_zone_one_may_not_see_are_not_found(
    api_client, zone_a, zone_b, make_user, path
):
    officer = api_client.as_user(make_user("zone_admin", zone_a))
    resp = officer.get(path, zone_id=zone_b.pk)
    assert resp.status_code == 404, resp.content
    assert resp.json()["code"] == "not_found"
    assert officer.get(path).status_code == 200

    viewer = api_client.as_user(make_user("national_viewer", None))
    resp = viewer.get(path)
    assert resp.status_code == 422, resp.content
    assert resp.json()["fields"] == {"zone_id": MESSAGE}
    assert viewer.get(path, zone_id=zone_b.pk).status_code == 200


def test_no_program_decides_the_zone_itself():
    from pathlib import Path

    src = Path(__file__).resolve().parents[2]
    for path in [src / "core" / "api.py", *src.glob("*/api.py"), *src.glob("*/views/*.py")]:
        text = path.read_text(encoding="utf-8")
        for copy in ("_target_zone", "请指定园区", "园区不存在或无权操作"):
            assert copy not in text, f"{path.relative_to(src)}: {copy} (use core.tenancy)"
