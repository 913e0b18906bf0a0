"""The leave routine against the domain review's points 12–14 (PERM-4..PERM-9, R-2, R-4..R-6)."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Deadline, Dispatch
from permisjon import services
from permisjon.models import FollowUpCall, LeaveApplication
from permisjon.routine import FOLLOW_UP_CALL, FOLLOW_UP_DEADLINE, FOLLOW_UP_EVERY_DAYS, LEAVE
from permisjon.tests.conftest import ANSWERS, prepare, ready_to_leave, signed_agreement
from permisjon.tests.test_case_engine import pdf_text

State = LeaveApplication.State


def _granted(submit, resident, staff, leader, *, answers=None, overrides=None, **kw):
    application = prepare(submit(resident, **kw), staff, answers=answers)
    return services.leave_application_grant(
        application=application, by=leader, reason="Trygt besøk", overrides=overrides
    )


# --- PERM-4: the preparation as answers -------------------------------------------------------


def test_perm_4_an_objection_from_the_representative_needs_an_override_reason(
    submit, resident, staff, leader
):
    answers = {"e_representative": {"answer": "objects"}}
    with pytest.raises(ValidationError, match="representative objects"):
        _granted(submit, resident, staff, leader, answers=answers)
    application = LeaveApplication.objects.get()
    granted = services.leave_application_grant(
        application=application,
        by=leader,
        reason="Trygt besøk",
        overrides={"representative_objects": "Innvendingen gjaldt tidspunktet, som er endret"},
    )
    assert granted.state == State.GRANTED


def test_perm_4_g_is_required_when_the_centre_is_unsure_the_place_is_safe(submit, resident, staff):
    application = prepare(submit(resident), staff, answers={"safety": {"answer": "unsure"}})
    assert application.state == State.DRAFT
    services.leave_application_prepare_step(
        application=application,
        step_code="g_child_welfare",
        by=staff,
        note="Bedt om undersøkelse",
        answers={"answer": "request", "channel": "by_hand"},
    )
    # the step is done when the letter is recorded as sent.
    from cases.services import dispatch_mark_sent, dispatch_render

    letter = Dispatch.objects.get(purpose="place_check_request")
    dispatch_render(dispatch_id=letter.pk)
    letter.refresh_from_db()
    dispatch_mark_sent(dispatch=letter, by=staff)
    application.refresh_from_db()
    assert application.state == State.PREPARED


def test_perm_4_g_request_goes_to_child_welfare_in_the_centres_municipality(
    submit, resident, staff, tmp_path
):
    application = prepare(submit(resident), staff, answers={"safety": {"answer": "unsure"}})
    services.leave_application_prepare_step(
        application=application,
        step_code="g_child_welfare",
        by=staff,
        note="Kontaktpersonen har oppgitt to ulike adresser.",
        answers={"answer": "request", "channel": "by_hand"},
    )
    letter = Dispatch.objects.get(purpose="place_check_request")
    assert application.centre.municipality in letter.recipient_name
    text = pdf_text(letter, tmp_path)
    for expected in (
        "Anmodning om å undersøke forholdene",
        "Kontaktpersonen har oppgitt to ulike adresser.",
        application.destination_address,
        "Personer på adressen",
    ):
        assert expected in text, expected
    assert "PERM-" not in text


def test_perm_4_g_concern_report_goes_where_the_minor_wants_to_stay(
    submit, resident, staff, tmp_path
):
    application = prepare(submit(resident), staff, answers={"safety": {"answer": "unsure"}})
    services.leave_application_prepare_step(
        application=application,
        step_code="g_child_welfare",
        by=staff,
        note="Referansen kjenner ikke til at flere bor der.",
        answers={"answer": "concern", "channel": "by_hand"},
    )
    application.refresh_from_db()
    assert application.place_check == LeaveApplication.PlaceCheck.CONCERN_REPORT
    report = Dispatch.objects.get(purpose="concern_report")
    assert application.destination_municipality in report.recipient_name
    text = pdf_text(report, tmp_path)
    assert "Bekymringsmelding" in text
    assert "utlendingsforskriften § 17-6" in text
    assert "Referansen kjenner ikke til at flere bor der." in text


def test_perm_4_g_needs_a_choice_a_written_channel_and_what_makes_the_centre_unsure(
    submit, resident, staff
):
    application = prepare(submit(resident), staff, answers={"safety": {"answer": "unsure"}})
    for answers, note, message in (
        ({"answer": "", "channel": "post"}, "Uklart", "look into the place"),
        ({"answer": "request", "channel": "phone"}, "Uklart", "post, by hand"),
        ({"answer": "request", "channel": "post"}, " ", "unsure"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.leave_application_prepare_step(
                application=application,
                step_code="g_child_welfare",
                by=staff,
                note=note,
                answers=answers,
            )
    assert not Dispatch.objects.exists()
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_perm_4_a_meeting_not_possible_needs_its_reason(submit, resident, staff):
    application = submit(resident)
    with pytest.raises(ValidationError, match="not possible"):
        services.leave_application_prepare_step(
            application=application,
            step_code="d_met",
            by=staff,
            answers={"meeting": "not_possible"},
        )
    services.leave_application_prepare_step(
        application=application,
        step_code="d_met",
        by=staff,
        answers={"meeting": "not_possible", "reason": "Bor i Tromsø"},
    )
    application.refresh_from_db()
    assert application.meeting_not_possible_reason == "Bor i Tromsø"


def test_perm_3_forwarded_application_prints_the_answers_and_the_designated_person(
    submit, resident, staff, tmp_path
):
    application = prepare(
        submit(resident, length_days=15),
        staff,
        answers={"f_police": {"answer": "objects"}},
    )
    services.leave_application_forward(application=application, by=staff, channel="encrypted_email")
    text = pdf_text(Dispatch.objects.get(template="permisjon_soknad.html"), tmp_path)
    for expected in (
        "Kontaktperson på besøksstedet (over 25 år)",
        "Støtter permisjonen",
        "Har innvendinger",
        "Lærer Lise",
        "Egnet",
        "Pass nr. NO1234567",
        "anser permisjonsstedet som trygt",
        "Den mindreåriges egen uttalelse",
        "Underskrifter",
    ):
        assert expected in text, expected


# --- PERM-5: granted -------------------------------------------------------------------------


def test_perm_5_a_grant_states_its_reason(submit, resident, staff, leader):
    application = prepare(submit(resident), staff)
    with pytest.raises(ValidationError, match="reason for the grant"):
        services.leave_application_grant(application=application, by=leader, reason=" ")


def test_perm_5_region_grant_the_centre_issues_and_signs_the_agreement(
    submit, resident, staff, caseworker, tmp_path
):
    application = prepare(submit(resident, length_days=15), staff)
    services.leave_application_forward(application=application, by=staff, channel="encrypted_email")
    services.leave_application_grant(application=application, by=caseworker, reason="Ok")
    assert not Dispatch.objects.filter(purpose="letter").exists()
    with pytest.raises(Exception):  # noqa: B017 - the region may not issue the centre's agreement
        services.leave_application_issue_agreement(application=application, by=caseworker)
    services.leave_application_issue_agreement(application=application, by=staff)
    agreement = Dispatch.objects.get(purpose="letter")
    assert agreement.created_by == staff
    text = pdf_text(agreement, tmp_path)
    assert agreement.letterhead["signer"] == staff.get_full_name()
    assert "For asylmottaket" in text
    assert "DUF" not in text  # the DUF number is not for the contact person's eyes


def test_perm_5_no_departure_without_the_signed_agreement_or_a_leaders_waiver(
    submit, resident, staff, leader
):
    granted = _granted(submit, resident, staff, leader, starts_in_days=-1, length_days=3)
    with pytest.raises(ValidationError, match="signed"):
        services.leave_application_mark_departed(
            application=granted, at=granted.departure_at, by=staff
        )
    with pytest.raises(ValidationError, match="told orally"):
        services.leave_application_upload_signed_agreement(
            application=granted, attachment=signed_agreement(), by=staff
        )
        services.leave_application_mark_departed(
            application=granted, at=granted.departure_at, by=staff
        )
    with pytest.raises(Exception):  # noqa: B017 - staff may not waive
        services.leave_application_waive_before_departure(
            application=granted, step_code="representative_told_orally", reason="x", by=staff
        )
    for code in ("representative_told_orally", "notify_representative"):
        services.leave_application_waive_before_departure(
            application=granted, step_code=code, reason="Representanten på ferie", by=leader
        )
    departed = services.leave_application_mark_departed(
        application=granted, at=granted.departure_at, by=staff
    )
    assert departed.state == State.ONGOING


def test_perm_5_follow_up_calls_are_a_repeating_deadline_during_the_leave(
    submit, resident, staff, leader
):
    granted = ready_to_leave(
        _granted(submit, resident, staff, leader, starts_in_days=-3, length_days=7), staff
    )
    left = granted.departure_at
    services.leave_application_mark_departed(application=granted, at=left, by=staff)
    first = Deadline.objects.get(kind=FOLLOW_UP_DEADLINE, state="open")
    due = LEAVE.step(FOLLOW_UP_CALL).due
    assert due.amount == FOLLOW_UP_EVERY_DAYS and due.repeat
    assert first.due_at == due.at(left)
    call_at = left + timedelta(days=1)
    services.leave_follow_up_call_log(
        application=granted, called_at=call_at, spoke_with="Kari", outcome="well", note="", by=staff
    )
    first.refresh_from_db()
    assert first.state == "met"
    second = Deadline.objects.get(kind=FOLLOW_UP_DEADLINE, state="open")
    assert second.due_at == due.at(call_at)
    services.leave_application_mark_returned(application=granted, at=timezone.now(), by=staff)
    assert not Deadline.objects.filter(kind=FOLLOW_UP_DEADLINE, state="open").exists()


# --- PERM-6, PERM-7 -------------------------------------------------------------------------


def _away(submit, resident, staff, leader, **kw):
    granted = ready_to_leave(_granted(submit, resident, staff, leader, **kw), staff)
    return services.leave_application_mark_departed(
        application=granted, at=granted.departure_at, by=staff
    )


@pytest.mark.parametrize("outcome", ["not_reached", "concern"])
def test_perm_5_c_a_call_not_reached_or_of_concern_offers_the_missing_report(
    submit, resident, staff, leader, client, outcome
):
    from django.urls import reverse

    from permisjon import selectors

    away = _away(submit, resident, staff, leader, starts_in_days=-2, length_days=5)
    services.leave_follow_up_call_log(
        application=away,
        called_at=timezone.now() - timedelta(hours=1),
        spoke_with="Kari",
        outcome=outcome,
        note="",
        by=staff,
    )
    assert selectors.call_prompts_missing_report(away)
    client.force_login(staff)
    page = client.get(reverse("permisjon:detail", args=[away.pk])).content.decode()
    assert "report them missing now" in page


def test_perm_6_last_seen_is_the_last_call_that_reached_the_minor_and_r_2_police_district(
    submit, resident, staff, leader
):
    MissingReport = apps.get_model("savnet", "MissingReport")  # the missing routine's row

    away = _away(submit, resident, staff, leader, starts_in_days=-3, length_days=5)
    reached = away.departure_at + timedelta(days=1)
    for at, outcome in ((reached, "well"), (reached + timedelta(hours=5), "not_reached")):
        FollowUpCall.objects.create(
            application=away, called_at=at, spoke_with="Kari", outcome=outcome, logged_by=staff
        )
    services.leave_application_report_missing(
        application=away, by=staff, circumstances="Ikke nådd siden i går"
    )
    report = MissingReport.objects.get()
    assert report.last_seen_at == reached
    away.refresh_from_db()
    assert away.police_municipality == away.destination_municipality


def test_perm_6_last_seen_is_the_departure_without_a_reached_call(submit, resident, staff, leader):
    MissingReport = apps.get_model("savnet", "MissingReport")  # the missing routine's row

    away = _away(submit, resident, staff, leader, starts_in_days=-3, length_days=5)
    services.leave_application_report_missing(
        application=away, by=staff, circumstances="Ukjent", police_municipality="Bergen"
    )
    assert MissingReport.objects.get().last_seen_at == away.departure_at
    away.refresh_from_db()
    assert away.police_municipality == "Bergen"


def test_perm_7_an_agreement_broken_on_time_counts_with_its_reason(submit, resident, staff, leader):
    away = _away(submit, resident, staff, leader, starts_in_days=-3, length_days=5)
    with pytest.raises(ValidationError, match="how the agreement was broken"):
        services.leave_application_mark_returned(
            application=away, at=timezone.now(), by=staff, broken_agreement=True
        )
    back = services.leave_application_mark_returned(
        application=away,
        at=timezone.now(),
        by=staff,
        broken_agreement=True,
        note="Bodde hos en annen enn kontaktpersonen",
    )
    assert back.broken_agreement and back.returned_at <= back.return_at


def test_perm_3_the_id_copy_is_printed_with_the_forwarded_application(
    submit, resident, staff, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.rendering import html_to_pdf

    copy = html_to_pdf("<html><body><p>PASS NO1234567 KONTAKTPERSON</p></body></html>")
    application = submit(resident, length_days=15)
    application = prepare(application, staff, skip=("d_id_copy",))
    services.leave_application_prepare_step(
        application=application,
        step_code="d_id_copy",
        by=staff,
        attachment=SimpleUploadedFile("pass.pdf", copy, content_type="application/pdf"),
        answers=ANSWERS["d_id_copy"],
    )
    services.leave_application_forward(application=application, by=staff, channel="by_hand")
    dispatch = Dispatch.objects.get(template="permisjon_soknad.html")
    assert [f["label"] for f in dispatch.enclosed_files] == [
        "Kopi av kontaktpersonens identitetspapirer"
    ]
    text = pdf_text(dispatch, tmp_path)
    assert "Søknad om permisjon" in text or "permisjon" in text.lower()
    assert "PASS NO1234567 KONTAKTPERSON" in text


def test_perm_3_an_unreadable_id_copy_gives_a_page_asking_for_a_paper_copy(
    submit, resident, staff, tmp_path
):
    # Uploads are parsed, so only a file damaged on disk (or stored before the checks) is
    # unreadable: the stored ID copy is overwritten with a PDF without pages.
    from pathlib import Path

    from django.core.files.storage import default_storage

    from cases.models import ChecklistStepCompletion

    application = prepare(submit(resident, length_days=15), staff)
    for completion in ChecklistStepCompletion.objects.exclude(attachment=""):
        Path(default_storage.path(completion.attachment.name)).write_bytes(b"%PDF-1.4\n%%EOF\n")
    services.leave_application_forward(application=application, by=staff, channel="by_hand")
    text = pdf_text(Dispatch.objects.get(template="permisjon_soknad.html"), tmp_path)
    assert "Vedlegget kunne ikke skrives ut fra systemet. Legg ved en papirkopi." in text


# --- PERM-2: the application on UDI's form for every leave -----------------------------------


def _printed_text(response, tmp_path) -> str:
    import subprocess

    path = tmp_path / "soknad.pdf"
    path.write_bytes(response.content)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_perm_2_a_leave_the_centre_decides_prints_on_the_application_form(
    client, submit, resident, staff, tmp_path
):
    from django.urls import reverse

    application = submit(resident, length_days=3)
    assert application.decider == LeaveApplication.Decider.CENTRE
    client.force_login(staff)
    response = client.get(reverse("permisjon:application_pdf", args=[application.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert resident.full_name not in response["Content-Disposition"]
    text = _printed_text(response, tmp_path)
    for expected in (
        resident.full_name,
        "Den mindreåriges egen uttalelse",
        "Underskrifter",
        "Asylmottaket",
    ):
        assert expected in text, expected
    assert not Dispatch.objects.exists()  # a printout, not a notice


def test_perm_2_the_printout_is_404_for_another_centre(
    client, submit, resident, neighbour_centre, user_factory
):
    from django.urls import reverse

    from mottak.models import Role

    application = submit(resident, length_days=3)
    stranger = user_factory(Role.CENTRE_STAFF, centre=neighbour_centre)
    client.force_login(stranger)
    response = client.get(reverse("permisjon:application_pdf", args=[application.pk]))
    assert response.status_code == 404
