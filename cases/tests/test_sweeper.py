"""The sweeper (X-5): reminds before, escalates after, once per stage, and catches up."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from cases.models import Deadline, DeadlineAlert, Notification, TimelineEvent
from cases.services import deadline_meet, deadline_open, deadlines_sweep
from cases.tasks import sweep_deadlines
from mottak.models import Centre, Role
from mottak.tests.factories import CentreFactory, RegionFactory, ResidentFactory, UserFactory

State = Deadline.State
T0 = timezone.now().replace(microsecond=0) - timedelta(days=3)


@pytest.fixture(autouse=True)
def english(settings):
    """Assert on the English msgids whatever translations exist."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def people(user_factory, centre, neighbour_centre, region, far_centre):
    return {
        "staff": user_factory(Role.CENTRE_STAFF, centre=centre, email="staff@example.org"),
        "lead": user_factory(Role.CHILD_WELFARE_LEAD, centre=centre, email="lead@example.org"),
        "leader": user_factory(Role.CENTRE_LEADER, centre=centre, email="leader@example.org"),
        "caseworker": user_factory(Role.REGION_CASEWORKER, region=region, email="cw@example.org"),
        # Not responsible for this centre: must never be told.
        "neighbour_leader": user_factory(Role.CENTRE_LEADER, centre=neighbour_centre),
        "far_caseworker": user_factory(Role.REGION_CASEWORKER, region=far_centre.region),
        "inactive_leader": user_factory(Role.CENTRE_LEADER, centre=centre, is_active=False),
    }


def open_24h(resident, centre, *, kind="sav_police_report", opened_at=T0):
    return deadline_open(
        owner=resident,
        kind=kind,
        rule_id="SAV-2",
        label="Report the minor missing to the police",
        due_at=opened_at + timedelta(hours=24),
        opened_at=opened_at,
        centre=centre,
    )


def told(deadline, stage):
    return set(
        Notification.objects.filter(alert__deadline=deadline, alert__stage=stage).values_list(
            "recipient__username", flat=True
        )
    )


def names(people, *keys):
    return {people[k].username for k in keys}


def test_x_5_nothing_happens_before_the_first_reminder_point(resident, centre, people):
    d = open_24h(resident, centre)
    result = deadlines_sweep(now=T0 + timedelta(hours=11, minutes=59))
    assert (result.reminders, result.escalations) == (0, 0)
    assert not DeadlineAlert.objects.exists()
    d.refresh_from_db()
    assert d.state == State.OPEN


def test_x_5_reminds_centre_staff_at_half_time_and_two_hours_before(resident, centre, people):
    d = open_24h(resident, centre)
    assert deadlines_sweep(now=T0 + timedelta(hours=12)).reminders == 1
    assert told(d, "reminder-1") == names(people, "staff", "lead", "leader")
    assert deadlines_sweep(now=T0 + timedelta(hours=13)).reminders == 0
    assert deadlines_sweep(now=T0 + timedelta(hours=22)).reminders == 1
    assert told(d, "reminder-2") == names(people, "staff", "lead", "leader")
    d.refresh_from_db()
    assert (d.state, d.reminders_sent, d.next_alert_at) == (State.OPEN, 2, d.due_at)


def test_x_5_one_update_gives_each_row_of_a_batch_its_own_marks(centre, people):
    """Rows at different points in one batch: each gets its own next look and, if reminded
    now, its count and time; a row only looked at keeps its last reminder time."""
    now = T0 + timedelta(hours=12)
    first = open_24h(ResidentFactory(centre=centre), centre)  # half time: reminder 1
    second = open_24h(ResidentFactory(centre=centre), centre, opened_at=T0 - timedelta(hours=10))
    looked_at = open_24h(ResidentFactory(centre=centre), centre, opened_at=T0 + timedelta(hours=6))
    earlier = T0 - timedelta(days=1)
    Deadline.objects.filter(pk=looked_at.pk).update(
        next_alert_at=now - timedelta(hours=1), last_error="TimeoutError: ", reminded_at=earlier
    )
    assert deadlines_sweep(now=now).reminders == 2
    marks = {
        d.pk: (d.reminders_sent, d.reminded_at, d.next_alert_at, d.last_error)
        for d in Deadline.objects.filter(pk__in=[first.pk, second.pk, looked_at.pk])
    }
    assert marks == {
        first.pk: (1, now, T0 + timedelta(hours=22), ""),
        second.pk: (2, now, second.due_at, ""),  # both points passed: only the latest
        looked_at.pk: (0, earlier, T0 + timedelta(hours=18), ""),
    }


def test_x_5_escalates_to_centre_leaders_and_regional_office_and_marks_missed(
    resident, centre, people
):
    d = open_24h(resident, centre)
    result = deadlines_sweep(now=T0 + timedelta(hours=24))
    assert result.escalations == 1
    assert told(d, "escalation") == names(people, "leader", "caseworker")
    d.refresh_from_db()
    assert d.state == State.MISSED
    assert d.escalated_at == T0 + timedelta(hours=24)
    assert d.next_alert_at is None
    assert TimelineEvent.objects.filter(kind="deadline_missed", object_id=resident.pk).exists()


def test_x_5_a_retried_or_second_sweep_never_alerts_twice(resident, centre, people):
    d = open_24h(resident, centre)
    for hours in (12, 12, 22, 22, 24, 24, 30):
        deadlines_sweep(now=T0 + timedelta(hours=hours))
    assert list(
        DeadlineAlert.objects.filter(deadline=d).order_by("stage").values_list("stage", flat=True)
    ) == ["escalation", "reminder-1", "reminder-2"]
    assert Notification.objects.filter(deadline=d).count() == 3 + 3 + 2


def test_x_5_catches_up_after_an_outage_with_one_escalation_and_no_stale_reminders(
    resident, centre, people
):
    d = open_24h(resident, centre)
    # Nothing ran for two days: the deadline fell due meanwhile.
    result = deadlines_sweep(now=T0 + timedelta(days=2))
    assert (result.reminders, result.escalations) == (0, 1)
    assert list(DeadlineAlert.objects.values_list("stage", flat=True)) == ["escalation"]
    d.refresh_from_db()
    assert d.state == State.MISSED


def test_x_5_catching_up_between_reminders_sends_only_the_latest(resident, centre, people):
    d = open_24h(resident, centre)
    assert deadlines_sweep(now=T0 + timedelta(hours=23)).reminders == 1
    assert list(DeadlineAlert.objects.values_list("stage", flat=True)) == ["reminder-2"]
    d.refresh_from_db()
    assert d.reminders_sent == 2
    assert deadlines_sweep(now=T0 + timedelta(hours=23, minutes=30)).reminders == 0


def test_x_5_an_existing_alert_row_stops_a_second_fan_out(resident, centre, people):
    d = open_24h(resident, centre)
    DeadlineAlert.objects.create(deadline=d, stage="escalation", kind="escalation")
    deadlines_sweep(now=T0 + timedelta(hours=25))
    assert Notification.objects.count() == 0
    d.refresh_from_db()
    assert d.state == State.MISSED


def test_x_5_met_and_waived_deadlines_are_left_alone(resident, centre, people):
    d = open_24h(resident, centre)
    deadline_meet(deadline=d, by=people["staff"], at=T0 + timedelta(hours=1))
    result = deadlines_sweep(now=T0 + timedelta(days=5))
    assert (result.reminders, result.escalations) == (0, 0)
    assert not Notification.objects.exists()


def test_x_5_a_row_that_fails_is_recorded_and_the_others_go_on(resident, centre, people):
    # Nobody works at this centre or its regional office, and there is no administrator.
    empty_centre = CentreFactory(
        name="Nordlys mottak",
        kind=Centre.Kind.ORDINARY_MINORS,
        operator=Centre.Operator.PRIVATE,
        municipality="Tromsø",
        region=RegionFactory(name="Region Nord"),
        capacity=10,
    )
    stranded = open_24h(ResidentFactory(centre=empty_centre), empty_centre)
    fine = open_24h(resident, centre)
    now = T0 + timedelta(hours=25)
    result = deadlines_sweep(now=now)
    assert (result.escalations, result.failures, result.failed_ids) == (1, 1, [stranded.pk])
    fine.refresh_from_db()
    stranded.refresh_from_db()
    assert fine.state == State.MISSED
    assert stranded.state == State.OPEN
    assert stranded.failure_count == 1
    assert "NoRecipientError" in stranded.last_error
    assert stranded.next_alert_at > now  # backs off instead of spinning
    assert not DeadlineAlert.objects.filter(deadline=stranded).exists()

    # Not lost: once someone can be told, a later sweep escalates it (to the administrators).
    admin = UserFactory(role=Role.ADMIN)
    result = deadlines_sweep(now=now + timedelta(hours=2))
    assert result.escalations == 1
    assert told(stranded, "escalation") == {admin.username}
    stranded.refresh_from_db()
    assert (stranded.state, stranded.last_error, stranded.failure_count) == (State.MISSED, "", 1)


def test_x_5_many_due_rows_are_swept_in_batches(centre, people):
    deadlines = [open_24h(ResidentFactory(centre=centre), centre) for _ in range(7)]
    result = deadlines_sweep(now=T0 + timedelta(days=1, hours=1), batch_size=3)
    assert result.escalations == 7
    assert (
        Deadline.objects.filter(pk__in=[d.pk for d in deadlines], state=State.MISSED).count() == 7
    )


def test_x_5_region_only_deadline_reminds_and_escalates_to_the_regional_office(
    resident, region, people
):
    d = deadline_open(
        owner=resident,
        kind="perm_decision",
        label="Decide the leave application",
        due_at=T0 + timedelta(hours=24),
        opened_at=T0,
        region=region,
    )
    deadlines_sweep(now=T0 + timedelta(hours=12))
    deadlines_sweep(now=T0 + timedelta(hours=24))
    assert told(d, "reminder-1") == names(people, "caseworker")
    assert told(d, "escalation") == names(people, "caseworker")


def test_x_5_the_beat_task_calls_the_sweep(resident, centre, people):
    d = deadline_open(
        owner=resident,
        kind="k",
        label="Something",
        due_at=timezone.now() - timedelta(minutes=1),
        opened_at=timezone.now() - timedelta(hours=1),
        centre=centre,
    )
    result = sweep_deadlines.apply().get()
    assert result["escalations"] == 1
    d.refresh_from_db()
    assert d.state == State.MISSED
    assert sweep_deadlines.name == "cases.sweep_deadlines"


def test_x_5_escalation_e_mail_has_no_personal_data(
    resident, centre, people, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://em.example.org"
    second = ResidentFactory(centre=centre, given_names="Abeba", family_name="Tesfay")
    open_24h(resident, centre)
    open_24h(second, centre)
    with django_capture_on_commit_callbacks(execute=True):
        deadlines_sweep(now=T0 + timedelta(hours=25))
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"leader@example.org", "cw@example.org"}
    body = by_address["leader@example.org"].body
    assert "2 deadlines overdue at Fjellheim mottak" in body
    assert f"https://em.example.org/saker/frister/mottak/{centre.pk}/" in body
    for message in mail.outbox:
        text = message.subject + message.body
        for person in (resident, second):
            for value in (
                person.given_names,
                person.family_name,
                person.duf_number,
                str(person.date_of_birth),
                person.date_of_birth.strftime("%d.%m.%Y"),
            ):
                assert value not in text


def test_x_5_reminder_e_mail_goes_to_centre_staff(
    resident, centre, people, django_capture_on_commit_callbacks
):
    open_24h(resident, centre)
    with django_capture_on_commit_callbacks(execute=True):
        deadlines_sweep(now=T0 + timedelta(hours=12))
    assert sorted(m.to[0] for m in mail.outbox) == [
        "lead@example.org",
        "leader@example.org",
        "staff@example.org",
    ]
    assert "1 deadline falls due soon at Fjellheim mottak" in mail.outbox[0].body


def test_x_5_e_mail_can_be_switched_off(
    resident, centre, people, django_capture_on_commit_callbacks, settings
):
    settings.CASES_EMAIL_NOTIFICATIONS = False
    open_24h(resident, centre)
    with django_capture_on_commit_callbacks(execute=True):
        deadlines_sweep(now=T0 + timedelta(hours=25))
    assert mail.outbox == []
    assert Notification.objects.count() == 2


def _sweep_statements(n_due, centre):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    deadlines = [open_24h(ResidentFactory(centre=centre), centre) for _ in range(n_due)]
    with CaptureQueriesContext(connection) as queries:
        result = deadlines_sweep(now=T0 + timedelta(days=1, hours=1))
    assert result.escalations == n_due
    assert Deadline.objects.filter(pk__in=[d.pk for d in deadlines], state=State.MISSED).count()
    Deadline.objects.filter(pk__in=[d.pk for d in deadlines]).delete()
    return len(queries)


def test_x_5_the_sweep_writes_a_batch_with_one_statement_per_table(centre, people):
    """Alerts, notifications, the rows, their history and the timeline: the statements do not
    grow with the due rows of a batch, and every row still gets all of them written."""
    few = _sweep_statements(2, centre)
    many = _sweep_statements(12, centre)
    assert many == few


def _sweep_statements_over_centres(n_centres):
    """Sweeps two due rows at each of `n_centres` centres, each in a region of its own with
    a leader and a caseworker; checks each row told its own place's people."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    expected = {}
    for _ in range(n_centres):
        centre = CentreFactory()
        people = {
            UserFactory(role=Role.CENTRE_LEADER, centre=centre).username,
            UserFactory(role=Role.REGION_CASEWORKER, region=centre.region).username,
        }
        for _ in range(2):
            expected[open_24h(ResidentFactory(centre=centre), centre)] = people
    with CaptureQueriesContext(connection) as queries:
        result = deadlines_sweep(now=T0 + timedelta(days=1, hours=1))
    assert result.escalations == len(expected)
    for deadline, people in expected.items():
        assert told(deadline, "escalation") == people
    Deadline.objects.filter(pk__in=[d.pk for d in expected]).delete()
    return len(queries)


def test_x_5_the_sweeps_queries_do_not_grow_with_the_centres_and_regions_of_a_batch(db):
    """Members of every centre and regional office of a batch are read together: a batch over
    six centres in six regions costs the queries of a batch over two."""
    few = _sweep_statements_over_centres(2)
    many = _sweep_statements_over_centres(6)
    assert many == few


def test_x_5_a_batch_write_writes_every_table_for_every_row(resident, centre, people):
    deadlines = [open_24h(ResidentFactory(centre=centre), centre) for _ in range(3)]
    deadlines_sweep(now=T0 + timedelta(days=1, hours=1))
    for deadline in deadlines:
        assert told(deadline, "escalation") == names(people, "leader", "caseworker")
        assert deadline.history.filter(state=State.MISSED).count() == 1
        assert TimelineEvent.objects.filter(
            object_id=deadline.subject_id, kind="deadline_missed"
        ).exists()


def test_x_5_a_failed_batch_write_falls_back_to_rows_and_fails_only_the_row_at_fault(
    resident, centre, people, monkeypatch
):
    """An alert already written for one row (e.g. by an overlapping path) makes the batch's
    insert fail; the batch is then written row by row and only that row is marked."""
    first, second = (open_24h(ResidentFactory(centre=centre), centre) for _ in range(2))
    now = T0 + timedelta(days=1, hours=1)
    from cases.services import deadlines as deadline_services

    real = deadline_services._plan_row

    def plan_then_race(deadline, **kwargs):
        plan = real(deadline, **kwargs)
        if deadline.pk == second.pk and not DeadlineAlert.objects.filter(deadline=second).exists():
            DeadlineAlert.objects.create(deadline=second, stage="escalation", kind="escalation")
        return plan

    monkeypatch.setattr(deadline_services, "_plan_row", plan_then_race)
    result = deadlines_sweep(now=now)
    first.refresh_from_db()
    assert first.state == State.MISSED
    assert told(first, "escalation") == names(people, "leader", "caseworker")
    # The second row: its alert existed when replanned, so it is not told twice.
    assert DeadlineAlert.objects.filter(deadline=second, stage="escalation").count() == 1
    assert (result.escalations, result.failures, result.failed_ids) == (1, 1, [second.pk])
