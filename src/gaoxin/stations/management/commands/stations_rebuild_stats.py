"""`gaoxin rebuild-stats --zone ZONE_CODE`: recompute a zone's station statistics from the records.

For repair (a restored backup, a hand-edited database) and as a check: the
rollups are rebuilt from Checkin / WalkinBatch one station at a time, so
check-ins elsewhere carry on meanwhile.
"""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gaoxin.registry.management.commands.import_xlsx import zone_by_code
from gaoxin.stations import selectors, services


class Command(BaseCommand):
    help = "从签到记录重新计算一个园区的驿站统计：stations_rebuild_stats --zone 园区代码"

    def add_arguments(self, parser):
        parser.add_argument("--zone", help=_("园区代码"))

    def handle(self, *args, zone, **options):
        target = zone_by_code(zone)
        before = selectors.zone_visits_total(zone=target)
        started = time.monotonic()
        shown = set()

        def progress(done: int, total: int) -> None:
            step = done * 10 // total
            if step not in shown or done == total:
                shown.add(step)
                self.stderr.write(
                    _("已重算 %(done)d/%(total)d 个驿站") % {"done": done, "total": total}
                )

        rows = services.stats_rebuild(zone=target, progress=progress)
        after = selectors.zone_visits_total(zone=target)
        self.stdout.write(
            _(
                "%(zone)s：统计已从记录重算，%(rows)d 行，用时 %(s).1f 秒；累计服务 %(before)d → %(after)d 人次"
            )
            % {
                "zone": target.name,
                "rows": rows,
                "s": time.monotonic() - started,
                "before": before,
                "after": after,
            }
        )
