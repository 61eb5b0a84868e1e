"""Who may log in, and how.

- API: bearer tokens for integrators, the session for our own pages.
- Pages: the username and password (Django's ModelBackend), or a mainland
  mobile number and password (`PhonePasswordBackend`): a worker registered by
  scanning a station's poster has no username they know, only their phone and
  the 6-digit PIN they chose (`pin_problem` says which PINs are too easy).
- Lockout: `LOGIN_FAILURE_LIMIT` failed logins of one identifier within
  `LOGIN_LOCKOUT` refuse it for `LOGIN_LOCKOUT`, on every path that calls
  `django.contrib.auth.authenticate` (phone pages, admin, `POST /auth/token`).
  `LoginLockoutBackend`, first in AUTHENTICATION_BACKENDS, refuses a locked
  identifier before any backend checks a password; failures are counted from
  Django's `user_login_failed`, the one place that knows every backend refused.
"""

import hashlib
import re
import unicodedata
from datetime import timedelta

from django.contrib.auth.backends import ModelBackend
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
from gaoxin.core.models import ApiToken, Person, User, Zone
from gaoxin.core.validators import validate_mobile

LOGIN_FAILURE_LIMIT = 5
LOGIN_LOCKOUT = timedelta(minutes=15)
PIN_LENGTH = 6


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; expired tokens and inactive users are refused."""

    def authenticate(self, request, token: str):
        digest = hashlib.sha256(token.encode()).hexdigest()
        row = ApiToken.objects.select_related("user", "user__zone").filter(key_hash=digest).first()
        if row is None or row.expires_at <= timezone.now() or not row.user.is_active:
            return None
        request.user = row.user
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
    """The lockout counter of a login identifier. Every spelling of one phone
    number (+86, spaces, full-width digits) and of one username (any case)
    shares a counter, so varying the spelling buys no extra tries."""
    identifier = str(identifier or "")
    return throttle.key("login", _mobile(identifier) or identifier.strip().lower())


def login_locked(identifier: str) -> bool:
    return throttle.blocked(login_key(identifier), limit=LOGIN_FAILURE_LIMIT, window=LOGIN_LOCKOUT)


def lockout_message() -> str:
    return _("尝试次数过多，请 %(minutes)s 分钟后再试") % {
        "minutes": int(LOGIN_LOCKOUT.total_seconds() // 60)
    }


class LoginLockoutBackend:
    """First backend: a locked identifier is refused without checking the password
    (PermissionDenied stops `authenticate` before the other backends). It has no
    `get_user`, so no session is ever tied to it and `Client.force_login` skips it.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and login_locked(username):
            raise PermissionDenied
        return None


@receiver(user_login_failed, dispatch_uid="gaoxin-count-failed-login")
def count_failed_login(sender, credentials, request=None, **kwargs) -> None:
    """Count a login every backend refused (this module is loaded with the first
    backend, so the receiver is connected before any login can fail)."""
    username = credentials.get("username")
    if isinstance(username, str) and username:
        throttle.hit(login_key(username), limit=LOGIN_FAILURE_LIMIT, window=LOGIN_LOCKOUT)


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
        people = Person.objects.filter(
            ~Q(phone_hash=""), zone_id__in=list(Zone.objects.values_list("pk", flat=True)),
            phone_hash=crypto.blind_index("phone", phone),
        ).values("pk")  # fmt: skip
        candidates = list(
            User.objects.filter(person__in=people, is_staff=False, is_superuser=False)
        )
        if not any(u.has_usable_password() for u in candidates):
            User().set_password(password)  # as long as a real check: no hint which numbers exist
            return None
        matches = [u for u in candidates
                   if u.check_password(password) and self.user_can_authenticate(u)]  # fmt: skip
        return matches[0] if len(matches) == 1 else None
