from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MottakConfig(AppConfig):
    name = "mottak"
    verbose_name = _("Reception centres")

    def ready(self):
        # The case engine knows no app above it: mottak tells it its notices and its access
        # layer.
        from cases import access as case_access

        from . import access, purposes

        purposes.register()
        case_access.register(
            subject_access=access.access_subject,
            centres_visible=access.centres_visible_to,
            residents_visible=access.residents_visible_to,
        )
