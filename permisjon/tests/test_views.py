"""Views of the leave routine: access, bad input without a 500, query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mottak.models import Role
from mottak.tests.factories import make_resident
from permisjon.models import ContactPerson, LeaveApplication
from permisjon.tests.conftest import interview_held_for

State = LeaveApplication.State


def _form_data(departure, back, contacts=1, born="1980-05-17"):
    data = {
        "leave-departure_at": departure.strftime("%Y-%m-%dT%H:%M"),
        "leave-return_at": back.strftime("%Y-%m-%dT%H:%M"),
        "leave-destination_address": "Storgata 1, 0155 Oslo",
        "leave-destination_municipality": "Oslo",
        "leave-reason": "Besøke tante",
        "contact-TOTAL_FORMS": "2",
        "contact-INITIAL_FORMS": "0",
        "contact-MIN_NUM_FORMS": "0",
        "contact-MAX_NUM_FORMS": "5",
    }
    for i in range(contacts):
        data.update(
            {
                f"contact-{i}-name": "Kari Kontakt",
                f"contact-{i}-address": "Storgata 1",
                f"contact-{i}-date_of_birth": born,
                f"contact-{i}-relation": "Tante",
                f"contact-{i}-phone": "900 00 000",
            }
        )
    return data


def _times(days_ahead=10, length=5):
    departure = timezone.localtime() + timedelta(days=days_ahead)
    return departure, departure + timedelta(days=length)


def test_perm_2_staff_registers_an_application(client, staff, resident):
    client.force_login(staff)
    response = client.post(reverse("permisjon:create", args=[resident.pk]), _form_data(*_times()))
    application = LeaveApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("permisjon:detail", args=[application.pk])
    assert application.contact_persons.count() == 1


def _drop_contact(data):
    for key in [k for k in data if k.startswith("contact-0-")]:
        data.pop(key)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update({"leave-return_at": d["leave-departure_at"]}), "must be after"),
        (_drop_contact, "at least one contact person"),
        (lambda d: d.update({"contact-0-date_of_birth": "2015-01-01"}), "makes them a child"),
        (lambda d: d.update({"leave-departure_at": "not a date"}), None),
        (lambda d: d.update({"contact-0-date_of_birth": "2099-02-30"}), None),
        (lambda d: d.update({"contact-TOTAL_FORMS": "x"}), None),
    ],
)
def test_bad_input_shows_a_message_and_saves_nothing(client, staff, resident, mutate, message):
    client.force_login(staff)
    data = _form_data(*_times())
    mutate(data)
    response = client.post(reverse("permisjon:create", args=[resident.pk]), data)
    assert response.status_code == 200
    form, contacts = response.context["form"], response.context["contacts"]
    assert form.errors or not contacts.is_valid()
    if message:
        assert message in response.content.decode()
    assert LeaveApplication.objects.count() == 0
    assert ContactPerson.objects.count() == 0


def test_bad_input_overlap_is_shown_on_the_form(client, staff, resident):
    client.force_login(staff)
    url = reverse("permisjon:create", args=[resident.pk])
    client.post(url, _form_data(*_times(10, 5)))
    response = client.post(url, _form_data(*_times(12, 5)))
    assert response.status_code == 200
    assert "already has a leave in this period" in response.content.decode()
    assert LeaveApplication.objects.count() == 1


def test_other_centres_staff_get_404(client, user_factory, far_centre, staff, resident):
    client.force_login(staff)
    client.post(reverse("permisjon:create", args=[resident.pk]), _form_data(*_times()))
    application = LeaveApplication.objects.get()
    outsider = user_factory(Role.CENTRE_STAFF, centre=far_centre)
    client.force_login(outsider)
    assert client.get(reverse("permisjon:detail", args=[application.pk])).status_code == 404
    assert client.get(reverse("permisjon:create", args=[resident.pk])).status_code == 404
    assert (
        client.post(
            reverse("permisjon:withdraw", args=[application.pk]), {"reason": "x"}
        ).status_code
        == 404
    )
    assert client.get(reverse("permisjon:detail", args=[999999])).status_code == 404
    assert application.pk not in [
        a.pk for a in client.get(reverse("permisjon:list")).context["applications"]
    ]


def test_regional_caseworker_may_view_but_not_change(client, caseworker, staff, resident):
    client.force_login(staff)
    client.post(reverse("permisjon:create", args=[resident.pk]), _form_data(*_times()))
    application = LeaveApplication.objects.get()
    client.force_login(caseworker)
    assert client.get(reverse("permisjon:detail", args=[application.pk])).status_code == 200
    response = client.post(reverse("permisjon:withdraw", args=[application.pk]), {"reason": "x"})
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_list_and_detail_query_counts_do_not_grow(
    client, staff, centre, django_assert_max_num_queries
):
    client.force_login(staff)
    for i in range(6):
        resident = make_resident(centre)
        client.post(reverse("permisjon:create", args=[resident.pk]), _form_data(*_times(10 + i)))
    application = LeaveApplication.objects.first()
    with django_assert_max_num_queries(12):
        response = client.get(reverse("permisjon:list"))
    assert len(response.context["applications"]) == 6
    with django_assert_max_num_queries(30):
        assert client.get(reverse("permisjon:detail", args=[application.pk])).status_code == 200


def test_perm_4_preparation_through_the_page_with_the_id_copy(client, staff, resident):
    from permisjon.routine import REQUIRED_STEP_CODES
    from permisjon.tests.conftest import id_copy

    client.force_login(staff)
    client.post(reverse("permisjon:create", args=[resident.pk]), _form_data(*_times()))
    application = LeaveApplication.objects.get()
    url = reverse("permisjon:prepare_step", args=[application.pk])
    response = client.post(url, {"step": "d_id_copy", "note": "Pass"}, follow=True)
    assert "Upload the copy" in response.content.decode()
    response = client.post(url, {"step": "nonsense"}, follow=True)
    assert response.status_code == 200
    from permisjon.tests.conftest import ANSWERS

    for code in sorted(REQUIRED_STEP_CODES):
        data = {"step": code, "note": "Ok"}
        answers = ANSWERS.get(code, {})
        data.update({k: v for k, v in answers.items() if k != "reference"})
        data.update({f"ref_{k}": v for k, v in answers.get("reference", {}).items()})
        if code == "d_id_copy":
            data["attachment"] = id_copy()
        assert client.post(url, data).status_code == 302
    application.refresh_from_db()
    assert application.state == State.PREPARED
    page = client.get(reverse("permisjon:detail", args=[application.pk])).content.decode()
    assert reverse("cases:checklist_attachment", args=[1]).rsplit("/", 3)[0] in page


def test_perm_1_region_queue_and_decision_through_the_pages(
    client, staff, caseworker, resident, django_assert_max_num_queries
):
    from permisjon.tests.conftest import prepare

    interview_held_for(resident)
    client.force_login(staff)
    client.post(reverse("permisjon:create", args=[resident.pk]), _form_data(*_times(20, 15)))
    application = prepare(LeaveApplication.objects.get(), staff)
    response = client.post(
        reverse("permisjon:forward", args=[application.pk]), {"channel": "encrypted_email"}
    )
    assert response.status_code == 302
    client.force_login(caseworker)
    with django_assert_max_num_queries(12):
        queue = client.get(reverse("permisjon:region_queue"))
    assert list(queue.context["applications"]) == [application]
    url = reverse("permisjon:decide", args=[application.pk])
    response = client.post(url, {"decision": "refuse", "reason": ""})
    assert response.status_code == 200 and response.context["form"].errors
    application.refresh_from_db()
    assert application.state == State.FORWARDED
    response = client.post(url, {"decision": "grant", "reason": "Godt forberedt"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.GRANTED
    assert client.get(reverse("permisjon:region_queue")).context["applications"].count() == 0


def test_detail_page_query_count_with_documents_and_deadlines(
    client, staff, leader, resident, django_assert_max_num_queries
):
    from permisjon import services
    from permisjon.tests.conftest import prepare

    interview_held_for(resident)
    client.force_login(staff)
    client.post(reverse("permisjon:create", args=[resident.pk]), _form_data(*_times(20, 5)))
    application = prepare(LeaveApplication.objects.get(), staff)
    services.leave_application_grant(application=application, by=leader, reason="Trygt besøk")
    with django_assert_max_num_queries(40):
        page = client.get(reverse("permisjon:detail", args=[application.pk]))
    assert page.status_code == 200
    from cases.models import Dispatch

    agreement = Dispatch.objects.get(template="permisjon_avtale.html")
    assert reverse("cases:dispatch_detail", args=[agreement.pk]) in page.content.decode()


def test_perm_3_regional_office_decides_only_once_forwarded(client, staff, caseworker, resident):
    from permisjon.tests.conftest import prepare

    client.force_login(staff)
    client.post(reverse("permisjon:create", args=[resident.pk]), _form_data(*_times(20, 15)))
    application = prepare(LeaveApplication.objects.get(), staff)
    client.force_login(caseworker)
    assert client.get(reverse("permisjon:decide", args=[application.pk])).status_code == 404
    client.force_login(staff)
    client.post(reverse("permisjon:forward", args=[application.pk]), {"channel": "post"})
    application.refresh_from_db()
    assert application.state == State.PREPARED  # no address for the post: nothing forwarded
    client.post(reverse("permisjon:forward", args=[application.pk]), {"channel": "by_hand"})
    application.refresh_from_db()
    assert application.state == State.FORWARDED
    client.force_login(caseworker)
    assert client.get(reverse("permisjon:decide", args=[application.pk])).status_code == 200
