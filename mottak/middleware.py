"""No personal data and no admin page for a session that has not passed the second factor.

A logged-in user whose session is not verified (django_otp's OTPMiddleware sets
`user.is_verified()`) is sent to the code page, or to enrolment when the user has no device
yet. Only the pages needed to get there stay open: those two, logout, the language switch and
the health probe. Anonymous requests pass untouched (every view asks for a login itself)."""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse

from .services.mfa import mfa_is_enrolled

OPEN_URL_NAMES = ("logout", "mfa_verify", "mfa_enrol", "set_language", "healthz")


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths: frozenset[str] | None = None

    def open_paths(self) -> frozenset[str]:
        if self._open_paths is None:
            self._open_paths = frozenset(reverse(name) for name in OPEN_URL_NAMES)
        return self._open_paths

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and request.path not in self.open_paths()
        ):
            target = reverse("mfa_verify" if mfa_is_enrolled(user) else "mfa_enrol")
            if request.method == "GET":
                target = f"{target}?{urlencode({'next': request.get_full_path()})}"
            return HttpResponseRedirect(target)
        return self.get_response(request)
