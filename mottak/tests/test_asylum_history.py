"""The asylum case as a history, the Sesam notices, the representative's lifecycle and the
directory by municipality."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseEvent
from mottak import directory, events, services
from mottak.models import (
    FINAL_REJECTION_STAGES,
    RETURN_STAGES,
    AsylumStage,
    AsylumStageChange,
    ExternalRecipient,
    Municipality,
    RepresentativeRecord,
    RepresentativeStatus,
    SesamNotice,
)
from mottak.selectors import resident_has_representative
from mottak.tests.factories import CentreStaffFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


# --- stages --------------------------------------------------------------------------------------


def test_stages_keep_their_old_codes_and_add_the_split_ones():
    assert {"registered", "dublin", "awaiting_interview", "decision_pending", "granted"} <= set(
        AsylumStage.values
    )
    assert {"granted_limited", "appealed", "final_rejection_une"} <= set(AsylumStage.values)
    assert RETURN_STAGES == {"rejected_udi", "appealed", "final_rejection", "final_rejection_une"}
    assert FINAL_REJECTION_STAGES == {"final_rejection", "final_rejection_une"}


def test_stage_change_writes_history_current_value_and_event(resident, staff):
    change = services.resident_asylum_stage_change(
        resident=resident,
        to_stage=AsylumStage.REJECTED_UDI,
        effective_on=today() - timedelta(days=2),
        decision_date=today() - timedelta(days=5),
        by=staff,
    )
    resident.refresh_from_db()
    assert resident.asylum_stage == "rejected_udi"
    assert (change.from_stage, change.to_stage, change.recorded_by) == (
        "registered",
        "rejected_udi",
        staff,
    )
    event = CaseEvent.objects.get(kind=events.ASYLUM_STAGE_CHANGED)
    assert event.payload["from"] == "registered" and event.payload["to"] == "rejected_udi"
    assert event.payload["decision_date"] == (today() - timedelta(days=5)).isoformat()


def test_stage_change_double_submit_records_one(resident, staff):
    kwargs = dict(resident=resident, to_stage="appealed", effective_on=today(), by=staff)
    first = services.resident_asylum_stage_change(**kwargs)
    again = services.resident_asylum_stage_change(**kwargs)
    assert first == again and AsylumStageChange.objects.count() == 1
    assert CaseEvent.objects.filter(kind=events.ASYLUM_STAGE_CHANGED).count() == 1


@pytest.mark.parametrize(
    ("effective", "decision", "message"),
    [
        (1, None, "The date cannot be in the future."),
        (0, 1, "The date of the decision cannot be in the future."),
        (-3, -1, "cannot be later than the date it took effect"),
    ],
)
def test_stage_change_bad_dates_are_refused_and_nothing_saved(
    resident, staff, effective, decision, message
):
    with pytest.raises(ValidationError) as error:
        services.resident_asylum_stage_change(
            resident=resident,
            to_stage="granted",
            effective_on=today() + timedelta(days=effective),
            decision_date=None if decision is None else today() + timedelta(days=decision),
            by=staff,
        )
    assert message in " ".join(error.value.messages)
    resident.refresh_from_db()
    assert resident.asylum_stage == "registered" and not AsylumStageChange.objects.exists()
    assert not CaseEvent.objects.filter(kind=events.ASYLUM_STAGE_CHANGED).exists()


def test_stage_change_to_the_same_stage_or_before_the_last_is_refused(resident, staff):
    with pytest.raises(ValidationError, match="already at this stage"):
        services.resident_asylum_stage_change(
            resident=resident, to_stage="registered", effective_on=today(), by=staff
        )
    services.resident_asylum_stage_change(
        resident=resident, to_stage="decision_pending", effective_on=today(), by=staff
    )
    with pytest.raises(ValidationError, match="before the last recorded change"):
        services.resident_asylum_stage_change(
            resident=resident,
            to_stage="granted",
            effective_on=today() - timedelta(days=1),
            by=staff,
        )


# --- Sesam notices ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "event_kind"),
    [
        ("decision", events.DECISION_NOTICE_RECEIVED),
        ("return_conversation", events.RETURN_CONVERSATION_NOTICE_RECEIVED),
    ],
)
def test_sesam_notice_publishes_its_event_once(resident, staff, kind, event_kind):
    for _ in range(2):
        notice = services.sesam_notice_record(
            resident=resident,
            kind=kind,
            received_on=today(),
            decision_date=today() - timedelta(days=1),
            by=staff,
        )
    assert SesamNotice.objects.count() == 1
    event = CaseEvent.objects.get(kind=event_kind)
    assert event.payload["notice_id"] == notice.pk
    assert event.payload["received_on"] == today().isoformat()


def test_sesam_notice_in_the_future_is_refused(resident, staff):
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.sesam_notice_record(
            resident=resident, kind="decision", received_on=today() + timedelta(days=1), by=staff
        )
    assert not SesamNotice.objects.exists()


# --- the representative ----------------------------------------------------------------------------


def test_representative_lifecycle_with_history(resident, staff):
    resident.representative_name = ""
    resident.save()
    assert not resident_has_representative(resident)
    services.representative_record(
        resident=resident,
        status=RepresentativeStatus.NOT_APPOINTED,
        effective_on=today() - timedelta(days=20),
        by=staff,
    )
    assert not resident_has_representative(resident)
    services.representative_record(
        resident=resident,
        status=RepresentativeStatus.TEMPORARY,
        name="Tora Midlertidig",
        phone="+47 000 00 001",
        effective_on=today() - timedelta(days=15),
        by=staff,
    )
    assert resident_has_representative(resident)
    services.representative_record(
        resident=resident,
        status=RepresentativeStatus.APPOINTED,
        name="Rolf Representant",
        appointed_by="Statsforvalteren i Innlandet",
        effective_on=today() - timedelta(days=5),
        by=staff,
    )
    resident.refresh_from_db()
    assert resident.representative_name == "Rolf Representant"
    assert not resident_has_representative(resident, on=today() - timedelta(days=16))
    assert resident_has_representative(resident, on=today() - timedelta(days=10))
    assert RepresentativeRecord.objects.filter(resident=resident).count() == 3
    assert CaseEvent.objects.filter(kind=events.REPRESENTATIVE_CHANGED).count() == 3


def test_representative_bad_input_is_refused(resident, staff):
    with pytest.raises(ValidationError, match="name"):
        services.representative_record(
            resident=resident, status="appointed", effective_on=today(), by=staff
        )
    with pytest.raises(ValidationError, match="county governor"):
        services.representative_record(
            resident=resident, status="appointed", name="A", effective_on=today(), by=staff
        )
    with pytest.raises(ValidationError, match="no representative to change"):
        services.representative_record(
            resident=resident,
            status="changed",
            name="A",
            appointed_by="Statsforvalteren i Innlandet",
            effective_on=today(),
            by=staff,
        )
    with pytest.raises(ValidationError, match="future"):
        services.representative_record(
            resident=resident,
            status="temporary",
            name="A",
            effective_on=today() + timedelta(days=1),
            by=staff,
        )
    assert not RepresentativeRecord.objects.exists()


def test_mot_4_no_representative_acts_from_the_18th_birthday(centre, staff):
    born = date(today().year - 18, today().month, min(today().day, 28))
    adult = ResidentFactory(centre=centre, date_of_birth=born, representative_name="Rolf")
    assert not resident_has_representative(adult, on=born.replace(year=born.year + 18))
    assert resident_has_representative(
        adult, on=born.replace(year=born.year + 18) - timedelta(days=1)
    )


def test_mot_4_mandate_end_is_recorded_once(resident, staff):
    resident.representative_name = "Rolf"
    resident.save()
    ended = services.representative_mandate_end(
        resident=resident, ended_on=today(), reason="turned_18", by=None
    )
    assert ended.status == "ended" and ended.name == "Rolf"
    assert (
        services.representative_mandate_end(
            resident=resident, ended_on=today(), reason="turned_18", by=None
        )
        is None
    )
    resident.refresh_from_db()
    assert resident.representative_name == ""


# --- pages ----------------------------------------------------------------------------------------


def test_resident_page_shows_stage_history_and_representative(client, staff, resident):
    services.resident_asylum_stage_change(
        resident=resident, to_stage="appealed", effective_on=today(), by=staff
    )
    services.representative_record(
        resident=resident,
        status="appointed",
        name="Rolf Representant",
        appointed_by="Statsforvalteren i Innlandet",
        effective_on=today(),
        by=staff,
    )
    client.force_login(staff)
    content = client.get(reverse("mottak:resident_detail", args=[resident.pk])).content.decode()
    assert 'id="asylum-stage-history"' in content and "Appealed, pending at UNE" in content
    assert "Rolf Representant" in content and "Statsforvalteren i Innlandet" in content


def test_stage_form_records_and_bad_date_says_so(client, staff, resident):
    client.force_login(staff)
    url = reverse("mottak:asylum_stage_change", args=[resident.pk])
    assert client.get(url).status_code == 200
    future = (today() + timedelta(days=2)).isoformat()
    response = client.post(url, {"to_stage": "granted", "effective_on": future})
    assert response.status_code == 200
    assert "The date cannot be in the future." in response.content.decode()
    assert not AsylumStageChange.objects.exists()
    response = client.post(url, {"to_stage": "granted", "effective_on": today().isoformat()})
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.asylum_stage == "granted"


@pytest.mark.parametrize(
    "url_name", ["asylum_stage_change", "sesam_notice_new", "representative_new"]
)
def test_forms_of_another_centres_resident_answer_404(client, far_centre, url_name):
    other = ResidentFactory(centre=far_centre)
    client.force_login(CentreStaffFactory(centre=far_centre))
    assert client.get(reverse(f"mottak:{url_name}", args=[other.pk])).status_code == 200
    from mottak.tests.factories import CentreStaffFactory as Staff

    client.force_login(Staff())
    assert client.get(reverse(f"mottak:{url_name}", args=[other.pk])).status_code == 404


def test_sesam_and_representative_forms_record(client, staff, resident):
    client.force_login(staff)
    response = client.post(
        reverse("mottak:sesam_notice_new", args=[resident.pk]),
        {"kind": "decision", "received_on": today().isoformat()},
    )
    assert response.status_code == 302 and SesamNotice.objects.count() == 1
    response = client.post(
        reverse("mottak:representative_new", args=[resident.pk]),
        {"status": "temporary", "name": "Tora", "effective_on": today().isoformat()},
    )
    assert response.status_code == 302 and RepresentativeRecord.objects.count() == 1


# --- the directory by municipality -------------------------------------------------------------------


def test_directory_reads_the_municipality_then_the_county(centre):
    police = ExternalRecipient.objects.create(
        kind="police", name="Innlandet politidistrikt", address="Postboks 1, 2317 Hamar"
    )
    governor = ExternalRecipient.objects.create(
        kind="county_governor",
        name="Statsforvalteren i Innlandet",
        address="Postboks 987, 2626 Lillehammer",
        county="Innlandet",
    )
    Municipality.objects.create(name="Lillehammer", county="Innlandet", police_district=police)
    assert directory.police_district("Lillehammer") == {"recipient": police}
    centre.county = ""
    assert directory.county_governor_of_centre(centre) == {"recipient": governor}
    assert directory.school("Lillehammer")["recipient_name"] == "Skolen i Lillehammer"
