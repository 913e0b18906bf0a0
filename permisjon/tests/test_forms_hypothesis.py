"""Bad input: whatever is typed into the application form, no 500 and no half-saved application."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from permisjon.models import ContactPerson, LeaveApplication

texts = st.text(max_size=30)
moments = st.one_of(
    texts,
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
    st.integers(-30, 60).map(
        lambda n: (timezone.localtime() + timedelta(days=n)).strftime("%Y-%m-%dT%H:%M")
    ),
)
days = st.one_of(texts, st.dates().map(lambda d: d.isoformat()))


@pytest.mark.slow
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    departure=moments,
    back=moments,
    born=days,
    name=texts,
    total=st.sampled_from(["0", "1", "2", "x", "-1", "1000"]),
    abroad=st.sampled_from(["", "on", "garbage"]),
)
def test_bad_input_application_form_never_500s_nor_saves_half(
    client, staff, resident, departure, back, born, name, total, abroad
):
    client.force_login(staff)
    before = (LeaveApplication.objects.count(), ContactPerson.objects.count())
    data = {
        "leave-departure_at": departure,
        "leave-return_at": back,
        "leave-destination_address": "Storgata 1",
        "leave-destination_municipality": "Oslo",
        "leave-reason": "Besøk",
        "leave-abroad": abroad,
        "contact-TOTAL_FORMS": total,
        "contact-INITIAL_FORMS": "0",
        "contact-0-name": name,
        "contact-0-address": "Storgata 1",
        "contact-0-date_of_birth": born,
        "contact-0-relation": "Tante",
        "contact-0-phone": "900",
    }
    response = client.post(reverse("permisjon:create", args=[resident.pk]), data)
    assert response.status_code in (200, 302)
    after = (LeaveApplication.objects.count(), ContactPerson.objects.count())
    if response.status_code == 200:
        assert after == before
    else:
        created = LeaveApplication.objects.order_by("-pk").first()
        assert after[0] == before[0] + 1
        assert created.contact_persons.count() >= 1
        assert created.return_at > created.departure_at
