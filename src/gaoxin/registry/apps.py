from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "gaoxin.registry"
    label = "registry"
    verbose_name = _("基础数据")  # where enterprises, people and departments always were
