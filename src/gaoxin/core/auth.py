"""Who may log in, and how.

- API: bearer tokens for integrators, the session for our own pages.
- Pages: the username and password (Django's ModelBackend), or a mainland
  mobile number and password (`PhonePasswordBackend`): a worker registered by
  scanning a station's poster has no username they know, only their phone and
  the 6-digit PIN they chose (`pin_problem` says which PINs are too easy).
- Lockout, counted per account and per address (`LoginLockoutBackend`, first in
  AUTHENTICATION_BACKENDS, so it covers every path that calls
  `django.contrib.auth.authenticate`: phone pages, admin, `POST /auth/token`):
  an identifier is resolved to the account(s) it names (a worker's phone number
  and generated username are one account, so one counter); an identifier that
  names no account is counted by itself. A login is refused before any password
  is checked when, within `LOGIN_LOCKOUT`,
  * its address has failed `ADDRESS_FAILURE_LIMIT` times (any identifiers), or
  * the account has failed `LOGIN_FAILURE_LIMIT` times from this address, or
  * the account has failed `ACCOUNT_FAILURE_LIMIT` times from all addresses.
  A refused attempt counts against its address only, so one address can put at
  most `LOGIN_FAILURE_LIMIT` failures a window on an account: it locks the
  account for itself, and never for everyone (that takes several addresses).
  Failures are counted from Django's `user_login_failed`, the one place that
  knows every backend refused.
"""

import contextvars
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from gaoxin.core import crypto, throttle
from gaoxin.core.enums import Role
from gaoxin.core.errors import ApplicationError
from gaoxin.core.models import ApiToken, User, Zone
from gaoxin.core.validators import validate_mobile

LOGIN_FAILURE_LIMIT = 5  # per account and address
ACCOUNT_FAILURE_LIMIT = 25  # per account, all addresses together
ADDRESS_FAILURE_LIMIT = 30  # per address, all identifiers together
LOGIN_LOCKOUT = timedelta(minutes=15)
PIN_LENGTH = 6


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; expired tokens and inactive users are refused."""

    def authenticate(self, request, token: str):
        digest = hashlib.sha256(token.encode()).hexdigest()
        # one query: the write paths read the caller's zone and person record right after
        row = (
            ApiToken.objects.select_related("user", "user__zone", "user__person")
            .filter(key_hash=digest)
            .first()
        )
        if row is None or row.expires_at <= timezone.now() or not row.user.is_active:
            return None
        request.user = row.user
        request.api_token = row  # the token presented, for logging out
        return row.user


class Session(SessionAuth):
    """Session login (back office, HTMX pages); CSRF is enforced for writes.

    The CSRF check runs only when a session cookie is sent: a call with a bad
    token and no cookie must answer 401, not a misleading CSRF 403.
    """

    def _get_key(self, request):
        if self.param_name not in request.COOKIES:
            return None
        try:
            return super()._get_key(request)
        except HttpError:
            raise ApplicationError(
                _("CSRF 校验失败：请刷新页面后重试，或在请求头 X-CSRFToken 中附上 CSRF 令牌"),
                code="csrf_failed",
                status=403,
            ) from None

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user and user.is_active else None


api_auth = [BearerToken(), Session()]


# ------------------------------------------------------------------ worker PINs


def _person_model():
    """The registry's Person, reached through User.person (core imports no registry module)."""
    return User._meta.get_field("person").related_model


def pin_normalize(value: str) -> str:
    """Full-width digits (１２３…, typed on Chinese keyboards) become ASCII."""
    return unicodedata.normalize("NFKC", value or "").strip()


def pin_problem(pin: str, *, phone: str = "") -> str:
    """Why `pin` is unfit as a worker's password, or "" when it is fine.

    Six digits are guessed in few tries when they follow a pattern, and whoever
    tries knows the phone number, so its tail is refused as well.
    """
    pin = pin_normalize(pin)
    if not re.fullmatch(rf"[0-9]{{{PIN_LENGTH}}}", pin):
        return _("密码应为 6 位数字")
    if len(set(pin)) == 1:
        return _("密码不能是同一个数字重复 6 次")
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:], strict=False)}
    if steps in ({1}, {9}):  # 123456, 654321, and 890123 with the wrap of 9 → 0
        return _("密码不能是 123456、654321 这样的连续数字")
    if phone and pin == phone[-PIN_LENGTH:]:
        return _("密码不能是手机号的后 6 位")
    return ""


def pin_allowed(user) -> bool:
    """Only plain worker accounts may use a PIN as their password: staff, keepers
    and merchants keep the password their zone gave them."""
    if not user.is_authenticated or user.is_staff or user.is_superuser or not user.person_id:
        return False
    return set(user.groups.values_list("name", flat=True)) == {Role.WORKER}


# ------------------------------------------------------------------ logins


def _mobile(identifier: str) -> str:
    """The normalized mainland mobile number `identifier` is, or ""."""
    try:
        return validate_mobile(identifier)
    except ValidationError:
        return ""


def login_key(identifier: str) -> str:
    """The counter of a login identifier that names no account. Every spelling of
    one phone number (+86, spaces, full-width digits) and of one username (any
    case) shares a counter, so varying the spelling buys no extra tries."""
    identifier = str(identifier or "")
    return throttle.key("login", _mobile(identifier) or identifier.strip().lower())


def login_accounts(identifier: str) -> list[int]:
    """Ids of the accounts a login identifier names: the user with that username,
    and the plain (non-staff) accounts of people registered with that phone
    number, whom `PhonePasswordBackend` would try. One query."""
    identifier = str(identifier or "").strip()
    if not identifier:
        return []
    # Usernames are matched as typed and in lower case (an index probe each, where
    # a case-insensitive match would scan): "ADMIN" counts against "admin".
    cond = Q(username__in={identifier, identifier.lower()})
    phone = _mobile(identifier)
    if phone:
        people = (
            _person_model()
            .objects.filter(
                ~Q(phone_hash=""),
                zone_id__in=Zone.objects.values("pk"),
                phone_hash=crypto.blind_index("phone", phone),
            )
            .values("pk")
        )
        cond |= Q(person__in=people, is_staff=False, is_superuser=False)
    return sorted(User.objects.filter(cond).values_list("pk", flat=True))


def _address(request) -> str:
    """The client's address as the server sees it (REMOTE_ADDR; see
    stations.views.checkin on proxies), or "" without a request (command line)."""
    return (getattr(request, "META", None) or {}).get("REMOTE_ADDR", "") if request else ""


@dataclass
class LoginCounters:
    """The counters one login attempt is judged and counted by."""

    identifier: str
    address: str
    address_key: str
    pair_keys: list[str]  # per account (or bare identifier) and address
    account_keys: list[str]  # per account (or bare identifier), all addresses
    refused: bool = False

    @classmethod
    def of(cls, identifier: str, request=None) -> "LoginCounters":
        address = _address(request)
        ids = login_accounts(identifier)
        subjects = [f"user:{pk}" for pk in ids] or [f"id:{login_key(identifier)}"]
        return cls(
            identifier=str(identifier),
            address=address,
            address_key=throttle.key("login-address", address) if address else "",
            pair_keys=[throttle.key("login-pair", f"{s}|{address}") for s in subjects],
            account_keys=[throttle.key("login-account", s) for s in subjects],
        )

    def limits(self) -> dict[str, int]:
        limits = {k: LOGIN_FAILURE_LIMIT for k in self.pair_keys}
        limits.update({k: ACCOUNT_FAILURE_LIMIT for k in self.account_keys})
        if self.address_key:
            limits[self.address_key] = ADDRESS_FAILURE_LIMIT
        return limits

    def locked(self) -> bool:
        return throttle.any_blocked(self.limits(), window=LOGIN_LOCKOUT)

    def count_failure(self) -> None:
        """A refused attempt counts against its address only (it checked no
        password); a real failure against the address, pair and account."""
        limits = self.limits()
        keys = [self.address_key] if self.refused else list(limits)
        for key in keys:
            if key:
                throttle.hit(key, limit=limits[key], window=LOGIN_LOCKOUT)


# What LoginLockoutBackend found for the attempt under way, for the failure counter.
_attempt: contextvars.ContextVar[LoginCounters | None] = contextvars.ContextVar(
    "gaoxin_login_attempt", default=None
)


def login_locked(identifier: str, request=None) -> bool:
    """True while a login with `identifier` from `request`'s address is refused."""
    return LoginCounters.of(identifier, request).locked()


def lockout_message() -> str:
    return _("尝试次数过多，请 %(minutes)s 分钟后再试") % {
        "minutes": int(LOGIN_LOCKOUT.total_seconds() // 60)
    }


class LoginLockoutBackend:
    """First backend: a locked identifier or address is refused without checking
    the password (PermissionDenied stops `authenticate` before the other
    backends). It has no `get_user`, so no session is ever tied to it and
    `Client.force_login` skips it.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        _attempt.set(None)
        if not username:
            return None
        counters = LoginCounters.of(username, request)
        _attempt.set(counters)
        if counters.locked():
            counters.refused = True
            raise PermissionDenied
        return None


@receiver(user_login_failed, dispatch_uid="gaoxin-count-failed-login")
def count_failed_login(sender, credentials, request=None, **kwargs) -> None:
    """Count a login every backend refused (this module is loaded with the first
    backend, so the receiver is connected before any login can fail)."""
    username = credentials.get("username")
    if not isinstance(username, str) or not username:
        return
    counters = _attempt.get()
    _attempt.set(None)
    if counters is None or counters.identifier != username or counters.address != _address(request):
        counters = LoginCounters.of(username, request)
    counters.count_failure()


class PermissionBackend(ModelBackend):
    """Django's ModelBackend, reading a user's permissions (their own and their
    groups') in one statement instead of two: every write checks a permission,
    and each request loads the user afresh. Same answers, and the same per-user cache
    (`_perm_cache`), so ModelBackend after it reads nothing again. It logs no one in:
    ModelBackend stays in the list for that (and for the sessions naming it)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        return None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            perms = Permission.objects.all()
            if not user_obj.is_superuser:
                perms = perms.filter(Q(user=user_obj) | Q(group__user=user_obj))
            rows = perms.values_list("content_type__app_label", "codename").distinct()
            user_obj._perm_cache = {f"{app}.{name}" for app, name in rows}
        return user_obj._perm_cache


class PhonePasswordBackend(ModelBackend):
    """Log in with a mainland mobile number and the account's password (a worker's PIN).

    Looks for non-staff users linked to a registry person with that phone (the
    blind index, as registration stores it). A number registered in several
    zones can have several accounts; if the password fits exactly one, that is
    the user, otherwise nobody: never guess between people. Staff log in by
    username only, as before.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        phone = _mobile(str(username or ""))
        if not phone or not password:
            return None
        digits = pin_normalize(password)
        if re.fullmatch(rf"[0-9]{{{PIN_LENGTH}}}", digits):
            password = digits  # a PIN typed with full-width digits
        # The index on people is (zone, phone_hash): naming every zone lets each be
        # one index probe instead of a scan of all people (the partial index also
        # wants its condition, phone_hash <> "", spelled out for SQLite).
        people = (
            _person_model()
            .objects.filter(
                ~Q(phone_hash=""),
                zone_id__in=list(Zone.objects.values_list("pk", flat=True)),
                phone_hash=crypto.blind_index("phone", phone),
            )
            .values("pk")
        )
        candidates = list(
            User.objects.filter(person__in=people, is_staff=False, is_superuser=False)
        )
        if not any(u.has_usable_password() for u in candidates):
            User().set_password(password)  # as long as a real check: no hint which numbers exist
            return None
        matches = [
            u for u in candidates if u.check_password(password) and self.user_can_authenticate(u)
        ]
        return matches[0] if len(matches) == 1 else None
