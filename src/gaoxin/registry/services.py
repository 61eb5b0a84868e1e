"""Every write to the registry (enterprises, people, departments): checks, writes and
the audit entry, in one transaction."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gaoxin.core import crypto
from gaoxin.core.audit import Change, audit_record, audit_record_many, audited_change, snapshot
from gaoxin.core.enums import AuditAction, DepartmentKind
from gaoxin.core.errors import Conflict, Forbidden, InvalidInput
from gaoxin.core.models import User, Zone
from gaoxin.core.rules import require, require_actor
from gaoxin.core.zonekeys import locked
from gaoxin.registry import selectors
from gaoxin.registry.domain import clean_enterprise, clean_person
from gaoxin.registry.models import Department, Enterprise, Person

ENTERPRISE_AUDIT_FIELDS = [
    "name",
    "uscc",
    "industry",
    "address",
    "contact_name",
    "contact_phone_masked",
    "is_new_economy",
]
PERSON_AUDIT_FIELDS = [
    "name",
    "id_number_masked",
    "id_number_hash",
    "phone_masked",
    "phone_hash",
    "gender",
    "role",
    "job_type",
    "employer_id",
]


def _raise_if_errors(errors: dict) -> None:
    if errors:
        raise InvalidInput(errors)


# ------------------------------------------------------------------ enterprises


def _check_uscc_free(zone_id: int, uscc: str, exclude_pk: int | None = None) -> None:
    if selectors.enterprise_credit_codes_taken(
        zone_id=zone_id, codes=[uscc], exclude_id=exclude_pk
    ):
        raise InvalidInput({"uscc": selectors.credit_code_taken_message()})


def enterprise_create(*, actor: User | None, zone: Zone, data: dict) -> Enterprise:
    require_actor(actor, "registry.add_enterprise", zone_id=zone.pk)
    cleaned = clean_enterprise(data)
    _raise_if_errors(cleaned.errors)
    with transaction.atomic():
        _check_uscc_free(zone.pk, cleaned.values["uscc"])
        try:
            with transaction.atomic():
                enterprise = Enterprise.objects.create(zone=zone, **cleaned.values)
        except IntegrityError:  # lost a race with the same code
            raise InvalidInput({"uscc": selectors.credit_code_taken_message()}) from None
        audit_record(
            zone=zone,
            actor=actor,
            action=AuditAction.CREATE,
            obj=enterprise,
            after=snapshot(enterprise, ENTERPRISE_AUDIT_FIELDS),
        )
    return enterprise


def enterprise_update(*, actor: User | None, enterprise: Enterprise, data: dict) -> Enterprise:
    require_actor(actor, "registry.change_enterprise", zone_id=enterprise.zone_id)
    cleaned = clean_enterprise(data, partial=True)
    _raise_if_errors(cleaned.errors)
    with transaction.atomic():
        enterprise = locked(enterprise)
        with audited_change(enterprise, ENTERPRISE_AUDIT_FIELDS, actor=actor):
            if "uscc" in cleaned.values:
                _check_uscc_free(
                    enterprise.zone_id, cleaned.values["uscc"], exclude_pk=enterprise.pk
                )
            for key, value in cleaned.values.items():
                setattr(enterprise, key, value)
            enterprise.save()
    return enterprise


def enterprise_delete(*, actor: User | None, enterprise: Enterprise) -> None:
    require_actor(actor, "registry.delete_enterprise", zone_id=enterprise.zone_id)
    with transaction.atomic():
        before = snapshot(enterprise, ENTERPRISE_AUDIT_FIELDS)
        audit_record(
            zone=enterprise.zone_id,
            actor=actor,
            action=AuditAction.DELETE,
            obj=enterprise,
            before=before,
        )
        # people employed there lose their employer: that is a change to them too
        audit_record_many(
            zone=enterprise.zone_id,
            actor=actor,
            changes=[
                Change(
                    action=AuditAction.UPDATE,
                    object_type="registry.Person",
                    object_id=str(pk),
                    object_repr=name,
                    before={"employer_id": enterprise.pk},
                    after={"employer_id": None},
                    note=_("所在企业已删除"),
                )
                for pk, name in Person.objects.filter(employer=enterprise).values_list("pk", "name")
            ],
        )
        enterprise.delete()


# ----------------------------------------------------------------------- people


def _check_person_unique(zone_id: int, values: dict, exclude_pk: int | None = None) -> None:
    _raise_if_errors(
        selectors.person_identifiers_taken(zone_id=zone_id, values=values, exclude_id=exclude_pk)
    )


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
    require_actor(actor, "registry.add_person", zone_id=zone.pk)
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
        audit_record(
            zone=zone,
            actor=actor,
            action=AuditAction.CREATE,
            obj=person,
            after=snapshot(person, PERSON_AUDIT_FIELDS),
            note="；".join(cleaned.warnings),
        )
    person.warnings = cleaned.warnings
    return person


def person_update(*, actor: User | None, person: Person, data: dict) -> Person:
    require_actor(actor, "registry.change_person", zone_id=person.zone_id)
    cleaned = clean_person(data, partial=True)
    _raise_if_errors(cleaned.errors)
    values = dict(cleaned.values)
    _resolve_employer(person.zone_id, data, values)
    with transaction.atomic():
        person = locked(person)
        note = "；".join(cleaned.warnings)
        with audited_change(person, PERSON_AUDIT_FIELDS, actor=actor, note=note):
            _check_person_unique(person.zone_id, values, exclude_pk=person.pk)
            for key, value in values.items():
                setattr(person, key, value)
            person.save()
    person.warnings = cleaned.warnings
    return person


def person_delete(*, actor: User | None, person: Person) -> None:
    require_actor(actor, "registry.delete_person", zone_id=person.zone_id)
    with transaction.atomic():
        audit_record(
            zone=person.zone_id,
            actor=actor,
            action=AuditAction.DELETE,
            obj=person,
            before=snapshot(person, PERSON_AUDIT_FIELDS),
        )
        person.delete()


REVEAL_FIELDS = {"id_number": "id_number_cipher", "phone": "phone_cipher"}


def person_reveal(*, actor: User, person: Person, field: str, reason: str) -> str:
    """One full identifier of one person (`field`: "id_number" or "phone"), for a
    stated reason. Audited before anything is returned: who, which field, why.
    A key that cannot decrypt it raises crypto.FieldKeyError (503), and the
    audit entry is rolled back with it: nothing was shown."""
    require(actor, "registry.reveal_person", zone_id=person.zone_id)
    if not actor.has_perm("registry.reveal_person"):
        raise Forbidden(_("您没有查看完整个人信息的权限"))
    errors = {}
    if field not in REVEAL_FIELDS:
        errors["field"] = _("请选择要查看的一项：身份证号或手机号")
    reason = str(reason or "").strip()
    if not reason:
        errors["reason"] = _("请填写查看原因")
    _raise_if_errors(errors)
    with transaction.atomic():
        audit_record(
            zone=person.zone_id,
            actor=actor,
            action=AuditAction.REVEAL,
            obj=person,
            after={"field": field},
            note=reason[:200],
        )
        return crypto.decrypt(getattr(person, REVEAL_FIELDS[field]))


# ------------------------------------------------------------------ departments


def department_create(
    *,
    actor: User | None,
    zone: Zone,
    name: str,
    kind: str = DepartmentKind.OTHER,
    contact_name: str = "",
) -> Department:
    require_actor(actor, "registry.add_department", zone_id=zone.pk)
    if not name.strip():
        raise InvalidInput({"name": _("请填写部门名称")})
    if kind not in DepartmentKind.values:
        raise InvalidInput({"kind": _("部门类别无效")})
    with transaction.atomic():
        _check_department_name_free(zone.pk, name.strip())
        department = Department.objects.create(
            zone=zone, name=name.strip(), kind=kind, contact_name=contact_name
        )
        audit_record(
            zone=zone,
            actor=actor,
            action=AuditAction.CREATE,
            obj=department,
            after={"name": department.name, "kind": kind, "contact_name": contact_name},
        )
    return department


DEPARTMENT_AUDIT_FIELDS = ["name", "kind", "contact_name"]


def _check_department_name_free(zone_id: int, name: str, exclude_pk: int | None = None) -> None:
    if selectors.department_name_taken(zone_id, name, exclude_pk=exclude_pk):
        raise InvalidInput({"name": selectors.department_name_taken_message()})


def department_update(*, actor: User | None, department: Department, data: dict) -> Department:
    require_actor(actor, "registry.change_department", zone_id=department.zone_id)
    errors = {}
    name = str(data.get("name", department.name)).strip()
    kind = data.get("kind", department.kind)
    if not name:
        errors["name"] = _("请填写部门名称")
    if kind not in DepartmentKind.values:
        errors["kind"] = _("部门类别无效")
    _raise_if_errors(errors)
    with transaction.atomic():
        department = locked(department)
        _check_department_name_free(department.zone_id, name, exclude_pk=department.pk)
        with audited_change(department, DEPARTMENT_AUDIT_FIELDS, actor=actor):
            department.name, department.kind = name, kind
            department.contact_name = str(data.get("contact_name", department.contact_name)).strip()
            department.save()
    return department


def department_delete(*, actor: User | None, department: Department) -> None:
    require_actor(actor, "registry.delete_department", zone_id=department.zone_id)
    with transaction.atomic():
        audit_record(
            zone=department.zone_id,
            actor=actor,
            action=AuditAction.DELETE,
            obj=department,
            before=snapshot(department, DEPARTMENT_AUDIT_FIELDS),
        )
        department.delete()
