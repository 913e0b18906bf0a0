"""KART-16, SAV-12: what each record type keeps and how much the retention job deleted."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from cases.retention import retention_report, retention_run


class Command(BaseCommand):
    help = (
        "Print each record type's retention period and how many records (and rows and files of "
        "each kind) were deleted; --run deletes what has expired first, as the nightly job does."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Only deletions this recent.")
        parser.add_argument("--run", action="store_true", help="Run the retention job first.")

    def handle(self, *args, days, run, **options):
        if run:
            result = retention_run()
            self.stdout.write(f"Retention job: {result.as_dict()}")
        since = timezone.now() - timedelta(days=days) if days is not None else None
        for row in retention_report(since=since):
            ((unit, count),) = row["period"].items()
            counts = ", ".join(f"{key} {value}" for key, value in row["counts"].items()) or "-"
            self.stdout.write(
                f"{row['record_type']}: kept {count} {unit} from {row['runs_from']}; "
                f"{row['deleted']} deleted ({counts})"
            )
