"""Print the README's "Error codes" table from the registry (gaoxin.core.errors).

.venv/bin/python scripts/error_codes.py
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402

from gaoxin.core.errors import codes_markdown  # noqa: E402

with translation.override("zh-hans"):
    print(codes_markdown())
