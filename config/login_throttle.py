"""Login lockout: per (user name, address) as django-axes does it, plus a throttle on many
user names from one address (password spraying).

Why nobody can lock a named user out from outside: failures count against the pair (user
name, client address), so guesses from an attacker's address lock only that pair; the user
logging in from their own address is not affected. The spraying throttle counts per address
too. Both rely on a client address that the client cannot choose: config/client_ip.py reads
X-Forwarded-For only behind the configured number of proxies, and the compose file publishes
the app only on loopback, for the TLS proxy in front of it."""

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone


def usernames_failed_from(address: str, request=None) -> int:
    """Distinct user names with failed logins from this address within the cool-off time."""
    since = timezone.now() - (get_cool_off(request) or timedelta(hours=1))
    return (
        AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
        .values("username")
        .distinct()
        .count()
    )


class ThrottledAxesHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
        limit = getattr(settings, "AXES_USERNAMES_PER_ADDRESS_LIMIT", 10)
        if address and usernames_failed_from(address, request) >= limit:
            return max(failures, get_failure_limit(request, credentials))
        return failures
