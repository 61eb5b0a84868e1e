"""`gaoxin restore FILE`: replace the whole database with a backup, all or nothing
(and the attachment files with the backup's, when it holds them)."""

import gzip
import shutil
import sys
import tarfile
import tempfile
import zlib
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.attachments.archive import (
    NotABackup,
    install_files,
    is_tar_backup,
    unpack_tar_backup,
)


class Command(BaseCommand):
    help = gettext_lazy("从备份恢复（会替换当前全部数据）：gaoxin restore 文件")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("gaoxin backup 生成的备份文件"))
        parser.add_argument("--yes", action="store_true", help=_("不再确认，直接替换"))

    def handle(self, *args, file, yes, **options):
        source = Path(file)
        if not source.is_file():
            raise CommandError(_("找不到备份文件：%(file)s") % {"file": source})
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError(_("恢复会替换当前全部数据；请加 --yes 确认"))
            answer = input(_("恢复会替换当前全部数据，确认请输入 yes："))
            if answer.strip().lower() != "yes":
                raise CommandError(_("已取消，数据未改动"))
        with tempfile.TemporaryDirectory() as tmp:
            dump = Path(tmp) / "gaoxin-restore.gaoxinjson"
            staging = None
            try:
                if is_tar_backup(source):  # a backup with attachment files
                    staging = unpack_tar_backup(source, dump)
                else:
                    with gzip.open(source, "rb") as src, open(dump, "wb") as dst:
                        shutil.copyfileobj(src, dst, 1024 * 1024)
            except (OSError, EOFError, zlib.error, tarfile.TarError, NotABackup):
                # not gzip, truncated, damaged, or holding what no backup holds
                raise CommandError(
                    _(
                        "不是有效的 gaoxin 备份文件（应为 gaoxin backup 生成的文件，且未损坏）：%(file)s"
                    )
                    % {"file": source}
                ) from None
            try:
                with transaction.atomic():
                    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
                    call_command("loaddata", str(dump), verbosity=0)
            except Exception:  # loaddata wraps many kinds; nothing was changed
                if staging is not None:
                    shutil.rmtree(staging, ignore_errors=True)
                if options.get("traceback"):
                    raise
                raise CommandError(
                    _("恢复失败，数据未改动：备份内容无法装入当前版本的数据库（%(file)s）")
                    % {"file": source}
                ) from None
            if staging is not None:
                install_files(staging)
        self.stdout.write(_("已从 %(file)s 恢复全部数据") % {"file": source})
