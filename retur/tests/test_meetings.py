"""RET-6: RMA's quarterly meetings of ASA, RMA and AUA — a national deadline per quarter on the
routine kernel, swept by beat, shown to RMA, met by the minutes, followed by the next one."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import Deadline, Notification
from cases.selectors_deadlines import deadlines_visible_to
from cases.services import deadline_open, deadlines_sweep
from mottak.models import Role
from retur import rules, services_meetings, tasks
from retur.models import QuarterlyMeeting

pytestmark = pytest.mark.django_db

MINUTES = {
    "participants": ["asa", "rma", "aua"],
    "topics": "Status i porteføljen; tvangsretur til Afghanistan.",
    "clarifications": "AUA melder tilbake om ledsagere innen neste møte.",
}


def aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@pytest.fixture
def rma(user_factory):
    return user_factory(Role.RMA)


@pytest.fixture
def meeting():
    return services_meetings.quarterly_meeting_plan(quarter_of=timezone.localdate())


def pending(meeting) -> Deadline:
    return Deadline.objects.get(object_id=meeting.pk, kind="retur_meeting_held", state="open")


@pytest.mark.parametrize(
    "day, start, following",
    [
        (date(2026, 1, 1), date(2026, 1, 1), date(2026, 4, 1)),
        (date(2026, 3, 31), date(2026, 1, 1), date(2026, 4, 1)),
        (date(2026, 4, 1), date(2026, 4, 1), date(2026, 7, 1)),
        (date(2026, 9, 30), date(2026, 7, 1), date(2026, 10, 1)),
        (date(2026, 12, 31), date(2026, 10, 1), date(2027, 1, 1)),
    ],
)
def test_ret_6_quarters_at_their_boundaries(day, start, following):
    assert rules.quarter_start(day) == start
    assert rules.next_quarter_start(day) == following


def test_ret_6_the_quarter_has_a_national_deadline_rma_answers_for_at_its_end(meeting):
    deadline = pending(meeting)
    assert deadline.centre_id is None and deadline.region_id is None
    assert deadline.national_role == "rma" and deadline.is_national
    assert deadline.rule_id == "RET-6"
    end = rules.next_quarter_start(timezone.localdate())
    assert deadline.due_at == aware(end)
    # Planning again (a retried beat, two workers) gives back the same row.
    again = services_meetings.quarterly_meeting_plan(quarter_of=timezone.localdate())
    assert again == meeting
    assert Deadline.objects.filter(kind="retur_meeting_held").count() == 1


def test_ret_6_recording_the_minutes_meets_the_deadline_and_opens_the_next_quarters(meeting, rma):
    services_meetings.quarterly_meeting_record(
        meeting=meeting, held_on=timezone.localdate(), by=rma, **MINUTES
    )
    meeting.refresh_from_db()
    assert meeting.state == QuarterlyMeeting.State.HELD
    assert meeting.participants == ["asa", "rma", "aua"]
    met = Deadline.objects.get(object_id=meeting.pk, kind="retur_meeting_held")
    assert met.state == Deadline.State.MET and met.met_by == rma and not met.was_missed
    following = QuarterlyMeeting.objects.exclude(pk=meeting.pk).get()
    assert timezone.localdate(following.quarter_start) == rules.next_quarter_start(
        timezone.localdate()
    )
    next_deadline = pending(following)
    assert next_deadline.due_at == aware(
        rules.next_quarter_start(timezone.localdate(following.quarter_start))
    )
    assert next_deadline.national_role == "rma"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"held_on": "tomorrow"}, "future"),
        ({"participants": ["asa", "aua"]}, "RMA"),
        ({"participants": []}, "RMA"),
        ({"participants": ["rma", "pu"]}, "RMA"),
        ({"topics": "  "}, "topics"),
        ({"clarifications": ""}, "clarified"),
    ],
)
def test_ret_6_incomplete_minutes_save_nothing(meeting, rma, change, message):
    data = {**MINUTES, "held_on": timezone.localdate(), **change}
    if data["held_on"] == "tomorrow":
        data["held_on"] = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match=message):
        services_meetings.quarterly_meeting_record(meeting=meeting, by=rma, **data)
    meeting.refresh_from_db()
    assert meeting.state == QuarterlyMeeting.State.DUE
    assert pending(meeting)
    assert QuarterlyMeeting.objects.count() == 1


def test_ret_6_a_meeting_held_today_is_accepted_and_only_once(meeting, rma):
    services_meetings.quarterly_meeting_record(
        meeting=meeting, held_on=timezone.localdate(), by=rma, **MINUTES
    )
    with pytest.raises(ValidationError):
        services_meetings.quarterly_meeting_record(
            meeting=meeting, held_on=timezone.localdate(), by=rma, **MINUTES
        )
    assert QuarterlyMeeting.objects.count() == 2


@pytest.mark.parametrize("role", [Role.ASA_CASEWORKER, Role.CENTRE_LEADER, Role.REGION_CASEWORKER])
def test_ret_6_only_rma_records_the_minutes(meeting, user_factory, role):
    with pytest.raises(PermissionDenied):
        services_meetings.quarterly_meeting_record(
            meeting=meeting, held_on=timezone.localdate(), by=user_factory(role), **MINUTES
        )


def test_ret_6_the_beat_task_plans_the_current_quarter_once():
    tasks.plan_quarterly_meeting()
    tasks.plan_quarterly_meeting()
    meeting = QuarterlyMeeting.objects.get()
    assert timezone.localdate(meeting.quarter_start) == rules.quarter_start(timezone.localdate())
    assert pending(meeting)


def test_ret_6_the_schedule_is_registered():
    from cases.schedules import registered_schedules

    schedule = registered_schedules()["retur.plan_quarterly_meeting"]
    assert schedule.task == "retur.plan_quarterly_meeting"


def test_ret_6_the_sweeper_reminds_and_escalates_to_rma_only(
    meeting, rma, user_factory, centre, leader, caseworker, admin_user
):
    asa = user_factory(Role.ASA_CASEWORKER)
    deadline = pending(meeting)
    result = deadlines_sweep(now=deadline.due_at + timedelta(minutes=1))
    assert result.escalations == 1 and result.failures == 0
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.MISSED
    told = set(Notification.objects.filter(deadline=deadline).values_list("recipient", flat=True))
    assert told == {rma.pk}
    assert asa.pk not in told and leader.pk not in told and caseworker.pk not in told


def test_ret_6_rma_reads_the_national_alert_on_its_notifications_page(meeting, rma, client):
    deadline = pending(meeting)
    deadlines_sweep(now=deadline.due_at + timedelta(minutes=1))
    note = Notification.objects.get(deadline=deadline)
    assert note.place == "the national level"
    assert note.link.endswith("#step-held")
    client.force_login(rma)
    response = client.get(reverse("cases:notifications"))
    assert response.status_code == 200
    assert reverse("retur:meeting", args=[meeting.pk]) in response.content.decode()


def test_ret_6_without_an_active_rma_user_the_administrators_are_told(meeting, admin_user):
    deadline = pending(meeting)
    deadlines_sweep(now=deadline.due_at + timedelta(minutes=1))
    told = set(Notification.objects.filter(deadline=deadline).values_list("recipient", flat=True))
    assert told == {admin_user.pk}


def test_ret_6_a_deadline_needs_someone_responsible(meeting):
    with pytest.raises(ValidationError):
        deadline_open(owner=meeting, kind="x", due_at=timezone.now() + timedelta(days=1), label="x")
    with pytest.raises(ValidationError):
        deadline_open(
            owner=meeting,
            kind="x",
            due_at=timezone.now() + timedelta(days=1),
            label="x",
            national="centre_staff",
        )


def test_ret_6_rma_sees_the_national_deadline_on_its_pages_and_centre_staff_do_not(
    client, meeting, rma, staff, user_factory
):
    deadline = pending(meeting)
    assert list(deadlines_visible_to(rma)) == [deadline]
    assert not deadlines_visible_to(staff).filter(pk=deadline.pk).exists()
    asa = user_factory(Role.ASA_CASEWORKER)
    assert not deadlines_visible_to(asa).filter(pk=deadline.pk).exists()
    client.force_login(rma)
    meeting_url = reverse("retur:meeting", args=[meeting.pk])
    home = client.get(reverse("home")).content.decode()
    assert f"{meeting_url}#step-held" in home
    national = client.get(reverse("cases:deadlines_national")).content.decode()
    assert f'id="deadline-{deadline.pk}"' in national
    assert client.get(reverse("retur:meetings")).status_code == 200
    client.force_login(staff)
    assert (
        f'id="deadline-{deadline.pk}"'
        not in client.get(reverse("cases:deadlines_national")).content.decode()
    )
    assert client.get(meeting_url).status_code == 404
    assert client.get(reverse("retur:meetings")).status_code == 404


def test_ret_6_the_minutes_form_records_and_a_bad_one_saves_nothing(client, meeting, rma):
    client.force_login(rma)
    url = reverse("retur:meeting_record", args=[meeting.pk])
    bad = client.post(url, {**MINUTES, "participants": ["asa"], "held_on": "2026-01-01"})
    assert bad.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == QuarterlyMeeting.State.DUE
    good = client.post(url, {**MINUTES, "held_on": timezone.localdate().isoformat()}, follow=True)
    assert good.status_code == 200
    meeting.refresh_from_db()
    assert meeting.state == QuarterlyMeeting.State.HELD
    assert "AUA melder tilbake" in good.content.decode()


def test_ret_6_the_national_pages_cost_the_same_queries_whatever_the_number_of_meetings(
    client, rma, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.force_login(rma)
    services_meetings.quarterly_meeting_plan(quarter_of=date(2025, 1, 1))
    urls = [reverse("home"), reverse("cases:deadlines_national"), reverse("retur:meetings")]
    few = [count(url) for url in urls]
    for month in (4, 7, 10):
        services_meetings.quarterly_meeting_plan(quarter_of=date(2025, month, 1))
    assert [count(url) for url in urls] == few
