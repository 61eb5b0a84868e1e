"""Every write to the registry: checks, writes and the audit entry, in one transaction."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import auth, crypto, throttle
from gaoxin.core.audit import Change, audit_record, audit_record_many
from gaoxin.core.domain import clean_enterprise, clean_person, person_plain
from gaoxin.core.enums import AuditAction, DepartmentKind
from gaoxin.core.errors import Conflict, Forbidden, InvalidInput
from gaoxin.core.models import ApiToken, Department, Enterprise, Person, User, Zone
from gaoxin.core.rules import require

ENTERPRISE_AUDIT_FIELDS = ["name", "uscc", "industry", "address", "contact_name",
                           "contact_phone_masked", "is_new_economy"]  # fmt: skip
PERSON_AUDIT_FIELDS = ["name", "id_number_masked", "id_number_hash", "phone_masked",
                       "phone_hash", "gender", "role", "job_type", "employer_id"]  # fmt: skip


def snapshot(obj, fields: list[str]) -> dict:
    """Audit view of a record. Hashes are shortened: enough to see that an
    identifier changed, never enough to recover it."""
    data = {}
    for name in fields:
        value = getattr(obj, name)
        if name.endswith("_hash") and value:
            value = value[:12]
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def _raise_if_errors(errors: dict) -> None:
    if errors:
        raise InvalidInput(errors)


# ---------------------------------------------------------------- zones & users


def zone_create(*, actor: User | None, code: str, name: str, province: str, city: str) -> Zone:
    with transaction.atomic():
        zone = Zone.objects.create(code=code, name=name, province=province, city=city)
        audit_record(zone=zone, actor=actor, action=AuditAction.CREATE, obj=zone,
                     after={"code": code, "name": name, "province": province, "city": city})  # fmt: skip
    return zone


def user_create(
    *, actor: User | None, username: str, password: str, zone: Zone | None, roles: list[str],
    display_name: str = "", person: Person | None = None, is_superuser: bool = False,
    password_hash: str = "",
) -> User:  # fmt: skip
    """Create a login. `password_hash` lets a loader hash one shared password once."""
    from gaoxin.core.roles import STAFF_ROLES

    with transaction.atomic():
        user = User(username=username, zone=zone, display_name=display_name, person=person,
                    is_superuser=is_superuser,
                    is_staff=is_superuser or any(r in STAFF_ROLES for r in roles))  # fmt: skip
        if password_hash:
            user.password = password_hash
        else:
            user.set_password(password)
        user.save()
        user.groups.set(Group.objects.filter(name__in=roles))
        audit_record(zone=zone, actor=actor, action=AuditAction.CREATE, obj=user,
                     after={"username": username, "roles": sorted(roles),
                            "zone": zone.pk if zone else None})  # fmt: skip
    return user


def api_token_issue(*, user: User) -> str:
    """A new bearer token; only its hash is stored, so it is shown once."""
    import hashlib

    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        key_hash=hashlib.sha256(raw.encode()).hexdigest(),
        expires_at=timezone.now() + timedelta(seconds=settings.GAOXIN_TOKEN_TTL),
    )
    return raw


def _person_phone(user: User) -> str:
    try:
        return crypto.decrypt(user.person.phone_cipher) if user.person.phone_cipher else ""
    except ValueError:  # encrypted under another key: the tail check is skipped, nothing else
        return ""


def user_pin_set(*, user: User, pin: str, current_pin: str = "", actor: User | None) -> User:
    """Set or change a worker's 6-digit PIN, their password for logging in with
    their phone number. Changing needs the current PIN; wrong current PINs count
    towards the same lockout as failed logins (a borrowed phone's open session
    must not be enough to take the account over). The audit entry says that a
    PIN was set or changed, never the PIN or its hash. Other sessions of the
    account end (Django ties sessions to the password); the caller keeps its own
    with `update_session_auth_hash`.
    """
    if not auth.pin_allowed(user):
        raise Forbidden(_("只有劳动者账号可以设置数字密码"))
    had_pin = user.has_usable_password()
    errors = {}
    if had_pin:
        key = throttle.key("pin-change", str(user.pk))
        limits = {"limit": auth.LOGIN_FAILURE_LIMIT, "window": auth.LOGIN_LOCKOUT}
        if throttle.blocked(key, **limits):
            raise InvalidInput({"current_pin": auth.lockout_message()})
        if not user.check_password(auth.pin_normalize(current_pin)):
            throttle.hit(key, **limits)
            errors["current_pin"] = _("请填写当前密码") if not current_pin else _("当前密码不正确")
    pin = auth.pin_normalize(pin)
    problem = auth.pin_problem(pin, phone=_person_phone(user))
    if problem:
        errors["pin"] = problem
    _raise_if_errors(errors)
    with transaction.atomic():
        user.set_password(pin)
        user.save(update_fields=["password"])
        audit_record(zone=user.zone_id, actor=actor, action=AuditAction.UPDATE, obj=user,
                     before={"pin_set": had_pin}, after={"pin_set": True},
                     note=_("修改了数字密码") if had_pin else _("设置了数字密码"))  # fmt: skip
    return user


# ------------------------------------------------------------------ enterprises


def _check_uscc_free(zone_id: int, uscc: str, exclude_pk: int | None = None) -> None:
    qs = Enterprise.objects.filter(zone_id=zone_id, uscc=uscc)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise InvalidInput({"uscc": _("本园区已登记该统一社会信用代码的企业")})


def enterprise_create(*, actor: User | None, zone: Zone, data: dict) -> Enterprise:
    if actor is not None:
        require(actor, "core.add_enterprise", zone_id=zone.pk)
    cleaned = clean_enterprise(data)
    _raise_if_errors(cleaned.errors)
    with transaction.atomic():
        _check_uscc_free(zone.pk, cleaned.values["uscc"])
        try:
            with transaction.atomic():
                enterprise = Enterprise.objects.create(zone=zone, **cleaned.values)
        except IntegrityError:  # lost a race with the same code
            raise InvalidInput({"uscc": _("本园区已登记该统一社会信用代码的企业")}) from None
        audit_record(zone=zone, actor=actor, action=AuditAction.CREATE, obj=enterprise,
                     after=snapshot(enterprise, ENTERPRISE_AUDIT_FIELDS))  # fmt: skip
    return enterprise


def enterprise_update(*, actor: User | None, enterprise: Enterprise, data: dict) -> Enterprise:
    if actor is not None:
        require(actor, "core.change_enterprise", zone_id=enterprise.zone_id)
    cleaned = clean_enterprise(data, partial=True)
    _raise_if_errors(cleaned.errors)
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        before = snapshot(enterprise, ENTERPRISE_AUDIT_FIELDS)
        if "uscc" in cleaned.values:
            _check_uscc_free(enterprise.zone_id, cleaned.values["uscc"], exclude_pk=enterprise.pk)
        for key, value in cleaned.values.items():
            setattr(enterprise, key, value)
        enterprise.save()
        after = snapshot(enterprise, ENTERPRISE_AUDIT_FIELDS)
        if before != after:
            audit_record(zone=enterprise.zone_id, actor=actor, action=AuditAction.UPDATE,
                         obj=enterprise, before=before, after=after)  # fmt: skip
    return enterprise


def enterprise_delete(*, actor: User | None, enterprise: Enterprise) -> None:
    if actor is not None:
        require(actor, "core.delete_enterprise", zone_id=enterprise.zone_id)
    with transaction.atomic():
        before = snapshot(enterprise, ENTERPRISE_AUDIT_FIELDS)
        audit_record(zone=enterprise.zone_id, actor=actor, action=AuditAction.DELETE,
                     obj=enterprise, before=before)  # fmt: skip
        # people employed there lose their employer: that is a change to them too
        audit_record_many(zone=enterprise.zone_id, actor=actor, changes=[
            Change(action=AuditAction.UPDATE, object_type="core.Person", object_id=str(pk),
                   object_repr=name, before={"employer_id": enterprise.pk}, after={"employer_id": None},
                   note=_("所在企业已删除"))
            for pk, name in Person.objects.filter(employer=enterprise).values_list("pk", "name")
        ])  # fmt: skip
        enterprise.delete()


# ----------------------------------------------------------------------- people


def _check_person_unique(zone_id: int, values: dict, exclude_pk: int | None = None) -> None:
    errors = {}
    others = Person.objects.filter(zone_id=zone_id)
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    if (
        values.get("id_number_hash")
        and others.filter(id_number_hash=values["id_number_hash"]).exists()
    ):
        errors["id_number"] = _("本园区已登记该身份证号")
    if values.get("phone_hash") and others.filter(phone_hash=values["phone_hash"]).exists():
        errors["phone"] = _("本园区已有人员使用该手机号码")
    _raise_if_errors(errors)


def _resolve_employer(zone_id: int, data: dict, values: dict) -> None:
    if "employer" not in data and "employer_id" not in data:
        return
    employer = data.get("employer", data.get("employer_id"))
    if employer in (None, "", 0):
        values["employer"] = None
        return
    employer_id = employer.pk if isinstance(employer, Enterprise) else employer
    found = Enterprise.objects.filter(zone_id=zone_id, pk=employer_id).first()
    if found is None:
        raise InvalidInput({"employer": _("所在企业不存在或不属于本园区")})
    values["employer"] = found


def person_create(*, actor: User | None, zone: Zone, data: dict) -> Person:
    if actor is not None:
        require(actor, "core.add_person", zone_id=zone.pk)
    cleaned = clean_person(data)
    _raise_if_errors(cleaned.errors)
    values = dict(cleaned.values)
    _resolve_employer(zone.pk, data, values)
    with transaction.atomic():
        _check_person_unique(zone.pk, values)
        try:
            with transaction.atomic():
                person = Person.objects.create(zone=zone, **values)
        except IntegrityError:
            raise Conflict(_("该人员刚刚已被登记，请刷新后查看"), code="duplicate") from None
        audit_record(zone=zone, actor=actor, action=AuditAction.CREATE, obj=person,
                     after=snapshot(person, PERSON_AUDIT_FIELDS),
                     note="；".join(cleaned.warnings))  # fmt: skip
    person.warnings = cleaned.warnings
    return person


def person_update(*, actor: User | None, person: Person, data: dict) -> Person:
    if actor is not None:
        require(actor, "core.change_person", zone_id=person.zone_id)
    cleaned = clean_person(data, partial=True)
    _raise_if_errors(cleaned.errors)
    values = dict(cleaned.values)
    _resolve_employer(person.zone_id, data, values)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        before = snapshot(person, PERSON_AUDIT_FIELDS)
        _check_person_unique(person.zone_id, values, exclude_pk=person.pk)
        for key, value in values.items():
            setattr(person, key, value)
        person.save()
        after = snapshot(person, PERSON_AUDIT_FIELDS)
        if before != after:
            audit_record(zone=person.zone_id, actor=actor, action=AuditAction.UPDATE, obj=person,
                         before=before, after=after, note="；".join(cleaned.warnings))  # fmt: skip
    person.warnings = cleaned.warnings
    return person


def person_delete(*, actor: User | None, person: Person) -> None:
    if actor is not None:
        require(actor, "core.delete_person", zone_id=person.zone_id)
    with transaction.atomic():
        audit_record(zone=person.zone_id, actor=actor, action=AuditAction.DELETE, obj=person,
                     before=snapshot(person, PERSON_AUDIT_FIELDS))  # fmt: skip
        person.delete()


def person_reveal(*, actor: User, person: Person, reason: str = "") -> dict:
    """Full ID and phone of one person. Audited before anything is returned."""
    require(actor, "core.reveal_person", zone_id=person.zone_id)
    if not actor.has_perm("core.reveal_person"):
        raise Forbidden(_("您没有查看完整个人信息的权限"))
    with transaction.atomic():
        audit_record(zone=person.zone_id, actor=actor, action=AuditAction.REVEAL, obj=person,
                     note=reason or _("查看完整身份证号和手机号"))  # fmt: skip
    return person_plain(person)


# ------------------------------------------------------------------ departments


def department_create(*, actor: User | None, zone: Zone, name: str, kind: str = DepartmentKind.OTHER,
                      contact_name: str = "") -> Department:  # fmt: skip
    if actor is not None:
        require(actor, "core.add_department", zone_id=zone.pk)
    if not name.strip():
        raise InvalidInput({"name": _("请填写部门名称")})
    if kind not in DepartmentKind.values:
        raise InvalidInput({"kind": _("部门类别无效")})
    with transaction.atomic():
        if Department.objects.filter(zone=zone, name=name.strip()).exists():
            raise InvalidInput({"name": _("本园区已有同名部门")})
        department = Department.objects.create(zone=zone, name=name.strip(), kind=kind,
                                               contact_name=contact_name)  # fmt: skip
        audit_record(zone=zone, actor=actor, action=AuditAction.CREATE, obj=department,
                     after={"name": department.name, "kind": kind, "contact_name": contact_name})  # fmt: skip
    return department


DEPARTMENT_AUDIT_FIELDS = ["name", "kind", "contact_name"]


def department_update(*, actor: User | None, department: Department, data: dict) -> Department:
    if actor is not None:
        require(actor, "core.change_department", zone_id=department.zone_id)
    errors = {}
    name = str(data.get("name", department.name)).strip()
    kind = data.get("kind", department.kind)
    if not name:
        errors["name"] = _("请填写部门名称")
    if kind not in DepartmentKind.values:
        errors["kind"] = _("部门类别无效")
    _raise_if_errors(errors)
    with transaction.atomic():
        department = Department.objects.select_for_update().get(pk=department.pk)
        if (
            Department.objects.filter(zone_id=department.zone_id, name=name)
            .exclude(pk=department.pk)
            .exists()
        ):
            raise InvalidInput({"name": _("本园区已有同名部门")})
        before = snapshot(department, DEPARTMENT_AUDIT_FIELDS)
        department.name, department.kind = name, kind
        department.contact_name = str(data.get("contact_name", department.contact_name)).strip()
        department.save()
        after = snapshot(department, DEPARTMENT_AUDIT_FIELDS)
        if before != after:
            audit_record(zone=department.zone_id, actor=actor, action=AuditAction.UPDATE,
                         obj=department, before=before, after=after)  # fmt: skip
    return department


def department_delete(*, actor: User | None, department: Department) -> None:
    if actor is not None:
        require(actor, "core.delete_department", zone_id=department.zone_id)
    with transaction.atomic():
        audit_record(zone=department.zone_id, actor=actor, action=AuditAction.DELETE,
                     obj=department, before=snapshot(department, DEPARTMENT_AUDIT_FIELDS))  # fmt: skip
        department.delete()
