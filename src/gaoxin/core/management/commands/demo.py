from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.demo import DEMO_PASSWORD, demo_loaded, load_demo


class Command(BaseCommand):
    help = gettext_lazy("加载演示园区数据（五个高新区）：gaoxin demo")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help=_("生产配置下也加载（慎用）"))

    def handle(self, *args, force, **options):
        if not getattr(settings, "GAOXIN_DEMO_ALLOWED", False) and not force:
            raise CommandError(_("生产配置下不加载演示数据；确需加载请加 --force"))
        call_command("migrate", interactive=False, verbosity=0)  # a fresh file works too
        if demo_loaded():
            self.stdout.write(_("演示数据已存在，未重复加载"))
            return
        self.stdout.write(_("正在加载演示数据 …"))
        load_demo(echo=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                _("演示数据已加载；所有演示账号的密码为 %(pw)s") % {"pw": DEMO_PASSWORD}
            )
        )
