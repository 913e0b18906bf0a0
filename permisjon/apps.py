from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermisjonConfig(AppConfig):
    name = "permisjon"
    verbose_name = _("Leave")

    def ready(self):
        from . import handlers, routine  # noqa: F401 - routine: declares and registers it

        handlers.register()
