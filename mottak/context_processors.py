"""The main menu, built from the capabilities the apps register (mottak.access)."""

from django.urls import reverse

from .access import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    return {"menu": [(entry.label, reverse(entry.url_name)) for entry in menu_for(user)]}
