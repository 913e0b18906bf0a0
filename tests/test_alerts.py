"""Alerts that reach people (R-1, R-2, PERM-6, SAV-2): a new missing report and a leave turning
late are told at once — in-app, in the header badge and by e-mail without personal data — and
show on the start pages of the centre's staff, its leader and the regional caseworker after one
run of the real sweep."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases.models import Deadline, DeadlineAlert, Notification
from cases.services import deadlines_sweep
from mottak.models import Role
from mottak.tests.factories import make_resident
from permisjon import services as leave_services
from permisjon.models import LeaveApplication
from permisjon.tests.conftest import (
    contact,
    interview_held_for,
    leave_data,
    prepare,
    ready_to_leave,
)
from savnet import services as missing_services

pytestmark = pytest.mark.django_db

CHILD = {"given_names": "Abeba", "family_name": "Tesfay"}


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def people(user_factory, centre, neighbour_centre, far_centre, region):
    return {
        "staff": user_factory(Role.CENTRE_STAFF, centre=centre, email="staff@example.org"),
        "lead": user_factory(Role.CHILD_WELFARE_LEAD, centre=centre, email="lead@example.org"),
        "leader": user_factory(Role.CENTRE_LEADER, centre=centre, email="leader@example.org"),
        "caseworker": user_factory(Role.REGION_CASEWORKER, region=region, email="cw@example.org"),
        # Not responsible for this child: never told.
        "neighbour_staff": user_factory(
            Role.CENTRE_STAFF, centre=neighbour_centre, email="neighbour@example.org"
        ),
        "far_caseworker": user_factory(
            Role.REGION_CASEWORKER, region=far_centre.region, email="far@example.org"
        ),
    }


@pytest.fixture
def child(centre):
    return make_resident(centre, **CHILD)


def _told(*users):
    return {user.pk for user in users}


def _recipients(**filters):
    return set(Notification.objects.filter(**filters).values_list("recipient_id", flat=True))


def _assert_no_personal_data(messages, resident):
    assert messages
    for message in messages:
        text = message.subject + message.body
        for value in (
            resident.given_names,
            resident.family_name,
            resident.duf_number,
            resident.date_of_birth.strftime("%d.%m.%Y"),
            str(resident.date_of_birth),
        ):
            assert value not in text


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def _section(page: str, code: str) -> str:
    """The start page's section of this code ("" when the page has none)."""
    start = page.find(f'<section id="home-{code}"')
    return page[start : page.index("</section>", start)] if start >= 0 else ""


def _open_missing_report(resident, by):
    now = timezone.now()
    return missing_services.missing_report_open(
        resident=resident,
        reason_to_believe_at=now - timedelta(hours=1),
        noticed_at=now - timedelta(hours=2),
        last_seen_at=None,
        circumstances="Not at breakfast.",
        by=by,
    )


# --- a new missing report (SAV-2, R-1) ---------------------------------------------------------


def test_r_1_sav_2_a_missing_report_alerts_on_duty_people_and_the_regional_office_at_once(
    people, child, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = _open_missing_report(child, people["staff"])
    opened = {"alert__stage": "opened", "deadline__object_id": report.pk}
    on_duty = _told(people["staff"], people["lead"], people["leader"])
    assert _recipients(**opened) == on_duty | _told(people["caseworker"])
    # The regional office is told once per report (the police step), not once per urgent step.
    assert Notification.objects.filter(recipient=people["caseworker"]).count() == 1
    police = Notification.objects.get(recipient=people["caseworker"])
    assert police.deadline.kind == "savnet_police"
    assert police.kind == DeadlineAlert.Kind.OPENED
    addresses = {message.to[0] for message in mail.outbox}
    assert addresses == {"staff@example.org", "lead@example.org", "leader@example.org"} | {
        "cw@example.org"
    }
    _assert_no_personal_data(mail.outbox, child)


def test_r_1_the_regional_office_hears_of_a_straks_step_of_no_missing_report_only_at_the_limit(
    people, child
):
    """The opening audience is the step's, not every "straks" deadline's: a late leave tells
    the centre's on-duty people at once, the regional office at the limit (R-1)."""
    application = _late_leave(child, people)
    deadlines_sweep(now=timezone.now())
    late = Deadline.objects.get(object_id=application.pk, kind="leave_late_return")
    assert _recipients(alert__stage="opened", deadline=late) == _told(
        people["staff"], people["lead"], people["leader"]
    )


def test_r_1_sav_2_a_new_missing_report_is_on_the_start_pages_after_one_sweep(
    client, people, child
):
    report = _open_missing_report(child, people["staff"])
    deadlines_sweep(now=timezone.now() + timedelta(minutes=1))
    case_url = reverse("savnet:detail", args=[report.pk])
    resident_url = reverse("mottak:resident_detail", args=[child.pk])
    for key in ("staff", "leader", "caseworker"):
        missing = _section(_home(client, people[key]).content.decode(), "savnet-missing")
        assert case_url in missing, key
        assert resident_url in missing and CHILD["family_name"] in missing, key
    staff_deadlines = _section(_home(client, people["staff"]).content.decode(), "deadlines")
    assert f"{case_url}#step-police" in staff_deadlines  # the row leads to the step
    far_page = _home(client, people["far_caseworker"]).content.decode()
    assert case_url not in far_page and CHILD["family_name"] not in far_page


def test_r_1_the_header_badge_counts_the_unread_alerts(client, people, child):
    _open_missing_report(child, people["staff"])
    for key in ("staff", "leader", "caseworker"):
        unread = Notification.objects.filter(recipient=people[key], read_at__isnull=True).count()
        assert unread > 0
        response = _home(client, people[key])
        assert response.context["unread_notifications"] == unread
        assert f">{unread}</span>" in response.content.decode()
    Notification.objects.filter(recipient=people["staff"]).update(read_at=timezone.now())
    assert _home(client, people["staff"]).context["unread_notifications"] == 0


def test_r_1_a_notification_leads_to_the_exact_step(client, people, child):
    report = _open_missing_report(child, people["staff"])
    notification = Notification.objects.get(recipient=people["caseworker"])
    step = f"{reverse('savnet:detail', args=[report.pk])}#step-police"
    assert notification.link == step
    client.force_login(people["caseworker"])
    response = client.post(
        reverse("cases:notification_read", args=[notification.pk]), {"open": "1"}
    )
    assert response.status_code == 302 and response["Location"] == step
    assert client.get(step.partition("#")[0]).status_code == 200


# --- a leave turning late (PERM-6, R-2) --------------------------------------------------------


def _late_leave(resident, people) -> LeaveApplication:
    """A leave under way whose agreed return passed two days ago (not yet marked late)."""
    interview_held_for(resident)
    application = leave_services.leave_application_submit(
        resident=resident,
        data=leave_data(starts_in_days=-4, length_days=2),
        contact_persons=[contact()],
        by=people["staff"],
        now=timezone.now() - timedelta(days=5),  # applied for before it began (PERM-1)
    )
    application = prepare(application, people["staff"])
    leave_services.leave_application_grant(
        application=application, by=people["leader"], reason="Trygt besøk"
    )
    application = ready_to_leave(application, people["staff"])
    return leave_services.leave_application_mark_departed(
        application=application, at=application.departure_at, by=people["staff"]
    )


def test_perm_6_r_2_the_sweep_marks_the_leave_late_and_alerts_on_duty_staff_and_leader(
    people, child, django_capture_on_commit_callbacks
):
    application = _late_leave(child, people)
    Notification.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        deadlines_sweep(now=timezone.now())
    application.refresh_from_db()
    assert application.state == LeaveApplication.State.LATE
    late = Deadline.objects.get(object_id=application.pk, kind="leave_late_return")
    assert late.urgency == "straks"
    # the 24 hours run from the agreed return, not from the sweep.
    assert late.due_at == application.return_at + timedelta(hours=24)
    assert _recipients(deadline=late, alert__stage="opened") == _told(
        people["staff"], people["lead"], people["leader"]
    )
    addresses = {message.to[0] for message in mail.outbox}
    assert {"staff@example.org", "lead@example.org", "leader@example.org"} <= addresses
    assert "neighbour@example.org" not in addresses and "far@example.org" not in addresses
    assert any("urgent deadline opened at Fjellheim mottak" in m.body for m in mail.outbox)
    _assert_no_personal_data(mail.outbox, child)


def test_perm_6_a_late_leave_is_on_the_start_pages_after_one_sweep(client, people, child):
    application = _late_leave(child, people)
    leave_url = reverse("permisjon:detail", args=[application.pk])
    assert not _section(_home(client, people["caseworker"]).content.decode(), "permisjon-late")
    deadlines_sweep(now=timezone.now())
    for key in ("staff", "leader", "caseworker"):
        late = _section(_home(client, people[key]).content.decode(), "permisjon-late")
        assert "Not back from leave on time" in late, key
        assert leave_url in late and CHILD["family_name"] in late, key
    staff_deadlines = _section(_home(client, people["staff"]).content.decode(), "deadlines")
    assert f"{leave_url}#step-late" in staff_deadlines
    far_page = _home(client, people["far_caseworker"]).content.decode()
    assert not _section(far_page, "permisjon-late") and leave_url not in far_page
