"""Fixtures of the leave routine: applications registered through the service."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from permisjon import services


def leave_data(*, starts_in_days=10, length_days=7, **extra) -> services.LeaveApplicationData:
    departure = (timezone.localtime() + timedelta(days=starts_in_days)).replace(
        hour=12, minute=0, second=0, microsecond=0
    )
    fields = dict(
        departure_at=departure,
        return_at=departure + timedelta(days=length_days, hours=6),
        destination_address="Storgata 1, 0155 Oslo",
        destination_municipality="Oslo",
        reason="Besøke tante",
    )
    fields.update(extra)
    return services.LeaveApplicationData(**fields)


def contact(**extra) -> services.ContactPersonData:
    fields = dict(
        name="Kari Kontakt",
        address="Storgata 1, 0155 Oslo",
        date_of_birth=date(1980, 5, 17),
        relation="Tante",
        phone="+47 900 00 000",
    )
    fields.update(extra)
    return services.ContactPersonData(**fields)


@pytest.fixture
def submit(staff):
    """submit(resident, **leave_data kwargs, contacts=[...]) → a new application."""

    def make(resident, *, contacts=None, by=None, **kwargs):
        data = leave_data(**kwargs)
        return services.leave_application_submit(
            resident=resident,
            data=data,
            contact_persons=contacts if contacts is not None else [contact()],
            by=by or staff,
            # A leave already under way is recorded as applied for before it began (PERM-1
            # refuses a departure in the past at input).
            now=min(timezone.now(), data.departure_at - timedelta(days=1)),
        )

    return make


ID_COPY = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def id_copy():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("id.pdf", ID_COPY, content_type="application/pdf")


def prepare(application, by, *, skip=()):
    """Record every required PERM-4 step (the ID copy with a document)."""
    from permisjon.routine import ATTACHMENT_STEP_CODES, REQUIRED_STEP_CODES

    for code in sorted(REQUIRED_STEP_CODES - set(skip)):
        application = services.leave_application_prepare_step(
            application=application,
            step_code=code,
            by=by,
            note="Ok",
            attachment=id_copy() if code in ATTACHMENT_STEP_CODES else None,
        )
    return application


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english(settings):
    """Assertions read the message ids, whatever the Norwegian catalogue holds."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def send_out(*dispatches, by):
    """R-13: render the notices and record them as sent, as staff do after posting them."""
    from cases.services import dispatch_mark_sent, dispatch_render

    for dispatch in dispatches:
        dispatch_render(dispatch_id=dispatch.pk)
        dispatch.refresh_from_db()
        dispatch_mark_sent(dispatch=dispatch, by=by)
