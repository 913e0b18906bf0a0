"""Staff notifications (X-5): the in-app list, marking read, the unread count in the header."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from cases.context_processors import notifications as unread_context
from cases.models import Deadline, Notification
from cases.selectors_deadlines import notification_groups
from cases.services import deadline_open, deadlines_sweep
from mottak.models import Role
from mottak.tests.factories import ResidentFactory

T0 = timezone.now() - timedelta(days=2)


@pytest.fixture(autouse=True)
def english(settings):
    """Assert on the English msgids whatever translations exist."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def escalate(centre, count=1, **resident_fields):
    for _ in range(count):
        deadline_open(
            owner=ResidentFactory(centre=centre, **resident_fields),
            kind="sav_police_report",
            rule_id="SAV-2",
            label="Report the minor missing to the police",
            due_at=T0 + timedelta(hours=24),
            opened_at=T0,
            centre=centre,
        )
    deadlines_sweep()


@pytest.fixture
def other_leader(user_factory, neighbour_centre):
    return user_factory(Role.CENTRE_LEADER, centre=neighbour_centre)


def test_x_5_list_shows_own_notifications_without_personal_data(
    client, leader, centre, other_leader, neighbour_centre, django_assert_max_num_queries
):
    escalate(centre, count=3, given_names="Abeba", family_name="Tesfay")
    escalate(neighbour_centre)
    client.force_login(leader)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("cases:notifications"))
    assert response.status_code == 200
    shown = list(response.context["page"].object_list)
    assert len(shown) == 3 and all(n.recipient == leader for n in shown)
    html = response.content.decode()
    assert "Deadline overdue at Fjellheim mottak: Report the minor missing to the police" in html
    assert "Abeba" not in html and "Tesfay" not in html
    assert 'class="badge"' in html and ">3</span>" in html


def test_x_5_list_query_count_does_not_grow(client, leader, centre, django_assert_max_num_queries):
    escalate(centre, count=30)
    client.force_login(leader)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("cases:notifications"))
    assert len(response.context["page"].object_list) == 30


def test_x_5_mark_as_read(client, leader, centre):
    escalate(centre, count=2)
    note = Notification.objects.filter(recipient=leader).first()
    client.force_login(leader)
    response = client.post(reverse("cases:notification_read", args=[note.pk]))
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None
    assert Notification.objects.filter(recipient=leader, read_at__isnull=True).count() == 1


def test_x_5_open_marks_read_and_goes_to_the_deadline_row(client, leader, centre):
    escalate(centre)
    note = Notification.objects.get(recipient=leader)
    client.force_login(leader)
    response = client.post(reverse("cases:notification_read", args=[note.pk]), {"open": "1"})
    expected = reverse("cases:deadlines_centre", args=[centre.pk]) + f"#deadline-{note.deadline_id}"
    assert response["Location"] == expected
    note.refresh_from_db()
    assert note.is_read


def test_x_5_mark_all_as_read(client, leader, centre):
    escalate(centre, count=3)
    client.force_login(leader)
    assert client.post(reverse("cases:notifications_read_all")).status_code == 302
    assert not Notification.objects.filter(recipient=leader, read_at__isnull=True).exists()


def test_x_3_someone_elses_notification_is_not_found(client, leader, other_leader, centre):
    escalate(centre)
    note = Notification.objects.get(recipient=leader)
    client.force_login(other_leader)
    assert client.post(reverse("cases:notification_read", args=[note.pk])).status_code == 404
    assert client.get(reverse("cases:notification_read", args=[note.pk])).status_code == 405
    note.refresh_from_db()
    assert note.read_at is None


def test_x_5_unread_count_context_processor(leader, centre, django_assert_num_queries):
    escalate(centre, count=2)
    request = RequestFactory().get("/")
    request.user = leader
    context = unread_context(request)
    with django_assert_num_queries(1):
        assert context["unread_notifications"] == 2
    Notification.objects.filter(recipient=leader).update(read_at=timezone.now())
    request.user = leader
    assert unread_context(request)["unread_notifications"] == 0


def test_x_5_unread_count_is_zero_and_free_for_anonymous(db, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread_context(request) == {"unread_notifications": 0}


def test_x_5_header_badge_renders_the_count(leader, centre):
    escalate(centre)
    html = render_to_string(
        "cases/notifications/_header_badge.html", {"user": leader, "unread_notifications": 1}
    )
    assert reverse("cases:notifications") in html
    assert "1 unread notification" in html


def test_x_5_list_groups_urgent_and_overdue_first_and_links_to_the_step():
    now = timezone.now()

    def note(pk, *, due, urgency="ordinary", state="open", read=False):
        deadline = Deadline(pk=pk, due_at=due, urgency=urgency, state=state, centre_id=1, label="x")
        return Notification(
            pk=pk,
            deadline=deadline,
            created_at=now - timedelta(minutes=pk),
            read_at=now if read else None,
        )

    rows = [
        note(1, due=now + timedelta(days=2)),
        note(2, due=now - timedelta(hours=1)),
        note(3, due=now + timedelta(hours=5), urgency="straks"),
        note(4, due=now - timedelta(hours=1), state="met"),
        note(5, due=now - timedelta(hours=3), read=True),
    ]
    groups = notification_groups(rows, links={3: "/savnet/9/#step-police"}, now=now)
    assert [(g.code, [n.pk for n in g.rows]) for g in groups] == [
        ("urgent", [2, 3, 5]),  # unread before read, newest first
        ("other", [1, 4]),
    ]
    assert groups[0].rows[1].url == "/savnet/9/#step-police"
    assert groups[1].rows[0].url == reverse("cases:deadlines_centre", args=[1]) + "#deadline-1"
