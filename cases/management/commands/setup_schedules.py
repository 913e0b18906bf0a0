"""Create or update every periodic schedule the apps register (cases/schedules.py), and remove
this project's schedules that are no longer registered. Idempotent."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from cases.schedules import Schedule, registered_schedules


def project_app_labels() -> set[str]:
    """Labels of this project's own apps: schedules named '<label>.…' are ours to remove."""
    base = Path(settings.BASE_DIR).resolve()
    return {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(base)
        and "site-packages" not in Path(config.path).parts
    }


def _timing(schedule: Schedule) -> dict:
    if schedule.every_minutes is not None:
        interval = IntervalSchedule.objects.filter(
            every=schedule.every_minutes, period=IntervalSchedule.MINUTES
        ).first() or IntervalSchedule.objects.create(
            every=schedule.every_minutes, period=IntervalSchedule.MINUTES
        )
        return {"interval": interval, "crontab": None}
    fields = {"minute": "*", "hour": "*", "day_of_week": "*", "day_of_month": "*"}
    fields |= {"month_of_year": "*"} | schedule.crontab
    crontab = CrontabSchedule.objects.filter(
        **fields, timezone=settings.TIME_ZONE
    ).first() or CrontabSchedule.objects.create(**fields, timezone=settings.TIME_ZONE)
    return {"interval": None, "crontab": crontab}


class Command(BaseCommand):
    help = "Create or update the periodic tasks run by celery beat (django-celery-beat)."

    @transaction.atomic
    def handle(self, *args, **options):
        schedules = registered_schedules()
        for name, schedule in schedules.items():
            timing = _timing(schedule)
            _, created = PeriodicTask.objects.update_or_create(
                name=name,
                defaults={
                    "task": schedule.task,
                    **timing,
                    "solar": None,
                    "clocked": None,
                    "expire_seconds": schedule.expire_seconds,
                    "one_off": False,
                },
                # An administrator may pause a schedule; running the command again keeps that.
                create_defaults={
                    "task": schedule.task,
                    **timing,
                    "expire_seconds": schedule.expire_seconds,
                    "enabled": True,
                },
            )
            self.stdout.write(f"{'created' if created else 'updated'} {name}")
        for task in PeriodicTask.objects.exclude(name__in=schedules).order_by("name"):
            if task.name.split(".", 1)[0] in project_app_labels():
                task.delete()
                self.stdout.write(f"removed {task.name}")
