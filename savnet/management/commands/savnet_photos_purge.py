"""Retention of residents' photos (SAV-3): the nightly retention job (cases/retention.py) does it
too; this runs it now, with another period if given."""

from django.core.management.base import BaseCommand

from savnet.services.profiles import resident_photos_purge


class Command(BaseCommand):
    help = (
        "Delete the photos of residents who left more than N months ago (no open stay, not "
        "missing now) and photo files no record refers to."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months", type=int, default=None, help="Instead of the configured period."
        )

    def handle(self, *args, months: int, **options):
        rows, files = resident_photos_purge(months=months)
        self.stdout.write(f"{rows} photos deleted, {files} files without a record removed.")
