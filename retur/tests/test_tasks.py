"""RET-5: tasks with deadlines in a return case (kernel deadlines the named ASA caseworker
answers for), and the contact log's structured kinds: motivation work, the minor's contact
with the family, alternative care investigated."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import Deadline, Notification
from cases.selectors_deadlines import deadlines_visible_to
from cases.services import deadlines_sweep
from mottak.models import AsylumStage, Role
from mottak.tests.factories import make_resident
from retur import services
from retur.models import ContactLogEntry, ReturnCase, ReturnTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def asa(user_factory):
    return user_factory(Role.ASA_CASEWORKER)


@pytest.fixture
def other_asa(user_factory):
    return user_factory(Role.ASA_CASEWORKER)


@pytest.fixture
def case(centre, asa, admin_user) -> ReturnCase:
    resident = make_resident(centre, asylum_stage=AsylumStage.FINAL_REJECTION)
    opened = services.return_case_open(
        resident=resident, stage=resident.asylum_stage, at=timezone.now() - timedelta(days=3)
    )
    return services.return_case_assign(case=opened, caseworker=asa, by=admin_user)


def task_deadline(task, state="open") -> Deadline:
    return Deadline.objects.get(object_id=task.pk, kind="retur_task_done", state=state)


def test_ret_5_a_task_opens_a_deadline_at_the_end_of_its_due_day_for_the_caseworker(case, asa):
    due_on = timezone.localdate() + timedelta(days=7)
    task = services.return_task_create(case=case, title="Kontakt IOM", due_on=due_on, by=asa)
    assert task.responsible == asa and task.state == ReturnTask.State.OPEN
    deadline = task_deadline(task)
    assert timezone.localtime(deadline.due_at).date() == due_on
    assert timezone.localtime(deadline.due_at).strftime("%H:%M") == "23:59"
    assert deadline.responsible == asa and deadline.national_role == "asa_caseworker"
    assert deadline.centre_id is None and deadline.subject == case.resident
    assert "IOM" not in deadline.label  # the task's words stay on the case page


def test_ret_5_a_due_date_today_is_accepted_yesterday_refused(case, asa):
    with pytest.raises(ValidationError, match="past"):
        services.return_task_create(
            case=case, title="X", due_on=timezone.localdate() - timedelta(days=1), by=asa
        )
    with pytest.raises(ValidationError):
        services.return_task_create(case=case, title="  ", due_on=timezone.localdate(), by=asa)
    assert (
        not ReturnTask.objects.exists()
        and not Deadline.objects.filter(kind="retur_task_done").exists()
    )
    services.return_task_create(case=case, title="I dag", due_on=timezone.localdate(), by=asa)


def test_ret_5_only_the_assigned_caseworker_gives_and_ticks_tasks(case, asa, other_asa, staff):
    for user in (other_asa, staff):
        with pytest.raises(PermissionDenied):
            services.return_task_create(case=case, title="X", due_on=timezone.localdate(), by=user)
    task = services.return_task_create(case=case, title="X", due_on=timezone.localdate(), by=asa)
    with pytest.raises(PermissionDenied):
        services.return_task_done(task=task, by=other_asa)
    with pytest.raises(ValidationError, match="assigned"):
        services.return_task_create(
            case=case, title="X", due_on=timezone.localdate(), by=asa, responsible=other_asa
        )


def test_ret_5_done_meets_the_deadline_and_not_done_opens_it_again(case, asa):
    task = services.return_task_create(
        case=case, title="X", due_on=timezone.localdate() + timedelta(days=2), by=asa
    )
    services.return_task_done(task=task, by=asa)
    task.refresh_from_db()
    assert task.state == ReturnTask.State.DONE and task.done_at is not None
    assert task_deadline(task, "met").met_by == asa
    with pytest.raises(ValidationError):
        services.return_task_done(task=task, by=asa)
    services.return_task_reopen(task=task, by=asa)
    task.refresh_from_db()
    assert task.state == ReturnTask.State.OPEN and task.done_at is None
    assert task_deadline(task).due_at == task.due_at


def test_ret_5_the_sweeper_tells_the_responsible_caseworker_only(
    case, asa, other_asa, leader, caseworker, admin_user
):
    task = services.return_task_create(case=case, title="X", due_on=timezone.localdate(), by=asa)
    deadline = task_deadline(task)
    deadlines_sweep(now=deadline.due_at + timedelta(minutes=1))
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.MISSED
    told = set(Notification.objects.filter(deadline=deadline).values_list("recipient", flat=True))
    assert told == {asa.pk}


def test_r_19_reassigning_the_case_moves_the_open_tasks_and_their_deadlines(
    case, asa, other_asa, admin_user
):
    open_task = services.return_task_create(
        case=case, title="Åpen", due_on=timezone.localdate(), by=asa
    )
    done_task = services.return_task_create(
        case=case, title="Ferdig", due_on=timezone.localdate(), by=asa
    )
    services.return_task_done(task=done_task, by=asa)
    services.return_case_assign(case=case, caseworker=other_asa, by=admin_user)
    open_task.refresh_from_db()
    done_task.refresh_from_db()
    assert open_task.responsible == other_asa and done_task.responsible == asa
    assert task_deadline(open_task).responsible == other_asa
    # The deadline is visible to the caseworker who now has the case, not to the one before.
    assert deadlines_visible_to(other_asa).filter(pk=task_deadline(open_task).pk).exists()
    assert not deadlines_visible_to(asa).filter(pk=task_deadline(open_task).pk).exists()


def test_ret_5_the_task_pages_add_tick_and_answer_404_to_others(case, asa, other_asa, client):
    client.force_login(asa)
    due = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        reverse("retur:task_new", args=[case.pk]),
        {"task-title": "Snakk med verge", "task-due_on": due},
    )
    assert response.status_code == 302
    task = ReturnTask.objects.get()
    page = client.get(reverse("retur:detail", args=[case.pk])).content.decode()
    assert "Snakk med verge" in page and f'id="task-{task.pk}"' in page
    client.force_login(other_asa)
    assert client.post(reverse("retur:task_done", args=[task.pk])).status_code == 404
    assert client.get(reverse("retur:task", args=[task.pk])).status_code == 404
    client.force_login(asa)
    assert client.post(reverse("retur:task_done", args=[task.pk])).status_code == 302
    task.refresh_from_db()
    assert task.state == ReturnTask.State.DONE
    bad = client.post(
        reverse("retur:task_new", args=[case.pk]), {"task-title": "X", "task-due_on": "31.02.2026"}
    )
    assert bad.status_code == 302 and ReturnTask.objects.count() == 1


@pytest.mark.parametrize("topic", [t for t, _label in ContactLogEntry.Topic.choices])
def test_ret_5_a_contact_records_what_it_served(case, asa, topic):
    entry = services.return_case_record_contact(
        case=case,
        at=timezone.now() - timedelta(hours=1),
        party=ContactLogEntry.Party.CARERS_HOME,
        topic=topic,
        summary="Snakket med mor på telefon.",
        by=asa,
    )
    assert entry.topic == topic


def test_ret_5_an_unknown_contact_kind_saves_nothing(case, asa):
    with pytest.raises(ValidationError):
        services.return_case_record_contact(
            case=case,
            at=timezone.now(),
            party=ContactLogEntry.Party.MINOR,
            topic="gossip",
            summary="X",
            by=asa,
        )
    assert not ContactLogEntry.objects.exists()


def test_ret_5_the_case_page_costs_the_same_queries_whatever_the_number_of_tasks(case, asa, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("retur:detail", args=[case.pk])
    client.force_login(asa)

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    services.return_task_create(case=case, title="1", due_on=timezone.localdate(), by=asa)
    few = count()
    for n in range(5):
        services.return_task_create(case=case, title=str(n), due_on=timezone.localdate(), by=asa)
    assert count() == few
