from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Case engine")

    def ready(self):
        from . import checks  # noqa: F401 - registers the checks that the registered rules fit
        from .schedules import register_schedule

        # The deadline sweep: reminders, escalations and on-due handlers.
        register_schedule(
            "cases.sweep_deadlines", "cases.sweep_deadlines", every_minutes=1, expire_seconds=50
        )
        # A render whose message was lost (broker down at the commit, or its whole worker
        # killed) is queued again: every minute, so it is done within two minutes.
        register_schedule(
            "cases.requeue_stale_dispatches",
            "cases.requeue_stale_dispatches",
            every_minutes=1,
            expire_seconds=50,
        )
        # Uploads whose transaction rolled back after the file was written.
        register_schedule(
            "cases.delete_orphan_files",
            "cases.delete_orphan_files",
            every_minutes=60,
            expire_seconds=3000,
        )
        # Life events (stay opened/ended, turned 18 …) to the handlers apps register (P9).
        register_schedule(
            "cases.drain_case_events",
            "cases.drain_case_events",
            every_minutes=1,
            expire_seconds=50,
        )
        # Retention per record type (KART-16, SAV-12): the nightly deletion job.
        register_schedule(
            "cases.retention_run",
            "cases.retention_run",
            crontab={"minute": "30", "hour": "2"},
            expire_seconds=3 * 3600,
        )
