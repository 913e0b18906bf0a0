from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SavnetConfig(AppConfig):
    name = "savnet"
    verbose_name = _("Missing minors")

    def ready(self):
        from .checklist import register_checklists

        register_checklists()
