"""The split asylum stages across apps: every final rejection counts for the leave routine
(PERM-10), and a correction on the record form is a change of stage with history."""

import pytest
from django.urls import reverse
from django.utils import timezone

from mottak.models import AsylumStage, AsylumStageChange
from permisjon import rules as leave_rules
from tests.test_resident_hub import _post_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("stage", ["final_rejection", "final_rejection_une"])
def test_perm_10_every_final_rejection_goes_to_the_region_and_needs_pu(stage):
    decider, reasons = leave_rules.perm_1_decider(
        centre_kind="ordinary_minors", asylum_stage=stage, length_days=3
    )
    assert decider == leave_rules.REGION
    assert "final_rejection" in {r.code for r in reasons}
    assert stage in leave_rules.STAGES_NEEDING_PU
    assert leave_rules.perm_10_pu_clash_block(asylum_stage=stage, pu_view=leave_rules.PU_CLASHES)


def test_perm_10_an_appeal_pending_at_une_is_not_final():
    assert not leave_rules.perm_10_pu_clash_block(
        asylum_stage="appealed", pu_view=leave_rules.PU_CLASHES
    )


def test_record_form_correction_goes_through_the_stage_history(client, staff, resident):
    client.force_login(staff)
    url = reverse("mottak:resident_edit", args=[resident.pk])
    client.post(url, _post_data(resident, asylum_stage=AsylumStage.DUBLIN))
    change = AsylumStageChange.objects.get()
    assert (change.to_stage, change.effective_on, change.recorded_by) == (
        "dublin",
        timezone.localdate(),
        staff,
    )
