"""`gaoxin import`: load an Excel roster into one zone, all rows or none.

    gaoxin import {enterprises|people} FILE --zone ZONE_CODE [--dry-run] [--user NAME]
    gaoxin import --template {enterprises|people} FILE

Run by the operator, records are audited as "system" unless --user names the
staff member on whose behalf (and with whose permissions) the import runs.
"""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gaoxin.core.errors import ApplicationError, Forbidden, NotFound
from gaoxin.core.models import User, Zone
from gaoxin.registry.imports import ImportResult, import_xlsx, kind_label, template_workbook

SHOW_ERRORS = 50
SHOW_WARNINGS = 20
KIND_ALIASES = {
    "enterprises": "enterprises",
    "enterprise": "enterprises",
    "企业": "enterprises",
    "people": "people",
    "person": "people",
    "人员": "people",
}


def parse_kind(value: str) -> str:
    kind = KIND_ALIASES.get((value or "").strip().lower())
    if kind is None:
        raise CommandError(
            _("名册类型应为 enterprises（企业）或 people（人员），而不是“%(v)s”") % {"v": value}
        )
    return kind


def zone_by_code(code: str | None) -> Zone:
    codes = "、".join(Zone.objects.order_by("code").values_list("code", flat=True)) or _("（无）")
    if not code:
        raise CommandError(_("请用 --zone 指定园区代码。现有园区：%(codes)s") % {"codes": codes})
    zone = Zone.objects.filter(code=code).first()
    if zone is None:
        raise CommandError(
            _("没有代码为“%(code)s”的园区。现有园区：%(codes)s") % {"code": code, "codes": codes}
        )
    return zone


class ProgressLine:
    """Progress of an import or export on stderr.

    On a terminal one line is rewritten in place ("校验 45000/100000 行 (45%)");
    in a log, a line is printed every 10%. A call with done == 0 starts the
    next phase label.
    """

    def __init__(self, stream, labels: tuple[str, ...]):
        self.stream = stream
        self.labels = labels
        self.tty = stream.isatty()
        self.phase = -1
        self.step = -1
        self.open_line = False

    def __call__(self, done: int, total: int) -> None:
        if done == 0:
            self.finish()
            self.phase += 1
            self.step = -1
        label = self.labels[min(max(self.phase, 0), len(self.labels) - 1)]
        if total:
            pct = min(100, done * 100 // total)
            text = _("%(label)s %(done)d/%(total)d 行 (%(pct)d%%)") % {
                "label": label,
                "done": done,
                "total": total,
                "pct": pct,
            }
            step = pct // 10
        else:
            text = _("%(label)s %(done)d 行") % {"label": label, "done": done}
            step = done // 10_000
        if self.tty:
            self.stream.write("\r" + text + "\x1b[K", ending="")
            self.stream.flush()
            self.open_line = True
            if total and done >= total:
                self.finish()
        elif step != self.step:
            self.stream.write(text)
        self.step = step

    def finish(self) -> None:
        if self.open_line:
            self.stream.write("")
            self.open_line = False


class Command(BaseCommand):
    help = (
        "导入 Excel 名册（全部成功或全部不导入）："
        "import_xlsx {enterprises|people} FILE --zone 园区代码 [--dry-run]；"
        "生成导入模板：import_xlsx --template {enterprises|people} FILE"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "targets",
            nargs="*",
            metavar="KIND FILE",
            help=_("名册类型（enterprises 或 people）和 .xlsx 文件"),
        )
        parser.add_argument("--zone", help=_("园区代码"))
        parser.add_argument("--dry-run", action="store_true", help=_("只校验，不写入"))
        parser.add_argument("--template", metavar="KIND", help=_("把该类名册的导入模板写到 FILE"))
        parser.add_argument("--user", help=_("以该用户的身份和权限导入（记入审计）"))
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=_("校验大文件时并行的进程数（默认按 CPU 核数，最多 4）"),
        )

    def handle(self, *args, targets, zone, dry_run, template, user, workers, **options):
        if template:
            if len(targets) != 1:
                raise CommandError(_("用法：import_xlsx --template {enterprises|people} FILE"))
            return self._template(parse_kind(template), Path(targets[0]))
        if len(targets) != 2:
            raise CommandError(_("用法：import_xlsx {enterprises|people} FILE --zone 园区代码"))
        kind, path = parse_kind(targets[0]), Path(targets[1])
        target_zone = zone_by_code(zone)
        if not path.is_file():
            raise CommandError(_("找不到文件：%(path)s") % {"path": path})
        actor = None
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(_("没有用户名为“%(u)s”的有效用户") % {"u": user})

        progress = ProgressLine(self.stderr, (_("校验"), _("写入")))
        try:
            result = import_xlsx(
                actor=actor,
                zone=target_zone,
                kind=kind,
                fileobj=path,
                progress=progress,
                dry_run=dry_run,
                workers=workers or min(4, os.cpu_count() or 1),
            )
        except (Forbidden, NotFound):
            progress.finish()
            raise CommandError(
                _("用户“%(u)s”没有在%(zone)s导入%(kind)s的权限，未导入任何数据。")
                % {"u": user, "zone": target_zone.name, "kind": kind_label(kind)}
            ) from None
        except ApplicationError as exc:
            progress.finish()
            raise CommandError(
                _("%(message)s。未导入任何数据。") % {"message": exc.message.rstrip("。")}
            ) from None
        progress.finish()
        self._report(result)

    def _template(self, kind: str, path: Path) -> None:
        if path.parent and not path.parent.exists():
            raise CommandError(_("目录不存在：%(dir)s") % {"dir": path.parent})
        path.write_bytes(template_workbook(kind))
        self.stdout.write(
            _("已写入%(kind)s导入模板：%(path)s") % {"kind": kind_label(kind), "path": path}
        )

    def _report(self, result: ImportResult) -> None:
        for warning in result.warnings[:SHOW_WARNINGS]:
            self.stderr.write(_("提示：%(w)s") % {"w": warning})
        if len(result.warnings) > SHOW_WARNINGS:
            self.stderr.write(
                _("……另有 %(n)d 条提示") % {"n": len(result.warnings) - SHOW_WARNINGS}
            )
        if not result.ok:
            for error in result.errors[:SHOW_ERRORS]:
                self.stderr.write(str(error))
            hidden = len(result.errors) - SHOW_ERRORS
            if hidden > 0:
                more = "+" if result.errors_truncated else ""
                self.stderr.write(
                    _("……另有 %(n)d%(more)s 处错误未列出") % {"n": hidden, "more": more}
                )
            raise CommandError(
                _("%(n)d 行有错误，未导入任何数据。请改正后重新导入整个文件。")
                % {"n": result.failed_rows}
            )
        kind = kind_label(result.kind)
        if result.dry_run:
            self.stdout.write(
                _("校验通过：%(n)d 条%(kind)s记录均可导入到 %(zone)s（--dry-run，未写入）")
                % {"n": result.rows, "kind": kind, "zone": result.zone.name}
            )
        else:
            self.stdout.write(
                _("已导入 %(n)d 条%(kind)s记录到 %(zone)s")
                % {"n": result.created, "kind": kind, "zone": result.zone.name}
            )
