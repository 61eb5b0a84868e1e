"""`gaoxin export {enterprises|people} FILE --zone ZONE_CODE`: one zone's roster, masked."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gaoxin.registry.exports import export_xlsx
from gaoxin.registry.imports import kind_label
from gaoxin.registry.management.commands.import_xlsx import ProgressLine, parse_kind, zone_by_code


class Command(BaseCommand):
    help = "导出一个园区的名册（号码已脱敏）：export_xlsx {enterprises|people} FILE --zone 园区代码"

    def add_arguments(self, parser):
        parser.add_argument("kind", help=_("enterprises（企业）或 people（人员）"))
        parser.add_argument("file", help=_("要写入的 .xlsx 文件"))
        parser.add_argument("--zone", help=_("园区代码"))

    def handle(self, *args, kind, file, zone, **options):
        kind = parse_kind(kind)
        target_zone = zone_by_code(zone)
        path = Path(file)
        if path.parent and not path.parent.exists():
            raise CommandError(_("目录不存在：%(dir)s") % {"dir": path.parent})
        staged = path.with_name(path.name + ".partial")
        progress = ProgressLine(self.stderr, (_("导出"),))
        try:
            with open(staged, "wb") as fh:
                count = export_xlsx(
                    user=None, kind=kind, zone_id=target_zone.pk, fileobj=fh, progress=progress
                )
            os.replace(staged, path)  # never leave a half-written file under the real name
        finally:
            progress.finish()
            staged.unlink(missing_ok=True)
        self.stdout.write(
            _("已导出 %(n)d 条%(kind)s记录到 %(path)s（号码已脱敏）")
            % {"n": count, "kind": kind_label(kind), "path": path}
        )
