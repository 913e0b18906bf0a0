"""The demo data: realistic, scoped like real users, and safe to load twice."""

import re
from collections import Counter
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from cases.models import Deadline, Dispatch, Notification
from cases.selectors_work import watch_lists
from mottak import demo
from mottak.access import centres_visible_to, residents_visible_to
from mottak.models import RETURN_STAGES, AsylumStage, Centre, Resident, Role, Stay, User

PROJECT_APPS = {"mottak", "cases", "permisjon", "savnet", "kartlegging", "retur", "guardian"}


def row_counts() -> dict[str, int]:
    """Rows of every model of the project (history and object permissions included)."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
    }


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_twice_creates_nothing_twice(capsys):
    call_command("seed_demo", "--force")
    first = row_counts()
    call_command("seed_demo", "--force")

    assert row_counts() == first
    assert first["mottak.Resident"] == demo.RESIDENT_COUNT
    assert "nothing created" in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_gives_each_role_one_login_with_its_scope():
    result = demo.demo_seed()
    assert result.created["users"] == len(Role.values)

    users = {
        u.role: u for u in User.objects.filter(username__in=[d.username for d in demo.DEMO_USERS])
    }
    assert set(users) == set(Role.values)
    assert all(u.check_password(demo.DEMO_PASSWORD) for u in users.values())

    demo_centre = Centre.objects.get(name=demo.DEMO_CENTRE)
    for role in (Role.CENTRE_STAFF, Role.CHILD_WELFARE_LEAD, Role.CENTRE_LEADER):
        assert list(centres_visible_to(users[role])) == [demo_centre]
        seen = residents_visible_to(users[role])
        assert seen.count() == Resident.objects.filter(centre=demo_centre).count() > 0

    region_seen = residents_visible_to(users[Role.REGION_CASEWORKER])
    assert set(region_seen.values_list("centre__region", flat=True)) == {demo_centre.region_id}
    assert region_seen.count() > residents_visible_to(users[Role.CENTRE_STAFF]).count()

    asa_seen = residents_visible_to(users[Role.ASA_CASEWORKER])
    assert asa_seen.exists()
    assert set(asa_seen.values_list("asylum_stage", flat=True)) <= set(RETURN_STAGES)
    assert not residents_visible_to(users[Role.RMA]).exists()
    assert users[Role.ADMIN].is_superuser
    assert residents_visible_to(users[Role.ADMIN]).count() == demo.RESIDENT_COUNT


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_covers_every_kind_operator_and_stage():
    demo.demo_seed()

    assert Resident.objects.values("centre__region").distinct().count() >= 4
    assert {(c.kind, c.operator) for c in Centre.objects.all()} >= {
        (kind, op) for kind in Centre.Kind.values for op in Centre.Operator.values
    } - {(Centre.Kind.ARRIVAL_TRANSIT, Centre.Operator.MUNICIPAL)}
    assert set(Resident.objects.values_list("asylum_stage", flat=True)) == set(AsylumStage.values)
    assert all(re.fullmatch(r"\d{12}", r.duf_number) for r in Resident.objects.all())
    open_stays = Counter(
        Stay.objects.filter(ended_at__isnull=True).values_list("resident", flat=True)
    )
    assert set(open_stays.values()) == {1}
    assert len(open_stays) == demo.RESIDENT_COUNT
    assert all(c.residents.count() <= c.capacity for c in Centre.objects.all())
    kinds = set(demo.ExternalRecipient.objects.values_list("kind", flat=True))
    assert kinds == set(demo.ExternalRecipient.Kind.values)


# The routine apps' models by name: mottak's tests do not import the routine apps.
def leave_model():
    return apps.get_model("permisjon", "LeaveApplication")


def missing_model():
    return apps.get_model("savnet", "MissingReport")


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_shows_leaves_in_every_state_and_one_late():
    before = timezone.now()
    demo.demo_seed()

    Leave = leave_model()
    states = Counter(Leave.objects.values_list("state", flat=True))
    assert set(states) == set(Leave.State.values) - {Leave.State.WITHDRAWN}
    late = Leave.objects.get(state=Leave.State.LATE)
    assert before - timedelta(hours=4) < late.return_at < before
    waiting = Leave.objects.get(state=Leave.State.PREPARED, decider=Leave.Decider.CENTRE)
    assert waiting.centre.name == demo.DEMO_CENTRE
    assert Leave.objects.filter(state=Leave.State.ONGOING, return_at__gt=before).exists()
    assert Leave.objects.get(state=Leave.State.RETURNED).returned_at is not None
    assert Leave.objects.get(state=Leave.State.REFUSED).decision_reason


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_shows_a_missing_report_with_steps_done_and_left():
    before = timezone.now()
    demo.demo_seed()

    Missing = missing_model()
    report = Missing.objects.get(state=Missing.State.OPEN)
    assert before - timedelta(hours=6) < report.reason_to_believe_at < before
    assert Missing.objects.filter(state=Missing.State.INVESTIGATING).exists()
    deadlines = {
        d.kind: d.state
        for d in Deadline.objects.filter(content_type__model="missingreport", object_id=report.pk)
    }
    done = {kind for kind, state in deadlines.items() if state == Deadline.State.MET}
    left = {kind for kind, state in deadlines.items() if state == Deadline.State.OPEN}
    # the call to the duty service meets the child-welfare step; its letter is made and
    # not yet sent.
    assert {
        "savnet_police",
        "savnet_representative",
        "savnet_sesam",
        "savnet_child_welfare",
    } <= done
    assert {"savnet_lawyer", "savnet_regional_copies"} <= left
    notices = {
        d.purpose: d.state
        for d in Dispatch.objects.filter(owner_ct__model="missingreport", owner_id=report.pk)
    }
    assert notices["missing_report"] == Dispatch.State.SENT
    assert notices["concern_report"] != Dispatch.State.SENT


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_has_deadlines_due_soon_and_overdue_alerts_and_notices_both_ways():
    demo.demo_seed()
    now = timezone.now()

    pending = Deadline.objects.filter(state__in=Deadline.PENDING)
    assert pending.filter(due_at__lt=now).exists()  # overdue
    assert pending.filter(due_at__gt=now, due_at__lt=now + timedelta(hours=24)).exists()
    users = {u.username: u for u in User.objects.filter(username__in=["ansatt", "leder", "region"])}
    for user in users.values():
        assert Notification.objects.filter(recipient=user).exists(), user.username
    states = set(Dispatch.objects.values_list("state", flat=True))
    assert Dispatch.State.SENT in states
    assert states - {Dispatch.State.SENT}, "no notice made and not yet sent"


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_start_page_lists_are_not_empty():
    demo.demo_seed()
    staff = User.objects.get(username="ansatt")
    lists = watch_lists(user=staff)
    listed = {w.watch.code for w in lists if w.rows}
    assert {"late", "on_leave", "missing", "absent", "preparing", "granted"} <= listed


def test_seed_demo_residents_are_the_same_on_every_run():
    today = date(2025, 3, 30)
    first, second = demo.resident_specs(today=today), demo.resident_specs(today=today)
    assert first == second
    assert len({s.data.duf_number for s in first}) == demo.RESIDENT_COUNT


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()
