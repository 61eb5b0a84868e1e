"""Server settings for a side-by-side run: Django's own SQLite backend, which leaves
waiting writers to SQLite's busy handler, instead of gaoxin.core.db.sqlite3's queue.

    PYTHONPATH=bench .venv/bin/python bench/bench_checkins_http.py --db sqlite \\
        --settings settings_stock_sqlite
"""

from config.settings.local import *  # noqa: F403

DATABASES["default"]["ENGINE"] = "django.db.backends.sqlite3"  # noqa: F405
