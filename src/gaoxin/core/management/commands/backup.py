"""`gaoxin backup FILE`: every row of every table into one gzip'd JSON file.

Database-neutral (SQLite ↔ PostgreSQL), keeps primary keys, and stores
personal identifiers as the ciphertext they are at rest — the backup is no
more readable than the database without GAOXIN_FIELD_KEY.
"""

import gzip
import os
import shutil
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

EXCLUDE = ["sessions"]


class Command(BaseCommand):
    help = "备份全部数据到一个文件：gaoxin backup FILE"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        target = Path(file)
        if target.parent and not target.parent.exists():
            raise CommandError(f"目录不存在：{target.parent}")
        with tempfile.TemporaryDirectory() as tmp:
            dump = Path(tmp) / "gaoxin-backup.gaoxinjson"
            call_command(
                "dumpdata",
                exclude=EXCLUDE,
                output=str(dump),
                indent=None,
                format="gaoxinjson",
                verbosity=0,
            )
            staged = target.with_name(target.name + ".partial")
            with open(dump, "rb") as src, gzip.open(staged, "wb", compresslevel=6) as dst:
                shutil.copyfileobj(src, dst, 1024 * 1024)
            os.replace(staged, target)  # a crash never leaves a half-written backup
        self.stdout.write(f"已备份到 {target}（{target.stat().st_size // 1024} KB）")
