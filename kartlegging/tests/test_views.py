"""The mapping pages: the access matrix (role × scope), bad input, query counts."""

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kartlegging import services
from kartlegging.models import Conversation, Entry, Measure
from kartlegging.tests.conftest import open_mapping, talk
from mottak.models import Role
from mottak.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(user_factory, centre, far_centre, region, lead, key_worker, staff, leader):
    return {
        "lead": lead,
        "key_worker": key_worker,
        "staff": staff,
        "leader": leader,
        "other_centre_lead": user_factory(Role.CHILD_WELFARE_LEAD, centre=far_centre),
        "region": user_factory(Role.REGION_CASEWORKER, region=region),
        "asa": user_factory(Role.ASA_CASEWORKER),
        "rma": user_factory(Role.RMA),
        "admin": user_factory(Role.ADMIN),
    }


# role → (mapping page, plan page, reading page, may write an entry)
MATRIX = {
    "lead": (200, 200, 200, True),
    "key_worker": (200, 200, 200, True),
    "staff": (200, 200, 200, False),
    "leader": (200, 200, 200, False),
    "other_centre_lead": (404, 404, 404, False),
    "region": (404, 404, 404, False),
    "asa": (404, 404, 404, False),
    "rma": (404, 404, 404, False),
    "admin": (200, 200, 200, True),
}


def entry_post(**extra):
    data = {
        "area": "family",
        "source": "minor",
        "text": "Mor bor i Asmara.",
        "recorded_on": timezone.localdate().isoformat(),
        "submission_key": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_kart_1_x_3_access_matrix_for_the_mapping_the_plan_and_writing(
    client, people, assigned, who
):
    mapping = assigned
    if who == "asa":  # ASA sees residents in a return stage: still not their mapping
        mapping.resident.asylum_stage = "final_rejection"
        mapping.resident.save()
    page, plan, reading, writes = MATRIX[who]
    client.force_login(people[who])
    assert client.get(reverse("kartlegging:detail", args=[mapping.pk])).status_code == page
    assert client.get(reverse("kartlegging:plan", args=[mapping.pk])).status_code == plan
    assert client.get(reverse("kartlegging:reading", args=[mapping.pk])).status_code == reading
    response = client.post(reverse("kartlegging:entry", args=[mapping.pk]), entry_post())
    assert Entry.objects.count() == (1 if writes else 0)
    assert response.status_code == (302 if writes else 404)


def test_kart_1_the_resident_page_links_to_the_mapping(client, staff, mapping):
    client.force_login(staff)
    page = client.get(mapping.resident.get_absolute_url())
    url = reverse("kartlegging:resident", args=[mapping.resident_id])
    assert url in page.content.decode()
    assert client.get(url)["Location"] == reverse("kartlegging:detail", args=[mapping.pk])


def test_kart_4_a_resident_without_a_mapping_gets_one_from_the_page(client, staff, resident):
    client.force_login(staff)
    url = reverse("kartlegging:resident", args=[resident.pk])
    assert "Open the mapping now" in client.get(url).content.decode()
    response = client.post(reverse("kartlegging:resident_open", args=[resident.pk]))
    assert response.status_code == 302
    assert resident.mapping.centre == resident.centre


def test_kart_1_bad_input_health_details_are_refused_with_a_message(client, lead, assigned):
    client.force_login(lead)
    response = client.post(
        reverse("kartlegging:entry", args=[assigned.pk]),
        entry_post(area="health", text="Diagnose"),
        follow=True,
    )
    assert "Health details are not written in the mapping" in response.content.decode()
    assert not Entry.objects.exists()


def test_kart_6_bad_input_interpreter_without_language(client, lead, assigned):
    client.force_login(lead)
    response = client.post(
        reverse("kartlegging:conversation", args=[assigned.pk]),
        {
            "kind": "mapping",
            "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "interpreter_used": "yes",
            "interpreter_language": "",
            "interpreter_mode": "phone",
            "submission_key": str(uuid.uuid4()),
        },
        follow=True,
    )
    assert "Give the interpreter&#x27;s language." in response.content.decode()
    assert not Conversation.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"area": "x" * 500, "source": "?", "text": "", "recorded_on": "31.02.2026"},
        {"area": "family", "source": "minor", "text": "t", "recorded_on": "9999-01-01"},
        {"conversation": "not-a-number", **entry_post()},
    ],
)
def test_kart_1_bad_input_never_a_500_nor_a_partial_write(client, lead, assigned, data):
    client.force_login(lead)
    response = client.post(reverse("kartlegging:entry", args=[assigned.pk]), data)
    assert response.status_code == 302
    assert not Entry.objects.exists()


def test_r_7_staff_record_the_welcome_conversation_on_the_page(client, staff, mapping):
    client.force_login(staff)
    response = client.post(
        reverse("kartlegging:welcome", args=[mapping.pk]),
        {
            "kind": "welcome",
            "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "interpreter_used": "yes",
            "interpreter_language": "Dari",
            "interpreter_mode": "in_person",
            "submission_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    mapping.refresh_from_db()
    assert mapping.welcome_held_at is not None


def test_kart_7_a_measure_is_added_and_decided_after_a_move_on_the_plan_page(
    client, key_worker, assigned
):
    client.force_login(key_worker)
    entry = services.entry_add(
        mapping=assigned,
        area="school",
        source="minor",
        text="Vil lære norsk.",
        recorded_on=timezone.localdate(),
        by=key_worker,
    )
    client.post(
        reverse("kartlegging:measure_add", args=[assigned.pk]),
        {
            "area": "school",
            "need_entry": entry.pk,
            "goal": "Begynne på skole",
            "actions": "Søknad sendt",
            "responsible": "Særkontakt",
            "submission_key": str(uuid.uuid4()),
        },
    )
    measure = Measure.objects.get()
    assert measure.need_entry == entry
    Measure.objects.filter(pk=measure.pk).update(awaiting_move_decision=True)
    page = client.get(reverse("kartlegging:plan", args=[assigned.pk])).content.decode()
    assert 'id="move-decisions"' in page
    client.post(
        reverse("kartlegging:measure_decide", args=[assigned.pk, measure.pk]),
        {"decision": "continue", "minor_view": "Vil fortsette på skolen"},
    )
    measure.refresh_from_db()
    assert (measure.move_decision, measure.minor_view) == ("continue", "Vil fortsette på skolen")


def test_kart_5_the_reading_page_hides_entries_when_withheld(client, lead, assigned):
    services.entry_add(
        mapping=assigned,
        area="family",
        source="staff",
        text="Synlig tekst",
        recorded_on=timezone.localdate(),
        by=lead,
    )
    client.force_login(lead)
    url = reverse("kartlegging:reading", args=[assigned.pk])
    assert "Synlig tekst" in client.get(url).content.decode()
    services.mapping_set_reading(mapping=assigned, withhold=True, reason="Særskilt grunn", by=lead)
    page = client.get(url).content.decode()
    assert "Synlig tekst" not in page and "Særskilt grunn" in page


def _residents_with_mappings(centre, count):
    for _ in range(count):
        open_mapping(ResidentFactory(centre=centre))


def test_kart_3_overview_lists_what_is_due_in_a_fixed_number_of_queries(
    client, lead, centre, django_assert_num_queries
):
    client.force_login(lead)
    url = reverse("kartlegging:overview")
    _residents_with_mappings(centre, 1)
    client.get(url)  # warm the caches (content types, the session)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _residents_with_mappings(centre, 5)
    with django_assert_num_queries(len(one)):
        response = client.get(url)
    page = response.content.decode()
    # Six welcome conversations due, six ordinary mappings not started.
    assert len(re.findall(r'href="/kartlegging/\d+/"', page)) == 12


def test_kart_3_overview_is_the_lead_s_and_not_plain_staff(client, staff, people):
    client.force_login(staff)
    assert client.get(reverse("kartlegging:overview")).status_code == 404
    client.force_login(people["region"])
    assert client.get(reverse("kartlegging:overview")).status_code == 404


def test_kart_1_the_mapping_page_shows_forms_by_role(client, staff, lead, assigned, key_worker):
    url = reverse("kartlegging:detail", args=[assigned.pk])
    client.force_login(staff)
    page = client.get(url).content.decode()
    assert reverse("kartlegging:welcome", args=[assigned.pk]) in page
    assert reverse("kartlegging:entry", args=[assigned.pk]) not in page
    client.force_login(lead)
    page = client.get(url).content.decode()
    assert reverse("kartlegging:key_worker", args=[assigned.pk]) in page
    assert reverse("kartlegging:entry", args=[assigned.pk]) in page
    talk(assigned, key_worker)
    client.force_login(key_worker)
    page = client.get(url).content.decode()
    assert reverse("kartlegging:entry", args=[assigned.pk]) in page
    assert reverse("kartlegging:key_worker", args=[assigned.pk]) not in page


def test_r_7_kart_3_the_start_pages_show_what_is_due(client, staff, lead, mapping):
    client.force_login(staff)
    page = client.get(reverse("home")).content.decode()
    assert "Welcome conversation not yet held" in page
    assert reverse("kartlegging:detail", args=[mapping.pk]) in page
    assert "Ordinary mapping not started" not in page  # the lead's list, not every worker's
    client.force_login(lead)
    page = client.get(reverse("home")).content.decode()
    assert "Ordinary mapping not started" in page
    talk_welcome = services.conversation_record(
        mapping=mapping,
        kind="welcome",
        held_at=timezone.now(),
        interpreter_used=False,
        by=staff,
    )
    assert talk_welcome.kind == "welcome"
    client.force_login(staff)
    page = client.get(reverse("home")).content.decode()
    assert reverse("kartlegging:detail", args=[mapping.pk]) not in page


TRANSFER_URLS = ("transfer", "transfer_other", "recipient_assess", "copies")


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_kart_14_x_3_access_matrix_for_transfers(client, people, assigned, who):
    """The paper copies and the leader's assessment: whoever may not see the mapping gets
    404 on every transfer action and nothing is made; whoever may is never answered 404 or
    500 (a refusal says why)."""
    from cases.models import Dispatch
    from kartlegging.models import RecipientAssessment

    if who == "asa":
        assigned.resident.asylum_stage = "final_rejection"
        assigned.resident.save()
    client.force_login(people[who])
    sees = MATRIX[who][0] == 200
    for name in TRANSFER_URLS:
        response = client.post(reverse(f"kartlegging:{name}", args=[assigned.pk]), {})
        if sees:
            assert response.status_code not in (404, 500), (name, response.status_code)
        else:
            assert response.status_code == 404, name
    assert not Dispatch.objects.exists()
    assert not RecipientAssessment.objects.exists()
