from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gaoxin.core.numbers import (
    cn_approx,
    cn_exact,
    cn_growth,
    cn_near,
    cn_over,
    cn_yuan_approx,
    yuan,
)


@pytest.mark.parametrize(
    ("n", "unit", "word", "expected"),
    [
        (6342, "人次", "多", "6000 多人次"),
        (6000, "人次", "多", "6000 人次"),
        (74210, "元", "多", "7 万多元"),
        (70000, "元", "多", "7 万元"),
        (5_123_400, "元", "余", "500 余万元"),
        (12, "场次", "余", "10 余场次"),
        (7, "个", "多", "7 个"),
        (71, "", "多", "70 多"),
        (123_456_789, "元", "多", "1 亿多元"),
        (2_000_000_000, "元", "多", "20 亿元"),
    ],
)
def test_seed_page_figures(n, unit, word, expected):
    assert cn_approx(n, unit, word=word) == expected


def test_over_near_exact_growth():
    assert cn_over(1016, "个") == "超 1000 个"
    assert cn_over(1000, "个") == "1000 个"
    assert cn_near(146, "个") == "近 150 个"
    assert cn_near(150, "个") == "150 个"
    assert cn_exact(30000, "元") == "3 万元"
    assert cn_growth(67, 71) == "增长超 5%"
    assert cn_growth(100, 105) == "增长 5%"
    assert cn_growth(100, 90) == "下降 10%"
    assert cn_growth(1000, 1001) == "增长不足 1%"
    assert cn_growth(0, 3) == "新增"
    assert cn_yuan_approx(7_421_000) == "7 万多元"
    assert yuan(123456) == "1,234.56" and yuan(-5) == "-0.05"


def _parse(text: str) -> tuple[Decimal, bool]:
    """Read back the number a phrase states and whether it claims 'more than'."""
    more = "多" in text or "余" in text
    core = text.replace("多", "").replace("余", "").replace(" ", "")
    mult = 1
    if "亿" in core:
        mult, core = 10**8, core.replace("亿", "")
    elif "万" in core:
        mult, core = 10**4, core.replace("万", "")
    digits = "".join(c for c in core if c.isdigit())
    return Decimal(digits) * mult, more


@given(st.integers(min_value=0, max_value=10**12))
def test_approx_never_overstates_and_is_within_one_leading_digit(n):
    stated, more = _parse(cn_approx(n))
    assert stated <= n
    assert more == (stated < n)
    if n >= 10:
        # the true value is less than the next round figure
        lead_digits = str(stated).rstrip("0") or "0"
        magnitude = stated / Decimal(lead_digits) if stated else 1
        assert n < stated + magnitude


@given(st.integers(min_value=10, max_value=10**12))
def test_over_and_near_are_truthful(n):
    over = cn_over(n)
    if over.startswith("超"):
        stated, _ = _parse(over.removeprefix("超"))
        assert stated < n
    near = cn_near(n)
    if near.startswith("近"):
        stated, _ = _parse(near.removeprefix("近"))
        assert stated > n and (stated - n) / stated < Decimal("0.1")


@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=0, max_value=10**6))
def test_growth_floor_is_truthful(prev, cur):
    text = cn_growth(prev, cur)
    real = (Decimal(cur) - prev) / prev * 100
    if "超" in text:
        stated = Decimal(text.split("超 ")[1].rstrip("%"))
        assert abs(real) > stated and abs(real) < stated + 1
