"""Settings shared by every environment.

Everything an operator may change comes from the environment (see README):
DATABASE_URL, GAOXIN_SECRET_KEY, GAOXIN_FIELD_KEY, GAOXIN_ALLOWED_HOSTS.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parents[2] / "src" / "gaoxin"
PACKAGE_DIR = Path(__file__).resolve().parents[1]

env = environ.Env()

# Data lives in the working directory unless told otherwise, so `gaoxin up` in
# an empty folder gives a self-contained installation.
DATA_DIR = Path(env.str("GAOXIN_DATA_DIR", default=str(Path.cwd()))).resolve()

SECRET_KEY = env.str("GAOXIN_SECRET_KEY", default="")
FIELD_KEY = env.str("GAOXIN_FIELD_KEY", default="")
DEBUG = env.bool("GAOXIN_DEBUG", default=False)
ALLOWED_HOSTS = env.list("GAOXIN_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("GAOXIN_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "gaoxin.core.apps.CoreConfig",
    "gaoxin.registry.apps.RegistryConfig",
    "gaoxin.ledger.apps.LedgerConfig",
    # programs, one app each; the order is the demo's loading order
    "gaoxin.stations.apps.StationsConfig",
    "gaoxin.welfare.apps.WelfareConfig",
    "gaoxin.activities.apps.ActivitiesConfig",
    "gaoxin.cases.apps.CasesConfig",
    "gaoxin.party.apps.PartyConfig",
    "gaoxin.core.apps.GaoxinAdminConfig",  # django.contrib.admin, with our site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # API docs from our own static files, not a CDN (the CSP allows only 'self')
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gaoxin.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gaoxin.core.middleware.FieldKeyErrorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]


def database_from_env(default_sqlite: Path) -> dict:
    """One DATABASES entry from DATABASE_URL, with SQLite tuned for concurrent writers.

    WAL lets readers proceed during a write; IMMEDIATE transactions take the
    write lock up front so two writers queue instead of failing with
    "database is locked" when one upgrades a read lock.
    """
    db = env.db_url("DATABASE_URL", default=f"sqlite:///{default_sqlite}")
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db.setdefault("OPTIONS", {})
        db["OPTIONS"].update(
            {
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=30000;"
                    "PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            }
        )
        # Django's backend, with writers queued instead of left to SQLite's busy
        # handler (see gaoxin/core/db/sqlite3/base.py).
        db["ENGINE"] = "gaoxin.core.db.sqlite3"
    # Persistent connections on every backend: opening one costs as much as a short
    # request (on SQLite the PRAGMAs above run once per new connection, so each
    # kept connection still has them). Each server thread keeps its own connection.
    if db["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend, grouping by every selected column: primary keys hold the zone
        # (see gaoxin/core/zonekeys.py), so `id` alone no longer decides a row.
        db["ENGINE"] = "gaoxin.core.db.postgresql"
    db.setdefault("CONN_MAX_AGE", env.int("GAOXIN_CONN_MAX_AGE", default=60))
    db.setdefault("CONN_HEALTH_CHECKS", True)
    if db["ENGINE"] != "gaoxin.core.db.sqlite3":
        # No statement runs for ever: PostgreSQL cancels one after this many ms
        # (0 turns the guard off, e.g. for a long one-off migration).
        timeout_ms = env.int("GAOXIN_STATEMENT_TIMEOUT_MS", default=30000)
        if timeout_ms > 0 and db["ENGINE"].endswith(("postgresql", "postgis")):
            options = db.setdefault("OPTIONS", {})
            flag = f"-c statement_timeout={timeout_ms}"
            options["options"] = f"{options.get('options', '')} {flag}".strip()
    db["ATOMIC_REQUESTS"] = False
    return db


DATABASES = {"default": database_from_env(DATA_DIR / "gaoxin.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
# The lockout comes first so a locked identifier is refused before any password is
# checked; workers log in with their phone number and PIN (gaoxin/core/auth.py).
AUTHENTICATION_BACKENDS = [
    "gaoxin.core.auth.LoginLockoutBackend",
    "gaoxin.core.auth.PermissionBackend",  # permissions in one read (no logins)
    "django.contrib.auth.backends.ModelBackend",
    "gaoxin.core.auth.PhonePasswordBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/admin/login/"
LOGIN_REDIRECT_URL = "/admin/"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("GAOXIN_LOG_LEVEL", default="WARNING")},
}

SERIALIZATION_MODULES = {"gaoxinjson": "gaoxin.core.serializers"}

# Stations: the address printed on QR posters, map tiles for the phone map (an intranet
# tile server; none means markers on a plain background), and a CJK font for posters.
# (unset: `gaoxin up` sets it to the address it serves on; else each request's own address)
GAOXIN_PUBLIC_URL = env.str("GAOXIN_PUBLIC_URL", default="")
GAOXIN_MAP_TILE_URL = env.str("GAOXIN_MAP_TILE_URL", default="")
GAOXIN_MAP_TILE_CRS = env.str("GAOXIN_MAP_TILE_CRS", default="gcj02")
GAOXIN_MAP_TILE_ATTRIBUTION = env.str("GAOXIN_MAP_TILE_ATTRIBUTION", default="")
GAOXIN_CJK_FONT = env.str(
    "GAOXIN_CJK_FONT", default="/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
)
GAOXIN_CHECKIN_DEDUPE_MINUTES = env.int("GAOXIN_CHECKIN_DEDUPE_MINUTES", default=10)

GAOXIN_SITE_TITLE = _("高新 · 园区运营平台")
# Token lifetime for API bearer tokens (seconds).
GAOXIN_TOKEN_TTL = env.int("GAOXIN_TOKEN_TTL", default=7 * 24 * 3600)
# Largest attachment a user may upload (bytes); files live under DATA_DIR/attachments/.
GAOXIN_ATTACHMENT_MAX_BYTES = env.int("GAOXIN_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
