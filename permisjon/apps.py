from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermisjonConfig(AppConfig):
    name = "permisjon"
    verbose_name = _("Leave")

    def ready(self):
        from . import purposes

        purposes.register()  # the notices the routine below sends
        from . import routine  # noqa: F401 - declares and registers the routine
