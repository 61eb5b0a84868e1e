"""Settings for the test suite: fast hashing, fixed keys, either database."""

from .base import *  # noqa: F403
from .base import DATA_DIR, database_from_env

SECRET_KEY = "gaoxin-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
FIELD_KEY = "gaoxin-test-field-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATABASES = {"default": database_from_env(DATA_DIR / "gaoxin-test.sqlite3")}
# A file (not :memory:) so that threads in concurrency tests share one database.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / ".pytest-gaoxin.sqlite3")}
GAOXIN_DEMO_ALLOWED = True
