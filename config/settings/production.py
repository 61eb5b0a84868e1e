"""Production settings: refuse to start without real keys; HTTPS everywhere.

Set DJANGO_SETTINGS_MODULE=config.settings.production together with
GAOXIN_SECRET_KEY, GAOXIN_FIELD_KEY, GAOXIN_ALLOWED_HOSTS and DATABASE_URL.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import FIELD_KEY, SECRET_KEY, env

if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("GAOXIN_SECRET_KEY must be set (50+ random characters).")
if len(FIELD_KEY) < 32:
    raise ImproperlyConfigured("GAOXIN_FIELD_KEY must be set (32+ random characters).")

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("GAOXIN_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("GAOXIN_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("GAOXIN_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Demo data is never loaded into a production database unless asked for.
GAOXIN_DEMO_ALLOWED = env.bool("GAOXIN_ALLOW_DEMO", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
