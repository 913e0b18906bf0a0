from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mottak.demo import DEMO_BACKUP_CODES, DEMO_TOTP_SECRET, demo_logins, demo_seed


class Command(BaseCommand):
    help = (
        "Load the fictional demo data (regions, centres, residents, one user per role, and the "
        "routines' live cases: leaves, missing reports, deadlines, alerts). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. The demo users share a published password.",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo users with a shared password while DEBUG is off; "
                "use --force on a machine that is not production."
            )
        result = demo_seed()
        if result.total_created:
            made = ", ".join(f"{n} {name}" for name, n in result.created.items() if n)
            self.stdout.write(f"Demo data loaded: {made}.")
        else:
            self.stdout.write("Demo data already present: nothing created.")
        self.stdout.write("Demo logins (username / password / role):")
        for username, password, role in demo_logins():
            self.stdout.write(f"  {username:<12} {password}   {role}")
        self.stdout.write(
            "Second factor, the same for every demo user: a backup code, each once per user "
            f"until the next seed ({', '.join(DEMO_BACKUP_CODES)}), or an authenticator app "
            f"set up with the key {DEMO_TOTP_SECRET}."
        )
