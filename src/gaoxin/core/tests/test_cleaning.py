"""One cleaning layer (core/cleaning.py): the same mistake reads the same on the
page, in the API and in an Excel import, and each uniqueness rule is one function."""

import re

import pytest
from django.urls import reverse

from gaoxin.core.cleaning import Cleaner
from gaoxin.core.tests.factories import valid_uscc
from gaoxin.registry import selectors as registry_selectors
from gaoxin.registry.forms import EnterpriseForm
from gaoxin.registry.imports import import_xlsx
from gaoxin.registry.models import Enterprise
from gaoxin.registry.tests.factories import enterprise
from gaoxin.registry.tests.test_imports import xlsx
from gaoxin.stations.models import Station
from gaoxin.stations.tests.test_views import html, row_errors, station_post

ENTERPRISE_HEADERS = ["企业名称", "统一社会信用代码"]
BAD_USCC = "91441200MA4UX0000X"  # 18 characters, wrong check character


@pytest.fixture
def officer(zone_a, make_user):
    return make_user("officer", zone_a)


def _page_errors(form_class, actor, data) -> dict[str, str]:
    form_class = type(form_class.__name__, (form_class,), {"actor": actor})
    form = form_class(data=data)
    assert not form.is_valid()
    return {k: " ".join(v) for k, v in form.errors.items()}


def _import_errors(zone, rows) -> dict[str, str]:
    result = import_xlsx(
        actor=None, zone=zone, kind="enterprises", fileobj=xlsx(ENTERPRISE_HEADERS, rows)
    )
    return {e.column: e.message for e in result.errors}


def test_blank_station_name_reads_the_same_on_the_page_and_in_the_api(
    client, api_client, zone_a, officer
):
    client.force_login(officer)
    page = client.post(reverse("stations:office_new"), station_post(name=""))
    errorlist = re.search(
        r"<ul[^>]*errorlist[^>]*>(.*?)</ul>", row_errors(html(page), "name"), re.S
    )
    page_message = re.sub(r"<[^>]+>", "", errorlist.group(1)).strip()
    api = api_client.as_user(officer)
    body = {k: v for k, v in station_post().items() if not k.startswith("hours_")}
    body.update(keeper_id=None, capacity=20, is_24h=False, hours="08:00-20:00")
    body.pop("keeper")
    blank = api.post("stations", {**body, "name": "  "}).json()["fields"]["name"]
    missing = api.post("stations", {k: v for k, v in body.items() if k != "name"}).json()
    assert page_message == blank == missing["fields"]["name"] == "请填写驿站名称"
    assert not Station.objects.exists()


def test_over_long_enterprise_name_reads_the_same_everywhere(api_client, zone_a, officer):
    long_name = "甲" * 101
    expected = "企业名称不能超过 100 个字"
    page = _page_errors(EnterpriseForm, officer, {"name": long_name, "uscc": valid_uscc(1)})
    api = api_client.as_user(officer).post(
        "enterprises", {"name": long_name, "uscc": valid_uscc(1)}
    )
    excel = _import_errors(zone_a, [[long_name, valid_uscc(1)]])
    assert page["name"] == api.json()["fields"]["name"] == excel["企业名称"] == expected


def test_bad_credit_code_reads_the_same_everywhere(api_client, zone_a, officer):
    page = _page_errors(EnterpriseForm, officer, {"name": "甲公司", "uscc": BAD_USCC})
    api = api_client.as_user(officer).post("enterprises", {"name": "甲公司", "uscc": BAD_USCC})
    excel = _import_errors(zone_a, [["甲公司", BAD_USCC]])
    assert page["uscc"] == api.json()["fields"]["uscc"] == excel["统一社会信用代码"]
    assert page["uscc"] == "统一社会信用代码校验位错误"


def test_taken_credit_code_is_one_rule_on_page_api_and_import(api_client, zone_a, zone_b, officer):
    code = enterprise(zone_a).uscc
    enterprise(zone_b, uscc=valid_uscc(2))  # another zone's does not count
    assert registry_selectors.enterprise_credit_codes_taken(zone_id=zone_a.pk, codes=[code]) == {
        code
    }
    assert (
        registry_selectors.enterprise_credit_codes_taken(zone_id=zone_a.pk, codes=[valid_uscc(2)])
        == set()
    )
    page = _page_errors(EnterpriseForm, officer, {"name": "乙公司", "uscc": code})
    api = api_client.as_user(officer).post("enterprises", {"name": "乙公司", "uscc": code})
    excel = _import_errors(zone_a, [["乙公司", code]])
    expected = registry_selectors.credit_code_taken_message()
    assert page["uscc"] == api.json()["fields"]["uscc"] == excel["统一社会信用代码"] == expected
    assert Enterprise.objects.filter(zone=zone_a).count() == 1


@pytest.mark.parametrize(
    ("method", "kwargs", "raw", "message"),
    [
        ("text", {"label": "驿站名称", "max_length": 5}, " ", "请填写驿站名称"),
        ("text", {"label": "驿站名称", "max_length": 2}, "三个字", "驿站名称不能超过 2 个字"),
        ("integer", {"label": "名额", "low": 1, "high": 9}, "10", "名额应在 1 到 9 之间"),
        ("integer", {"label": "名额", "low": 1, "high": 9}, "两个", "名额应为整数"),
        (
            "money",
            {"label": "单份价值", "low": 1, "high": 10_000},
            "1.234",
            "单份价值：金额最多精确到分（两位小数）",
        ),
        ("day", {"label": "出生日期"}, "2015-02-30", "出生日期不是有效的日期"),
        ("day", {"label": "出生日期"}, "1900-12-31", "出生日期应在 1901-01-01 至 2100-12-31 之间"),
        ("moment", {"label": "开始时间"}, "明天", "开始时间格式应为 YYYY-MM-DD HH:MM"),
        ("phone", {"label": "手机号码"}, "12345", None),
        ("boolean", {"label": "新业态企业"}, "也许", "新业态企业请填写“是”或“否”"),
    ],
)
def test_every_cleaner_names_its_field(method, kwargs, raw, message):
    c = Cleaner({"f": raw})
    getattr(c, method)("f", **kwargs)
    assert "f" in c.errors
    if message is not None:
        assert c.errors["f"] == message


def test_money_is_typed_in_yuan_and_kept_in_fen():
    c = Cleaner({"price": "1,234.5元"})
    assert c.money("price", label="单价", low=1, high=10**9) == 123450
