"""The API answers UTF-8 JSON: Chinese as Chinese bytes, not \\uXXXX escapes."""

import pytest

from gaoxin.registry.tests.factories import enterprise

pytestmark = pytest.mark.django_db


def test_records_come_back_as_utf8_chinese(api_client, zone_a, make_user):
    enterprise(zone_a, name="肇庆市中旺通物流代理有限公司")
    resp = api_client.as_user(make_user("officer", zone_a)).get("enterprises")
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/json; charset=utf-8"
    assert "肇庆市中旺通物流代理有限公司".encode() in resp.content
    assert b"\\u" not in resp.content


def test_errors_come_back_as_utf8_chinese(api_client, zone_a, make_user):
    resp = api_client.as_user(make_user("officer", zone_a)).get("enterprises/999999")
    assert resp.status_code == 404
    assert resp["Content-Type"] == "application/json; charset=utf-8"
    assert "未找到".encode() in resp.content and b"\\u" not in resp.content
