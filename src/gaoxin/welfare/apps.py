from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    name = "gaoxin.welfare"
    label = "welfare"
    verbose_name = _("关爱福利")
