"""Pure cleaning of registry input, shared by services, forms, API and imports.

Each `clean_*` takes raw user values and returns model field values plus
per-field Chinese errors, without touching the database beyond lookups, so
an import can validate 100,000 rows before writing any.
"""

from django.utils.translation import gettext as _

from gaoxin.core import crypto
from gaoxin.core.cleaning import Cleaned, Cleaner
from gaoxin.core.enums import JobType, PersonRole
from gaoxin.core.text import name_initials, name_pinyin


def clean_enterprise(raw: dict, *, partial: bool = False) -> Cleaned:
    """Clean enterprise input; with partial=True only the keys present are checked."""
    c = Cleaner(raw, partial=partial)
    name = c.text("name", label=_("企业名称"), max_length=100)
    if name is not None:
        c.values["name_initials"] = name_initials(name)
    c.credit_code("uscc")
    c.text("industry", label=_("行业"), max_length=40, required=False)
    c.text("address", label=_("地址"), max_length=200, required=False)
    c.text("contact_name", label=_("联系人"), max_length=40, required=False)
    phone = c.phone("contact_phone", label=_("联系电话"), mobile=False)
    if c.wanted("contact_phone"):
        phone = phone or ""
        c.values["contact_phone_cipher"] = crypto.encrypt(phone)
        c.values["contact_phone_masked"] = crypto.mask_phone(phone)
    c.boolean("is_new_economy", label=_("新业态企业"))
    return c.out


def clean_person(raw: dict, *, partial: bool = False) -> Cleaned:
    """Clean person input. ID and phone become ciphertext, blind index and mask."""
    c = Cleaner(raw, partial=partial)
    name = c.text("name", label=_("姓名"), max_length=40)
    if name is not None:
        c.values.update(name_pinyin=name_pinyin(name), name_initials=name_initials(name))
    if c.wanted("id_number"):
        c.values.update(id_number_cipher="", id_number_hash="", id_number_masked="")
        info = c.id_number("id_number")
        if info is not None:
            c.values.update(
                id_number_cipher=crypto.encrypt(info.number),
                id_number_hash=crypto.blind_index("id", info.number),
                id_number_masked=crypto.mask_id_number(info.number),
                gender=info.gender,
                birth_date=info.birth_date,
            )
    if c.wanted("phone"):
        c.values.update(phone_cipher="", phone_hash="", phone_masked="")
        phone = c.phone("phone", label=_("手机号码"))
        if phone:
            c.values.update(
                phone_cipher=crypto.encrypt(phone),
                phone_hash=crypto.blind_index("phone", phone),
                phone_masked=crypto.mask_phone(phone),
            )
    c.choice("role", PersonRole, label=_("身份"), default=PersonRole.WORKER)
    c.choice("job_type", JobType, label=_("职业类型"))
    return c.out


def person_plain(person) -> dict:
    """Decrypted identifiers of one person: only for audited reveal and export."""
    return {
        "id_number": crypto.decrypt(person.id_number_cipher),
        "phone": crypto.decrypt(person.phone_cipher),
    }
