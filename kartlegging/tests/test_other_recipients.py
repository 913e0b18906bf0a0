"""KART-12: a recipient outside the list of those who need the mapping gets a copy only after
the centre leader's recorded assessment (who, when, why, the recipient's function and the areas
it needs); anyone else is refused with a message; the copy holds those areas only (KART-14) and
needs the consent (KART-13)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.models import Dispatch
from cases.services import consent_record
from cases.tests.upload_samples import minimal_pdf
from kartlegging import services
from kartlegging.models import RecipientAssessment
from kartlegging.tests.test_transfers import pdf_text
from mottak.models import ExternalRecipient

pytestmark = pytest.mark.django_db

PURPOSE = "mapping_transfer_assessed"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def school():
    return ExternalRecipient.objects.create(
        kind="school", name="Hamar skole", address="Skolegata 1, 2300 Hamar"
    )


@pytest.fixture
def written(assigned, key_worker):
    for area, text in (
        ("school", "Trenger leksehjelp i norsk."),
        ("family", "Har en bror i Sverige."),
    ):
        services.entry_add(
            mapping=assigned,
            area=area,
            source="minor",
            text=text,
            recorded_on=timezone.localdate(),
            by=key_worker,
        )
    return assigned


def school_consent(resident, by):
    return consent_record(
        subject=resident,
        given_by="representative",
        given_by_name="Rita Representant",
        purpose=PURPOSE,
        recipient_kinds=["school"],
        given_on=timezone.localdate(),
        declaration_file=SimpleUploadedFile(
            "samtykke.pdf", minimal_pdf("school"), content_type="application/pdf"
        ),
        by=by,
    )


def assess(mapping, recipient, by, **extra):
    fields = dict(
        function="Skolen følger opp opplæringen",
        reason="Skolen trenger å vite om språkbehovet for å tilpasse opplæringen.",
        areas=["school"],
    )
    fields.update(extra)
    return services.mapping_recipient_assess(mapping=mapping, recipient=recipient, by=by, **fields)


def test_kart_12_outside_the_list_no_copy_without_the_leaders_assessment(
    written, school, lead, leader
):
    school_consent(written.resident, lead)
    with pytest.raises(ValidationError, match="assessment|vurdering"):
        services.mapping_transfer_other_send(
            mapping=written, recipient=school, channel="post", by=lead
        )
    assert not Dispatch.objects.exists()
    assess(written, school, leader)
    dispatch = services.mapping_transfer_other_send(
        mapping=written, recipient=school, channel="post", by=lead
    )
    assert (dispatch.purpose, dispatch.recipient_name) == (PURPOSE, "Hamar skole")


@pytest.mark.parametrize("who", ["key_worker", "lead", "staff"])
def test_kart_12_only_the_centre_leader_may_assess_a_recipient(written, school, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(ValidationError) as refused:
        assess(written, school, user)
    assert "centre leader" in str(refused.value) or "leder" in str(refused.value)
    assert not RecipientAssessment.objects.exists()


def test_kart_12_the_assessment_records_who_when_why(written, school, leader):
    before = timezone.now()
    assessment = assess(written, school, leader)
    assert assessment.assessed_by == leader
    assert before <= assessment.assessed_at <= timezone.now()
    assert assessment.reason.startswith("Skolen trenger")
    assert assessment.areas == ["school"]


def test_kart_12_a_recipient_on_the_list_needs_no_assessment(written, leader, lead):
    iom = ExternalRecipient.objects.create(kind="iom", name="IOM Oslo", address="Postboks 3")
    with pytest.raises(ValidationError):
        assess(written, iom, leader)
    with pytest.raises(ValidationError):
        services.mapping_transfer_other_send(
            mapping=written, recipient=iom, channel="post", by=lead
        )


@pytest.mark.parametrize(
    "extra", [{"reason": " "}, {"function": ""}, {"areas": []}, {"areas": ["health"]}]
)
def test_kart_12_an_assessment_without_reason_function_or_areas_is_refused(
    written, school, leader, extra
):
    with pytest.raises(ValidationError):
        assess(written, school, leader, **extra)
    assert not RecipientAssessment.objects.exists()


def test_kart_13_kart_12_the_assessed_copy_needs_the_consent(written, school, leader, lead):
    assess(written, school, leader)
    with pytest.raises(ValidationError):
        services.mapping_transfer_other_send(
            mapping=written, recipient=school, channel="post", by=lead
        )
    assert not Dispatch.objects.exists()


def test_kart_14_kart_12_the_copy_holds_the_assessed_areas_only(
    written, school, leader, lead, tmp_path
):
    school_consent(written.resident, lead)
    assess(written, school, leader)
    dispatch = services.mapping_transfer_other_send(
        mapping=written, recipient=school, channel="by_hand", by=lead
    )
    text = " ".join(pdf_text(dispatch, tmp_path).split())
    assert "Trenger leksehjelp i norsk." in text
    assert "Har en bror i Sverige." not in text
    assert "Skolen følger opp opplæringen" in text
    assert "Familie" in text.split("Utelatt for denne mottakeren")[1]


def test_kart_12_the_page_refuses_staff_with_a_message_and_records_the_leaders(
    client, written, school, staff, leader
):
    url = reverse("kartlegging:recipient_assess", args=[written.pk])
    data = {
        "recipient": school.pk,
        "function": "Skolen følger opp opplæringen",
        "reason": "Tilpasset opplæring.",
        "areas": ["school"],
    }
    client.force_login(staff)
    response = client.post(url, data, follow=True, HTTP_ACCEPT_LANGUAGE="nb")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bare mottaksleder kan vurdere en mottaker" in page
    assert not RecipientAssessment.objects.exists()
    client.force_login(leader)
    response = client.post(url, data, follow=True)
    assert RecipientAssessment.objects.get().assessed_by == leader
    assert "Hamar skole" in response.content.decode()


def test_kart_12_another_centres_leader_gets_404_and_nothing_is_saved(
    client, written, school, user_factory, far_centre
):
    client.force_login(user_factory("centre_leader", centre=far_centre))
    for name, data in (
        (
            "kartlegging:recipient_assess",
            {"recipient": school.pk, "function": "x", "reason": "y", "areas": ["school"]},
        ),
        ("kartlegging:transfer_other", {"recipient": school.pk, "channel": "post"}),
    ):
        response = client.post(reverse(name, args=[written.pk]), data)
        assert response.status_code == 404
    assert not RecipientAssessment.objects.exists() and not Dispatch.objects.exists()
