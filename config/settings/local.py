"""Default settings for `gaoxin up` on one machine: SQLite, demo keys allowed.

Keys fall back to fixed development values with a loud warning; production
settings refuse to start without real ones.
"""

import warnings

from .base import *  # noqa: F403
from .base import FIELD_KEY, SECRET_KEY

DEV_SECRET_KEY = "gaoxin-development-only-secret-key-not-for-production-use-0123456789"
DEV_FIELD_KEY = "gaoxin-development-only-field-key"

if not SECRET_KEY:
    SECRET_KEY = DEV_SECRET_KEY
if not FIELD_KEY:
    FIELD_KEY = DEV_FIELD_KEY
    warnings.warn(
        "GAOXIN_FIELD_KEY is not set: personal data is encrypted with the public "
        "development key. Set it before entering real data.",
        stacklevel=1,
    )
GAOXIN_DEMO_ALLOWED = True
