"""The one cleaning layer: raw input (a form, a JSON body, an Excel row) →
field values plus per-field Chinese errors that name the field.

Every program cleans with these, so the same mistake reads the same
everywhere: a blank 驿站名称 is "请填写驿站名称" on the page, in the API and
in an Excel import. Programs keep only their own rules (a budget that must
cover the stock, an age range) in their `domain` modules.

    c = Cleaner(raw, partial=partial)
    c.text("name", label=_("企业名称"), max_length=100)
    c.integer("capacity", label=_("可容纳人数"), low=1, high=1000, default=10)
    return c.out  # a Cleaned: values, errors, warnings

With partial=True (updates) only the keys present in `raw` are cleaned.
Nothing here touches the database, so an import can clean 100,000 rows
before writing any.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ValidationError as PydanticValidationError
from pydantic import model_validator
from pydantic_core import PydanticCustomError

from gaoxin.core.validators import (
    IdNumberInfo,
    normalize_id_number,
    validate_contact_phone,
    validate_id_number,
    validate_mobile,
    validate_uscc,
)

# Every date and time a user can type lies in these days (local time, Asia/Shanghai).
# Outside them a value is a typo or a probe: year 1 or 9999 would overflow the
# calendar arithmetic, and before 1901 Asia/Shanghai is local mean time (+08:05:43).
MIN_DAY = dt.date(1901, 1, 1)
MAX_DAY = dt.date(2100, 12, 31)

TRUE_WORDS = {"1", "true", "yes", "y", "是", "√", "✓", "对"}
FALSE_WORDS = {"", "0", "false", "no", "n", "否", "×", "none"}


@dataclass
class Cleaned:
    values: dict = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- the words


def required_message(label) -> str:
    return _("请填写%(label)s") % {"label": label}


def too_long_message(label, n) -> str:
    return _("%(label)s不能超过 %(n)s 个字") % {"label": label, "n": n}


def too_short_message(label, n) -> str:
    return _("%(label)s不能少于 %(n)s 个字") % {"label": label, "n": n}


def not_integer_message(label) -> str:
    return _("%(label)s应为整数") % {"label": label}


def range_message(label, low, high) -> str:
    return _("%(label)s应在 %(low)s 到 %(high)s 之间") % {"label": label, "low": low, "high": high}


def choice_message(label, value, choices) -> str:
    options = "、".join(str(x) for x in choices.labels)
    if value:
        return _("%(label)s“%(value)s”不是可选值，可选：%(options)s") % {
            "label": label,
            "value": value,
            "options": options,
        }
    return _("请选择%(label)s，可选：%(options)s") % {"label": label, "options": options}


def day_format_message(label) -> str:
    return _("%(label)s格式应为 YYYY-MM-DD") % {"label": label}


def moment_format_message(label) -> str:
    return _("%(label)s格式应为 YYYY-MM-DD HH:MM") % {"label": label}


def day_range_message(label="") -> str:
    return _("%(label)s应在 %(min)s 至 %(max)s 之间") % {
        "label": label,
        "min": MIN_DAY.isoformat(),
        "max": MAX_DAY.isoformat(),
    }


def bool_message(label) -> str:
    return _("%(label)s请填写“是”或“否”") % {"label": label}


def validation_message(exc: ValidationError) -> str:
    return "；".join(str(m) for m in exc.messages)


# ----------------------------------------------------------- value parsing


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value) -> str:
    return "" if value is None else str(value).strip()


def moment_in_range(value: dt.datetime) -> bool:
    """The local (Asia/Shanghai) day of this moment is within MIN_DAY..MAX_DAY."""
    if not MIN_DAY.year - 1 <= value.year <= MAX_DAY.year + 1:  # before any zone arithmetic
        return False
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return MIN_DAY <= value.date() <= MAX_DAY


def day_in_range(value: dt.date) -> bool:
    if isinstance(value, dt.datetime):
        return moment_in_range(value)
    return MIN_DAY <= value <= MAX_DAY


def parse_bool(value, out: Cleaned, key: str, *, label="") -> bool:
    if isinstance(value, bool):
        return value
    text = as_text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text not in FALSE_WORDS:
        out.errors[key] = bool_message(label)
    return False


def parse_yuan(raw) -> int:
    """ "35", "35.5", "1,234.56" (yuan) → integer fen; ValueError with a Chinese reason."""
    text = as_text(raw).replace(",", "").replace("，", "").removesuffix("元")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("请输入金额，如 35 或 35.50")) from None
    if not value.is_finite() or value.as_tuple().exponent < -2:
        raise ValueError(_("金额最多精确到分（两位小数）"))
    return int(value * 100)


_DAY_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{4})(\d{2})(\d{2})")


def parse_day_text(text: str) -> dt.date | None:
    """ "2024-07-15", "2024/7/15", "2024.07.15", "20240715" → a date; None when it
    does not look like one; ValueError for a day the calendar lacks (2月30日)."""
    text = text.strip().replace("/", "-").replace(".", "-")
    match = _DAY_RE.fullmatch(text)
    if not match:
        return None
    return dt.date(*(int(p) for p in match.groups() if p is not None))


# ----------------------------------------------------------------- cleaner

_UNSET = object()


class Cleaner:
    """Cleans one record's raw values into `out` (a Cleaned).

    Each method reads `raw[key]` (or `value=` when the caller already has it),
    records a value or a message named by `label`, and returns the value
    (None when blank or wrong). With partial=True a key absent from `raw` is
    skipped (returns None, records nothing).
    """

    def __init__(self, raw: dict, *, partial: bool = False, out: Cleaned | None = None):
        self.raw, self.partial = raw, partial
        self.out = out if out is not None else Cleaned()

    @property
    def values(self) -> dict:
        return self.out.values

    @property
    def errors(self) -> dict[str, str]:
        return self.out.errors

    def wanted(self, key: str) -> bool:
        return not self.partial or key in self.raw

    def _take(self, key: str, value):
        return self.raw.get(key) if value is _UNSET else value

    def _given(self, key: str, value, *, label, required: bool, default=None):
        """The raw value to clean, or _UNSET when there is nothing to clean (skipped by
        partial, or blank: then a required field's message or `default` is recorded)."""
        if not self.wanted(key) and value is _UNSET:
            return _UNSET
        raw = self._take(key, value)
        if not blank(raw):
            return raw
        if required:
            self.error(key, required_message(label))
        else:
            self.values[key] = default
        return _UNSET

    def error(self, key: str, message: str) -> None:
        """The first message for a field wins."""
        self.out.errors.setdefault(key, message)

    # text ---------------------------------------------------------------

    def text(
        self, key: str, *, label, max_length: int, required: bool = True, value=_UNSET
    ) -> str | None:
        """Stripped text (always recorded, "" when blank, so derived values can use it)."""
        if not self.wanted(key) and value is _UNSET:
            return None
        text = as_text(self._take(key, value))
        if required and not text:
            self.error(key, required_message(label))
        elif len(text) > max_length:
            self.error(key, too_long_message(label, max_length))
        self.values[key] = text
        return text

    # numbers ------------------------------------------------------------

    def integer(
        self,
        key: str,
        *,
        label,
        low: int,
        high: int,
        required: bool = True,
        default=None,
        value=_UNSET,
    ) -> int | None:
        """A whole number within low..high; `default` (recorded) when blank and not required."""
        raw = self._given(key, value, label=label, required=required, default=default)
        if raw is _UNSET:
            return self.values.get(key) if self.wanted(key) or value is not _UNSET else None
        if isinstance(raw, bool) or isinstance(raw, float) and not raw.is_integer():
            self.error(key, not_integer_message(label))
            return None
        try:
            number = int(as_text(raw)) if isinstance(raw, str) else int(raw)
        except (TypeError, ValueError, OverflowError):
            self.error(key, not_integer_message(label))
            return None
        if not low <= number <= high:
            self.error(key, range_message(label, low, high))
            return None
        self.values[key] = number
        return number

    def money(
        self, key: str, *, label, low: int, high: int, required: bool = True, value=_UNSET
    ) -> int | None:
        """Yuan as typed ("35.50", "1,234元") → fen within low..high fen."""
        raw = self._given(key, value, label=label, required=required)
        if raw is _UNSET:
            return None
        try:
            fen = parse_yuan(raw)
        except ValueError as exc:
            self.error(key, f"{label}：{exc}")
            return None
        if not low <= fen <= high:
            self.error(key, range_message(label, f"{low / 100:g} 元", f"{high / 100:g} 元"))
            return None
        self.values[key] = fen
        return fen

    # choices ------------------------------------------------------------

    def choice(
        self, key: str, choices, *, label, default: str | None = "", value=_UNSET
    ) -> str | None:
        """A choice by its code or by its Chinese label (what Excel users type).

        Blank takes `default`; default=None makes the choice required.
        """
        if not self.wanted(key) and value is _UNSET:
            return None
        text = as_text(self._take(key, value))
        if not text and default is not None:
            self.values[key] = default
            return default
        by_label = {str(lbl): code for code, lbl in choices.choices}
        if text in choices.values:
            code = text
        elif text in by_label:
            code = by_label[text]
        else:
            self.error(key, choice_message(label, text, choices))
            return None
        self.values[key] = code
        return code

    def boolean(self, key: str, *, label, default: bool = False, value=_UNSET) -> bool | None:
        if not self.wanted(key) and value is _UNSET:
            return None
        raw = self._take(key, value)
        if key not in self.raw and value is _UNSET:
            raw = default
        self.values[key] = parse_bool(raw, self.out, key, label=label)
        return self.values[key]

    # days and times -----------------------------------------------------

    def day(self, key: str, *, label, required: bool = True, value=_UNSET) -> dt.date | None:
        """A date within MIN_DAY..MAX_DAY from a date or text ("2024-07-15", "2024/7/15")."""
        raw = self._given(key, value, label=label, required=required)
        if raw is _UNSET:
            return None
        if isinstance(raw, dt.datetime):
            raw = raw.date()
        try:
            day = raw if isinstance(raw, dt.date) else parse_day_text(str(raw))
        except ValueError:
            self.error(key, _("%(label)s不是有效的日期") % {"label": label})
            return None
        if day is None:
            self.error(key, day_format_message(label))
            return None
        if not day_in_range(day):
            self.error(key, day_range_message(label))
            return None
        self.values[key] = day
        return day

    def moment(
        self, key: str, *, label, required: bool = True, within=None, value=_UNSET
    ) -> dt.datetime | None:
        """An aware datetime from a datetime, a date or ISO text ("2024-07-15 08:30",
        what <input type=datetime-local> sends); a time without a zone is local
        (Asia/Shanghai). `within` = (first_year, last_year, message) narrows the
        accepted years; otherwise MIN_DAY..MAX_DAY."""
        raw = self._given(key, value, label=label, required=required)
        if raw is _UNSET:
            return None
        parsed = raw
        if isinstance(raw, str):
            try:
                parsed = dt.datetime.fromisoformat(raw.strip().replace(" ", "T", 1))
            except ValueError:
                parsed = None
        elif isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
            parsed = dt.datetime.combine(raw, dt.time())
        if not isinstance(parsed, dt.datetime):
            self.error(key, moment_format_message(label))
            return None
        if within is not None:
            first, last, message = within
            ok = first <= parsed.year <= last  # before any zone arithmetic
            if ok and timezone.is_aware(parsed):
                ok = first <= timezone.localtime(parsed).year <= last
        else:
            ok, message = moment_in_range(parsed), day_range_message(label)
        if not ok:
            self.error(key, message)
            return None
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        self.values[key] = parsed
        return parsed

    # identifiers --------------------------------------------------------

    def credit_code(self, key: str = "uscc", *, value=_UNSET) -> str | None:
        """统一社会信用代码 (GB 32100), normalised; required."""
        if not self.wanted(key) and value is _UNSET:
            return None
        try:
            code = validate_uscc(as_text(self._take(key, value)))
        except ValidationError as exc:
            self.error(key, validation_message(exc))
            self.values[key] = as_text(self._take(key, value))
            return None
        self.values[key] = code
        return code

    def id_number(
        self, key: str = "id_number", *, label=None, required: bool = False, value=_UNSET
    ) -> IdNumberInfo | None:
        """居民身份证号 (GB 11643): its info (number, birth date, gender), or None when
        blank or wrong. Records nothing in values: callers store it encrypted."""
        if not self.wanted(key) and value is _UNSET:
            return None
        number = normalize_id_number(as_text(self._take(key, value)))
        if not number:
            if required:
                self.error(key, required_message(label or _("身份证号")))
            return None
        try:
            info = validate_id_number(number)
        except ValidationError as exc:
            self.error(key, validation_message(exc))
            return None
        self.out.warnings.extend(info.warnings)
        return info

    def phone(
        self, key: str, *, label, mobile: bool = True, required: bool = False, value=_UNSET
    ) -> str | None:
        """A mobile number (or, mobile=False, a mobile or landline), normalised;
        "" when blank, None when wrong. Records nothing: callers store it encrypted."""
        if not self.wanted(key) and value is _UNSET:
            return None
        text = as_text(self._take(key, value))
        if not text:
            if required:
                self.error(key, required_message(label))
                return None
            return ""
        try:
            return validate_mobile(text) if mobile else validate_contact_phone(text)
        except ValidationError as exc:
            self.error(key, validation_message(exc))
            return None


# ------------------------------------------------- API schemas, same words


def field_label(model, loc) -> str:
    """The Chinese label (pydantic `Field(title=…)`) of the schema field at `loc`."""
    info = model.model_fields.get(str(loc[0])) if loc else None
    return (info.title or "") if info is not None else ""


class LabelledSchema(Schema):
    """An API input schema whose errors carry each field's label (`Field(title=…)`)
    in their context, so the API's error handler says "请填写驿站名称" for a
    missing name, as the page and the Excel import do."""

    @model_validator(mode="wrap")
    @classmethod
    def _label_errors(cls, data, handler):
        try:
            return handler(data)
        except PydanticValidationError as exc:
            details = []
            for err in exc.errors(include_url=False):
                ctx = dict(err.get("ctx") or {})
                label = field_label(cls, err["loc"])
                if label and "label" not in ctx:
                    ctx["label"] = label
                template = err["msg"].replace("{", "{{").replace("}", "}}")
                details.append(
                    {
                        "type": PydanticCustomError(err["type"], template, ctx or None),
                        "loc": err["loc"],
                        "input": err.get("input"),
                    }
                )
            raise PydanticValidationError.from_exception_data(exc.title, details) from None
