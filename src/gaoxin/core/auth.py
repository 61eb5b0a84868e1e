"""API authentication: bearer tokens for integrators, the session for our own pages."""

import hashlib

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from gaoxin.core.errors import ApplicationError
from gaoxin.core.models import ApiToken


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
