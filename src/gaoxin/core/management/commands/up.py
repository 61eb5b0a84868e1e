"""`gaoxin up`: migrate, load the demo into an empty database, serve with gunicorn."""

import os
import shutil
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.demo import DEMO_PASSWORD, accounts_table, demo_loaded, load_demo

WILDCARD_HOSTS = ("0.0.0.0", "::", "")


def public_url(*, host: str, port: int, environ=os.environ) -> str:
    """The address QR posters carry. GAOXIN_PUBLIC_URL when set (behind a proxy or a
    domain name); else the address `gaoxin up` serves on; else (listening on every
    interface: no single address phones can reach) "", and each poster follows the
    address its page was asked on."""
    configured = environ.get("GAOXIN_PUBLIC_URL", "").strip()
    if configured:
        return configured.rstrip("/")
    if host in WILDCARD_HOSTS:
        return ""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class Command(BaseCommand):
    help = gettext_lazy("迁移数据库、空库时加载演示数据，并启动服务（gunicorn）")

    def add_arguments(self, parser):
        parser.add_argument(
            "--host",
            default=os.environ.get("GAOXIN_HOST", "127.0.0.1"),
            help=_("监听地址（默认 127.0.0.1；0.0.0.0 表示所有网卡）"),
        )
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("GAOXIN_PORT", "8000")),
            help=_("端口（默认 8000）"),
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("GAOXIN_WORKERS", "3")),
            help=_("gunicorn 工作进程数（默认 3）"),
        )
        parser.add_argument("--demo", action="store_true", help=_("生产配置下也加载演示数据"))
        parser.add_argument("--no-serve", action="store_true", help=_("只准备数据库，不启动服务"))

    def handle(self, *args, host, port, workers, demo, no_serve, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(_("数据库已迁移"))
        from gaoxin.core.models import Zone

        if not Zone.objects.exists():
            if getattr(settings, "GAOXIN_DEMO_ALLOWED", False) or demo:
                self.stdout.write(_("空数据库：加载演示数据 …"))
                load_demo(echo=self.stdout.write)
            else:
                self.stdout.write(_("空数据库（生产配置，不加载演示数据；需要时加 --demo）"))
        call_command("collectstatic", interactive=False, verbosity=0)
        self._print_login(host, port)
        if no_serve:
            return
        # The workers read their settings from the environment: posters follow this address.
        os.environ["GAOXIN_PUBLIC_URL"] = public_url(host=host, port=port)
        sys.stdout.flush()
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
        argv = [
            gunicorn,
            "config.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--timeout",
            "120",
            "--access-logfile",
            "-",
            "--error-logfile",
            "-",
            # full ID and phone numbers masked in every logged request line
            "--logger-class",
            "gaoxin.core.logging.MaskingGunicornLogger",
        ]
        os.execvpe(argv[0], argv, os.environ)

    def _print_login(self, host: str, port: int) -> None:
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        self.stdout.write("")
        base = f"http://{shown}:{port}"
        self.stdout.write(_("高新平台： %(base)s/   后台： %(base)s/admin/") % {"base": base})
        self.stdout.write(_("接口文档： %(base)s/api/v1/docs") % {"base": base})
        if demo_loaded():
            self.stdout.write(_("演示账号（密码均为 %(pw)s）：") % {"pw": DEMO_PASSWORD})
            rows = accounts_table()
            for username, role, zone in rows[:2] + [
                r for r in rows if r[0].startswith("zhaoqing.")
            ]:
                self.stdout.write(f"  {username:<22} {role:<14} {zone}")
            self.stdout.write(
                _("  其余园区同理：xiamen.* jinan.* xianning.* ankang.*（见 README）")
            )
        self.stdout.write("")
