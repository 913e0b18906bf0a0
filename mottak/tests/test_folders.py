"""MOT-2: the personal folder (standard contents as data; no personal documents or health
information) and the private folder (only at the resident's request, narrower access, every
opening read-logged), and both folders' hand-overs on a move and on leaving."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import ReadLog
from mottak import rules_folders as rules
from mottak import services
from mottak.models import Folder, FolderHandOver, FolderItem, Role, StandardContent
from mottak.tests.factories import UserFactory, make_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(centre):
    return UserFactory(role=Role.CHILD_WELFARE_LEAD, centre=centre)


def private_folder(resident, by):
    return services.private_folder_open(
        resident=resident,
        requested_at=timezone.now() - timedelta(hours=1),
        asked_by_resident=True,
        by=by,
    )


# --- rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize("category", sorted(rules.PERSONAL_FOLDER_REFUSED))
def test_mot_2_personal_documents_and_health_information_refused_in_the_personal_folder(category):
    assert rules.personal_folder_problems(category=category, description="") == ["refused_category"]


@pytest.mark.parametrize("words", ["Resept fra legevakten", "Kopi av pass", "Helseopplysninger"])
def test_mot_2_a_description_with_health_or_id_words_is_refused_too(words):
    assert rules.personal_folder_problems(category="other", description=words) == ["refused_words"]


def test_mot_2_ordinary_papers_may_go_in_the_personal_folder():
    assert rules.personal_folder_problems(category="receipt", description="Sengetøy") == []


def test_mot_2_private_folder_opened_by_lead_leader_and_key_workers_only():
    assert rules.may_open_private_folder(role="child_welfare_lead", is_key_worker=False)
    assert rules.may_open_private_folder(role="centre_leader", is_key_worker=False)
    assert rules.may_open_private_folder(role="centre_staff", is_key_worker=True)
    assert not rules.may_open_private_folder(role="centre_staff", is_key_worker=False)
    assert not rules.may_open_private_folder(role="admin", is_key_worker=False)


# --- services --------------------------------------------------------------------------------


def test_mot_2_standard_contents_are_data_with_the_printouts_for_a_move():
    codes = set(StandardContent.objects.values_list("code", flat=True))
    assert {"house_rules", "clothes_and_bedding", "mapping_printout"} <= codes
    assert set(
        StandardContent.objects.filter(on_move_only=True).values_list("code", flat=True)
    ) == {"mapping_printout", "action_plan_printout"}


def test_mot_2_the_personal_folder_refuses_a_health_paper_with_a_clear_message(staff, resident):
    folder = services.personal_folder_open(resident=resident, by=staff)
    assert services.personal_folder_open(resident=resident, by=staff) == folder
    with pytest.raises(ValidationError, match="never kept in the personal folder"):
        services.folder_item_add(folder=folder, category="prescription", by=staff)
    assert not FolderItem.objects.exists()
    standard = StandardContent.objects.get(code="house_rules")
    item = services.folder_item_add(folder=folder, category="", standard=standard, by=staff)
    assert item.category == "agreement"


def test_mot_2_a_private_folder_only_at_the_residents_request(lead, resident):
    with pytest.raises(ValidationError, match="only when the resident asks"):
        services.private_folder_open(
            resident=resident, requested_at=timezone.now(), asked_by_resident=False, by=lead
        )
    folder = private_folder(resident, lead)
    assert folder.requested_at is not None
    item = services.folder_item_add(
        folder=folder, category="prescription", description="Resept", by=lead
    )
    services.folder_item_hand_back(item=item, by=lead)
    services.folder_item_hand_back(item=item, by=lead)  # twice: once
    item.refresh_from_db()
    assert item.handed_back_at is not None


def test_mot_2_plain_staff_cannot_open_or_fill_the_private_folder(staff, lead, resident):
    with pytest.raises(ValidationError):
        private_folder(resident, staff)
    folder = private_folder(resident, lead)
    with pytest.raises(ValidationError):
        services.folder_item_add(folder=folder, category="udi_letter", by=staff)


def test_mot_2_a_named_key_worker_may_open_the_private_folder(staff, lead, resident, far_centre):
    assert not services.may_open_private_folder(user=staff, resident=resident)
    with pytest.raises(ValidationError):
        services.key_worker_assign(resident=resident, user=staff, by=staff)
    outsider = UserFactory(role=Role.CENTRE_STAFF, centre=far_centre)
    with pytest.raises(ValidationError, match="work at the resident's centre"):
        services.key_worker_assign(resident=resident, user=outsider, by=lead)
    assignment = services.key_worker_assign(resident=resident, user=staff, by=lead)
    assert services.key_worker_assign(resident=resident, user=staff, by=lead) == assignment
    assert services.may_open_private_folder(user=staff, resident=resident)
    services.key_worker_end(assignment=assignment, by=lead)
    assert not services.may_open_private_folder(user=staff, resident=resident)


def test_mot_2_both_folders_handed_over_on_a_move_and_back_on_leaving(
    staff, lead, resident, centre, neighbour_centre
):
    personal = services.personal_folder_open(resident=resident, by=staff)
    private = private_folder(resident, lead)
    services.folder_item_add(folder=private, category="udi_letter", by=lead)
    moved = services.personal_folder_hand_over(
        resident=resident, to_centre=neighbour_centre, by=staff
    )
    assert {h.folder for h in moved} == {personal, private}
    assert all(h.from_centre == centre and h.to_centre == neighbour_centre for h in moved)
    again = services.personal_folder_hand_over(
        resident=resident, to_centre=neighbour_centre, by=staff
    )
    assert again == []
    back = services.folders_hand_back(resident=resident, by=staff)
    assert {h.kind for h in back} == {FolderHandOver.Kind.TO_RESIDENT}
    assert not Folder.objects.filter(closed_at__isnull=True).exists()
    assert not FolderItem.objects.filter(handed_back_at__isnull=True).exists()
    assert services.folders_hand_back(resident=resident, by=staff) == []


# --- pages -----------------------------------------------------------------------------------


def test_mot_2_personal_folder_page_refuses_a_health_paper_nothing_saved(client, staff, resident):
    client.force_login(staff)
    client.post(reverse("mottak:personal_folder_open", args=[resident.pk]))
    url = reverse("mottak:personal_folder_item_new", args=[resident.pk])
    response = client.post(url, {"category": "health", "description": "Legeerklæring"})
    assert response.status_code == 200
    assert "never kept in the personal folder" in response.content.decode()
    assert not FolderItem.objects.exists()
    assert client.post(url, {"category": "receipt", "description": "Sengetøy"}).status_code == 302
    assert FolderItem.objects.count() == 1


def test_mot_2_private_folder_refused_to_plain_staff_and_not_logged(client, staff, resident):
    client.force_login(staff)
    assert client.get(reverse("mottak:private_folder", args=[resident.pk])).status_code == 404
    page = client.get(reverse("mottak:personal_folder", args=[resident.pk])).content.decode()
    assert reverse("mottak:private_folder", args=[resident.pk]) not in page
    assert not ReadLog.objects.exists()


def test_mot_2_every_opening_of_the_private_folder_is_read_logged(client, lead, resident):
    client.force_login(lead)
    url = reverse("mottak:private_folder", args=[resident.pk])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    logs = ReadLog.objects.filter(user=lead, object_id=resident.pk, detail="private folder")
    assert logs.count() == 2


def test_mot_2_private_folder_request_through_the_page(client, lead, resident):
    client.force_login(lead)
    url = reverse("mottak:private_folder_open", args=[resident.pk])
    when = f"{timezone.localtime() - timedelta(hours=1):%Y-%m-%dT%H:%M}"
    refused = client.post(url, {"requested_at": when})
    assert "opened only at the resident" in refused.content.decode()
    assert not Folder.objects.exists()
    assert client.post(url, {"requested_at": when, "asked_by_resident": "on"}).status_code == 302
    assert client.post(url, {"requested_at": when, "asked_by_resident": "on"}).status_code == 302
    assert Folder.objects.filter(kind="private").count() == 1


def test_mot_2_folders_of_another_centres_resident_answer_404(client, lead, far_centre):
    theirs = make_resident(far_centre)
    client.force_login(lead)
    for name in ("personal_folder", "private_folder"):
        assert client.get(reverse(f"mottak:{name}", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("mottak:personal_folder_open", args=[theirs.pk])).status_code == 404
    assert not Folder.objects.exists()


def test_mot_2_folder_pages_cost_the_same_queries_whatever_the_contents(client, lead, resident):
    personal = services.personal_folder_open(resident=resident, by=lead)
    private = private_folder(resident, lead)
    services.key_worker_assign(resident=resident, user=lead, by=lead)
    client.force_login(lead)

    def count(name):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(f"mottak:{name}", args=[resident.pk])).status_code == 200
        return len(queries)

    few = (count("personal_folder"), count("private_folder"))
    for i in range(20):
        services.folder_item_add(folder=personal, category="receipt", description=f"K{i}", by=lead)
        services.folder_item_add(folder=private, category="udi_letter", by=lead)
    assert (count("personal_folder"), count("private_folder")) == few
