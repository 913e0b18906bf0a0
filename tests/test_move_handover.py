"""MOT-3 across apps: the hand-over list reads another routine's open case (a leave
application) generically, and a case marked "moved" becomes the new centre's with its
deadlines when the arrival is confirmed."""

import pytest

from cases.models import Deadline
from mottak.models import Centre, MoveHandoverItem
from mottak.services import move_complete, move_handover_mark
from mottak.tests.factories import CentreFactory, CentreStaffFactory, ResidentFactory
from mottak.tests.test_moves import approved, directory, prepared  # noqa: F401
from permisjon.models import LeaveApplication
from tests.test_routine_contract import _leave_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(region):
    return CentreFactory(
        name="Solbakken mottak", kind=Centre.Kind.ORDINARY_MINORS, region=region, capacity=20
    )


def test_mot_3_an_open_leave_application_moved_on_the_list_becomes_the_new_centres(
    centre, staff, caseworker, target
):
    minor = ResidentFactory(centre=centre, representative_name="Bjørg Representant")
    leave = _leave_application(minor, staff)
    move = approved(minor, staff, caseworker, target)
    items = list(move.handover_items.all())
    case_items = [i for i in items if i.kind == MoveHandoverItem.Kind.CASE]
    assert [i.ref_id for i in case_items] == [leave.pk]
    prepared(move, staff)  # marks every item "moved"
    move_complete(move=move, by=CentreStaffFactory(centre=target))
    leave.refresh_from_db()
    assert leave.centre_id == target.pk
    pending = Deadline.objects.filter(object_id=leave.pk, state__in=Deadline.PENDING)
    assert all(d.centre_id == target.pk for d in pending)


def test_mot_3_a_leave_application_closed_on_purpose_stays_where_it_was(
    centre, staff, caseworker, target, leader
):
    minor = ResidentFactory(centre=centre, representative_name="Bjørg Representant")
    leave = _leave_application(minor, staff)
    move = approved(minor, staff, caseworker, target)
    item = move.handover_items.get(kind=MoveHandoverItem.Kind.CASE)
    move_handover_mark(item=item, by=leader, decision="closed", note="Withdrawn: he is moving.")
    prepared(move, staff)
    move_complete(move=move, by=CentreStaffFactory(centre=target))
    leave.refresh_from_db()
    assert leave.centre_id == centre.pk
    assert leave.state in LeaveApplication.State.values
