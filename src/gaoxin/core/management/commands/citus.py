from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from gaoxin.core import citus


class Command(BaseCommand):
    help = _("按园区分布（Citus）：gaoxin citus check | distribute")

    def add_arguments(self, parser):
        parser.add_argument(
            "action",
            choices=["check", "distribute"],
            help=_("check：检查表结构能否按园区分布；distribute：把本库的表分布到 Citus 集群"),
        )

    def handle(self, *args, action, **options):
        """`check` reads the migrated schema from the database's catalogue;
        `distribute` refuses while the check finds anything, then moves the data."""
        if connection.vendor != "postgresql":
            raise CommandError(
                _("按园区分布需要 PostgreSQL 数据库（当前为 %s）") % connection.vendor
            )
        tenant = citus.tenant_tables()
        problems = citus.catalog_problems(connection, is_tenant=tenant.__contains__)
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(_("有 %d 处表结构不能按园区分布，见上") % len(problems))
        if action == "check":
            self.stdout.write(_("表结构可以按园区分布：%d 张分区表") % len(tenant))
            return
        if not citus.is_citus(connection):
            raise CommandError(_("此数据库没有安装 Citus 扩展，请连接 Citus 协调节点"))
        steps = citus.distribute(connection, is_tenant=tenant.__contains__)
        distributed = sum(1 for _table, kind in steps if kind == "distributed")
        self.stdout.write(
            _("已分布 %(distributed)d 张分区表、%(reference)d 张全局表（此前已分布的不变）")
            % {"distributed": distributed, "reference": len(steps) - distributed}
        )
