"""R-12 channels of the first reports, what the police and child welfare get (SAV-3, SAV-4,
R-22), the resident's photo with its own access and retention, and R-16 (SAV-11)."""

import io
import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cases.models import Deadline, Dispatch
from cases.tests.upload_samples import minimal_pdf
from mottak.models import Stay
from mottak.tests.factories import make_resident
from savnet import routine as checklist
from savnet import rules, services
from savnet.models import MissingReport, PoliceAgreement, ResidentPhoto
from savnet.services import profiles

from .conftest import open_report, send_out


def text_of(dispatch) -> str:
    """The form's words, a label and its value apart (the cells of a row are one space apart)."""
    from html import unescape

    from cases.services.dispatches import dispatch_html

    return " ".join(unescape(re.sub(r"<[^>]+>", " ", dispatch_html(dispatch))).split())


pytestmark = pytest.mark.django_db


def deadline(report, code):
    return Deadline.objects.get(
        object_id=report.pk, kind=checklist.MISSING.deadline_kind(checklist.MISSING.step(code))
    )


def png(size=(40, 60), *, exif_gps: bool = False) -> SimpleUploadedFile:
    out = io.BytesIO()
    image = Image.new("RGB", size, (120, 80, 40))
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make: a stand-in for the metadata a phone writes
        image.save(out, format="JPEG", exif=exif)
        return SimpleUploadedFile("IMG_0001.jpg", out.getvalue(), content_type="image/jpeg")
    image.save(out, format="PNG")
    return SimpleUploadedFile("face.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def agreement(centre, directory, leader):
    return PoliceAgreement.objects.create(
        centre=centre,
        police=directory["police"],
        agreed_on=date(2026, 1, 5),
        agreed_with="Politioverbetjent Nilsen, Lillehammer politistasjon",
        recorded_by=leader,
    )


# ---- the rules ---------------------------------------------------------------------------


def test_r_12_police_first_report_never_by_post_or_e_mail():
    now = timezone.now()
    for channel in ("post", "encrypted_email"):
        assert rules.police_channel_problems(
            channel=channel, has_agreement=True, phoned_at=now
        ) == ["police_not_first_by_post"]
    assert (
        rules.police_channel_problems(channel="by_hand", has_agreement=False, phoned_at=None) == []
    )


def test_r_12_police_by_phone_only_with_a_recorded_agreement_and_a_time():
    now = timezone.now()
    assert rules.police_channel_problems(channel="phone", has_agreement=False, phoned_at=now) == [
        "police_phone_without_agreement"
    ]
    assert rules.police_channel_problems(channel="phone", has_agreement=True, phoned_at=None) == [
        "police_phone_without_time"
    ]
    assert rules.police_channel_problems(channel="phone", has_agreement=True, phoned_at=now) == []
    # The letter after the call goes by post; a report given in person is handed over.
    assert rules.police_written_channel("phone") == "post"
    assert rules.police_written_channel("by_hand") == "by_hand"


def test_r_12_child_welfare_phoned_first_and_the_letter_on_paper():
    now = timezone.now()
    assert rules.child_welfare_channel_problems(channel="post", phoned_at=None) == [
        "child_welfare_not_phoned"
    ]
    assert rules.child_welfare_channel_problems(channel="encrypted_email", phoned_at=now) == [
        "child_welfare_channel"
    ]
    assert rules.child_welfare_channel_problems(channel="post", phoned_at=now) == []
    assert rules.child_welfare_channel_problems(channel="by_hand", phoned_at=now) == []


def test_r_16_duty_to_report_from_the_conversation_or_an_observation_at_the_return():
    assert not rules.duty_to_report_raised(
        suspected_in_conversation=False, observed_at_return=False
    )
    assert rules.duty_to_report_raised(suspected_in_conversation=True, observed_at_return=False)
    assert rules.duty_to_report_raised(suspected_in_conversation=False, observed_at_return=True)


# ---- the services ------------------------------------------------------------------------


def test_sav_3_r_12_post_as_the_first_police_report_is_refused(report, staff):
    with pytest.raises(ValidationError, match="never|too slow"):
        services.missing_report_send_to_police(report=report, by=staff, channel="post")
    assert not Dispatch.objects.filter(purpose="missing_report").exists()
    assert deadline(report, checklist.POLICE).state == Deadline.State.OPEN


def test_sav_3_r_12_phone_without_a_recorded_agreement_is_refused(report, staff):
    with pytest.raises(ValidationError, match="no recorded agreement"):
        services.missing_report_send_to_police(
            report=report, by=staff, channel="phone", phoned_at=timezone.now()
        )
    assert not Dispatch.objects.filter(purpose="missing_report").exists()


def test_sav_3_r_12_phone_under_the_agreement_meets_the_step_the_letter_follows_by_post(
    report, staff, agreement
):
    phoned_at = timezone.now() - timedelta(minutes=10)
    dispatch = services.missing_report_send_to_police(
        report=report,
        by=staff,
        channel="phone",
        phoned_at=phoned_at,
        phoned_to="Operasjonssentralen",
    )
    assert deadline(report, checklist.POLICE).state == Deadline.State.MET
    assert dispatch.channel == "post" and dispatch.awaits_sending
    report.refresh_from_db()
    assert report.police_phoned_at == phoned_at
    text = text_of(dispatch)
    assert "Meldingen ble gitt per telefon" in text and "Operasjonssentralen" in text


def test_sav_3_r_12_in_person_is_met_when_handed_over(report, staff):
    dispatch = services.missing_report_send_to_police(report=report, by=staff)
    assert dispatch.channel == "by_hand"
    assert deadline(report, checklist.POLICE).state == Deadline.State.OPEN
    send_out(dispatch, by=staff)
    assert deadline(report, checklist.POLICE).state == Deadline.State.MET


def test_sav_4_r_12_the_concern_report_without_the_call_is_refused(report, staff):
    with pytest.raises(ValidationError, match="duty service first"):
        services.missing_report_send_to_child_welfare(report=report, by=staff)
    with pytest.raises(ValidationError, match="by post or is handed over"):
        services.missing_report_send_to_child_welfare(
            report=report, by=staff, phoned_at=timezone.now(), channel="encrypted_email"
        )
    assert not Dispatch.objects.filter(purpose="concern_report").exists()
    assert deadline(report, checklist.CHILD_WELFARE).state == Deadline.State.OPEN


def test_sav_4_r_12_a_call_before_the_absence_was_noticed_is_refused(report, staff):
    with pytest.raises(ValidationError, match="before the absence was noticed"):
        services.missing_report_send_to_child_welfare(
            report=report, by=staff, phoned_at=report.noticed_at - timedelta(minutes=1)
        )


def test_r_22_an_urgent_form_needs_a_number_answered_day_and_night(
    neighbour_centre, user_factory, directory
):
    user = user_factory("centre_staff", centre=neighbour_centre)
    report = open_report(make_resident(neighbour_centre), user)
    with pytest.raises(ValidationError, match="day and night"):
        services.missing_report_send_to_police(report=report, by=user)
    dispatch = services.missing_report_send_to_police(
        report=report, by=user, contact_name="Vakthavende", contact_phone="62 00 00 99"
    )
    assert dispatch.context["contact"] == {"name": "Vakthavende", "phone": "62 00 00 99"}


# ---- SAV-3 / SAV-4: what the forms print -------------------------------------------------------


def _describe(minor, staff, media):
    profiles.search_profile_save(
        resident=minor,
        by=staff,
        phone="+47 912 34 567",
        social_media="Snapchat: amanuel_t",
        height_cm=172,
        build="Slank",
        hair="Kort, svart",
        distinguishing_marks="Arr over venstre øyenbryn",
        needs_medication=True,
    )
    profiles.resident_photo_upload(
        resident=minor, upload=png(), by=staff, taken_on=date(2026, 1, 2)
    )
    minor.asylum_stage = "final_rejection"
    minor.interpreter_language = "Tigrinja"
    minor.special_needs = "Sover dårlig; trenger tett oppfølging om kvelden."
    minor.child_welfare_case = True
    minor.child_welfare_service = "Barneverntjenesten i Lillehammer"
    minor.save()


SEARCH_FACTS = dict(
    last_seen_where="Busstasjonen i Lillehammer",
    last_seen_by="Miljøarbeider på kveldsvakt",
    id_taken="yes",
    money_taken="no",
    network="Fetter i Drammen",
    possible_destinations="Oslo sentrum",
    threats="En voksen krever penger",
    trafficking_indicators="Telefoner fra ukjente voksne",
)


def _earlier_disappearance(minor, staff):
    earlier = open_report(minor, staff, hours_ago=200)
    services.missing_report_found(
        report=earlier,
        found_at=earlier.reason_to_believe_at + timedelta(hours=5),
        found_how="came_back",
        by=staff,
    )
    earlier.state = MissingReport.State.CLOSED
    earlier.save()


def test_sav_3_police_form_prints_what_a_police_officer_needs(minor, staff, directory, media):
    _describe(minor, staff, media)
    _earlier_disappearance(minor, staff)
    report = open_report(minor, staff, **SEARCH_FACTS)
    dispatch = services.missing_report_send_to_police(report=report, by=staff)
    text = text_of(dispatch)
    # Re-encoded on upload: a JPEG without its metadata, inside the frozen content.
    assert dispatch.context["minor"]["photo"].startswith("data:image/jpeg;base64,")
    for expected in (
        "+47 912 34 567",
        "Snapchat: amanuel_t",
        "172 cm",
        "Kort, svart",
        "Arr over venstre øyenbryn",
        "Trenger medisiner Ja",
        "Endelig avslag",
        "Tigrinja",
        "Tidligere meldt savnet 1 gang",
        "Busstasjonen i Lillehammer",
        "Miljøarbeider på kveldsvakt",
        "Tok med ID-dokument Ja",
        "Tok med penger eller eiendeler Nei",
        "Fetter i Drammen",
        "Oslo sentrum",
        "En voksen krever penger",
        "Telefoner fra ukjente voksne",
        "Kontakt ved asylmottaket hele døgnet",
        "61 00 00 99",
    ):
        assert expected in text, expected
    # No health record: the care needs go to child welfare, not to the police.
    assert "Sover dårlig" not in text


def test_sav_3_police_report_pdf_carries_the_photo_and_the_new_fields(
    minor, staff, directory, media
):
    from pypdf import PdfReader

    from cases.services.dispatches import dispatch_render
    from cases.tests.test_forms_pdf import pdf_text

    _describe(minor, staff, media)
    report = open_report(minor, staff, **SEARCH_FACTS)
    dispatch = dispatch_render(
        dispatch_id=services.missing_report_send_to_police(report=report, by=staff).pk
    )
    with dispatch.pdf.open("rb") as file:
        pdf = file.read()
    text = " ".join(pdf_text(pdf, media).split())
    for expected in (
        "Foto",
        "Høyde 172 cm",
        "Mobilnummer +47 912 34 567",
        "Hvor sist sett Busstasjonen i Lillehammer",
        "Tegn på menneskehandel Telefoner fra ukjente voksne",
        "Asylsaken Endelig avslag",
        "Telefon (hele døgnet) 61 00 00 99",
    ):
        assert expected in text, expected
    images = sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert images >= 1, "the photo is in the PDF"


def test_sav_3_perm_6_the_leave_passes_its_contact_person_and_address(minor, staff, directory):
    report = open_report(
        minor,
        staff,
        source="late_return",
        known_address="Fjordveien 3, 5003 Bergen",
        known_address_municipality="Bergen",
        leave_contact="Onkel Yonas, tlf. 999 88 777",
    )
    text = text_of(services.missing_report_send_to_police(report=report, by=staff))
    assert "Kontaktperson under permisjonen Onkel Yonas, tlf. 999 88 777" in text
    assert "Adresse under permisjonen Fjordveien 3, 5003 Bergen" in text


def test_sav_4_concern_report_prints_care_needs_case_lawyer_and_who_was_told(
    minor, staff, directory, media
):
    _describe(minor, staff, media)
    report = open_report(minor, staff, **SEARCH_FACTS)
    text = text_of(
        services.missing_report_send_to_child_welfare(
            report=report, by=staff, phoned_at=timezone.now(), phoned_to="Lise Vakt"
        )
    )
    for expected in (
        "Sover dårlig; trenger tett oppfølging om kvelden.",
        "Arr over venstre øyenbryn",
        "Fetter i Drammen",
        "Telefoner fra ukjente voksne",
        "Anders Advokat",
        "Endelig avslag",
        "Sak hos barneverntjenesten Ja, Barneverntjenesten i Lillehammer",
        "Direkte telefon (hele døgnet) 61 00 00 99",
        "Barnevernsvakten i Lillehammer ble varslet per telefon",
        # Derived from what was done: nobody has told the police or the representative yet.
        "Ikke meldt til politiet ennå",
        "Ikke varslet ennå",
    ):
        assert expected in text, expected
    assert "Meldes savnet til politiet samtidig" not in text


def test_sav_4_the_police_sentence_says_when_the_police_were_told(
    report, staff, agreement, directory
):
    phoned_at = timezone.now() - timedelta(minutes=20)
    services.missing_report_send_to_police(
        report=report, by=staff, channel="phone", phoned_at=phoned_at
    )
    services.missing_report_log_call(
        report=report, party="representative", called_at=phoned_at, reached=True, by=staff
    )
    text = text_of(
        services.missing_report_send_to_child_welfare(
            report=report, by=staff, phoned_at=timezone.now()
        )
    )
    told = f"{timezone.localtime(phoned_at):%d.%m.%Y kl. %H.%M}"
    assert f"Meldt savnet til politiet per telefon {told}" in text
    assert "Varslet per telefon" in text


def test_sav_3_search_facts_learned_later_are_saved_and_refused_after_the_return(report, staff):
    services.missing_report_update_search_facts(
        report=report, by=staff, possible_destinations="Oslo S", id_taken="no"
    )
    report.refresh_from_db()
    assert report.possible_destinations == "Oslo S" and report.id_taken == "no"
    with pytest.raises(ValidationError):
        services.missing_report_update_search_facts(report=report, by=staff, id_taken="maybe")
    services.missing_report_found(
        report=report, found_at=timezone.now(), found_how="came_back", by=staff
    )
    with pytest.raises(ValidationError):
        services.missing_report_update_search_facts(report=report, by=staff, threats="x")


# ---- SAV-11: a concern observed at the return ----------------------------------------------


def test_sav_11_r_16_an_observation_at_the_return_raises_the_report_before_the_conversation(
    report, staff
):
    found_at = timezone.now() - timedelta(minutes=30)
    services.missing_report_found(
        report=report,
        found_at=found_at,
        found_how="police",
        by=staff,
        concern_grounds="Blåmerker på armene, virker redd.",
    )
    report.refresh_from_db()
    assert report.concern_observed_at == found_at
    assert deadline(report, checklist.NEGLECT_REPORTS).state == Deadline.State.OPEN
    to_child_welfare, copy = services.missing_report_send_neglect_reports(report=report, by=staff)
    text = text_of(to_child_welfare)
    assert "Observert ved hjemkomsten" in text and "Blåmerker på armene" in text
    assert "andre forhold som utløser opplysningsplikten" in text
    assert "Oppfølgingssamtale Ikke holdt ennå" in text
    assert copy.recipient_kind == "udi_region"


def test_sav_11_r_16_nothing_recorded_no_concern_report(report, staff):
    services.missing_report_found(
        report=report, found_at=timezone.now(), found_how="came_back", by=staff
    )
    with pytest.raises(ValidationError, match="reason to believe"):
        services.missing_report_send_neglect_reports(report=report, by=staff)
    with pytest.raises(ValidationError, match="what staff observed"):
        services.missing_report_record_concern(
            report=report, grounds=" ", observed_at=timezone.now(), by=staff
        )


def test_sav_11_r_16_an_observation_after_the_return_but_not_before_it(report, staff):
    found_at = timezone.now() - timedelta(hours=2)
    services.missing_report_found(report=report, found_at=found_at, found_how="came_back", by=staff)
    with pytest.raises(ValidationError, match="before the resident came back"):
        services.missing_report_record_concern(
            report=report, grounds="Skadet", observed_at=found_at - timedelta(minutes=1), by=staff
        )
    services.missing_report_record_concern(
        report=report, grounds="Skadet hånd", observed_at=found_at + timedelta(hours=1), by=staff
    )
    with pytest.raises(ValidationError, match="already recorded"):
        services.missing_report_record_concern(
            report=report, grounds="Igjen", observed_at=timezone.now(), by=staff
        )


# ---- the photo: its own access and retention ----------------------------------------------------


def test_sav_3_photo_is_served_only_to_those_who_may_see_the_resident(
    client, minor, staff, user_factory, far_centre, media
):
    profiles.resident_photo_upload(resident=minor, upload=png(), by=staff)
    url = reverse("savnet:photo", args=[minor.pk])
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "image/jpeg"
    client.force_login(user_factory("centre_staff", centre=far_centre))
    assert client.get(url).status_code == 404
    # Stored under a random name in a private folder, not at a public media URL.
    photo = ResidentPhoto.objects.get()
    assert photo.image.name.startswith("photos/") and "face" not in photo.image.name


def test_sav_3_photo_upload_takes_images_only_and_drops_their_metadata(
    minor, staff, media, django_capture_on_commit_callbacks
):
    pdf = SimpleUploadedFile("scan.pdf", minimal_pdf())
    with pytest.raises(ValidationError, match="PNG or JPEG"):
        profiles.resident_photo_upload(resident=minor, upload=pdf, by=staff)
    assert not ResidentPhoto.objects.exists()
    photo = profiles.resident_photo_upload(
        resident=minor, upload=png((2000, 3000), exif_gps=True), by=staff
    )
    with photo.image.open("rb") as file, Image.open(file) as stored:
        assert max(stored.size) == profiles.PHOTO_MAX_SIDE
        assert not stored.getexif()
    old_name = photo.image.name
    with django_capture_on_commit_callbacks(execute=True):
        profiles.resident_photo_upload(resident=minor, upload=png(), by=staff)
    assert ResidentPhoto.objects.count() == 1
    assert not (media / old_name).exists()  # the replaced file is gone


def test_sav_3_photo_retention_deletes_photos_of_residents_who_left(
    centre, staff, media, directory
):
    now = timezone.now()
    left_long_ago, left_lately, missing = (make_resident(centre) for _ in range(3))
    for resident, months_ago in ((left_long_ago, 7), (left_lately, 5), (missing, 8)):
        profiles.resident_photo_upload(resident=resident, upload=png(), by=staff)
        stay = Stay.objects.get(resident=resident)
        stay.started_at = now - timedelta(days=31 * months_ago + 30)
        stay.ended_at = now - timedelta(days=31 * months_ago)
        stay.end_reason = Stay.EndReason.OTHER
        stay.save()
    open_report(missing, staff)
    gone = ResidentPhoto.objects.get(resident=left_long_ago).image.name
    call_command("savnet_photos_purge", "--months", "6")
    assert set(ResidentPhoto.objects.values_list("resident", flat=True)) == {
        left_lately.pk,
        missing.pk,
    }
    assert not (media / gone).exists()


def test_kart_16_sav_3_photo_goes_on_the_retention_job_a_day_after_six_months(
    centre, staff, media, directory
):
    """The photo is a record type of the shared retention machinery: its period is
    configuration, the nightly job deletes the row, its history rows and its file, and leaves
    a deletion record with counts only."""
    from cases import periods, retention
    from cases.models import DeletionRecord

    resident = make_resident(centre)
    profiles.resident_photo_upload(resident=resident, upload=png(), by=staff)
    profiles.resident_photo_upload(resident=resident, upload=png((50, 70)), by=staff)
    name = ResidentPhoto.objects.get().image.name
    stay = Stay.objects.get(resident=resident)
    left = timezone.now() - timedelta(days=1)
    stay.ended_at, stay.end_reason = left, Stay.EndReason.OTHER
    stay.save()
    six_months = periods.months(left, profiles.PHOTO_RETENTION_MONTHS)
    day_before = six_months - timedelta(days=1)
    run = retention.retention_run(now=day_before, only=[profiles.PHOTO_RECORD_TYPE])
    assert run.deleted[profiles.PHOTO_RECORD_TYPE] == 0
    day_after = six_months + timedelta(days=1)
    run = retention.retention_run(now=day_after, only=[profiles.PHOTO_RECORD_TYPE])
    assert run.deleted[profiles.PHOTO_RECORD_TYPE] == 1
    assert not ResidentPhoto.objects.exists()
    assert not ResidentPhoto.history.model.objects.filter(resident_id=resident.pk).exists()
    assert not (media / name).exists()
    record = DeletionRecord.objects.get(record_type="savnet.photo")
    assert record.counts["photos"] == 1 and record.counts["history_rows"] >= 2
    assert record.centre_id == centre.pk


def test_sav_3_a_photo_file_left_by_a_deleted_record_is_removed(minor, staff, media):
    photo = profiles.resident_photo_upload(resident=minor, upload=png(), by=staff)
    name = photo.image.name
    ResidentPhoto.objects.filter(pk=photo.pk).delete()  # as a resident's deletion cascades
    rows, files = profiles.resident_photos_purge(now=timezone.now() + timedelta(hours=2))
    assert (rows, files) == (0, 1)
    assert not (media / name).exists()


# ---- the pages -----------------------------------------------------------------------------------


def test_sav_3_profile_page_saves_the_description_and_the_photo(
    client, minor, staff, media, django_assert_max_num_queries
):
    client.force_login(staff)
    url = reverse("savnet:profile", args=[minor.pk])
    response = client.post(url, {"part": "profile", "height_cm": "300", "phone": "999"})
    assert response.status_code == 200 and "250" in response.content.decode()
    response = client.post(url, {"part": "profile", "height_cm": "172", "hair": "Svart"})
    assert response.status_code == 302
    assert minor.search_profile.height_cm == 172
    response = client.post(url, {"part": "photo", "image": png()})
    assert response.status_code == 302 and ResidentPhoto.objects.filter(resident=minor).exists()
    with django_assert_max_num_queries(30):
        page = client.get(url).content.decode()
    assert reverse("savnet:photo", args=[minor.pk]) in page


def test_sav_3_r_12_the_page_refuses_a_phone_report_without_an_agreement(client, report, staff):
    client.force_login(staff)
    response = client.post(
        reverse("savnet:police", args=[report.pk]),
        {"channel": "phone", "phoned_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    )
    assert "no recorded agreement with this police district" in response.content.decode()
    assert not Dispatch.objects.filter(purpose="missing_report").exists()
    detail = client.get(reverse("savnet:detail", args=[report.pk])).content.decode()
    assert "give the report in person" in detail


def test_sav_11_r_16_the_page_records_a_concern_observed_at_the_return(client, report, staff):
    services.missing_report_found(
        report=report, found_at=timezone.now() - timedelta(hours=1), found_how="came_back", by=staff
    )
    client.force_login(staff)
    response = client.post(
        reverse("savnet:concern", args=[report.pk]),
        {
            "observed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "grounds": "Synlige skader",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.concern_grounds == "Synlige skader"
    assert 'id="send-neglect"' in client.get(response.url).content.decode()


def test_r_12_an_administrator_records_the_police_agreement_with_who_and_when(
    client, admin_user, centre, directory
):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:savnet_policeagreement_add"),
        {
            "centre": centre.pk,
            "police": directory["police"].pk,
            "agreed_on": "2026-01-05",
            "agreed_with": "Politioverbetjent Nilsen",
            "note": "Melding per telefon til operasjonssentralen, skriftlig per post samme dag.",
        },
    )
    assert response.status_code == 302
    agreement = PoliceAgreement.objects.get()
    assert agreement.recorded_by == admin_user and agreement.recorded_at is not None
