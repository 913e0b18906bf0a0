"""Consent pages: access through the one access layer, uploads, download with a read log."""

import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from cases.consent_rules import GivenBy, RecipientKind
from cases.models import Consent, ReadLog
from cases.services import consent_record
from kartlegging.purposes import Purpose
from mottak.models import Role

from . import upload_samples
from .upload_samples import (
    ELF,
    PDF,
    PNG,
    SVG,
    TEXT,
    exactly_max_pdf,
    files_under,
    pdf_of_size,
    upload,
)

media_root = upload_samples.media_root


def ct_of(obj) -> int:
    return ContentType.objects.get_for_model(obj).pk


def new_url(resident) -> str:
    return reverse("cases:consent_new", args=[ct_of(resident), resident.pk])


def form_data(declaration, **overrides) -> dict:
    data = {
        "given_by": GivenBy.REPRESENTATIVE,
        "given_by_name": "Rita Representant",
        "purpose": Purpose.MAPPING_TRANSFER,
        "purpose_note": "",
        "recipient_kinds": [RecipientKind.IMDI],
        "given_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "declaration": declaration,
    }
    data.update(overrides)
    return data


@pytest.fixture
def consent(resident, staff, media_root):
    return consent_record(
        subject=resident,
        given_by=GivenBy.REPRESENTATIVE,
        given_by_name="Rita Representant",
        purpose=Purpose.MAPPING_TRANSFER,
        recipient_kinds=[RecipientKind.IMDI],
        given_on=timezone.localdate(),
        declaration_file=upload(PNG, name="scan.png", content_type="image/png"),
        by=staff,
    )


def test_staff_records_a_consent_with_its_declaration(client, staff, resident, media_root):
    client.force_login(staff)
    assert client.get(new_url(resident)).status_code == 200
    response = client.post(new_url(resident), form_data(upload(PDF)))
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.subject == resident
    assert consent.recipient_kinds == ["imdi"]
    assert consent.created_by == staff
    assert len(files_under(media_root)) == 1


def test_exactly_10_mb_is_recorded_through_the_form(client, staff, resident, media_root):
    client.force_login(staff)
    response = client.post(new_url(resident), form_data(upload(exactly_max_pdf())))
    assert response.status_code == 302
    assert Consent.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (TEXT, "declaration.pdf", "Only PDF, PNG or JPEG"),
        (ELF, "declaration.pdf", "Only PDF, PNG or JPEG"),
        (SVG, "declaration.svg", "Only PDF, PNG or JPEG"),
        (pdf_of_size(10 * 1024 * 1024 + 1), "declaration.pdf", "larger than 10 MB"),
    ],
    ids=["text-named-pdf", "executable", "svg", "10-mb-and-one-byte"],
)
def test_bad_upload_gives_a_clear_message_and_changes_nothing(
    client, staff, resident, media_root, content, name, message
):
    client.force_login(staff)
    response = client.post(new_url(resident), form_data(upload(content, name=name)))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Consent.objects.exists()
    assert files_under(media_root) == []


def test_adult_rule_error_is_shown_on_the_form(client, staff, resident, media_root):
    client.force_login(staff)
    response = client.post(new_url(resident), form_data(upload(PDF), given_by=GivenBy.RESIDENT))
    assert response.status_code == 200
    assert "the representative must give the consent" in response.content.decode()
    assert not Consent.objects.exists()
    assert files_under(media_root) == []


def test_double_submit_of_the_form_gives_one_consent(client, staff, resident, media_root):
    client.force_login(staff)
    client.post(new_url(resident), form_data(upload(PDF)))
    response = client.post(new_url(resident), form_data(upload(PDF)))
    assert "already been recorded" in response.content.decode()
    assert Consent.objects.count() == 1
    assert len(files_under(media_root)) == 1


def test_read_only_region_caseworker_cannot_record(client, caseworker, resident, media_root):
    client.force_login(caseworker)
    assert client.get(new_url(resident)).status_code == 404
    assert client.post(new_url(resident), form_data(upload(PDF))).status_code == 404
    assert not Consent.objects.exists()


def test_list_shows_the_consents_with_bounded_queries(
    client, staff, resident, consent, django_assert_max_num_queries
):
    client.force_login(staff)
    url = reverse("cases:consent_list", args=[ct_of(resident), resident.pk])
    with django_assert_max_num_queries(14):  # 12, the user's memberships and the second factor
        response = client.get(url)
    assert response.status_code == 200
    assert reverse("cases:consent_download", args=[consent.pk]) in response.content.decode()


def test_download_returns_the_declaration_and_writes_a_read_log(client, staff, resident, consent):
    client.force_login(staff)
    response = client.get(reverse("cases:consent_download", args=[consent.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    # The kind of document and the signing date; nothing that identifies the resident.
    disposition = response["Content-Disposition"]
    assert re.search(
        rf'filename="(samtykke|consent)-{consent.given_on:%Y-%m-%d}\.png"', disposition
    )
    assert "Rita" not in response["Content-Disposition"]
    log = ReadLog.objects.get()
    assert (log.user, log.subject, log.action) == (staff, resident, "download")


def test_another_centres_staff_gets_the_same_404_as_a_missing_id(
    client, user_factory, far_centre, neighbour_centre, consent
):
    for other_centre in (neighbour_centre, far_centre):
        outsider = user_factory(Role.CENTRE_STAFF, centre=other_centre)
        client.force_login(outsider)
        forbidden = client.get(reverse("cases:consent_download", args=[consent.pk]))
        missing = client.get(reverse("cases:consent_download", args=[consent.pk + 1000]))
        assert forbidden.status_code == missing.status_code == 404
        assert forbidden.content == missing.content
    assert not ReadLog.objects.exists()


def test_withdraw_by_post(client, staff, consent):
    client.force_login(staff)
    url = reverse("cases:consent_withdraw", args=[consent.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_by == staff


def test_another_centres_staff_cannot_withdraw(client, user_factory, far_centre, consent):
    client.force_login(user_factory(Role.CENTRE_STAFF, centre=far_centre))
    assert client.post(reverse("cases:consent_withdraw", args=[consent.pk])).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_withdraw_redirects_only_to_this_site(client, staff, consent):
    client.force_login(staff)
    response = client.post(
        reverse("cases:consent_withdraw", args=[consent.pk]), {"next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil" not in response["Location"]
