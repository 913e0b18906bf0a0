"""Retention of residents' photos (SAV-3): run daily, e.g. from cron or the beat schedule."""

from django.core.management.base import BaseCommand

from savnet.services.profiles import PHOTO_RETENTION_MONTHS, resident_photos_purge


class Command(BaseCommand):
    help = (
        "Delete the photos of residents who left more than N months ago (no open stay, not "
        "missing now) and photo files no record refers to."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=PHOTO_RETENTION_MONTHS)

    def handle(self, *args, months: int, **options):
        rows, files = resident_photos_purge(months=months)
        self.stdout.write(f"{rows} photos deleted, {files} files without a record removed.")
