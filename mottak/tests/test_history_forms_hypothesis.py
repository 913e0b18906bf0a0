"""Bad input to the forms of the asylum case, the representative and a corrected date of birth:
never a 500, never a half-written record, a double submit records once."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from cases.models import CaseEvent
from mottak.models import AsylumStage, AsylumStageChange, RepresentativeRecord, SesamNotice
from mottak.tests.test_forms_hypothesis import SETTINGS, any_date, any_text

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

near = st.dates(
    min_value=date.today() - timedelta(days=40), max_value=date.today() + timedelta(days=3)
)
a_date = st.one_of(near.map(date.isoformat), any_date.map(date.isoformat), any_text, st.just(""))


def _counts(resident):
    resident.refresh_from_db()
    return (
        AsylumStageChange.objects.count(),
        SesamNotice.objects.count(),
        RepresentativeRecord.objects.count(),
        CaseEvent.objects.count(),
        resident.asylum_stage,
        resident.date_of_birth,
        resident.representative_name,
    )


@SETTINGS
@given(
    stage=st.one_of(st.sampled_from(AsylumStage.values), any_text),
    effective=a_date,
    decision=a_date,
)
def test_stage_change_form_never_500_never_half_written(
    client, staff, resident, stage, effective, decision
):
    client.force_login(staff)
    url = reverse("mottak:asylum_stage_change", args=[resident.pk])
    before = _counts(resident)
    data = {"to_stage": stage, "effective_on": effective, "decision_date": decision}
    response = client.post(url, data)
    assert response.status_code in (200, 302)
    after = _counts(resident)
    if response.status_code == 200:
        assert after == before
    else:
        # A change, or the same change again (the examples share one database): one row.
        assert after[0] in (before[0], before[0] + 1) and after[4] == stage
        assert client.post(url, data).status_code in (200, 302)
        assert AsylumStageChange.objects.count() == after[0]  # a double submit records once


@SETTINGS
@given(
    kind=st.one_of(st.sampled_from(["decision", "return_conversation"]), any_text), received=a_date
)
def test_sesam_notice_form_never_500_never_half_written(client, staff, resident, kind, received):
    client.force_login(staff)
    url = reverse("mottak:sesam_notice_new", args=[resident.pk])
    before = _counts(resident)
    data = {"kind": kind, "received_on": received}
    response = client.post(url, data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert _counts(resident) == before
    else:
        count = SesamNotice.objects.count()
        client.post(url, data)
        assert SesamNotice.objects.count() == count


@SETTINGS
@given(
    status=st.one_of(
        st.sampled_from(["not_appointed", "temporary", "appointed", "changed", "ended"]), any_text
    ),
    name=st.one_of(st.just(""), st.just("Rolf Representant"), any_text),
    appointed_by=st.one_of(st.just(""), st.just("Statsforvalteren i Innlandet")),
    effective=a_date,
)
def test_representative_form_never_500_never_half_written(
    client, staff, resident, status, name, appointed_by, effective
):
    client.force_login(staff)
    url = reverse("mottak:representative_new", args=[resident.pk])
    before = _counts(resident)
    response = client.post(
        url,
        {"status": status, "name": name, "appointed_by": appointed_by, "effective_on": effective},
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert _counts(resident) == before
    else:
        assert RepresentativeRecord.objects.count() in (before[2], before[2] + 1)


@SETTINGS
@given(born=a_date, reason=st.one_of(st.just(""), st.just("Age assessment"), any_text))
def test_date_of_birth_form_never_500_never_half_written(client, staff, resident, born, reason):
    client.force_login(staff)
    url = reverse("mottak:date_of_birth_correct", args=[resident.pk])
    before = _counts(resident)
    response = client.post(url, {"date_of_birth": born, "reason": reason})
    assert response.status_code in (200, 302)
    after = _counts(resident)
    if response.status_code == 200:
        assert after == before
    else:
        first = timezone.localtime(resident.stays.order_by("started_at").first().started_at)
        assert after[5] <= first.date()
