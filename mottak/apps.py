from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MottakConfig(AppConfig):
    name = "mottak"
    verbose_name = _("Reception centres")

    def ready(self):
        from cases.schedules import register_schedule

        # Turning 18 is a date, not a write: a daily check publishes it (mottak/events.py).
        register_schedule(
            "mottak.publish_turned_18",
            "mottak.publish_turned_18",
            crontab={"minute": "10", "hour": "0"},
            expire_seconds=6 * 3600,
        )
