"""Fixtures of the leave routine: applications registered through the service."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases.tests.upload_samples import minimal_pdf
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

    def make(resident, *, contacts=None, by=None, interview_held=True, **kwargs):
        data = leave_data(**kwargs)
        if interview_held:
            interview_held_for(resident)
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


def interview_held_for(resident):
    """The asylum interview held: no R-5 warning stands in the way of the leave."""
    from mottak.models import Appointment

    Appointment.objects.get_or_create(
        resident=resident,
        kind=Appointment.Kind.ASYLUM_INTERVIEW,
        defaults={"starts_at": timezone.now() - timedelta(days=20), "held": True},
    )


# The structured answers of the PERM-4 steps that have one: a leave with nothing against it.
ANSWERS = {
    "d_met": {"meeting": "met"},
    "d_id_copy": {"document_type": "Pass", "document_number": "NO1234567"},
    "d_references": {
        "reference": {
            "name": "Lærer Lise",
            "role": "Lærer",
            "contact": "+47 911 11 111",
            "statement": "Kjenner familien godt.",
            "suitable": "yes",
        }
    },
    "e_representative": {"answer": "supports"},
    "f_police": {"answer": "no_objection"},
    "safety": {"answer": "safe"},
}


ID_COPY = minimal_pdf("ID copy")


def id_copy():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("id.pdf", ID_COPY, content_type="application/pdf")


def prepare(application, by, *, skip=(), answers=None):
    """Record every required PERM-4 step (the ID copy with a document), with the answers of
    ANSWERS unless `answers` says otherwise for a step."""
    from permisjon.routine import ATTACHMENT_STEP_CODES, REQUIRED_STEP_CODES

    given = ANSWERS | (answers or {})
    for code in sorted(REQUIRED_STEP_CODES - set(skip)):
        application = services.leave_application_prepare_step(
            application=application,
            step_code=code,
            by=by,
            note="Ok",
            attachment=id_copy() if code in ATTACHMENT_STEP_CODES else None,
            answers=given.get(code),
        )
    return application


def signed_agreement():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("avtale.pdf", ID_COPY, content_type="application/pdf")


def ready_to_leave(application, by, *, leader=None):
    """PERM-5 before departure: the centre issues the agreement where the region granted, the
    signed copy is uploaded, the representative told in writing and orally."""
    from permisjon.selectors import dispatches_of

    application.refresh_from_db()
    if not dispatches_of(application).filter(purpose="letter").exists():
        services.leave_application_issue_agreement(application=application, by=by)
    services.leave_application_upload_signed_agreement(
        application=application, attachment=signed_agreement(), by=by
    )
    notices = list(dispatches_of(application).filter(purpose="leave_notice"))
    if notices:
        send_out(*[d for d in notices if d.awaits_sending], by=by)
    else:
        services.leave_application_notify_representative(
            application=application,
            by=by,
            name="Rita Representant",
            address="Vei 1, 0150 Oslo",
            channel="by_hand",
        )
        send_out(*dispatches_of(application).filter(purpose="leave_notice"), by=by)
    services.leave_application_representative_told_orally(
        application=application, at=timezone.now(), note="Ok", by=by
    )
    application.refresh_from_db()
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
