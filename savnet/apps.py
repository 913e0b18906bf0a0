from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SavnetConfig(AppConfig):
    name = "savnet"
    verbose_name = _("Missing minors")

    def ready(self):
        from . import purposes

        purposes.register()  # the notices and consent row the routine below uses
        from . import routine  # noqa: F401 - declares and registers the routine
