"""Urgency classes of deadlines (R-1, R-11): who is told at opening, after 2 hours, at the limit.

Every sweep runs on an explicit clock (`now=`), the deadline on an explicit `opened_at`.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from cases import urgency
from cases.models import Deadline, DeadlineAlert, Notification
from cases.services import deadline_meet, deadline_open, deadlines_sweep
from mottak.models import Centre, Region, Role
from mottak.tests.factories import UserFactory, make_resident

State = Deadline.State
T0 = timezone.now().replace(microsecond=0) - timedelta(days=3)
ON_DUTY = ("staff", "lead", "leader")


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
        "neighbour_staff": user_factory(Role.CENTRE_STAFF, centre=neighbour_centre),
        "neighbour_leader": user_factory(Role.CENTRE_LEADER, centre=neighbour_centre),
        "far_caseworker": user_factory(Role.REGION_CASEWORKER, region=far_centre.region),
        "inactive_staff": user_factory(Role.CENTRE_STAFF, centre=centre, is_active=False),
        "inactive_leader": user_factory(Role.CENTRE_LEADER, centre=centre, is_active=False),
    }


def open_24h(resident, centre, *, urgency_code="straks", opened_at=T0, **extra):
    return deadline_open(
        owner=resident,
        kind="sav_police_report",
        rule_id="SAV-2",
        label="Report the minor missing to the police",
        due_at=opened_at + timedelta(hours=24),
        opened_at=opened_at,
        centre=centre,
        urgency=urgency_code,
        **extra,
    )


def told(deadline, stage):
    return set(
        Notification.objects.filter(alert__deadline=deadline, alert__stage=stage).values_list(
            "recipient__username", flat=True
        )
    )


def names(people, *keys):
    return {people[k].username for k in keys}


def stages(deadline):
    return sorted(DeadlineAlert.objects.filter(deadline=deadline).values_list("stage", flat=True))


# --- the table ----------------------------------------------------------------------------


def test_r_1_r_11_r_7_the_table_names_four_classes_with_english_labels():
    assert set(urgency.URGENCIES) == {"straks", "snarest", "ordinary", "target"}
    # a target escalates to the child-welfare lead only, never to the regional office.
    target = urgency.get("target")
    assert target.escalation_at_limit.centre_roles == ("child_welfare_lead",)
    assert target.escalation_at_limit.region_roles == ()
    straks = urgency.get("straks")
    assert straks.alert_at_opening is True
    assert straks.escalate_to_leader_after == timedelta(hours=2)
    assert straks.escalation_at_limit.region_roles == ("region_caseworker",)
    assert str(straks.label) == "At once"
    assert urgency.get("snarest").alert_at_opening is False
    assert urgency.get("snarest").escalate_to_leader_after is None
    with pytest.raises(AttributeError):
        straks.alert_at_opening = False  # frozen


def test_x_5_ordinary_class_keeps_half_time_and_two_hours_before():
    ordinary = urgency.get("ordinary")
    assert ordinary.reminders == (0.5, timedelta(hours=2))
    assert (ordinary.alert_at_opening, ordinary.escalate_to_leader_after) == (False, None)
    assert Deadline._meta.get_field("urgency").default == "ordinary"


def test_x_5_unknown_urgency_is_refused(resident, centre, people):
    with pytest.raises(ValidationError) as error:
        open_24h(resident, centre, urgency_code="whenever")
    assert error.value.error_list[0].code == "unknown_urgency"
    assert not Deadline.objects.exists()
    assert not Notification.objects.exists()
    with pytest.raises(ValidationError):
        urgency.get("whenever")


def test_x_5_a_deadline_opened_without_urgency_is_ordinary_and_alerts_nobody(
    resident, centre, people
):
    d = deadline_open(
        owner=resident,
        kind="k",
        label="Something",
        due_at=T0 + timedelta(hours=24),
        opened_at=T0,
        centre=centre,
    )
    assert d.urgency == "ordinary"
    assert d.next_alert_at == T0 + timedelta(hours=12)
    assert not DeadlineAlert.objects.exists()


# --- straks ------------------------------------------------------------------------


def test_r_1_straks_alerts_on_duty_staff_and_leader_at_opening(resident, centre, people):
    d = open_24h(resident, centre)
    d.refresh_from_db()
    assert d.urgency == "straks"
    assert stages(d) == ["opened"]
    assert DeadlineAlert.objects.get(deadline=d).kind == DeadlineAlert.Kind.OPENED
    # Staff, child-welfare lead and leader of this centre; not the regional office, not other
    # centres, not inactive users.
    assert told(d, "opened") == names(people, *ON_DUTY)
    message = Notification.objects.filter(deadline=d).first().message
    assert message == (
        "Urgent deadline opened at Fjellheim mottak: Report the minor missing to the police"
    )
    # The next look is the leader escalation 2 hours after opening.
    assert d.next_alert_at == T0 + timedelta(hours=2)


def test_r_1_straks_alert_at_opening_happens_once_when_opened_twice(resident, centre, people):
    first = open_24h(resident, centre)
    again = open_24h(resident, centre, opened_at=T0 + timedelta(minutes=5))
    assert again.pk == first.pk
    assert stages(first) == ["opened"]
    assert Notification.objects.filter(deadline=first).count() == len(ON_DUTY)
    # Nor does a sweep repeat it.
    deadlines_sweep(now=T0 + timedelta(minutes=30))
    assert stages(first) == ["opened"]
    assert Notification.objects.filter(deadline=first).count() == len(ON_DUTY)


def test_r_1_straks_alert_at_opening_is_rolled_back_with_the_opening(
    resident, centre, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            open_24h(resident, centre)
            raise RuntimeError("the surrounding work failed")
    assert not Deadline.objects.exists()
    assert not DeadlineAlert.objects.exists()
    assert not Notification.objects.exists()
    assert callbacks == []  # no e-mail about a deadline that never was


def test_r_1_straks_opening_e_mail_goes_after_commit_and_has_no_resident_name(
    centre, people, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://em.example.org"
    resident = make_resident(centre, given_names="Abeba", family_name="Tesfay")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        open_24h(resident, centre)
    assert mail.outbox == []  # nothing sent before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"staff@example.org", "lead@example.org", "leader@example.org"}
    message = by_address["staff@example.org"]
    assert message.subject == "Urgent deadline"
    assert "1 urgent deadline opened at Fjellheim mottak" in message.body
    assert f"https://em.example.org/saker/frister/mottak/{centre.pk}/" in message.body
    for sent in mail.outbox:
        text = sent.subject + sent.body
        for value in (
            resident.given_names,
            resident.family_name,
            resident.duf_number,
            str(resident.date_of_birth),
            resident.date_of_birth.strftime("%d.%m.%Y"),
            "police",  # not even the label: place name and link only
        ):
            assert value not in text


def test_r_1_straks_escalates_to_leader_after_two_hours(resident, centre, people):
    d = open_24h(resident, centre)
    result = deadlines_sweep(now=T0 + timedelta(hours=1, minutes=59))
    assert result.leader_escalations == 0
    assert stages(d) == ["opened"]

    result = deadlines_sweep(now=T0 + timedelta(hours=2))
    assert (result.leader_escalations, result.reminders, result.escalations) == (1, 0, 0)
    alert = DeadlineAlert.objects.get(deadline=d, stage="escalation-leader")
    assert alert.kind == DeadlineAlert.Kind.UNDONE
    assert told(d, "escalation-leader") == names(people, "leader")
    d.refresh_from_db()
    assert d.state == State.OPEN
    assert d.next_alert_at == T0 + timedelta(hours=12)  # next point: half-time reminder
    assert deadlines_sweep(now=T0 + timedelta(hours=2, minutes=1)).leader_escalations == 0


def test_r_1_straks_met_within_two_hours_does_not_escalate(resident, centre, people):
    d = open_24h(resident, centre)
    deadline_meet(deadline=d, by=people["staff"], at=T0 + timedelta(hours=1, minutes=59))
    deadlines_sweep(now=T0 + timedelta(hours=2))
    assert stages(d) == ["opened"]


def test_r_1_straks_reminds_centre_staff_not_only_leaders(resident, centre, people):
    d = open_24h(resident, centre)
    deadlines_sweep(now=T0 + timedelta(hours=2))
    assert deadlines_sweep(now=T0 + timedelta(hours=12)).reminders == 1
    assert told(d, "reminder-1") == names(people, *ON_DUTY)
    d.refresh_from_db()
    assert d.next_alert_at == T0 + timedelta(hours=22)


def test_r_1_straks_escalates_to_regional_office_at_the_limit(resident, centre, people):
    d = open_24h(resident, centre)
    assert deadlines_sweep(now=T0 + timedelta(hours=23, minutes=59)).escalations == 0
    result = deadlines_sweep(now=T0 + timedelta(hours=24))
    assert result.escalations == 1
    assert told(d, "escalation") == names(people, "caseworker", "leader")
    d.refresh_from_db()
    assert (d.state, d.escalated_at, d.next_alert_at) == (
        State.MISSED,
        T0 + timedelta(hours=24),
        None,
    )


def test_r_1_straks_whole_plan_alerts_each_stage_once(resident, centre, people):
    d = open_24h(resident, centre)
    for minutes in (119, 120, 120, 600, 720, 720, 1320, 1320, 1440, 1440, 1500):
        deadlines_sweep(now=T0 + timedelta(minutes=minutes))
    assert stages(d) == [
        "escalation",
        "escalation-leader",
        "opened",
        "reminder-1",
        "reminder-2",
    ]
    # opened 3, leader 1, two reminders 3 each, escalation leader + caseworker 2.
    assert Notification.objects.filter(deadline=d).count() == 3 + 1 + 3 + 3 + 2


def test_r_1_straks_after_an_outage_past_the_limit_only_escalates(resident, centre, people):
    d = open_24h(resident, centre)
    result = deadlines_sweep(now=T0 + timedelta(days=2))
    assert (result.leader_escalations, result.reminders, result.escalations) == (0, 0, 1)
    assert stages(d) == ["escalation", "opened"]


def test_r_1_straks_after_an_outage_past_two_hours_escalates_to_leader_and_reminds(
    resident, centre, people
):
    d = open_24h(resident, centre)
    result = deadlines_sweep(now=T0 + timedelta(hours=13))
    assert (result.leader_escalations, result.reminders) == (1, 1)
    d.refresh_from_db()
    assert d.next_alert_at == T0 + timedelta(hours=22)


def test_r_1_straks_shorter_than_two_hours_has_no_leader_escalation(resident, centre, people):
    d = deadline_open(
        owner=resident,
        kind="bv_phone",
        label="Phone the child-welfare duty service",
        due_at=T0 + timedelta(hours=2),
        opened_at=T0,
        centre=centre,
        urgency="straks",
    )
    assert d.next_alert_at == T0 + timedelta(hours=1)  # the half-time reminder
    deadlines_sweep(now=T0 + timedelta(hours=1))
    deadlines_sweep(now=T0 + timedelta(hours=2))
    assert stages(d) == ["escalation", "opened", "reminder-1"]


def test_r_1_straks_region_only_deadline_alerts_the_regional_office_at_opening(
    resident, region, people
):
    d = deadline_open(
        owner=resident,
        kind="region_step",
        label="Something urgent",
        due_at=T0 + timedelta(hours=24),
        opened_at=T0,
        region=region,
        urgency="straks",
    )
    assert told(d, "opened") == names(people, "caseworker")


def test_r_1_straks_with_nobody_to_tell_still_opens_and_the_sweep_alerts_later(db):
    # Nobody works at this centre or its regional office, and there is no administrator.
    region = Region.objects.create(name="Region Nord")
    centre = Centre.objects.create(
        name="Nordlys mottak",
        kind=Centre.Kind.ORDINARY_MINORS,
        operator=Centre.Operator.PRIVATE,
        municipality="Tromsø",
        region=region,
        capacity=10,
    )
    d = open_24h(make_resident(centre), centre)
    d.refresh_from_db()
    assert d.state == State.OPEN
    assert stages(d) == []
    assert d.next_alert_at == T0  # the sweep retries at once

    result = deadlines_sweep(now=T0 + timedelta(minutes=1))
    assert result.failures == 1
    admin = UserFactory(role=Role.ADMIN)
    d.refresh_from_db()
    result = deadlines_sweep(now=d.next_alert_at)
    assert result.alerts_at_opening == 1
    assert told(d, "opened") == {admin.username}


# --- snarest ----------------------------------------------------------------------


def test_r_11_snarest_does_not_alert_at_opening_nor_escalate_after_two_hours(
    resident, centre, people
):
    d = open_24h(resident, centre, urgency_code="snarest")
    assert d.urgency == "snarest"
    assert d.next_alert_at == T0 + timedelta(hours=12)
    result = deadlines_sweep(now=T0 + timedelta(hours=2))
    assert (result.alerts_at_opening, result.leader_escalations) == (0, 0)
    assert stages(d) == []


def test_r_11_snarest_reminds_staff_and_escalates_to_leader_and_region_at_the_limit(
    resident, centre, people
):
    d = open_24h(resident, centre, urgency_code="snarest")
    deadlines_sweep(now=T0 + timedelta(hours=12))
    assert told(d, "reminder-1") == names(people, *ON_DUTY)
    deadlines_sweep(now=T0 + timedelta(hours=24))
    assert told(d, "escalation") == names(people, "leader", "caseworker")
    assert stages(d) == ["escalation", "reminder-1"]
