"""Dispatch pages: through the access layer (404 like a missing id), read-logged downloads."""

import hashlib
import re
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cases.downloads import download_name
from cases.models import Dispatch, ReadLog
from cases.selectors import dispatches_for_subject
from cases.services import dispatch_mark_sent, dispatch_render
from mottak.models import Role
from mottak.tests.factories import ResidentFactory

from .dispatch_factories import create_arrival_notice

PAGES = ["dispatch_detail", "dispatch_preview", "dispatch_pdf"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def rendered(resident, staff):
    dispatch = create_arrival_notice(resident=resident, by=staff)
    dispatch_render(dispatch_id=dispatch.pk)
    return Dispatch.objects.get(pk=dispatch.pk)


@pytest.fixture
def stranger(user_factory, neighbour_centre):
    """Staff of another centre in the same region."""
    return user_factory(Role.CENTRE_STAFF, centre=neighbour_centre)


def test_x_1_download_gives_the_stored_bytes_and_is_read_logged(client, staff, rendered, resident):
    client.force_login(staff)
    response = client.get(reverse("cases:dispatch_pdf", args=[rendered.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    # The kind of notice and the day it was made; nothing that identifies the resident.
    made = timezone.localdate(rendered.rendered_at)
    assert re.search(rf'filename="[a-z-]+-{made:%Y-%m-%d}\.pdf"', response["Content-Disposition"])
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == rendered.sha256
    log = ReadLog.objects.get()
    assert (log.user, log.subject, log.action) == (staff, resident, "download")
    assert log.detail == f"dispatch {rendered.pk}"


@pytest.mark.parametrize("page", PAGES)
def test_x_3_other_centres_staff_get_the_same_404_as_for_a_missing_id(
    client, stranger, rendered, page
):
    client.force_login(stranger)
    forbidden = client.get(reverse(f"cases:{page}", args=[rendered.pk]))
    missing = client.get(reverse(f"cases:{page}", args=[rendered.pk + 1000]))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
    assert not ReadLog.objects.exists()


@pytest.mark.parametrize("page", ["dispatch_retry", "dispatch_sent"])
def test_x_3_other_centres_staff_cannot_post(client, stranger, rendered, page):
    client.force_login(stranger)
    response = client.post(reverse(f"cases:{page}", args=[rendered.pk]))
    assert response.status_code == 404
    assert Dispatch.objects.get(pk=rendered.pk).state == Dispatch.State.RENDERED


def test_x_3_regional_caseworker_sees_but_cannot_mark_sent(client, caseworker, rendered):
    client.force_login(caseworker)
    page = client.get(reverse("cases:dispatch_detail", args=[rendered.pk]))
    assert page.status_code == 200
    assert reverse("cases:dispatch_sent", args=[rendered.pk]) not in page.content.decode()
    response = client.post(reverse("cases:dispatch_sent", args=[rendered.pk]))
    assert response.status_code == 404
    assert Dispatch.objects.get(pk=rendered.pk).state == Dispatch.State.RENDERED


def test_pdf_before_it_is_rendered_is_404(client, staff, resident):
    dispatch = create_arrival_notice(resident=resident, by=staff)
    client.force_login(staff)
    assert client.get(reverse("cases:dispatch_pdf", args=[dispatch.pk])).status_code == 404


def test_x_1_preview_shows_the_form_in_the_browser_and_is_logged(client, staff, resident, rendered):
    client.force_login(staff)
    response = client.get(reverse("cases:dispatch_preview", args=[rendered.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unntatt offentlighet" in html
    assert "Åsmund Ærlig Søgård" in html
    assert "cases/forms/a4.css" in html
    assert "<style" not in html  # the content security policy allows only linked styles
    assert ReadLog.objects.get().action == "view"


def test_detail_shows_state_and_mark_sent_records_it(client, staff, rendered):
    client.force_login(staff)
    page = client.get(reverse("cases:dispatch_detail", args=[rendered.pk]))
    assert page.status_code == 200
    assert rendered.sha256 in page.content.decode()
    response = client.post(reverse("cases:dispatch_sent", args=[rendered.pk]))
    assert response.status_code == 302
    dispatch = Dispatch.objects.get(pk=rendered.pk)
    assert dispatch.state == Dispatch.State.SENT and dispatch.sent_by == staff
    again = client.post(reverse("cases:dispatch_sent", args=[rendered.pk]), follow=True)
    assert "already" in again.content.decode()


def test_failed_render_shows_the_retry_button_and_retry_queues_it(
    client, staff, resident, django_capture_on_commit_callbacks
):
    dispatch = create_arrival_notice(resident=resident, by=staff)
    dispatch.state = Dispatch.State.RENDER_FAILED
    dispatch.attempts = 5
    dispatch.last_error = "OSError: No space left on device"
    dispatch.save()
    client.force_login(staff)
    page = client.get(reverse("cases:dispatch_detail", args=[dispatch.pk])).content.decode()
    assert reverse("cases:dispatch_retry", args=[dispatch.pk]) in page
    assert "No space left on device" in page
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("cases:dispatch_retry", args=[dispatch.pk]))
    assert response.status_code == 302
    assert len(callbacks) == 1
    assert Dispatch.objects.get(pk=dispatch.pk).state == Dispatch.State.QUEUED


def test_get_on_a_post_only_url_is_refused(client, staff, rendered):
    client.force_login(staff)
    assert client.get(reverse("cases:dispatch_sent", args=[rendered.pk])).status_code == 405


def test_detail_query_count(client, staff, rendered, django_assert_max_num_queries):
    client.force_login(staff)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("cases:dispatch_detail", args=[rendered.pk])).status_code == 200


def test_list_partial_for_a_resident_does_not_grow_with_dispatches(
    staff, resident, centre, django_assert_num_queries
):
    other = ResidentFactory(centre=centre)
    for version in range(1, 6):
        dispatch = create_arrival_notice(resident=resident, by=staff, version=version)
        dispatch_render(dispatch_id=dispatch.pk)
    dispatch_mark_sent(dispatch=Dispatch.objects.get(version=1), by=staff)
    create_arrival_notice(resident=other, by=staff)
    with django_assert_num_queries(1):  # one query for the list, whatever its length
        html = render_to_string(
            "cases/dispatches/_list.html",
            {"dispatches": list(dispatches_for_subject(resident))},
        )
    assert html.count('<tr class="dispatch-') == 5
    assert html.count("/pdf/") == 5


def test_download_names_say_the_kind_and_date_in_plain_ascii():
    day = date(2026, 12, 1)
    assert (
        download_name("Bekymringsmelding til barneverntjenesten", day, "PDF")
        == "bekymringsmelding-til-barneverntjenesten-2026-12-01.pdf"
    )
    assert download_name("Avtale om permisjon – søknad på én side", day, "pdf") == (
        "avtale-om-permisjon-soknad-pa-en-side-2026-12-01.pdf"
    )
    assert download_name("Ærend", day, "p.n/g") == "aerend-2026-12-01.png"
    assert download_name("«»", day, "") == "dokument-2026-12-01.bin"
