"""Decision → transfers (KART-8..14, R-8): the two weeks from the notice in Sesam, the
representative's consent (from 18 the resident's), paper only, redaction per recipient
checked in the rendered PDF, and the three-monthly new version or "nothing new"."""

import subprocess
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from cases import periods
from cases.models import CaseEvent, Deadline, Dispatch
from cases.services import (
    case_event_publish,
    case_events_drain,
    consent_record,
    deadlines_sweep,
    dispatch_mark_sent,
    dispatch_render,
)
from cases.tests.upload_samples import minimal_pdf
from kartlegging import services
from kartlegging.routine import MAPPING, RESEND, TRANSFER
from kartlegging.tests.conftest import talk
from mottak import events as life
from mottak.models import ExternalRecipient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def offices(region):
    """The directory's IMDi regional office and the centre's UDI regional office."""
    return {
        "imdi": ExternalRecipient.objects.create(
            kind="imdi", name="IMDi Indre Øst", address="Postboks 1, 2300 Hamar"
        ),
        "udi_region": ExternalRecipient.objects.create(
            kind="udi_region", name=region.name, address="Postboks 2, 2300 Hamar"
        ),
    }


@pytest.fixture
def finished(assigned, key_worker, lead):
    talk(assigned, key_worker)
    for area, text in (
        ("family", "Har en bror i Sverige."),
        ("school", "Skoletekst som bare IMDi trenger."),
        ("leisure", "Spiller fotball tre dager i uka."),
    ):
        services.entry_add(
            mapping=assigned,
            area=area,
            source="minor",
            text=text,
            recorded_on=timezone.localdate(),
            by=key_worker,
        )
    services.measure_add(
        mapping=assigned,
        area="school",
        goal="Innføringsklasse",
        actions="Leksehjelp",
        responsible="Særkontakt",
        by=key_worker,
    )
    return services.mapping_finish(mapping=assigned, by=lead)


def consent(resident, by, *, kinds=("imdi", "udi_region"), given_by="representative", on=None):
    return consent_record(
        subject=resident,
        given_by=given_by,
        given_by_name="Rita Representant" if given_by == "representative" else resident.full_name,
        purpose="mapping_transfer",
        recipient_kinds=list(kinds),
        given_on=on or timezone.localdate(),
        declaration_file=SimpleUploadedFile(
            "samtykke.pdf",
            minimal_pdf(given_by + str(on)),
            content_type="application/pdf",
        ),
        by=by,
    )


def transfer_deadline(mapping):
    return Deadline.objects.get(
        object_id=mapping.pk, kind=MAPPING.deadline_kind(MAPPING.step(TRANSFER))
    )


def pdf_text(dispatch, tmp_path) -> str:
    dispatch_render(dispatch_id=dispatch.pk)
    dispatch.refresh_from_db()
    path = tmp_path / "out.pdf"
    path.write_bytes(dispatch.pdf.read())
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_kart_8_the_decision_leading_to_settlement_starts_two_weeks_to_imdi(finished):
    received = timezone.now() - timedelta(days=3)
    with transaction.atomic():
        case_event_publish(
            kind=life.DECISION_NOTICE_RECEIVED,
            subject=finished.resident,
            payload={"received_at": received.isoformat(), "leads_to": "settlement"},
        )
    case_events_drain(now=timezone.now() + timedelta(minutes=1))
    finished.refresh_from_db()
    assert (finished.transfer_track, finished.transfer_clock_from) == ("settlement", received)
    assert transfer_deadline(finished).due_at == periods.weeks(received, 2)


def test_kart_8_kart_9_fourteen_days_after_the_sesam_notice_is_in_time_fifteen_is_late(
    finished, lead, leader, caseworker
):
    received = timezone.now() - timedelta(days=1)
    services.mapping_record_sesam_notice(
        mapping=finished, track="return", received_at=received, by=lead
    )
    deadline = transfer_deadline(finished)
    due = deadline.due_at
    assert due == periods.weeks(received, 2)
    local = received.astimezone(periods.OSLO)
    assert due.astimezone(periods.OSLO).date() == local.date() + timedelta(days=14)
    deadlines_sweep(now=due - timedelta(minutes=1))
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.OPEN  # day 14: still in time
    deadlines_sweep(now=due + timedelta(days=1) - timedelta(minutes=1))  # day 15
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.MISSED


def test_kart_13_no_transfer_without_the_representative_consent(finished, lead):
    services.mapping_record_sesam_notice(
        mapping=finished, track="settlement", received_at=timezone.now(), by=lead
    )
    with pytest.raises(ValidationError, match="consent"):
        services.mapping_transfer_send(mapping=finished, channel="post", by=lead)
    assert not Dispatch.objects.exists()


def test_kart_14_never_by_e_mail_not_even_encrypted(finished, lead):
    consent(finished.resident, lead)
    services.mapping_record_sesam_notice(
        mapping=finished, track="settlement", received_at=timezone.now(), by=lead
    )
    with pytest.raises(ValidationError):
        services.mapping_transfer_send(mapping=finished, channel="encrypted_email", by=lead)
    assert not Dispatch.objects.exists()


def test_kart_1_only_the_lead_sends_the_transfer(finished, lead, key_worker):
    from django.core.exceptions import PermissionDenied

    consent(finished.resident, lead)
    services.mapping_record_sesam_notice(
        mapping=finished, track="settlement", received_at=timezone.now(), by=lead
    )
    with pytest.raises(PermissionDenied):
        services.mapping_transfer_send(mapping=finished, channel="post", by=key_worker)
    assert not Dispatch.objects.exists()


def test_kart_14_redaction_per_recipient_in_the_rendered_pdf(finished, lead, tmp_path):
    consent(finished.resident, lead)
    services.mapping_record_sesam_notice(
        mapping=finished, track="settlement", received_at=timezone.now(), by=lead
    )
    to_imdi = services.mapping_transfer_send(mapping=finished, channel="post", by=lead)
    assert to_imdi.recipient_kind == "imdi"
    imdi_text = " ".join(pdf_text(to_imdi, tmp_path).split())
    assert "Skoletekst som bare IMDi trenger." in imdi_text
    assert "Spiller fotball" in imdi_text
    assert "Rita Representant" in imdi_text  # the consent declaration goes with it
    assert "KART" not in imdi_text  # no internal rule ids on an external form
    # The same mapping on the return track: the regional office gets the care situation only.
    Dispatch.objects.all().delete()
    finished.refresh_from_db()
    finished.transfer_track = "return"
    finished.save()
    to_region = services.mapping_transfer_send(mapping=finished, channel="post", by=lead)
    assert to_region.recipient_kind == "udi_region"
    region_text = " ".join(pdf_text(to_region, tmp_path).split())
    assert "Har en bror i Sverige." in region_text
    assert "Skoletekst" not in region_text and "Spiller fotball" not in region_text
    assert "Innføringsklasse" not in region_text  # the school measure too
    # The record of what was left out, kept unchanged with the dispatch.
    assert to_region.context["left_out"] == ["Skole og språk", "Fritid", "Ressurser og potensial"]
    assert "Utelatt for denne mottakeren" in region_text
    assert "Skole og språk, Fritid, Ressurser og potensial" in region_text


def test_r_8_kart_10_the_three_months_start_at_the_first_transfer_sent_and_restart(finished, lead):
    consent(finished.resident, lead)
    services.mapping_record_sesam_notice(
        mapping=finished, track="settlement", received_at=timezone.now(), by=lead
    )
    first = services.mapping_transfer_send(mapping=finished, channel="post", by=lead)
    again = services.mapping_transfer_send(mapping=finished, channel="post", by=lead)
    assert again.pk == first.pk  # a double submit makes one notice
    dispatch_render(dispatch_id=first.pk)
    first.refresh_from_db()
    assert not Deadline.objects.filter(kind="kartlegging_resend").exists()  # made, not sent
    sent_at = timezone.now()
    dispatch_mark_sent(dispatch=first, by=lead, at=sent_at)
    finished.refresh_from_db()
    assert finished.first_transfer_at == sent_at
    assert transfer_deadline(finished).state == Deadline.State.MET
    resend = Deadline.objects.get(kind="kartlegging_resend", state="open")
    assert resend.due_at == periods.months(sent_at, 3)
    # Nothing new: its own confirmation, a new version number; it restarts the clock.
    confirmation = services.mapping_transfer_send(
        mapping=finished, channel="by_hand", by=lead, nothing_new=True
    )
    assert (confirmation.version, confirmation.context["nothing_new"]) == (2, True)
    dispatch_render(dispatch_id=confirmation.pk)
    confirmation.refresh_from_db()
    second_sent = timezone.now()
    dispatch_mark_sent(dispatch=confirmation, by=lead, at=second_sent)
    resend.refresh_from_db()
    assert resend.state == Deadline.State.MET
    following = Deadline.objects.get(kind="kartlegging_resend", state="open")
    assert following.due_at == periods.months(second_sent, 3)


def test_r_8_the_three_months_across_month_ends():
    from datetime import datetime

    oslo = periods.OSLO
    due = MAPPING.step(RESEND).due
    assert due.at(datetime(2026, 11, 30, 10, 0, tzinfo=oslo)) == datetime(
        2027, 2, 28, 10, 0, tzinfo=oslo
    )
    assert due.at(datetime(2027, 11, 30, 10, 0, tzinfo=oslo)) == datetime(
        2028, 2, 29, 10, 0, tzinfo=oslo
    )


def test_kart_13_from_18_the_resident_consents_not_the_representative(finished, lead):
    resident = finished.resident
    today = timezone.localdate()
    # Turned 18 yesterday; the representative signed while the resident was a minor.
    resident.date_of_birth = date(today.year - 18, today.month, today.day) - timedelta(days=1)
    resident.save()
    consent(resident, lead, on=today - timedelta(days=5))
    services.mapping_record_sesam_notice(
        mapping=finished, track="settlement", received_at=timezone.now(), by=lead
    )
    with pytest.raises(ValidationError, match="consent"):
        services.mapping_transfer_send(mapping=finished, channel="post", by=lead)
    consent(resident, lead, given_by="resident")
    dispatch = services.mapping_transfer_send(mapping=finished, channel="post", by=lead)
    assert dispatch.recipient_kind == "imdi"


def test_kart_8_imdi_from_the_directory_when_it_has_an_entry(finished, lead, offices):
    office = offices["imdi"]
    consent(finished.resident, lead)
    services.mapping_record_sesam_notice(
        mapping=finished, track="settlement", received_at=timezone.now(), by=lead
    )
    dispatch = services.mapping_transfer_send(mapping=finished, channel="post", by=lead)
    assert dispatch.recipient == office
    assert not CaseEvent.objects.filter(kind=life.DECISION_NOTICE_RECEIVED).exists()


def test_kart_8_kart_13_the_lead_makes_the_paper_copy_on_the_page(
    client, finished, lead, key_worker
):
    from django.urls import reverse

    consent(finished.resident, lead)
    client.force_login(key_worker)
    sesam_url = reverse("kartlegging:sesam_notice", args=[finished.pk])
    notice = {
        "track": "settlement",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }
    assert client.post(sesam_url, notice).status_code == 404
    client.force_login(lead)
    assert client.post(sesam_url, notice).status_code == 302
    transfer_url = reverse("kartlegging:transfer", args=[finished.pk])
    # KART-14: the form offers no e-mail; a forged e-mail choice is refused.
    assert client.post(transfer_url, {"channel": "encrypted_email"}).status_code == 302
    assert not Dispatch.objects.exists()
    client.post(transfer_url, {"channel": "post"})
    client.post(transfer_url, {"channel": "post"})  # a double submit
    dispatch = Dispatch.objects.get()
    assert (dispatch.recipient_kind, dispatch.channel, dispatch.version) == ("imdi", "post", 1)
    page = client.get(reverse("kartlegging:detail", args=[finished.pk])).content.decode()
    assert 'id="transfer-list"' in page and 'id="transfer-due"' in page


def test_kart_13_the_overview_lists_transfers_due_and_consents_missing(
    client, finished, lead, django_assert_num_queries
):
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from kartlegging.tests.conftest import open_mapping
    from mottak.tests.factories import ResidentFactory

    services.mapping_record_sesam_notice(
        mapping=finished, track="return", received_at=timezone.now(), by=lead
    )
    client.force_login(lead)
    url = reverse("kartlegging:overview")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        page = client.get(url).content.decode()
    assert re.search(rf'id="transfers".*?/kartlegging/{finished.pk}/', page, re.S)
    assert re.search(rf'id="consents".*?/kartlegging/{finished.pk}/', page, re.S)
    for _ in range(3):  # more minors on a transfer track: the same number of queries
        other = open_mapping(ResidentFactory(centre=finished.centre))
        services.mapping_record_sesam_notice(
            mapping=other, track="settlement", received_at=timezone.now(), by=lead
        )
    with django_assert_num_queries(len(one)):
        client.get(url)
    consent(finished.resident, lead)
    page = client.get(url).content.decode()
    assert not re.search(rf'id="consents".*?/kartlegging/{finished.pk}/', page, re.S)


def test_r_14_kart_9_the_return_copy_without_consent_needs_a_leader_s_recorded_decision(
    finished, lead, leader, tmp_path
):
    from cases.models import TimelineEvent

    services.mapping_record_sesam_notice(
        mapping=finished, track="return", received_at=timezone.now(), by=lead
    )
    # The child-welfare lead cannot decide it; a leader without reasons is refused too.
    with pytest.raises(ValidationError, match="leader"):
        services.mapping_transfer_send(
            mapping=finished, channel="post", by=lead, consent_decision="Retur nært forestående"
        )
    with pytest.raises(ValidationError, match="consent"):
        services.mapping_transfer_send(mapping=finished, channel="post", by=leader)
    assert not Dispatch.objects.exists()
    dispatch = services.mapping_transfer_send(
        mapping=finished,
        channel="post",
        by=leader,
        consent_decision="Representanten er ikke å få tak i; returen er nært forestående.",
    )
    assert dispatch.context["consent_decision"].startswith("Representanten er ikke")
    assert TimelineEvent.objects.filter(kind="dispatch_consent_decision", rule_id="R-14").exists()
    text = " ".join(pdf_text(dispatch, tmp_path).split())
    assert "Sendes etter leders beslutning" in text


def test_r_14_kart_8_no_decision_replaces_the_consent_towards_imdi(finished, lead, leader):
    services.mapping_record_sesam_notice(
        mapping=finished, track="settlement", received_at=timezone.now(), by=lead
    )
    with pytest.raises(ValidationError, match="return"):
        services.mapping_transfer_send(
            mapping=finished, channel="post", by=leader, consent_decision="Haster"
        )
    assert not Dispatch.objects.exists()


def test_kart_12_r_22_udi_forms_carry_the_mapping_plan_and_consent_declarations(
    finished, lead, key_worker, tmp_path
):
    """Item 7: the paper copy is UDI's mapping form and plan form — the work done, every
    conversation with its interpreter, the measures with recommendation and the minor's view,
    the recipient's function and purpose, and the two declarations to sign."""
    services.conversation_record(
        mapping=finished,
        kind="plan",
        held_at=timezone.now() - timedelta(hours=1),
        interpreter_used=True,
        interpreter_language="tigrinja",
        interpreter_mode="phone",
        by=key_worker,
    )
    consent(finished.resident, lead)
    services.mapping_record_sesam_notice(
        mapping=finished, track="settlement", received_at=timezone.now(), by=lead
    )
    dispatch = services.mapping_transfer_send(mapping=finished, channel="post", by=lead)
    text = " ".join(pdf_text(dispatch, tmp_path).split())
    for field in (
        "Del 1: Kartleggingsskjema",
        "Del 2: Tiltaksplan",
        "Ordinær kartlegging startet",
        "Kartleggingen ferdigstilt",
        "Tolk: Ja, tigrinja, på telefon",
        "Mål: Innføringsklasse",
        "Ansvarlig: Særkontakt",
        "IMDis regionkontor ved bosettingsansvarlig saksbehandler",
        "Versjon v1",
        "Representantens underskrift",
        "Den mindreåriges underskrift",
        "kjenner til hva opplysningene skal brukes til",
    ):
        assert field in text, field
    assert "KART" not in text


def test_kart_10_a_version_sent_is_never_changed_the_next_is_v2(
    finished, lead, key_worker, tmp_path
):
    consent(finished.resident, lead)
    services.mapping_record_sesam_notice(
        mapping=finished, track="settlement", received_at=timezone.now(), by=lead
    )
    first = services.mapping_transfer_send(mapping=finished, channel="post", by=lead)
    first_text = pdf_text(first, tmp_path)
    first.refresh_from_db()
    sha, name = first.sha256, first.pdf.name
    dispatch_mark_sent(dispatch=first, by=lead)
    services.entry_add(
        mapping=finished,
        area="family",
        source="staff",
        text="Ny opplysning etter første utgave.",
        recorded_on=timezone.localdate(),
        by=key_worker,
    )
    dispatch_render(dispatch_id=first.pk)  # a retried render changes nothing
    first.refresh_from_db()
    assert (first.sha256, first.pdf.name) == (sha, name)
    assert "Ny opplysning" not in first_text
    second = services.mapping_transfer_send(mapping=finished, channel="post", by=lead)
    assert second.version == 2 and second.pk != first.pk
    second_text = " ".join(pdf_text(second, tmp_path).split())
    assert "Ny opplysning etter første utgave." in second_text
    assert "Versjon v2" in second_text


def test_kart_12_the_regional_office_opens_the_imdi_copy_no_more_than_the_mapping(
    client, finished, lead, caseworker, tmp_path
):
    """The paper copy holds the mapping's entries: whoever gets 404 from the mapping gets 404
    from the copy's page, preview and PDF too, exactly like a copy that does not exist."""
    from django.urls import reverse

    consent(finished.resident, lead)
    services.mapping_record_sesam_notice(
        mapping=finished, track="settlement", received_at=timezone.now(), by=lead
    )
    copy = services.mapping_transfer_send(mapping=finished, channel="post", by=lead)
    text = " ".join(pdf_text(copy, tmp_path).split())
    assert "Spiller fotball" in text  # rendered: the PDF holds the mapping
    pages = ("cases:dispatch_detail", "cases:dispatch_preview", "cases:dispatch_pdf")
    client.force_login(caseworker)
    assert client.get(reverse("kartlegging:detail", args=[finished.pk])).status_code == 404
    for name in pages:
        forbidden = client.get(reverse(name, args=[copy.pk]))
        missing = client.get(reverse(name, args=[987654321]))
        assert forbidden.status_code == missing.status_code == 404, name
        assert forbidden.content == missing.content, name
    client.force_login(lead)
    assert [client.get(reverse(name, args=[copy.pk])).status_code for name in pages] == [200] * 3
