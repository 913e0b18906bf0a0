"""The routine through its services: every step, its deadline, and what is refused."""

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.models import Deadline, Dispatch
from cases.services.routines import done_codes as routine_done_codes
from cases.tests.upload_samples import minimal_pdf
from mottak.models import Appointment, Centre
from mottak.tests.factories import make_resident
from savnet import routine as checklist
from savnet import rules, selectors, services
from savnet.models import AppointmentCancellation, MissingReport, PhoneCall
from savnet.selectors import deadlines_of

from .conftest import open_report, send_out

OSLO = ZoneInfo("Europe/Oslo")
pytestmark = pytest.mark.django_db


def deadline(report, code) -> Deadline:
    return next(
        d
        for d in deadlines_of(report)
        if d.kind == checklist.MISSING.deadline_kind(checklist.MISSING.step(code))
    )


def done_codes(report, name=checklist.MISSING_CHECKLIST) -> set[str]:
    return routine_done_codes(report, name)


# ---- SAV-1 -----------------------------------------------------------------------------------


def test_sav_1_presumed_adult_registered_as_minor_is_reported(centre, staff, directory):
    resident = make_resident(centre, presumed_adult=True)
    report = open_report(resident, staff)
    assert report.state == MissingReport.State.OPEN


def test_sav_1_adult_at_an_ordinary_adult_centre_registered_as_minor_in_duf_is_reported(
    centre, staff, directory
):
    centre.kind = Centre.Kind.ORDINARY_ADULTS
    centre.save()
    resident = make_resident(
        centre,
        date_of_birth=date.today() - timedelta(days=19 * 365),
        presumed_adult=True,
        registered_as_minor_in_duf=True,
    )
    report = open_report(resident, staff)
    assert report.state == MissingReport.State.OPEN


def test_sav_1_resident_registered_as_adult_is_refused(centre, staff):
    resident = make_resident(centre, date_of_birth=date.today() - timedelta(days=19 * 365))
    with pytest.raises(ValidationError, match="registered as minors"):
        open_report(resident, staff)
    assert not MissingReport.objects.exists()


# ---- SAV-2 -----------------------------------------------------------------------------------


def test_sav_2_opening_starts_a_deadline_per_step_24_hours_from_reason_to_believe(report):
    limit = report.reason_to_believe_at + timedelta(hours=24)
    assert report.limit_at == limit
    kinds = {d.kind: d for d in deadlines_of(report)}
    assert set(kinds) == {checklist.MISSING.deadline_kind(s) for s in checklist.MISSING_STEPS}
    assert all(d.due_at == limit for d in kinds.values())
    assert all(d.centre_id == report.centre_id for d in kinds.values())


def test_sav_2_limit_across_the_autumn_dst_change_is_24_elapsed_hours(minor, staff, directory):
    reason = datetime(2026, 10, 24, 12, 0, tzinfo=OSLO)
    report = services.missing_report_open(
        resident=minor,
        reason_to_believe_at=reason,
        noticed_at=reason - timedelta(hours=1),
        last_seen_at=None,
        circumstances="Did not come back from school.",
        by=staff,
    )
    due = deadline(report, checklist.POLICE).due_at
    assert due == datetime(2026, 10, 25, 11, 0, tzinfo=OSLO)
    assert rules.hours_between(reason, due) == 24


def test_sav_2_r_13_missed_step_is_escalated_by_the_sweep_and_met_late_when_sent(
    report, staff, leader, caseworker
):
    from cases.services import deadlines_sweep

    police = deadline(report, checklist.POLICE)
    open_steps = len([d for d in deadlines_of(report) if d.state == Deadline.State.OPEN])
    result = deadlines_sweep(now=police.due_at - timedelta(seconds=1))
    assert deadline(report, checklist.POLICE).state == Deadline.State.OPEN
    result = deadlines_sweep(now=police.due_at)
    assert result.escalations == open_steps and result.failures == 0
    assert deadline(report, checklist.POLICE).state == Deadline.State.MISSED
    police_report = services.missing_report_send_to_police(report=report, by=staff)
    assert deadline(report, checklist.POLICE).state == Deadline.State.MISSED
    send_out(police_report, by=staff)
    met = deadline(report, checklist.POLICE)
    assert met.state == Deadline.State.MET and met.was_missed


def test_sav_2_r_1_investigation_has_only_its_window_deadline_and_becomes_the_open_report(
    minor, staff, directory
):
    """R-1 changed this test: an investigation is no longer free of deadlines — its window
    (4 hours from noticing) is one, met when the minor is reported missing."""
    now = timezone.now()
    investigating = services.missing_report_start_investigation(
        resident=minor,
        noticed_at=now - timedelta(hours=3),
        last_seen_at=now - timedelta(hours=5),
        circumstances="Not at school.",
        by=staff,
    )
    assert investigating.state == MissingReport.State.INVESTIGATING
    [window] = deadlines_of(investigating)
    assert window.kind == "savnet_investigation_due"
    assert window.due_at == now - timedelta(hours=3) + timedelta(hours=4)
    report = open_report(minor, staff, hours_ago=1)
    assert report.pk == investigating.pk
    window.refresh_from_db()
    assert window.state == Deadline.State.MET
    assert report.state == MissingReport.State.OPEN
    assert MissingReport.objects.count() == 1


def test_sav_2_second_open_report_for_the_same_resident_is_refused(report, minor, staff):
    before = (MissingReport.objects.count(), Deadline.objects.count())
    with pytest.raises(ValidationError, match="already reported missing"):
        open_report(minor, staff)
    with pytest.raises(ValidationError):
        services.missing_report_start_investigation(
            resident=minor,
            noticed_at=timezone.now(),
            last_seen_at=None,
            circumstances="x",
            by=staff,
        )
    assert (MissingReport.objects.count(), Deadline.objects.count()) == before


def test_sav_2_a_time_in_the_future_is_refused_and_nothing_is_saved(minor, staff):
    with pytest.raises(ValidationError, match="future"):
        open_report(minor, staff, hours_ago=-1)
    assert not MissingReport.objects.exists()
    assert not Deadline.objects.exists()


def test_sav_2_reason_before_noticed_is_refused(minor, staff):
    now = timezone.now()
    with pytest.raises(ValidationError, match="before the absence was noticed"):
        open_report(
            minor,
            staff,
            noticed_at=now - timedelta(hours=1),
            reason_to_believe_at=now - timedelta(hours=2),
        )


def test_sav_2_late_return_from_leave_opens_a_report(minor, staff, directory):
    report = open_report(minor, staff, source=MissingReport.Source.LATE_RETURN)
    assert report.source == MissingReport.Source.LATE_RETURN


def test_sav_2_investigation_explained_closes_without_deadlines(minor, staff):
    report = services.missing_report_start_investigation(
        resident=minor, noticed_at=timezone.now(), last_seen_at=None, circumstances="x", by=staff
    )
    services.missing_report_investigation_end(report=report, note="Was at the doctor's.", by=staff)
    report.refresh_from_db()
    assert report.state == MissingReport.State.CLOSED
    open_report(minor, staff)  # a later disappearance can be reported


# ---- SAV-3 -----------------------------------------------------------------------------------


def test_sav_3_r_13_police_report_to_the_district_met_when_sent(report, staff, directory):
    dispatch = services.missing_report_send_to_police(report=report, by=staff, channel="by_hand")
    assert dispatch.recipient == directory["police"]
    assert dispatch.purpose == "missing_report"
    assert dispatch.template == "savnet_police_report.html"
    assert dispatch.legal_basis == "forvaltningsloven § 13 b første ledd nr. 5"
    assert dispatch.context["person"]["duf_number"] == report.resident.duf_number
    assert dispatch.step_code == checklist.POLICE
    # made is not done; the step is met when the report is recorded as handed over.
    assert deadline(report, checklist.POLICE).state == Deadline.State.OPEN
    assert checklist.POLICE not in done_codes(report)
    send_out(dispatch, by=staff)
    assert deadline(report, checklist.POLICE).state == Deadline.State.MET
    assert checklist.POLICE in done_codes(report)


def test_sav_3_r_22_private_centre_cites_its_agreements_with_udi_not_as_a_statute(
    neighbour_centre, user_factory, directory
):
    user = user_factory("centre_staff", centre=neighbour_centre)
    report = open_report(make_resident(neighbour_centre), user)
    dispatch = services.missing_report_send_to_police(
        report=report, by=user, contact_phone="62 00 00 99"
    )
    # R-22 changed this test: "Hjemmel" names statutes only; the agreement is cited with "Jf.".
    assert "drifts- og databehandleravtalen" in dispatch.routine_reference
    assert dispatch.legal_basis == ""
    # Hamar has no police entry in the directory: named after the municipality, in person.
    assert dispatch.recipient is None and dispatch.recipient_name == "Politiet, Hamar"


def test_sav_3_double_submit_makes_one_police_report(report, staff):
    first = services.missing_report_send_to_police(report=report, by=staff)
    second = services.missing_report_send_to_police(report=report, by=staff)
    assert first.pk == second.pk
    assert Dispatch.objects.filter(purpose="missing_report").count() == 1


# ---- SAV-4 -----------------------------------------------------------------------------------


def test_sav_4_r_12_the_call_to_the_duty_service_meets_the_step_the_letter_follows(
    report, staff, directory
):
    phoned_at = timezone.now() - timedelta(minutes=5)
    dispatch = services.missing_report_send_to_child_welfare(
        report=report, by=staff, phoned_at=phoned_at, phoned_to="Lise Vakt"
    )
    # the phone call is the "straks" report; the letter by post only confirms it.
    assert deadline(report, checklist.CHILD_WELFARE).state == Deadline.State.MET
    assert dispatch.channel == "post" and dispatch.awaits_sending
    report.refresh_from_db()
    assert report.child_welfare_phoned_at == phoned_at
    assert dispatch.context["phoned"]["to"] == "Lise Vakt"
    send_out(dispatch, by=staff)
    assert dispatch.recipient == directory["child_welfare"]
    assert dispatch.legal_basis.startswith("utlendingsforskriften § 17-6 første ledd")
    assert dispatch.context["to_known_address"] is False
    assert deadline(report, checklist.CHILD_WELFARE).state == Deadline.State.MET


def test_sav_4_with_known_address_to_that_municipality(minor, staff, directory):
    report = open_report(
        minor, staff, known_address="Storgata 1, 0155 Oslo", known_address_municipality="Oslo"
    )
    dispatch = services.missing_report_send_to_child_welfare(
        report=report, by=staff, phoned_at=timezone.now()
    )
    assert dispatch.recipient == directory["child_welfare_oslo"]
    assert dispatch.context["to_known_address"] is True
    assert dispatch.context["municipality"] == "Oslo"


# ---- SAV-5 -----------------------------------------------------------------------------------


def test_sav_5_call_that_reached_the_representative_meets_the_step(report, staff):
    called_at = timezone.now() - timedelta(minutes=30)
    call = services.missing_report_log_call(
        report=report,
        party="representative",
        called_at=called_at,
        reached=True,
        what_they_knew="Mentioned a cousin in Drammen.",
        by=staff,
    )
    assert call.party_name == "Rita Representant"
    met = deadline(report, checklist.REPRESENTATIVE)
    assert met.state == Deadline.State.MET and met.met_at == called_at
    notice = Dispatch.objects.get(purpose="missing_notice")
    assert (notice.recipient_kind, notice.recipient_name, notice.channel) == (
        "representative",
        "Rita Representant",
        "phone",
    )


def test_sav_5_call_not_reached_is_logged_and_the_step_stays_open(report, staff):
    services.missing_report_log_call(
        report=report, party="lawyer", called_at=timezone.now(), reached=False, by=staff
    )
    assert PhoneCall.objects.filter(reached=False).count() == 1
    assert deadline(report, checklist.LAWYER).state == Deadline.State.OPEN
    assert not Dispatch.objects.filter(purpose="missing_notice").exists()


def test_sav_5_double_submit_of_the_same_call_form_logs_one_call(report, staff):
    key = uuid.uuid4()
    for _ in range(2):
        services.missing_report_log_call(
            report=report,
            party="lawyer",
            called_at=timezone.now(),
            reached=True,
            by=staff,
            submission_key=key,
        )
    assert PhoneCall.objects.count() == 1


def test_sav_5_call_before_the_absence_was_noticed_is_refused(report, staff):
    with pytest.raises(ValidationError, match="before the absence was noticed"):
        services.missing_report_log_call(
            report=report,
            party="lawyer",
            called_at=report.noticed_at - timedelta(minutes=1),
            reached=True,
            by=staff,
        )
    assert not PhoneCall.objects.exists()


def test_sav_5_no_lawyer_registered_is_said_on_the_step(centre, staff, directory):
    report = open_report(make_resident(centre, representative_name="R"), staff)
    assert checklist.LAWYER in done_codes(report)
    assert deadline(report, checklist.LAWYER).state == Deadline.State.MET


# ---- SAV-6 -----------------------------------------------------------------------------------


def test_sav_6_r_13_kor_and_bfe_get_their_appointments_with_priority(minor, staff, directory):
    now = timezone.now()
    arrival = Appointment.objects.create(
        resident=minor, kind="arrival_interview", starts_at=now + timedelta(hours=70)
    )
    interview = Appointment.objects.create(
        resident=minor, kind="asylum_interview", starts_at=now + timedelta(days=10)
    )
    Appointment.objects.create(
        resident=minor, kind="age_assessment", starts_at=now + timedelta(days=1), held=True
    )
    report = open_report(minor, staff)
    assert checklist.APPOINTMENTS not in done_codes(report)
    dispatches = services.missing_report_cancel_appointments(report=report, by=staff)
    by_kind = {d.recipient_kind: d for d in dispatches}
    assert set(by_kind) == {"kor", "bfe"}
    assert by_kind["kor"].context["high_priority"] is True
    assert by_kind["bfe"].context["high_priority"] is False
    cancellations = {c.appointment_id: c for c in AppointmentCancellation.objects.all()}
    assert set(cancellations) == {arrival.pk, interview.pk}
    assert cancellations[arrival.pk].unit == "kor" and cancellations[interview.pk].unit == "bfe"
    # R-13: met once both units' notices are sent, not when the first one is.
    send_out(by_kind["kor"], by=staff)
    assert deadline(report, checklist.APPOINTMENTS).state == Deadline.State.OPEN
    send_out(by_kind["bfe"], by=staff)
    assert deadline(report, checklist.APPOINTMENTS).state == Deadline.State.MET
    with pytest.raises(ValidationError, match="no appointments"):
        services.missing_report_cancel_appointments(report=report, by=staff)


def test_sav_6_no_appointments_the_step_is_done_at_once(report):
    assert checklist.APPOINTMENTS in done_codes(report)


# ---- SAV-7 -----------------------------------------------------------------------------------


def test_sav_7_sesam_registration_meets_its_step_once(report, staff):
    at = timezone.now() - timedelta(minutes=5)
    services.missing_report_record_sesam(report=report, registered_at=at, by=staff)
    assert deadline(report, checklist.SESAM).state == Deadline.State.MET
    with pytest.raises(ValidationError, match="already recorded"):
        services.missing_report_record_sesam(report=report, registered_at=at, by=staff)


def test_sav_7_r_13_copies_to_the_regional_office_need_both_reports_first(report, staff, directory):
    with pytest.raises(ValidationError, match="first"):
        services.missing_report_send_regional_copies(report=report, by=staff)
    services.missing_report_send_to_police(report=report, by=staff)
    services.missing_report_send_to_child_welfare(report=report, by=staff, phoned_at=timezone.now())
    letter = services.missing_report_send_regional_copies(
        report=report, by=staff, channel="encrypted_email"
    )
    assert letter.recipient == directory["udi_region"]
    assert letter.purpose == "missing_report_copy"
    assert len(letter.context["enclosed"]) == 2
    assert deadline(report, checklist.REGIONAL_COPIES).state == Deadline.State.OPEN
    send_out(letter, by=staff)
    assert deadline(report, checklist.REGIONAL_COPIES).state == Deadline.State.MET


# ---- SAV-8 -----------------------------------------------------------------------------------


def notify_everyone(report, staff):
    services.missing_report_send_to_police(report=report, by=staff)
    services.missing_report_send_to_child_welfare(report=report, by=staff, phoned_at=timezone.now())
    services.missing_report_log_call(
        report=report, party="representative", called_at=timezone.now(), reached=True, by=staff
    )
    services.missing_report_log_call(
        report=report, party="lawyer", called_at=timezone.now(), reached=False, by=staff
    )
    services.missing_report_send_regional_copies(report=report, by=staff)


def test_sav_8_r_13_instances_told_on_return_equal_the_instances_notified(report, staff):
    notify_everyone(report, staff)
    notified = selectors.notified_instances(report)
    result = services.missing_report_found(
        report=report, found_at=timezone.now(), found_how="police", by=staff
    )
    told = [
        (d.recipient_kind, str(d.recipient_id) if d.recipient_id else d.recipient_name)
        for d in result.notices
    ]
    assert told == notified
    assert sorted(kind for kind, _ in told) == [
        "child_welfare",
        "police",
        "representative",
        "udi_region",
    ]  # the lawyer was never reached, so never told
    assert all(d.purpose == "found_notice" for d in result.notices)
    representative = next(d for d in result.notices if d.recipient_kind == "representative")
    assert representative.channel == "post"
    assert representative.recipient_address == "Vergeveien 1, 2600 Lillehammer"
    assert result.report.state == MissingReport.State.FOUND
    assert checklist.FOUND_NOTICES not in done_codes(report, checklist.RETURN_CHECKLIST)
    send_out(*result.notices, by=staff)
    assert checklist.FOUND_NOTICES in done_codes(report, checklist.RETURN_CHECKLIST)


def test_sav_8_found_before_disappeared_is_refused_and_nothing_changes(report, staff):
    with pytest.raises(ValidationError, match="before"):
        services.missing_report_found(
            report=report,
            found_at=report.last_seen_at - timedelta(minutes=1),
            found_how="came_back",
            by=staff,
        )
    with pytest.raises(ValidationError, match="future"):
        services.missing_report_found(
            report=report,
            found_at=timezone.now() + timedelta(hours=1),
            found_how="came_back",
            by=staff,
        )
    report.refresh_from_db()
    assert report.state == MissingReport.State.OPEN and report.found_at is None
    assert not Dispatch.objects.filter(purpose="found_notice").exists()


def test_sav_8_found_twice_is_refused(report, staff):
    services.missing_report_found(
        report=report, found_at=timezone.now(), found_how="came_back", by=staff
    )
    with pytest.raises(ValidationError):
        services.missing_report_found(
            report=report, found_at=timezone.now(), found_how="came_back", by=staff
        )


def pending(report):
    """Pending deadlines of the 24-hour steps (R-10 adds the follow-up's, which stays)."""
    codes = {checklist.MISSING.deadline_kind(s) for s in checklist.MISSING_STEPS}
    return [d for d in deadlines_of(report) if d.state in Deadline.PENDING and d.kind in codes]


def test_sav_8_sav_9_found_by_a_leader_waives_steps_not_done_and_opens_only_the_return_steps(
    report, leader
):
    result = services.missing_report_found(
        report=report, found_at=timezone.now(), found_how="came_back", by=leader
    )
    assert "steps_left_open" not in result.warnings
    assert pending(report) == []
    return_kinds = {
        checklist.MISSING.deadline_kind(checklist.MISSING.step(code))
        for code in (checklist.FOLLOW_UP_CONVERSATION, checklist.PLACEMENT)
    }
    still_open = {d.kind for d in deadlines_of(report) if d.state == Deadline.State.OPEN}
    assert still_open == return_kinds
    assert {d.state for d in deadlines_of(report) if d.kind not in return_kinds} <= {
        Deadline.State.MET,
        Deadline.State.WAIVED,
    }


def test_sav_8_found_by_staff_leaves_undone_steps_for_a_leader_to_waive(report, staff, leader):
    result = services.missing_report_found(
        report=report, found_at=timezone.now(), found_how="came_back", by=staff
    )
    assert "steps_left_open" in result.warnings
    assert pending(report)
    with pytest.raises(PermissionDenied):
        services.missing_report_waive_step(
            report=report, step_code=checklist.SESAM, reason="Back", by=staff
        )
    for deadline in pending(report):
        code = deadline.kind.removeprefix("savnet_")
        services.missing_report_waive_step(
            report=report, step_code=code, reason="Came back", by=leader
        )
    assert pending(report) == []


# ---- SAV-9 -----------------------------------------------------------------------------------


def test_sav_9_centre_with_room_gives_no_warning(report, staff, centre):
    make_resident(centre)
    centre.capacity = 2  # the other resident and the returning minor's own place
    centre.save()
    result = services.missing_report_found(
        report=report, found_at=timezone.now(), found_how="came_back", by=staff
    )
    assert "centre_full" not in result.warnings
    assert not result.report.taken_in_while_full


def test_sav_9_full_centre_takes_the_minor_in_with_a_warning(report, staff, centre):
    make_resident(centre)
    centre.capacity = 1  # taken by the other resident
    centre.save()
    result = services.missing_report_found(
        report=report,
        found_at=timezone.now(),
        found_how="child_welfare",
        by=staff,
        transport_outside_office_hours=True,
        transport_requested_by="child_welfare",
        refund_claimed=True,
    )
    assert "centre_full" in result.warnings
    assert result.report.state == MissingReport.State.FOUND
    assert result.report.taken_in_while_full
    assert result.report.transport_outside_office_hours and result.report.refund_claimed


def test_sav_9_transport_needs_to_say_who_asked(report, staff):
    with pytest.raises(ValidationError, match="police or child welfare"):
        services.missing_report_found(
            report=report,
            found_at=timezone.now(),
            found_how="came_back",
            by=staff,
            transport_outside_office_hours=True,
        )


# ---- SAV-10 / SAV-11 ----------------------------------------------------------------------------


def found_report(report, staff):
    """Back, every instance told of it in writing (R-13: the notices recorded as sent), and
    the place agreed with the regional office (SAV-9)."""
    result = services.missing_report_found(
        report=report,
        found_at=timezone.now() - timedelta(minutes=10),
        found_how="came_back",
        by=staff,
    )
    send_out(*result.notices, by=staff)
    return services.missing_report_record_placement(
        report=result.report, placement="kept", clarified_with="Saksbehandler i regionen", by=staff
    )


def conversation(**extra):
    values = dict(
        held_at=timezone.now(),
        why_left="Wanted to find his brother.",
        where_stayed="With friends in Oslo.",
        what_did="Worked at a car wash.",
        feels_safe=True,
    )
    values.update(extra)
    return services.FollowUpData(**values)


def test_sav_10_trafficking_suspicion_opens_the_general_procedure_step(report, staff):
    report = found_report(report, staff)
    services.missing_report_record_follow_up(
        report=report,
        data=conversation(
            trafficking_suspected=True, interpreter_used=True, interpreter_language="Dari"
        ),
        by=staff,
    )
    assert [s.code for s in selectors.open_return_steps(report)] == [checklist.GENERAL_PROCEDURE]
    assert deadline(report, checklist.GENERAL_PROCEDURE).state == Deadline.State.OPEN
    with pytest.raises(ValidationError, match="Finish these steps"):
        services.missing_report_close(report=report, by=staff)
    services.missing_report_record_general_procedure(
        report=report, note="Told the police, per 6.2.", by=staff
    )
    assert selectors.open_return_steps(report) == []
    assert (
        services.missing_report_close(report=report, by=staff).state == MissingReport.State.CLOSED
    )


def test_sav_10_no_suspicion_nothing_more_to_do(report, staff):
    report = found_report(report, staff)
    services.missing_report_record_follow_up(report=report, data=conversation(), by=staff)
    assert selectors.open_return_steps(report) == []


def test_sav_10_conversation_before_the_return_is_refused(report, staff):
    report = found_report(report, staff)
    with pytest.raises(ValidationError, match="before the resident was found"):
        services.missing_report_record_follow_up(
            report=report,
            data=conversation(held_at=report.found_at - timedelta(minutes=1)),
            by=staff,
        )


def test_sav_10_asylum_information_goes_to_the_region_only_with_consent(
    report, staff, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.services import consent_record

    settings.MEDIA_ROOT = tmp_path

    report = found_report(report, staff)
    services.missing_report_record_follow_up(
        report=report,
        data=conversation(asylum_relevant_info="Says his father was killed."),
        by=staff,
    )
    with pytest.raises(ValidationError, match="consent"):
        services.missing_report_send_asylum_info(report=report, by=staff)
    assert not Dispatch.objects.filter(purpose="asylum_information").exists()
    consent_record(
        subject=report.resident,
        given_by="representative",
        given_by_name="Rita Representant",
        purpose="asylum_information",
        recipient_kinds=["udi_region"],
        given_on=timezone.localdate(),
        declaration_file=SimpleUploadedFile(
            "samtykke.pdf", minimal_pdf(), content_type="application/pdf"
        ),
        by=staff,
    )
    dispatch = services.missing_report_send_asylum_info(report=report, by=staff)
    assert dispatch.recipient_kind == "udi_region"


def test_sav_11_r_13_grounded_neglect_suspicion_sends_concern_reports(report, staff, directory):
    services.missing_report_send_to_child_welfare(report=report, by=staff, phoned_at=timezone.now())
    report = found_report(report, staff)
    services.missing_report_record_follow_up(
        report=report,
        data=conversation(
            serious_neglect_suspected=True, neglect_grounds="Thin, bruised, no food."
        ),
        by=staff,
    )
    assert [s.code for s in selectors.open_return_steps(report)] == [checklist.NEGLECT_REPORTS]
    child_welfare, region = services.missing_report_send_neglect_reports(report=report, by=staff)
    assert child_welfare.recipient == directory["child_welfare"]
    assert child_welfare.version == 2  # the new concern report, after the SAV-4 one
    assert region.recipient == directory["udi_region"]
    assert Dispatch.objects.filter(purpose="concern_report").count() == 2
    with pytest.raises(ValidationError, match="already been made"):
        services.missing_report_send_neglect_reports(report=report, by=staff)
    assert [s.code for s in selectors.open_return_steps(report)] == [checklist.NEGLECT_REPORTS]
    send_out(child_welfare, region, by=staff)
    assert selectors.open_return_steps(report) == []
