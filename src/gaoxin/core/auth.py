"""API authentication: bearer tokens for integrators, the session for our own pages."""

import hashlib

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from gaoxin.core.models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        digest = hashlib.sha256(token.encode()).hexdigest()
        row = ApiToken.objects.select_related("user", "user__zone").filter(key_hash=digest).first()
        if row is None or row.expires_at <= timezone.now() or not row.user.is_active:
            return None
        request.user = row.user
        return row.user


class Session(SessionAuth):
    """Session login (back office, HTMX pages); CSRF is enforced for writes."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user and user.is_active else None


api_auth = [BearerToken(), Session()]
