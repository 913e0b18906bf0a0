"""MOT-5, R-18: moving privately; MOT-6: departure by kind."""

import subprocess
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import Deadline
from cases.services import dispatch_render
from mottak import routine_moves as steps
from mottak import rules_moves
from mottak.models import ConditionStatus, Departure, PrivateMove, Stay
from mottak.services import (
    departure_arrangements_record,
    departure_depart,
    departure_follow_up_told,
    departure_instructions_record,
    departure_mapping_offered,
    departure_prepare,
    departure_ready,
    private_move_concern_create,
    private_move_encouraged,
    private_move_moved,
    private_move_record_wish,
    private_move_stays,
)
from mottak.tests.factories import CentreFactory, CentreStaffFactory, ResidentFactory
from mottak.tests.test_moves import directory, send_out  # noqa: F401

pytestmark = pytest.mark.django_db

ALL_MET = {name: ConditionStatus.MET for name in PrivateMove.CONDITION_FIELDS}


@pytest.fixture
def minor(centre):
    return ResidentFactory(centre=centre, special_needs="Sleeps badly; sees the nurse weekly.")


def wish(resident, by, **extra):
    values = {
        "resident": resident,
        "by": by,
        "address": "Åsveien 12, 0661 Oslo",
        "municipality": "Oslo",
        "relation": "Uncle",
        "carers": "Uncle Yonas (41), aunt Saba (38)",
    }
    values.update(extra)
    return private_move_record_wish(**values)


def pdf_text(dispatch, tmp_path) -> str:
    dispatch_render(dispatch_id=dispatch.pk)
    dispatch.refresh_from_db()
    path = tmp_path / f"{dispatch.pk}.pdf"
    path.write_bytes(dispatch.pdf.read())
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


# --- MOT-5 ---------------------------------------------------------------------------------------


def test_r_18_rule_any_one_condition_unmet_triggers_the_concern_report():
    met = [rules_moves.MET] * 5
    assert not rules_moves.concern_report_required(met)
    for index in range(5):
        for status in ("not_met", "unknown"):
            statuses = list(met)
            statuses[index] = status
            assert rules_moves.concern_report_required(statuses), (index, status)


def test_mot_5_a_wish_without_an_address_is_refused_with_a_message(minor, staff):
    with pytest.raises(ValidationError, match="Give the address"):
        wish(minor, staff, address="  ")
    assert not PrivateMove.objects.exists()


def test_mot_5_the_wish_records_address_relation_and_conditions_unclarified(minor, staff):
    case = wish(minor, staff)
    assert case.state == PrivateMove.State.WISH
    assert [status for _n, _l, status in case.condition_rows()] == ["unknown"] * 5
    # What the centre knows of the care needs is proposed from the record.
    assert "nurse" in case.care_needs
    with pytest.raises(ValidationError, match="already recorded"):
        wish(minor, staff)


def test_mot_5_encouragement_records_when_by_whom_and_interpreter(minor, staff):
    case = wish(minor, staff)
    at = timezone.now() - timedelta(hours=1)
    case = private_move_encouraged(
        private_move=case, by=staff, encouraged_at=at, encouraged_by="Kari", interpreter="Tigrinja"
    )
    assert case.encouraged_by == "Kari" and case.encouraged_interpreter == "Tigrinja"
    with pytest.raises(ValidationError, match="future"):
        private_move_encouraged(
            private_move=case,
            by=staff,
            encouraged_at=timezone.now() + timedelta(hours=3),
            encouraged_by="Kari",
        )


def test_r_18_moving_with_one_condition_unmet_opens_the_same_day_concern_report_and_copies(
    minor, staff, centre
):
    conditions = dict(ALL_MET, condition_family=ConditionStatus.NOT_MET)
    case = wish(minor, staff, conditions=conditions)
    case = private_move_moved(private_move=case, by=staff)
    assert case.state == PrivateMove.State.MOVED and case.concern_required
    deadlines = Deadline.objects.filter(object_id=case.pk, kind__startswith="privat_flytting")
    assert sorted(d.kind for d in deadlines) == [
        "privat_flytting_concern_report",
        "privat_flytting_copy_imdi",
        "privat_flytting_copy_region",
    ]
    for deadline in deadlines:
        assert deadline.urgency == "straks"
        assert timezone.localtime(deadline.due_at).date() == timezone.localdate(case.moved_at)
        assert timezone.localtime(deadline.due_at).strftime("%H:%M") == "23:59"
    stay = Stay.objects.get(resident=minor, centre=centre)
    assert stay.end_reason == Stay.EndReason.PRIVATE


def test_r_18_moving_with_every_condition_met_needs_no_concern_report(minor, staff):
    case = wish(minor, staff, conditions=ALL_MET)
    case = private_move_moved(private_move=case, by=staff)
    assert not case.concern_required
    assert not Deadline.objects.filter(kind__startswith="privat_flytting").exists()
    with pytest.raises(ValidationError, match="no concern report is due"):
        private_move_concern_create(private_move=case, by=staff)
    assert Stay.objects.get(resident=minor).end_reason == Stay.EndReason.PRIVATE


def test_r_18_concern_report_goes_to_child_welfare_where_the_minor_moved(minor, staff, tmp_path):
    case = private_move_moved(private_move=wish(minor, staff), by=staff)
    report = private_move_concern_create(private_move=case, by=staff)
    assert report.recipient_kind == "child_welfare"
    assert report.recipient_name == "Barneverntjenesten i Oslo"
    text = pdf_text(report, tmp_path)
    assert "enslig mindreårig asylsøker" in text
    assert "Åsveien 12, 0661 Oslo" in text
    assert "nurse" in text  # what the centre knows of the care needs
    assert "Uncle Yonas" in text  # the new carers
    assert "Ikke avklart" in text
    assert "MOT-" not in text and "R-18" not in text
    copies = [
        private_move_concern_create(private_move=case, by=staff, step_code=code)
        for code in (steps.COPY_REGION, steps.COPY_IMDI)
    ]
    assert sorted(c.recipient_kind for c in copies) == ["imdi", "udi_region"]
    assert {c.purpose for c in copies} == {"concern_report_copy"}
    assert "Kopi" in pdf_text(copies[0], tmp_path)
    send_out(report, *copies, by=staff)
    assert not Deadline.objects.filter(
        kind__startswith="privat_flytting", state__in=Deadline.PENDING
    ).exists()


def test_mot_5_stays_at_the_centre_closes_the_wish_and_keeps_the_stay(minor, staff):
    case = private_move_stays(private_move=wish(minor, staff), by=staff)
    assert case.state == PrivateMove.State.WITHDRAWN
    assert Stay.objects.get(resident=minor).ended_at is None


def test_mot_5_pages_refuse_an_empty_address_and_other_centres_get_404(
    client, minor, staff, region
):
    client.force_login(staff)
    url = reverse("mottak:private_move_new", args=[minor.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"address": "", "municipality": "Oslo", "relation": "Uncle"})
    assert response.status_code == 200
    assert not PrivateMove.objects.exists()
    data = {"address": "Åsveien 12", "municipality": "Oslo", "relation": "Uncle"}
    data.update({name: "unknown" for name in PrivateMove.CONDITION_FIELDS})
    assert client.post(url, data).status_code == 302
    case = PrivateMove.objects.get()
    detail = reverse("mottak:private_move_detail", args=[case.pk])
    assert client.get(detail).status_code == 200
    client.force_login(CentreStaffFactory(centre=CentreFactory(name="Annet", region=region)))
    assert client.get(detail).status_code == 404
    assert client.post(reverse("mottak:private_move_moved", args=[case.pk])).status_code == 404


# --- MOT-6 ---------------------------------------------------------------------------------------


def test_mot_6_the_stay_ends_with_the_kind_of_departure(minor, staff, centre):
    departure = departure_prepare(resident=minor, by=staff, kind=Departure.Kind.DUBLIN_TRANSFER)
    assert departure.counterpart == "pu"
    with pytest.raises(ValidationError, match="Not yet recorded"):
        departure_depart(departure=departure, by=staff)
    departure_instructions_record(
        departure=departure, by=staff, instructions="PU collects him at 06:00."
    )
    departure_follow_up_told(departure=departure, by=staff, needs="Needs his medicine.")
    departure_arrangements_record(
        departure=departure, by=staff, arrangements="Early breakfast; key worker comes along."
    )
    departure_ready(departure=departure, by=staff)
    departure_mapping_offered(departure=departure, by=staff, answer=Departure.Answer.ACCEPTED)
    departure = departure_depart(departure=departure, by=staff)
    assert departure.state == Departure.State.DEPARTED
    assert Stay.objects.get(resident=minor).end_reason == Stay.EndReason.DUBLIN_TRANSFER


@pytest.mark.parametrize(
    "kind,reason",
    [
        (Departure.Kind.ASSISTED_RETURN, "assisted_return"),
        (Departure.Kind.FORCED_RETURN, "forced_return"),
        (Departure.Kind.DUBLIN_TRANSFER, "dublin_transfer"),
        (Departure.Kind.OTHER, "departed"),
    ],
)
def test_mot_6_each_kind_is_a_stay_end_reason_the_return_portfolio_counts(kind, reason):
    assert kind.value == reason
    assert reason in Stay.EndReason.values
    assert reason in Stay.DEPARTURE_REASONS


def test_mot_6_assisted_return_follows_iom(minor, staff):
    departure = departure_prepare(resident=minor, by=staff, kind=Departure.Kind.ASSISTED_RETURN)
    assert departure.counterpart == "iom"
    assert rules_moves.departure_counterpart("forced_return") == "pu"


def test_mot_6_bad_input_is_refused_and_one_departure_at_a_time(minor, staff):
    with pytest.raises(ValidationError, match="kind of departure"):
        departure_prepare(resident=minor, by=staff, kind="holiday")
    departure = departure_prepare(resident=minor, by=staff, kind=Departure.Kind.FORCED_RETURN)
    with pytest.raises(ValidationError, match="already being prepared"):
        departure_prepare(resident=minor, by=staff, kind=Departure.Kind.FORCED_RETURN)
    with pytest.raises(ValidationError, match="answer"):
        departure_mapping_offered(departure=departure, by=staff, answer="maybe")
    with pytest.raises(ValidationError, match="future"):
        departure_ready(departure=departure, by=staff, at=timezone.now() + timedelta(hours=5))


def test_mot_6_pages_work_and_other_centres_get_404(client, minor, staff, region):
    client.force_login(staff)
    url = reverse("mottak:departure_new", args=[minor.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"kind": "forced_return"}).status_code == 302
    departure = Departure.objects.get()
    detail = reverse("mottak:departure_detail", args=[departure.pk])
    assert client.get(detail).status_code == 200
    response = client.post(
        reverse("mottak:departure_instructions", args=[departure.pk]),
        {"instructions-instructions": "Ready at 05:30."},
        follow=True,
    )
    assert response.status_code == 200
    departure.refresh_from_db()
    assert departure.instructions == "Ready at 05:30."
    client.force_login(CentreStaffFactory(centre=CentreFactory(name="Annet", region=region)))
    assert client.get(detail).status_code == 404


def test_demo_shows_a_move_waiting_a_move_being_prepared_a_private_move_and_a_departure():
    from mottak.demo import demo_seed
    from mottak.models import Move

    demo_seed()
    assert Move.objects.filter(state=Move.State.REQUESTED).exists()
    assert Move.objects.filter(state=Move.State.APPROVED).exists()
    assert PrivateMove.objects.filter(state=PrivateMove.State.WISH).exists()
    assert Departure.objects.filter(state=Departure.State.PLANNED).exists()
    before = (Move.objects.count(), PrivateMove.objects.count(), Departure.objects.count())
    demo_seed()  # idempotent
    assert (Move.objects.count(), PrivateMove.objects.count(), Departure.objects.count()) == before
