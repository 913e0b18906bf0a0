"""One way to hand out a stored private file: read-logged, never cached, 404 when gone."""

from django.http import FileResponse, Http404

from .services import read_log_record


def private_file_response(
    *, user, stored_file, log_subject, log_detail: str, filename: str, content_type: str
) -> FileResponse:
    """Call only after the access layer has allowed `user` to see `log_subject`."""
    if not stored_file:
        raise Http404
    try:
        handle = stored_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    read_log_record(user=user, subject=log_subject, action="download", detail=log_detail)
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
