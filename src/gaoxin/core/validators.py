"""Checks for Chinese identifiers, with specific Chinese messages.

python-stdnum does the USCC check-character arithmetic. For 居民身份证号 we
compute the GB 11643 check digit ourselves: stdnum's `cn.ric` rejects real
people whose county code is newer than its table (e.g. 441204 高要区) and can
raise KeyError, so its table is consulted only for a warning.
"""

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc as stdnum_uscc

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_AUTHORITIES = "123456789ABCDEFGNY"
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
PROVINCE_CODES = {
    "11",
    "12",
    "13",
    "14",
    "15",
    "21",
    "22",
    "23",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "50",
    "51",
    "52",
    "53",
    "54",
    "61",
    "62",
    "63",
    "64",
    "65",
    "71",
    "81",
    "82",
    "83",
}
MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")
LANDLINE_RE = re.compile(r"^0[0-9]{2,3}-?[0-9]{7,8}$")


def normalize_uscc(value: str) -> str:
    return re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", value or "")).upper()


def validate_uscc(value: str) -> str:
    """Return the normalized 统一社会信用代码 or raise ValidationError in Chinese."""
    code = normalize_uscc(value)
    if not code:
        raise ValidationError(_("请填写统一社会信用代码"), code="required")
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为 18 位，当前为 %(n)d 位") % {"n": len(code)}, code="length"
        )
    bad = sorted({c for c in code if c not in USCC_ALPHABET})
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、Z、S、V）")
            % {"chars": "、".join(bad)},
            code="charset",
        )
    if code[0] not in USCC_AUTHORITIES:
        raise ValidationError(_("统一社会信用代码第 1 位（登记管理部门）无效"), code="authority")
    if not code[2:8].isdigit():
        raise ValidationError(
            _("统一社会信用代码第 3–8 位应为行政区划代码（6 位数字）"), code="region"
        )
    if stdnum_uscc.calc_check_digit(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码校验位错误"), code="checksum")
    return code


def uscc_check_char(first17: str) -> str:
    return stdnum_uscc.calc_check_digit(first17)


def id_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


@dataclass
class IdNumberInfo:
    number: str
    birth_date: dt.date
    gender: str  # "M" / "F"
    region_code: str
    warnings: list[str] = field(default_factory=list)


def normalize_id_number(value: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", value or "")).upper()


@functools.lru_cache(maxsize=8192)
def _region_known(region: str) -> bool | None:
    """Whether python-stdnum's (stale) table knows the county; None if it can't say."""
    try:
        from stdnum import numdb

        return any("county" in props for _, props in numdb.get("cn/loc").info(region))
    except Exception:  # a stale table or a library error must never reject a person
        return None


def validate_id_number(value: str, *, today: dt.date | None = None) -> IdNumberInfo:
    """Check a 居民身份证号 (GB 11643-1999); region problems are warnings only."""
    number = normalize_id_number(value)
    if not number:
        raise ValidationError(_("请填写身份证号"), code="required")
    if re.fullmatch(r"[0-9]{15}", number):
        raise ValidationError(_("15 位旧身份证号已停用，请填写 18 位身份证号"), code="length")
    if len(number) != 18:
        raise ValidationError(
            _("身份证号应为 18 位，当前为 %(n)d 位") % {"n": len(number)}, code="length"
        )
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        raise ValidationError(_("身份证号前 17 位应为数字，最后一位为数字或 X"), code="format")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号中的出生日期无效"), code="birth_date") from None
    today = today or dt.date.today()
    if birth > today or birth.year < 1900:
        raise ValidationError(_("身份证号中的出生日期无效"), code="birth_date")
    if id_check_digit(number[:17]) != number[17]:
        raise ValidationError(_("身份证号校验位错误"), code="checksum")
    warnings = []
    if number[:2] not in PROVINCE_CODES:
        warnings.append(_("身份证号前两位不是已知的省级行政区划代码，请核对"))
    elif _region_known(number[:6]) is False:
        warnings.append(_("身份证号前六位不在本地行政区划表中（可能是新设区县），已接受"))
    gender = "M" if int(number[16]) % 2 else "F"
    return IdNumberInfo(number, birth, gender, number[:6], warnings)


def normalize_phone(value: str) -> str:
    # NFKC turns full-width digits (１３８…, typed on Chinese keyboards) into ASCII
    value = re.sub(r"[\s()（）]", "", unicodedata.normalize("NFKC", value or ""))
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    return value


def validate_mobile(value: str) -> str:
    phone = normalize_phone(value)
    if not MOBILE_RE.match(phone):
        raise ValidationError(_("手机号码应为 11 位数字，以 1 开头"), code="mobile")
    return phone


def validate_contact_phone(value: str) -> str:
    """A firm's contact number: mobile or landline with area code."""
    phone = normalize_phone(value)
    if MOBILE_RE.match(phone) or LANDLINE_RE.match(phone):
        return phone
    raise ValidationError(
        _("联系电话应为 11 位手机号或带区号的固定电话（如 0758-2345678）"), code="phone"
    )
