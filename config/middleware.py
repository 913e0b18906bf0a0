"""Responses of the application are never stored by a browser or a shared cache.

Nearly every page shows personal data about children, and the centres' machines are shared:
a page must not come back from the browser cache or a proxy after logout. Static files are
served before this (WhiteNoise) and keep their long cache lifetimes."""

from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        elif "no-store" not in response["Cache-Control"]:
            patch_cache_control(response, private=True, no_store=True)
        return response
