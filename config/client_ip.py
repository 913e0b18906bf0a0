"""The client address behind a known number of reverse proxies, for login lockout."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """Each trusted proxy appends the address it saw; earlier entries can be forged by the client."""
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count and len(hops) >= count:
        return hops[-count]
    return request.META.get("REMOTE_ADDR", "")
