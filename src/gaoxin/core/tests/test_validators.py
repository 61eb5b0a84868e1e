import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from gaoxin.core.validators import (
    USCC_ALPHABET,
    id_check_digit,
    uscc_check_char,
    validate_id_number,
    validate_mobile,
    validate_uscc,
)

ORG_CHARS = st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9)
REGIONS = st.from_regex(r"\A[1-6][0-9]{5}\Z")


@st.composite
def valid_usccs(draw):
    first17 = (
        draw(st.sampled_from("159Y"))
        + draw(st.sampled_from("1239"))
        + draw(REGIONS)
        + draw(ORG_CHARS)
    )
    return first17 + uscc_check_char(first17)


@st.composite
def valid_ids(draw, regions=REGIONS):
    birth = draw(st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2020, 12, 31)))
    first17 = draw(regions) + birth.strftime("%Y%m%d") + draw(st.from_regex(r"\A[0-9]{3}\Z"))
    return first17 + id_check_digit(first17)


def test_known_real_uscc_is_valid():
    assert validate_uscc("91110000600037341L") == "91110000600037341L"
    assert validate_uscc(" 9111 0000-6000 37341l ") == "91110000600037341L"


@given(valid_usccs())
def test_generated_valid_uscc_accepted(code):
    assert validate_uscc(code) == code


@given(valid_usccs(), st.sampled_from(USCC_ALPHABET))
def test_any_wrong_check_char_is_rejected_with_checksum_message(code, replacement):
    if replacement == code[-1]:
        return
    with pytest.raises(ValidationError) as exc:
        validate_uscc(code[:-1] + replacement)
    assert exc.value.messages == ["统一社会信用代码校验位错误"]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "请填写统一社会信用代码"),
        ("91110000600037341", "统一社会信用代码应为 18 位，当前为 17 位"),
        ("9111000060003734IL", "不使用 I、O、Z、S、V"),
        ("91A10000600037341L", "第 3–8 位应为行政区划代码"),
    ],
)
def test_uscc_specific_messages(code, message):
    with pytest.raises(ValidationError) as exc:
        validate_uscc(code)
    assert message in exc.value.messages[0]


@given(valid_ids())
@settings(max_examples=200)
def test_generated_valid_id_numbers_never_rejected(number):
    """Whatever the region code, a correct check digit and real date are accepted."""
    assert validate_id_number(number).number == number


@pytest.mark.parametrize("region", ["441204", "441284", "110105"])
def test_current_county_codes_are_accepted_without_warning(region):
    first17 = f"{region}19850612123"
    info = validate_id_number(first17 + id_check_digit(first17))
    assert info.warnings == []


def test_unknown_region_is_a_warning_not_an_error():
    first17 = "99010119850612123"
    info = validate_id_number(first17 + id_check_digit(first17))
    assert info.warnings and "行政区划" in info.warnings[0]


def test_check_digit_x_and_lowercase():
    # find a body whose check digit is X
    for n in range(1000):
        first17 = f"44120419900101{n:03d}"
        if id_check_digit(first17) == "X":
            break
    assert validate_id_number(first17 + "x").number == first17 + "X"


@given(valid_ids(), st.sampled_from("0123456789X"))
def test_wrong_check_digit_rejected(number, replacement):
    if replacement == number[-1]:
        return
    with pytest.raises(ValidationError) as exc:
        validate_id_number(number[:-1] + replacement)
    assert exc.value.messages == ["身份证号校验位错误"]


@pytest.mark.parametrize(
    ("birth", "ok"),
    [("19900230", False), ("19001301", False), ("20991231", False), ("20000229", True)],
)
def test_birth_date_must_be_real(birth, ok):
    first17 = f"441204{birth}123"
    number = first17 + id_check_digit(first17)
    if ok:
        assert validate_id_number(number).birth_date == dt.date(2000, 2, 29)
    else:
        with pytest.raises(ValidationError) as exc:
            validate_id_number(number)
        assert exc.value.messages == ["身份证号中的出生日期无效"]


@given(st.text(max_size=30))
def test_arbitrary_text_gives_validation_error_never_crash(text):
    for fn in (validate_id_number, validate_uscc, validate_mobile):
        try:
            fn(text)
        except ValidationError as exc:
            assert exc.messages and all(m for m in exc.messages)


def test_gender_from_17th_digit():
    first17 = "44120419900101121"  # odd → male
    assert validate_id_number(first17 + id_check_digit(first17)).gender == "M"


def test_mobile_normalisation():
    assert validate_mobile("+86 138 1234 5678") == "13812345678"
    with pytest.raises(ValidationError):
        validate_mobile("12812345678")


def test_non_ascii_digits_are_rejected():
    with pytest.raises(ValidationError) as exc:
        validate_id_number("٤٤١٢٠٤١٩٩٠٠١٠١١٢٣٤")
    assert "数字" in exc.value.messages[0]


def test_full_width_digits_are_normalised_and_other_scripts_rejected():
    assert validate_mobile("１３８１２３４５６７８") == "13812345678"
    with pytest.raises(ValidationError):
        validate_mobile("13٩٠٠٠٠٠٠٠١")
