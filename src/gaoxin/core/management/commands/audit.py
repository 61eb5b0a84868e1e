from django.core.management.base import BaseCommand, CommandError

from gaoxin.core.audit import audit_verify, integrity_checks


class Command(BaseCommand):
    help = "审计链校验：gaoxin audit verify"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"], help="verify：重新计算哈希链")

    def handle(self, *args, action, **options):
        """The audit chains, then every registered record check (the ledger's
        seals); all are reported before the exit status says whether any failed."""
        failures = []
        checked, problems = audit_verify()
        if problems:
            for p in problems:
                zone = f"园区 {p.zone_id}" if p.zone_id else "平台"
                self.stderr.write(
                    f"审计链断裂：{zone} 链第 {p.seq} 条（记录编号 {p.entry_id}）：{p.reason}"
                )
            failures.append(f"共检查 {checked} 条审计记录，{len(problems)} 条链被篡改")
        else:
            self.stdout.write(f"审计链完好：共检查 {checked} 条记录")
        for check in integrity_checks():
            what, count, found = check()
            for line in found:
                self.stderr.write(line)
            if found:
                failures.append(f"共检查 {count} 条{what}记录，发现 {len(found)} 处问题")
            else:
                self.stdout.write(f"{what}完好：共检查 {count} 条记录")
        if failures:
            raise CommandError("；".join(failures))
