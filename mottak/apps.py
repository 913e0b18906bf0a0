from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MottakConfig(AppConfig):
    name = "mottak"
    verbose_name = _("Reception centres")

    def ready(self):
        # The case engine knows no app above it: mottak tells it the notices it owns.
        from . import purposes

        purposes.register()
