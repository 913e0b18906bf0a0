"""Create or update every periodic schedule of the project, in one place. Idempotent."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import IntervalSchedule, PeriodicTask

# name → (task, every N minutes, expire seconds). A run not started within the expiry is
# dropped: the next one a minute later does the same work, so a backlog never piles up.
SCHEDULES = {
    "cases.sweep_deadlines": ("cases.sweep_deadlines", 1, 50),
    # A render whose message was lost while the broker was down is queued again.
    "cases.requeue_stale_dispatches": ("cases.requeue_stale_dispatches", 5, 240),
    # Uploads whose transaction rolled back after the file was written.
    "cases.delete_orphan_files": ("cases.delete_orphan_files", 60, 3000),
}


class Command(BaseCommand):
    help = "Create or update the periodic tasks run by celery beat (django-celery-beat)."

    @transaction.atomic
    def handle(self, *args, **options):
        for name, (task, minutes, expire_seconds) in SCHEDULES.items():
            interval = IntervalSchedule.objects.filter(
                every=minutes, period=IntervalSchedule.MINUTES
            ).first() or IntervalSchedule.objects.create(
                every=minutes, period=IntervalSchedule.MINUTES
            )
            _, created = PeriodicTask.objects.update_or_create(
                name=name,
                defaults={
                    "task": task,
                    "interval": interval,
                    "crontab": None,
                    "solar": None,
                    "clocked": None,
                    "expire_seconds": expire_seconds,
                    "one_off": False,
                },
                # An administrator may pause a schedule; running the command again keeps that.
                create_defaults={
                    "task": task,
                    "interval": interval,
                    "expire_seconds": expire_seconds,
                    "enabled": True,
                },
            )
            self.stdout.write(f"{'created' if created else 'updated'} {name}")
