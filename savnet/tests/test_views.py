"""The pages: access by role, bad input, what the report page shows, the overview."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Dispatch
from mottak.models import Role
from mottak.tests.factories import make_resident
from savnet import services
from savnet.models import MissingReport

from .conftest import open_report

pytestmark = pytest.mark.django_db


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def start_post(client, resident, **overrides):
    now = timezone.now()
    data = {
        "resident": resident.pk,
        "action": "open",
        "open-reason_to_believe_at": local(now - timedelta(hours=1)),
        "open-noticed_at": local(now - timedelta(hours=2)),
        "open-last_seen_at": local(now - timedelta(hours=4)),
        "open-circumstances": "Not at breakfast.",
    }
    data.update(overrides)
    return client.post(reverse("savnet:start"), data)


def test_sav_2_staff_report_missing_through_the_page(client, staff, minor, directory):
    client.force_login(staff)
    response = start_post(client, minor)
    report = MissingReport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("savnet:detail", args=[report.pk])
    page = client.get(response.url)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="hours-left"' in text and re.search(r"<dd>23[.,]0</dd>", text)
    assert "Missing-person report to the police" in text or "politiet" in text


def test_sav_2_future_time_on_the_page_is_refused_with_a_message(client, staff, minor):
    client.force_login(staff)
    response = start_post(
        client, minor, **{"open-reason_to_believe_at": local(timezone.now() + timedelta(hours=2))}
    )
    assert response.status_code == 200
    assert "future" in response.content.decode()
    assert not MissingReport.objects.exists()


def test_sav_2_second_open_report_on_the_page_is_refused(client, staff, minor, directory):
    client.force_login(staff)
    start_post(client, minor)
    response = start_post(client, minor)
    assert response.status_code in (200, 404)
    assert MissingReport.objects.count() == 1


@pytest.mark.slow
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    reason=st.text(max_size=30),
    noticed=st.text(max_size=30),
    circumstances=st.text(max_size=50),
    known_address=st.text(max_size=30),
)
def test_sav_2_no_input_gives_a_500_or_a_half_saved_report(
    client, staff, minor, reason, noticed, circumstances, known_address
):
    client.force_login(staff)
    response = start_post(
        client,
        minor,
        **{
            "open-reason_to_believe_at": reason,
            "open-noticed_at": noticed,
            "open-circumstances": circumstances,
            "open-known_address": known_address,
        },
    )
    assert response.status_code in (200, 302)
    for report in MissingReport.objects.all():
        assert report.limit_at is not None  # never open without its limit
        services.missing_report_found(
            report=report, found_at=timezone.now(), found_how="came_back", by=staff
        )


def test_x_3_other_centres_and_regions_see_a_missing_report_as_missing(
    client, report, user_factory, neighbour_centre, far_centre, other_region
):
    url = reverse("savnet:detail", args=[report.pk])
    for user in (
        user_factory(Role.CENTRE_STAFF, centre=neighbour_centre),
        user_factory(Role.CENTRE_STAFF, centre=far_centre),
        user_factory(Role.REGION_CASEWORKER, region=other_region),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(reverse("savnet:police", args=[report.pk])).status_code == 404
    assert not Dispatch.objects.exists()


def test_x_3_regional_office_sees_open_reports_with_hours_and_open_steps_but_cannot_act(
    client, report, caseworker, centre, staff, django_assert_max_num_queries
):
    for _ in range(3):
        open_report(make_resident(centre), staff, hours_ago=5)
    closed = open_report(make_resident(centre), staff)
    services.missing_report_found(
        report=closed, found_at=timezone.now(), found_how="came_back", by=staff
    )
    client.force_login(caseworker)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("savnet:list"))
    text = response.content.decode()
    assert text.count('id="report-') == 4  # the closed one is not listed
    assert "Missing-person report to the police" in text
    assert re.search(r"<td>5[.,]0</td>", text)  # hours since opened
    assert client.post(reverse("savnet:police", args=[report.pk])).status_code == 404


def test_x_3_centre_list_query_count_does_not_grow_with_reports(
    client, staff, centre, directory, django_assert_max_num_queries
):
    for _ in range(6):
        open_report(make_resident(centre), staff)
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("savnet:list"))
    assert response.content.decode().count('id="report-') == 6


def test_sav_3_detail_page_query_count(client, report, staff, django_assert_max_num_queries):
    services.missing_report_send_to_police(report=report, by=staff)
    services.missing_report_log_call(
        report=report, party="representative", called_at=timezone.now(), reached=True, by=staff
    )
    client.force_login(staff)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("savnet:detail", args=[report.pk]))
    assert response.status_code == 200
    assert "/forhandsvis/" in response.content.decode()


def test_sav_3_police_report_through_the_page(client, report, staff):
    client.force_login(staff)
    response = client.post(reverse("savnet:police", args=[report.pk]), {"channel": "by_hand"})
    assert response.status_code == 302
    assert Dispatch.objects.filter(purpose="missing_report").count() == 1
    client.post(reverse("savnet:police", args=[report.pk]), {"channel": "by_hand"})
    assert Dispatch.objects.filter(purpose="missing_report").count() == 1


def test_sav_8_found_through_the_page_and_double_submit(client, report, staff):
    services.missing_report_send_to_police(report=report, by=staff)
    client.force_login(staff)
    data = {
        "found_at": local(timezone.now()),
        "found_how": "police",
        "where_they_were": "Oslo S",
        "submission_key": "6f1c1d8e-3a49-4f0e-9f53-0c3a4f6b0a11",
    }
    url = reverse("savnet:found", args=[report.pk])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Dispatch.objects.filter(purpose="found_notice").count() == 1
    report.refresh_from_db()
    assert report.state == MissingReport.State.FOUND


def test_sav_8_found_before_disappeared_on_the_page(client, report, staff):
    client.force_login(staff)
    data = {
        "found_at": local(report.last_seen_at - timedelta(hours=1)),
        "found_how": "came_back",
        "submission_key": "6f1c1d8e-3a49-4f0e-9f53-0c3a4f6b0a12",
    }
    response = client.post(reverse("savnet:found", args=[report.pk]), data, follow=True)
    assert "before they disappeared" in response.content.decode()
    report.refresh_from_db()
    assert report.state == MissingReport.State.OPEN


def test_sav_2_overview_counts_per_centre_and_month_and_median_hours(
    client, staff, centre, user_factory, directory
):
    for hours in (2, 4, 9):
        report = open_report(make_resident(centre), staff, hours_ago=hours)
        services.missing_report_send_to_police(report=report, by=staff)
    rma = user_factory(Role.RMA)
    client.force_login(rma)
    assert client.get(reverse("savnet:list")).status_code == 302  # aggregates only
    response = client.get(reverse("savnet:overview"))
    text = response.content.decode()
    assert re.search(r'<dd id="median-hours">4[.,]0</dd>', text)
    assert "<rect" in text and "style=" not in text
    month = timezone.localtime().strftime("%Y-%m")
    assert f"<td>{centre.name}</td><td>{month}</td><td>3</td>" in text


def test_sav_10_report_page_after_the_return_shows_what_is_left_and_the_consents(
    client, report, staff, django_assert_max_num_queries
):
    result = services.missing_report_found(
        report=report, found_at=timezone.now(), found_how="came_back", by=staff
    )
    services.missing_report_record_follow_up(
        report=result.report,
        data=services.FollowUpData(
            held_at=timezone.now(),
            why_left="x",
            where_stayed="y",
            what_did="z",
            feels_safe=True,
            domestic_violence_suspected=True,
            asylum_relevant_info="Father killed.",
        ),
        by=staff,
    )
    client.force_login(staff)
    with django_assert_max_num_queries(40):
        response = client.get(reverse("savnet:detail", args=[report.pk]))
    text = response.content.decode()
    assert 'id="return-left"' in text
    assert "procedure of the general requirements" in text or "6.2" in text
    assert 'id="consents-heading"' in text
    assert 'id="send-asylum-info"' in text
    assert 'id="timeline-heading"' in text


def test_x_3_a_forbidden_report_answers_exactly_like_a_missing_one(
    client, report, user_factory, neighbour_centre
):
    client.force_login(user_factory(Role.CENTRE_STAFF, centre=neighbour_centre))
    forbidden = client.get(reverse("savnet:detail", args=[report.pk]))
    missing = client.get(reverse("savnet:detail", args=[report.pk + 1000]))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


def test_sav_2_the_start_page_never_chooses_a_child_in_advance(client, staff, minor):
    client.force_login(staff)
    text = client.get(reverse("savnet:start")).content.decode()
    start = text.index('<select class="ds-input" name="resident"')
    select = text[start : text.index("</select>", start)]
    options = re.findall(r"<option [^>]*>", select)
    assert options[0] == '<option value="" selected>'
    assert f'value="{minor.pk}"' in select
    assert sum("selected" in option for option in options) == 1


def test_x_5_an_urgent_step_notification_opens_the_step_on_the_case_page(client, staff, report):
    from cases.models import Notification

    note = Notification.objects.filter(recipient=staff, deadline__kind__contains="police").first()
    assert note is not None  # the police step is urgent: on-duty staff are told at opening
    client.force_login(staff)
    page = client.get(reverse("cases:notifications")).content.decode()
    step = reverse("savnet:detail", args=[report.pk]) + "#step-police"
    assert f'href="{step}"' in page
    assert page.index('id="group-urgent"') < page.index(f'id="notification-{note.pk}"')
    response = client.post(reverse("cases:notification_read", args=[note.pk]), {"open": "1"})
    assert response["Location"] == step
    detail = client.get(reverse("savnet:detail", args=[report.pk])).content.decode()
    assert 'id="step-police"' in detail
    # The resident's name links back to the resident's page.
    assert f'href="{report.resident.get_absolute_url()}"' in detail


def test_r_13_sent_can_be_dated_and_the_letter_page_links_to_the_case(client, staff, report):
    from cases.services import dispatch_render

    services.missing_report_send_to_police(report=report, by=staff)
    dispatch = Dispatch.objects.get(purpose="missing_report")
    dispatch_render(dispatch_id=dispatch.pk)
    client.force_login(staff)
    page = client.get(reverse("cases:dispatch_detail", args=[dispatch.pk])).content.decode()
    assert f'href="{reverse("savnet:detail", args=[report.pk])}"' in page
    assert f'href="{report.resident.get_absolute_url()}"' in page
    shown, _, folded = page.partition("<details")
    dispatch.refresh_from_db()
    assert dispatch.sha256 not in shown and dispatch.sha256 in folded
    sent_at = timezone.localtime() - timedelta(hours=1)
    url = reverse("cases:dispatch_sent", args=[dispatch.pk])
    future = client.post(url, {"sent_at": local(timezone.now() + timedelta(days=3))})
    assert future.status_code == 400
    dispatch.refresh_from_db()
    assert dispatch.state != Dispatch.State.SENT  # bad input saves nothing
    assert client.post(url, {"sent_at": local(sent_at), "reference": "2026/1"}).status_code == 302
    dispatch.refresh_from_db()
    assert dispatch.state == Dispatch.State.SENT
    assert timezone.localtime(dispatch.sent_at).strftime("%Y-%m-%d %H:%M") == local(
        sent_at
    ).replace("T", " ")
