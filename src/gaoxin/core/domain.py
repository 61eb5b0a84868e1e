"""Pure cleaning of registry input, shared by services, forms, API and imports.

Each `clean_*` takes raw user values and returns model field values plus
per-field Chinese errors, without touching the database beyond lookups, so
an import can validate 100,000 rows before writing any.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import crypto
from gaoxin.core.enums import JobType, PersonRole
from gaoxin.core.text import name_initials, name_pinyin
from gaoxin.core.validators import (
    validate_contact_phone,
    validate_id_number,
    validate_mobile,
    validate_uscc,
)


@dataclass
class Cleaned:
    values: dict = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _message(exc: ValidationError) -> str:
    return "；".join(str(m) for m in exc.messages)


def _text(raw: dict, key: str) -> str:
    value = raw.get(key)
    return "" if value is None else str(value).strip()


def _choice(raw: dict, key: str, choices, out: Cleaned, *, default: str = "") -> None:
    """Accept a choice by its code or by its Chinese label (what Excel users type)."""
    value = _text(raw, key)
    if not value:
        out.values[key] = default
        return
    by_label = {str(label): code for code, label in choices.choices}
    if value in choices.values:
        out.values[key] = value
    elif value in by_label:
        out.values[key] = by_label[value]
    else:
        out.errors[key] = _("“%(value)s”不是可选值，可选：%(options)s") % {
            "value": value,
            "options": "、".join(str(label) for label in choices.labels),
        }


def _name(raw: dict, key: str, out: Cleaned, *, label: str, max_length: int) -> None:
    value = _text(raw, key)
    if not value:
        out.errors[key] = _("请填写%(label)s") % {"label": label}
    elif len(value) > max_length:
        out.errors[key] = _("%(label)s不能超过 %(n)d 个字") % {"label": label, "n": max_length}
    out.values[key] = value


def clean_enterprise(raw: dict, *, partial: bool = False) -> Cleaned:
    """Clean enterprise input; with partial=True only the keys present are checked."""
    out = Cleaned()
    if not partial or "name" in raw:
        _name(raw, "name", out, label=_("企业名称"), max_length=100)
        out.values["name_initials"] = name_initials(out.values["name"])
    if not partial or "uscc" in raw:
        try:
            out.values["uscc"] = validate_uscc(_text(raw, "uscc"))
        except ValidationError as exc:
            out.errors["uscc"] = _message(exc)
    for key, limit in (("industry", 40), ("address", 200), ("contact_name", 40)):
        if not partial or key in raw:
            value = _text(raw, key)
            if len(value) > limit:
                out.errors[key] = _("不能超过 %(n)d 个字") % {"n": limit}
            out.values[key] = value
    if not partial or "contact_phone" in raw:
        phone = _text(raw, "contact_phone")
        if phone:
            try:
                phone = validate_contact_phone(phone)
            except ValidationError as exc:
                out.errors["contact_phone"] = _message(exc)
        out.values["contact_phone_cipher"] = crypto.encrypt(phone)
        out.values["contact_phone_masked"] = crypto.mask_phone(phone)
    if not partial or "is_new_economy" in raw:
        out.values["is_new_economy"] = parse_bool(raw.get("is_new_economy"), out, "is_new_economy")
    return out


# Every date and time a user can type lies in these days (local time, Asia/Shanghai).
# Outside them a value is a typo or a probe: year 1 or 9999 would overflow the
# calendar arithmetic, and before 1901 Asia/Shanghai is local mean time (+08:05:43).
MIN_DAY = dt.date(1901, 1, 1)
MAX_DAY = dt.date(2100, 12, 31)


def day_in_range(value: dt.date) -> bool:
    if isinstance(value, dt.datetime):
        return moment_in_range(value)
    return MIN_DAY <= value <= MAX_DAY


def moment_in_range(value: dt.datetime) -> bool:
    """The local (Asia/Shanghai) day of this moment is within MIN_DAY..MAX_DAY."""
    if not MIN_DAY.year - 1 <= value.year <= MAX_DAY.year + 1:  # before any zone arithmetic
        return False
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return MIN_DAY <= value.date() <= MAX_DAY


def day_range_message() -> str:
    return _("应在 %(min)s 至 %(max)s 之间") % {"min": MIN_DAY.isoformat(), "max": MAX_DAY.isoformat()}


TRUE_WORDS = {"1", "true", "yes", "y", "是", "√", "✓", "对"}
FALSE_WORDS = {"", "0", "false", "no", "n", "否", "×", "none"}


def parse_bool(value, out: Cleaned, key: str) -> bool:
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text not in FALSE_WORDS:
        out.errors[key] = _("请填写“是”或“否”")
    return False


def clean_person(raw: dict, *, partial: bool = False) -> Cleaned:
    """Clean person input. ID and phone become ciphertext, blind index and mask."""
    out = Cleaned()
    if not partial or "name" in raw:
        _name(raw, "name", out, label=_("姓名"), max_length=40)
        out.values["name_pinyin"] = name_pinyin(out.values["name"])
        out.values["name_initials"] = name_initials(out.values["name"])
    if not partial or "id_number" in raw:
        number = _text(raw, "id_number")
        out.values.update(id_number_cipher="", id_number_hash="", id_number_masked="")
        if number:
            try:
                info = validate_id_number(number)
            except ValidationError as exc:
                out.errors["id_number"] = _message(exc)
            else:
                out.warnings.extend(info.warnings)
                out.values.update(
                    id_number_cipher=crypto.encrypt(info.number),
                    id_number_hash=crypto.blind_index("id", info.number),
                    id_number_masked=crypto.mask_id_number(info.number),
                    gender=info.gender,
                    birth_date=info.birth_date,
                )
    if not partial or "phone" in raw:
        phone = _text(raw, "phone")
        out.values.update(phone_cipher="", phone_hash="", phone_masked="")
        if phone:
            try:
                phone = validate_mobile(phone)
            except ValidationError as exc:
                out.errors["phone"] = _message(exc)
            else:
                out.values.update(
                    phone_cipher=crypto.encrypt(phone),
                    phone_hash=crypto.blind_index("phone", phone),
                    phone_masked=crypto.mask_phone(phone),
                )
    if not partial or "role" in raw:
        _choice(raw, "role", PersonRole, out, default=PersonRole.WORKER)
    if not partial or "job_type" in raw:
        _choice(raw, "job_type", JobType, out)
    return out


def person_plain(person) -> dict:
    """Decrypted identifiers of one person: only for audited reveal and export."""
    return {
        "id_number": crypto.decrypt(person.id_number_cipher),
        "phone": crypto.decrypt(person.phone_cipher),
    }
