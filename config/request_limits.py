"""The request body is capped before anything reads it.

Django reads a multipart body (an upload) into memory or a temporary file when a view first
touches `request.POST` or `request.FILES`, and `DATA_UPLOAD_MAX_MEMORY_SIZE` does not count
files. This middleware looks only at the declared Content-Length — the WSGI input is read no
further than it says — and answers 413 with a page in the user's language when it is above
REQUEST_MAX_BODY_BYTES (the largest upload, 10 MB, plus room for the form's other fields).
A body without a length (chunked) is read by Django as empty. The reverse proxy in front
should refuse the same size (nginx `client_max_body_size 11m`).
"""

from django.conf import settings
from django.shortcuts import render


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads such a body as empty
        limit = settings.REQUEST_MAX_BODY_BYTES
        if length > limit:
            response = render(
                request,
                "request_too_large.html",
                {"limit_mb": limit // (1024 * 1024)},
                status=413,
            )
            # The unread body must not be taken for the next request on this connection.
            response["Connection"] = "close"
            return response
        return self.get_response(request)
