"""Every write to zones, users and tokens: checks, writes and the audit entry, in one
transaction. Enterprises, people and departments: `gaoxin.registry.services`."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import auth, crypto, throttle
from gaoxin.core.audit import audit_record, snapshot
from gaoxin.core.enums import AuditAction, Role
from gaoxin.core.errors import Forbidden, InvalidInput, NotFound
from gaoxin.core.models import ApiToken, User, Zone
from gaoxin.core.rules import in_zone
from gaoxin.core.zonekeys import locked


def _raise_if_errors(errors: dict) -> None:
    if errors:
        raise InvalidInput(errors)


# ---------------------------------------------------------------- zones & users


def zone_create(*, actor: User | None, code: str, name: str, province: str, city: str) -> Zone:
    with transaction.atomic():
        zone = Zone.objects.create(code=code, name=name, province=province, city=city)
        audit_record(
            zone=zone,
            actor=actor,
            action=AuditAction.CREATE,
            obj=zone,
            after={"code": code, "name": name, "province": province, "city": city},
        )
    return zone


ZONE_AUDIT_FIELDS = ["code", "name", "province", "city"]
ZONE_LIMITS = {"name": 60, "province": 20, "city": 20}


def zone_update(*, actor: User | None, zone: Zone, data: dict) -> Zone:
    """Rename a zone or correct its province and city; only whoever may create
    zones (superusers) may. The code never changes: URLs, the command line and
    scripts name the zone by it, so a changed code would break them silently."""
    if actor is not None and not actor.is_superuser:
        raise Forbidden() if in_zone(actor, zone.pk) else NotFound()
    with transaction.atomic():
        zone = locked(zone)
        errors, values = {}, {}
        if "code" in data and str(data["code"] or "").strip() != zone.code:
            errors["code"] = _("园区代码创建后不能修改：网址和命令行都用它来指认园区")
        for key, limit in ZONE_LIMITS.items():
            if key not in data:
                continue
            value = values[key] = str(data[key] or "").strip()
            label = Zone._meta.get_field(key).verbose_name
            if not value:
                errors[key] = _("请填写%(label)s") % {"label": label}
            elif len(value) > limit:
                errors[key] = _("%(label)s不能超过 %(n)d 个字") % {"label": label, "n": limit}
        others = Zone.objects.exclude(pk=zone.pk)
        if "name" in values and others.filter(name=values["name"]).exists():
            errors.setdefault("name", _("已有同名园区"))
        _raise_if_errors(errors)
        before = snapshot(zone, ZONE_AUDIT_FIELDS)
        for key, value in values.items():
            setattr(zone, key, value)
        after = snapshot(zone, ZONE_AUDIT_FIELDS)
        if before == after:
            return zone
        try:
            with transaction.atomic():
                zone.save(update_fields=list(values))
        except IntegrityError:  # lost a race for the same name
            raise InvalidInput({"name": _("已有同名园区")}) from None
        audit_record(
            zone=zone, actor=actor, action=AuditAction.UPDATE, obj=zone, before=before, after=after
        )
    return zone


def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    zone: Zone | None,
    roles: list[str],
    display_name: str = "",
    person=None,  # a gaoxin.registry Person
    is_superuser: bool = False,
    password_hash: str = "",
) -> User:
    """Create a login. `password_hash` lets a loader hash one shared password once."""
    from gaoxin.core.roles import STAFF_ROLES

    with transaction.atomic():
        user = User(
            username=username,
            zone=zone,
            display_name=display_name,
            person=person,
            is_superuser=is_superuser,
            is_staff=is_superuser or any(r in STAFF_ROLES for r in roles),
        )
        if password_hash:
            user.password = password_hash
        else:
            user.set_password(password)
        user.save()
        user.groups.set(Group.objects.filter(name__in=roles))
        audit_record(
            zone=zone,
            actor=actor,
            action=AuditAction.CREATE,
            obj=user,
            after={"username": username, "roles": sorted(roles), "zone": zone.pk if zone else None},
        )
    return user


USER_AUDIT_FIELDS = ["display_name", "person_id", "is_active", "is_staff", "is_superuser"]


def user_roles_grantable(*, actor: User | None) -> set[str]:
    """Roles `actor` may give (or take away): every role for superusers and the
    system; zone admins everything but the cross-zone national viewer."""
    if actor is None or actor.is_superuser:
        return set(Role.values)
    return set(Role.values) - {Role.NATIONAL_VIEWER.value}


def _user_snapshot(user: User) -> dict:
    """Audit view of a login: roles by name, never the password or its hash."""
    return {
        **snapshot(user, USER_AUDIT_FIELDS),
        "roles": sorted(user.groups.values_list("name", flat=True)),
    }


def _pk_or_none(value, model) -> int | None:
    """A related record given as an instance, an id or nothing; -1 for junk,
    which matches no record."""
    if isinstance(value, model):
        return value.pk
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _require_user_admin(actor: User | None, user: User) -> None:
    """Who may change a login: superusers any; a zone admin (core.change_user)
    those of their own zone, never a superuser. Out of reach looks like not
    found, as in the back office's lists (rules.require)."""
    if actor is None:
        return
    if not in_zone(actor, user.zone_id) or (user.is_superuser and not actor.is_superuser):
        raise NotFound()
    if not actor.is_superuser and (actor.spans_zones or not actor.has_perm("core.change_user")):
        raise Forbidden()


def user_update_clean(*, actor: User | None, user: User, data: dict) -> dict:
    """The field values `user_update` would write, or InvalidInput / Forbidden;
    writes nothing, so a form can show problems next to its fields.

    Mirrors what creating a login allows: roles from `user_roles_grantable`
    (others stay as they are), superuser status only by superusers, a zone-less
    login only as superuser or national viewer, the person from the login's
    zone. Username and zone are fixed once created. Nobody may deactivate
    themselves or drop their own admin rights (superuser, or the zone admin
    role), so a zone is never left locked out by a slip.
    """
    from gaoxin.core.roles import STAFF_ROLES

    errors: dict = {}
    if "username" in data and data["username"] != user.username:
        errors["username"] = _("用户名创建后不能修改")
    if "zone" in data or "zone_id" in data:
        zone = data.get("zone", data.get("zone_id"))
        if _pk_or_none(zone, Zone) != user.zone_id:
            errors["zone"] = _("账号创建后不能更改所属园区")
    values: dict = {}
    if "display_name" in data:
        values["display_name"] = str(data["display_name"] or "").strip()
        if len(values["display_name"]) > 40:
            too_long = {"label": User._meta.get_field("display_name").verbose_name, "n": 40}
            errors["display_name"] = _("%(label)s不能超过 %(n)d 个字") % too_long
    if "person" in data or "person_id" in data:
        Person = User._meta.get_field("person").related_model  # registry's, by string
        person_id = _pk_or_none(data.get("person", data.get("person_id")), Person)
        if person_id is not None and (
            user.zone_id is None
            or not Person.objects.filter(pk=person_id, zone_id=user.zone_id).exists()
        ):
            errors["person"] = _("对应人员不属于该园区")
        values["person_id"] = person_id
    if "is_active" in data:
        values["is_active"] = bool(data["is_active"])
    is_superuser = user.is_superuser
    if "is_superuser" in data and bool(data["is_superuser"]) != user.is_superuser:
        if actor is not None and not actor.is_superuser:
            raise Forbidden(_("只有平台管理员可以授予或取消平台管理员权限"))
        is_superuser = bool(data["is_superuser"])
    values["is_superuser"] = is_superuser
    current = set(user.groups.values_list("name", flat=True))
    roles = current
    if "roles" in data:
        roles = {str(r) for r in data["roles"] or []}
        unknown = roles - set(Role.values)
        out_of_reach = (roles ^ current) - user_roles_grantable(actor=actor)
        if unknown:
            errors["roles"] = _("角色无效：%(roles)s") % {"roles": "、".join(sorted(unknown))}
        elif out_of_reach:
            labels = dict(Role.choices)
            names = "、".join(str(labels[r]) for r in sorted(out_of_reach))
            errors["roles"] = _("您不能授予或取消“%(roles)s”角色") % {"roles": names}
        values["roles"] = sorted(roles)
    if user.zone_id is None and not is_superuser and roles != {Role.NATIONAL_VIEWER.value}:
        errors.setdefault("roles", _("跨园区账号只能是平台管理员或全国统计查看"))
    if actor is not None and actor.pk == user.pk:
        if "is_active" in values and not values["is_active"]:
            errors["is_active"] = _("不能停用自己的账号")
        if user.is_superuser and not is_superuser:
            errors["is_superuser"] = _("不能取消自己的平台管理员权限")
        if not is_superuser and Role.ZONE_ADMIN in current and Role.ZONE_ADMIN not in roles:
            errors["roles"] = _("不能取消自己的园区管理员角色")
    values["is_staff"] = is_superuser or any(r in STAFF_ROLES for r in roles)
    _raise_if_errors(errors)
    return values


def user_update(*, actor: User | None, user: User, data: dict) -> User:
    """Change a login: name, person, roles, active, superuser (see
    `user_update_clean` for who may change what). Staff status follows the
    roles, as at creation. Deactivating ends the account's sessions (Django
    refuses inactive users) and deletes its API tokens, so they stay dead if
    the account is reactivated; the count is in the audit entry's note.
    """
    _require_user_admin(actor, user)
    with transaction.atomic():
        user = locked(user)
        values = user_update_clean(actor=actor, user=user, data=data)
        before = _user_snapshot(user)
        roles = values.pop("roles", None)
        for key, value in values.items():
            setattr(user, key, value)
        user.save(update_fields=list(values))
        if roles is not None:
            user.groups.set(Group.objects.filter(name__in=roles))
            user.__dict__.pop("_role_cache", None)
        note = ""
        if before["is_active"] and not user.is_active:
            revoked, _by_model = ApiToken.objects.filter(user=user).delete()
            note = _("停用账号，撤销了 %(count)d 个接口令牌") % {"count": revoked}
        after = _user_snapshot(user)
        if before != after:
            audit_record(
                zone=user.zone_id,
                actor=actor,
                action=AuditAction.UPDATE,
                obj=user,
                before=before,
                after=after,
                note=note,
            )
    return user


def _password_store(
    *, user: User, raw: str, actor: User | None, before: dict, after: dict, note: str
) -> None:
    """Hash and store a new password (or PIN) and audit that it changed, never
    the password or its hash. Django ties sessions to the password hash, so
    every other session of the account ends; a caller that keeps its own
    calls `update_session_auth_hash`. Every API token of the account is
    deleted in the same transaction: whoever had the old password may have
    taken a token with it; the count is in the audit note."""
    with transaction.atomic():
        user.set_password(raw)
        user.save(update_fields=["password"])
        revoked, _by_model = ApiToken.objects.filter(user=user).delete()
        if revoked:
            note = _("%(note)s，撤销了 %(count)d 个接口令牌") % {"note": note, "count": revoked}
        audit_record(
            zone=user.zone_id,
            actor=actor,
            action=AuditAction.UPDATE,
            obj=user,
            before=before,
            after=after,
            note=note,
        )


def password_problems(password: str, user: User | None = None) -> list[str]:
    """Why Django's password validators refuse `password`, in the page's
    language; [] when they accept it. Django 5.2's Chinese catalogue misses
    the "too short" message (its msgid changed), so that one is ours."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        return [
            _("密码太短，至少需要 %(min_length)d 个字符。") % error.params
            if error.code == "password_too_short"
            else "".join(error.messages)
            for error in exc.error_list
        ]
    return []


def user_set_password(*, actor: User | None, user: User, password: str) -> User:
    """Set a login's password: a user changing their own ("修改了密码"; the
    caller has checked the current one) or whoever may edit the login
    resetting it ("重设了密码"). Django's password validators decide what is
    acceptable. Every other session of the account ends (`_password_store`).
    """
    own = actor is not None and actor.pk == user.pk
    if not own:
        _require_user_admin(actor, user)
    if not password:
        raise InvalidInput({"password": _("请填写新密码")})
    problems = password_problems(password, user)
    if problems:
        raise InvalidInput({"password": "".join(problems)})  # each ends with "。"
    with transaction.atomic():
        user = locked(user)
        _password_store(
            user=user,
            raw=password,
            actor=actor,
            before={"password_set": user.has_usable_password()},
            after={"password_set": True},
            note=_("修改了密码") if own else _("重设了密码"),
        )
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


def api_token_revoke(*, token: ApiToken) -> None:
    """Log out an API client: its token stops working at once. Not audited, as
    issuing one is not: a token is a session, not a change to the account."""
    ApiToken.objects.filter(pk=token.pk).delete()


def api_tokens_revoke_all(*, user: User, actor: User | None) -> int:
    """Delete every API token of `user` (a lost phone, a leaked script);
    audited with the count. Returns how many there were."""
    if actor is not None and actor.pk != user.pk:
        _require_user_admin(actor, user)
    with transaction.atomic():
        revoked, _by_model = ApiToken.objects.filter(user=user).delete()
        audit_record(
            zone=user.zone_id,
            actor=actor,
            action=AuditAction.UPDATE,
            obj=user,
            after={"api_tokens_revoked": revoked},
            note=_("撤销了全部接口令牌（%(count)d 个）") % {"count": revoked},
        )
    return revoked


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
    account end (`_password_store`); the caller keeps its own with
    `update_session_auth_hash`.
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
    _password_store(
        user=user,
        raw=pin,
        actor=actor,
        before={"pin_set": had_pin},
        after={"pin_set": True},
        note=_("修改了数字密码") if had_pin else _("设置了数字密码"),
    )
    return user
