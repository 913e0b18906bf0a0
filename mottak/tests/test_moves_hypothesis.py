"""Bad input on the moving pages (MOT-3, MOT-5, MOT-6): Hypothesis posts whatever a browser
could send. Never a 500, and either one whole record is written or nothing at all."""

from datetime import date, datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mottak.models import Departure, Move, PrivateMove
from mottak.tests.factories import ResidentFactory

pytestmark = pytest.mark.slow

SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)
any_date = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat)
any_moment = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)).map(
    lambda d: d.isoformat(timespec="minutes")
)
condition = st.sampled_from(["met", "not_met", "unknown", "", "x"])


@pytest.fixture
def minor(centre):
    return ResidentFactory(centre=centre, representative_name="Bjørg Representant")


@SETTINGS
@given(reasons=any_text, note=any_text, centre_id=st.one_of(st.integers(-5, 10**6), any_text))
def test_mot_3_any_move_request_is_saved_whole_or_refused(
    client, minor, staff, reasons, note, centre_id
):
    client.force_login(staff)
    response = client.post(
        reverse("mottak:move_new", args=[minor.pk]),
        {"reasons": reasons, "special_needs_note": note, "proposed_centre": centre_id},
    )
    assert response.status_code in (200, 302)
    moves = Move.objects.filter(resident=minor)
    assert moves.count() == (1 if response.status_code == 302 else 0)
    moves.delete()


@SETTINGS
@given(target=st.one_of(st.integers(-5, 10**6), any_text), day=st.one_of(any_date, any_text))
def test_mot_3_any_decision_is_saved_whole_or_refused(
    client, minor, staff, caseworker, neighbour_centre, target, day
):
    from mottak.services import move_request

    move = Move.objects.filter(resident=minor, state="requested").first() or move_request(
        resident=minor, by=staff, reasons="School."
    )
    client.force_login(caseworker)
    response = client.post(
        reverse("mottak:move_approve", args=[move.pk]),
        {"approve-target_centre": target, "approve-move_date": day},
    )
    assert response.status_code == 302
    move.refresh_from_db()
    if move.state == Move.State.APPROVED:
        assert move.target_centre_id and move.move_date and move.handover_items is not None
        move.delete()
    else:
        assert move.target_centre_id is None and move.decided_at is None


@SETTINGS
@given(
    address=any_text,
    municipality=any_text,
    relation=any_text,
    conditions=st.lists(condition, min_size=5, max_size=5),
)
def test_mot_5_any_wish_is_saved_whole_or_refused(
    client, minor, staff, address, municipality, relation, conditions
):
    client.force_login(staff)
    data = {"address": address, "municipality": municipality, "relation": relation}
    data.update(dict(zip(PrivateMove.CONDITION_FIELDS, conditions, strict=True)))
    response = client.post(reverse("mottak:private_move_new", args=[minor.pk]), data)
    assert response.status_code in (200, 302)
    assert PrivateMove.objects.count() == (1 if response.status_code == 302 else 0)
    PrivateMove.objects.all().delete()


@SETTINGS
@given(kind=st.one_of(st.sampled_from(Departure.Kind.values), any_text), at=any_moment)
def test_mot_6_any_departure_is_saved_whole_or_refused(client, minor, staff, kind, at):
    client.force_login(staff)
    response = client.post(
        reverse("mottak:departure_new", args=[minor.pk]), {"kind": kind, "planned_at": at}
    )
    assert response.status_code in (200, 302)
    assert Departure.objects.count() == (1 if response.status_code == 302 else 0)
    Departure.objects.all().delete()
