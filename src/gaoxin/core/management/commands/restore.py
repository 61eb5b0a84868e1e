"""`gaoxin restore FILE`: replace the whole database with a backup, all or nothing."""

import gzip
import shutil
import sys
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "从备份恢复（会替换当前全部数据）：gaoxin restore FILE"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="不再确认，直接替换")

    def handle(self, *args, file, yes, **options):
        source = Path(file)
        if not source.is_file():
            raise CommandError(f"找不到备份文件：{source}")
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError("恢复会替换当前全部数据；请加 --yes 确认")
            answer = input("恢复会替换当前全部数据，确认请输入 yes：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消，数据未改动")
        with tempfile.TemporaryDirectory() as tmp:
            dump = Path(tmp) / "gaoxin-restore.gaoxinjson"
            try:
                with gzip.open(source, "rb") as src, open(dump, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1024 * 1024)
            except (OSError, EOFError) as exc:
                raise CommandError(f"不是有效的 gaoxin 备份文件：{exc}") from None
            try:
                with transaction.atomic():
                    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
                    call_command("loaddata", str(dump), verbosity=0)
            except Exception as exc:  # loaddata wraps many kinds; nothing was changed
                raise CommandError(f"恢复失败，数据未改动：{exc}") from None
        self.stdout.write(f"已从 {source} 恢复全部数据")
