"""Reads of the registry, already restricted to what the user may see."""

import re
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from gaoxin.core import crypto
from gaoxin.core.errors import NotFound
from gaoxin.core.models import User
from gaoxin.core.rules import require_perm, restrict_to_zone
from gaoxin.core.validators import normalize_id_number, normalize_phone
from gaoxin.registry.models import Department, Enterprise, Person

_ASCII_WORD = re.compile(r"^[a-zA-Z]+$")


def enterprises_for_user(
    *,
    user: User,
    zone_id: int | None = None,
    q: str = "",
    industry: str = "",
    is_new_economy: bool | None = None,
) -> QuerySet[Enterprise]:
    require_perm(user, "registry.view_enterprise")
    # "id" breaks ties between same-named firms so pages never skip or repeat one.
    qs = restrict_to_zone(Enterprise.objects.select_related("zone"), user).order_by(
        "zone_id", "name", "id"
    )
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(name_initials__contains=q.lower()) | Q(uscc=q.upper())
        )
    if industry:
        qs = qs.filter(industry=industry)
    if is_new_economy is not None:
        qs = qs.filter(is_new_economy=is_new_economy)
    return qs


def enterprise_get(*, user: User, enterprise_id: int) -> Enterprise:
    """Outside the user's zone a record is "not found" whatever their role;
    inside it, a missing view permission is "forbidden"."""
    enterprise = (
        restrict_to_zone(Enterprise.objects.select_related("zone"), user)
        .filter(pk=enterprise_id)
        .first()
    )
    if enterprise is None:
        raise NotFound()
    require_perm(user, "registry.view_enterprise")
    return enterprise


def full_identifier(q: str) -> str:
    """Which identifier `q` is, when it is a whole one: "id_number" (a 身份证号)
    or "phone" (a mobile number), which search matches exactly by blind index;
    else "". Such a search must not travel in a URL: URLs end up in access
    logs and Referer headers."""
    q = (q or "").strip()
    if re.fullmatch(r"1\d{10}", normalize_phone(q)):
        return "phone"
    if re.fullmatch(r"\d{17}[\dX]|\d{15}", normalize_id_number(q)):
        return "id_number"
    return ""


def person_search_q(q: str) -> Q:
    """Name, pinyin, initials; a full phone or ID number matches by blind index."""
    q = q.strip()
    phone = normalize_phone(q)
    if re.fullmatch(r"1\d{10}", phone):
        return Q(phone_hash=crypto.blind_index("phone", phone))
    number = normalize_id_number(q)
    if re.fullmatch(r"\d{17}[\dX]", number):
        return Q(id_number_hash=crypto.blind_index("id", number))
    cond = Q(name__icontains=q)
    if _ASCII_WORD.match(q):
        low = q.lower()
        cond |= Q(name_initials__contains=low) | Q(name_pinyin__startswith=low)
    return cond


def people_for_user(
    *,
    user: User,
    zone_id: int | None = None,
    q: str = "",
    employer_id: int | None = None,
    role: str = "",
    job_type: str = "",
) -> QuerySet[Person]:
    require_perm(user, "registry.view_person")
    qs = restrict_to_zone(Person.objects.select_related("zone", "employer"), user)
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    if q:
        qs = qs.filter(person_search_q(q))
    if employer_id:
        qs = qs.filter(employer_id=employer_id)
    if role:
        qs = qs.filter(role=role)
    if job_type:
        qs = qs.filter(job_type=job_type)
    return qs


def person_get(*, user: User, person_id: int) -> Person:
    """Not found outside the user's zone, forbidden without the view permission."""
    person = (
        restrict_to_zone(Person.objects.select_related("zone", "employer"), user)
        .filter(pk=person_id)
        .first()
    )
    if person is None:
        raise NotFound()
    require_perm(user, "registry.view_person")
    return person


def departments_for_user(*, user: User, zone_id: int | None = None) -> QuerySet[Department]:
    require_perm(user, "registry.view_department")
    qs = restrict_to_zone(Department.objects.select_related("zone"), user)
    return qs.filter(zone_id=zone_id) if zone_id else qs


# ------------------------------------------------------------- uniqueness rules
# The one place each "no two in a zone" rule is checked before writing (services,
# admin forms, Excel imports); the UniqueConstraints stay the last line of defence.


def department_name_taken(zone_id: int, name: str, *, exclude_pk: int | None = None) -> bool:
    """The one rule for department names: unique within a zone (the form asks it before
    the service does, so the back office shows it next to the field)."""
    return Department.objects.filter(zone_id=zone_id, name=name).exclude(pk=exclude_pk).exists()


def department_name_taken_message() -> str:
    return _("本园区已有同名部门")


def credit_code_taken_message() -> str:
    return _("本园区已登记该统一社会信用代码的企业")


def enterprise_credit_codes_taken(
    *, zone_id: int, codes: Iterable[str], exclude_id: int | None = None
) -> set[str]:
    """Which of these 统一社会信用代码 an enterprise of the zone already has."""
    codes, taken = list(dict.fromkeys(c for c in codes if c)), set()
    for start in range(0, len(codes), 500):
        qs = Enterprise.objects.filter(zone_id=zone_id, uscc__in=codes[start : start + 500])
        if exclude_id:
            qs = qs.exclude(pk=exclude_id)
        taken.update(qs.values_list("uscc", flat=True))
    return taken


def id_number_taken_message() -> str:
    return _("本园区已登记该身份证号")


def phone_taken_message() -> str:
    return _("本园区已有人员使用该手机号码")


def person_identifiers_taken(
    *, zone_id: int, values: dict, exclude_id: int | None = None
) -> dict[str, str]:
    """Field errors for a person's 身份证号 / 手机号码 (blind indexes in `values`)
    already registered to someone else in the zone."""
    others = Person.objects.filter(zone_id=zone_id)
    if exclude_id:
        others = others.exclude(pk=exclude_id)
    errors = {}
    if (
        values.get("id_number_hash")
        and others.filter(id_number_hash=values["id_number_hash"]).exists()
    ):
        errors["id_number"] = id_number_taken_message()
    if values.get("phone_hash") and others.filter(phone_hash=values["phone_hash"]).exists():
        errors["phone"] = phone_taken_message()
    return errors
