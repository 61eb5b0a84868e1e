from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    name = "gaoxin.welfare"
    label = "welfare"
    verbose_name = _("关爱福利")

    def ready(self):
        # What a worker claimed is a benefit other programs check before paying for the
        # same need (gaoxin.core.benefits; programs never import each other).
        from gaoxin.core.benefits import benefit_source_declare
        from gaoxin.welfare.selectors import person_benefits

        benefit_source_declare("welfare", person_benefits)
