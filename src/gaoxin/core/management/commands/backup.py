"""`gaoxin backup FILE`: every row of every table into one gzip'd JSON file.

Database-neutral (SQLite ↔ PostgreSQL), keeps primary keys, and stores
personal identifiers as the ciphertext they are at rest — the backup is no
more readable than the database without GAOXIN_FIELD_KEY. Attachment files, when there
are any, go in the same file (gaoxin.core.attachments.archive).
"""

import gzip
import os
import shutil
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.attachments.archive import stored_files, write_tar_backup

EXCLUDE = ["sessions"]


class Command(BaseCommand):
    help = gettext_lazy("备份全部数据到一个文件：gaoxin backup 文件")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("要写入的备份文件"))

    def handle(self, *args, file, **options):
        target = Path(file)
        if target.parent and not target.parent.exists():
            raise CommandError(_("目录不存在：%(dir)s") % {"dir": target.parent})
        with tempfile.TemporaryDirectory() as tmp:
            dump = Path(tmp) / "gaoxin-backup.gaoxinjson"
            try:
                call_command(
                    "dumpdata",
                    exclude=EXCLUDE,
                    output=str(dump),
                    indent=None,
                    format="gaoxinjson",
                    verbosity=0,
                )
            except CommandError:  # Django's English "Unable to serialize database: …"
                if options.get("traceback"):
                    raise
                raise CommandError(
                    _("备份失败：无法读取数据库（数据库是否已初始化？可先运行 gaoxin migrate）")
                ) from None
            staged = target.with_name(target.name + ".partial")
            files = stored_files()
            if files:
                write_tar_backup(dump, staged, files)
            else:
                with open(dump, "rb") as src, gzip.open(staged, "wb", compresslevel=6) as dst:
                    shutil.copyfileobj(src, dst, 1024 * 1024)
            os.replace(staged, target)  # a crash never leaves a half-written backup
        said = _("已备份到 %(file)s（%(kb)d KB）") % {
            "file": target,
            "kb": target.stat().st_size // 1024,
        }
        if files:
            said += _("，含附件 %(n)d 个") % {"n": len(files)}
        self.stdout.write(said)
