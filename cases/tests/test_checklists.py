"""Checklists: the declarative definition, recording steps once, undo with a reason, pages."""

import threading
import time
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from cases import checklists
from cases.checklists import ChecklistDefinition, Step
from cases.models import ChecklistStepCompletion, ReadLog, TimelineEvent
from cases.services import (
    checklist_is_complete,
    checklist_status,
    checklist_step_complete,
    checklist_step_undo,
    open_required_steps,
)
from mottak.models import Role

from . import upload_samples
from .upload_samples import PDF, SVG, files_under, upload

media_root = upload_samples.media_root

MOVING_OUT = ChecklistDefinition(
    name="test_moving_out",
    label="Moving out (test)",
    steps=(
        Step("tell_representative", "Told the representative", "MOT-3", manual=True),
        Step("sesam", "Recorded in Sesam", "MOT-3", manual=True),
        Step("offer_copies", "Offered own copies", "KART-11", required=False, manual=True),
    ),
)


@pytest.fixture
def moving_out():
    checklists.register(MOVING_OUT)
    yield MOVING_OUT
    checklists.unregister(MOVING_OUT.name)


@pytest.fixture
def stay(resident):
    return resident.stays.get()


def ct_of(obj) -> int:
    return ContentType.objects.get_for_model(obj).pk


def complete_url(owner, step_code: str) -> str:
    return reverse(
        "cases:checklist_step_complete", args=[ct_of(owner), owner.pk, MOVING_OUT.name, step_code]
    )


# --- Definitions ------------------------------------------------------------------------


def test_definition_refuses_duplicate_or_malformed_codes():
    with pytest.raises(ValueError):
        ChecklistDefinition(name="x", label="x", steps=(Step("a", "A"), Step("a", "A again")))
    with pytest.raises(ValueError):
        ChecklistDefinition(name="x", label="x", steps=(Step("Has Spaces", "A"),))
    with pytest.raises(ValueError):
        ChecklistDefinition(name="Not A Code", label="x", steps=(Step("a", "A"),))
    with pytest.raises(ValueError):
        ChecklistDefinition(name="x", label="x", steps=())


def test_registry_gets_what_was_registered_and_refuses_a_clash(moving_out):
    assert checklists.get("test_moving_out") is moving_out
    assert checklists.register(moving_out) is moving_out  # again: harmless
    clash = ChecklistDefinition(name="test_moving_out", label="Other", steps=(Step("a", "A"),))
    with pytest.raises(ValueError):
        checklists.register(clash)
    with pytest.raises(checklists.UnknownChecklist):
        checklists.get("no_such_checklist")
    assert [s.code for s in moving_out.required_steps] == ["tell_representative", "sesam"]


# --- Services ---------------------------------------------------------------------------


def test_completing_a_step_records_it_and_a_timeline_event_on_the_resident(
    moving_out, stay, resident, staff
):
    completion = checklist_step_complete(
        owner=stay, checklist="test_moving_out", step_code="sesam", by=staff, note="Done at 10"
    )
    assert (completion.owner, completion.done_by, completion.note) == (stay, staff, "Done at 10")
    status = checklist_status(stay, "test_moving_out")
    assert [(s.step.code, s.done) for s in status] == [
        ("tell_representative", False),
        ("sesam", True),
        ("offer_copies", False),
    ]
    assert [s.code for s in open_required_steps(stay, moving_out)] == ["tell_representative"]
    event = TimelineEvent.objects.get(kind="checklist_step_done")
    assert (event.subject, event.rule_id, event.actor) == (resident, "MOT-3", staff)
    assert completion.history.count() == 1


def test_checklist_is_complete_when_every_required_step_is_done(moving_out, resident, staff):
    for code in ("tell_representative", "sesam"):
        assert not checklist_is_complete(resident, moving_out)
        checklist_step_complete(owner=resident, checklist=moving_out, step_code=code, by=staff)
    assert checklist_is_complete(resident, moving_out)  # the optional step may stay open


def test_checklist_double_completion_gives_one_row(moving_out, resident, staff, leader):
    checklist_step_complete(owner=resident, checklist=moving_out, step_code="sesam", by=staff)
    with pytest.raises(ValidationError) as error:
        checklist_step_complete(owner=resident, checklist=moving_out, step_code="sesam", by=leader)
    assert "already been recorded as done" in error.value.messages[0]
    assert ChecklistStepCompletion.objects.count() == 1
    assert TimelineEvent.objects.count() == 1


def test_the_same_step_for_another_owner_is_separate(moving_out, resident, stay, staff):
    checklist_step_complete(owner=resident, checklist=moving_out, step_code="sesam", by=staff)
    checklist_step_complete(owner=stay, checklist=moving_out, step_code="sesam", by=staff)
    assert ChecklistStepCompletion.objects.count() == 2


@pytest.mark.parametrize(
    ("checklist", "step_code", "at", "message"),
    [
        ("test_moving_out", "no_such_step", None, "no such step"),
        ("no_such_checklist", "sesam", None, "does not exist"),
        ("test_moving_out", "sesam", lambda: timezone.now() + timedelta(hours=1), "future"),
    ],
)
def test_bad_completion_is_refused_and_nothing_is_saved(
    moving_out, resident, staff, checklist, step_code, at, message
):
    with pytest.raises(ValidationError) as error:
        checklist_step_complete(
            owner=resident,
            checklist=checklist,
            step_code=step_code,
            by=staff,
            at=at() if at else None,
        )
    assert message in error.value.messages[0]
    assert not ChecklistStepCompletion.objects.exists()
    assert not TimelineEvent.objects.exists()


def test_attachment_is_kept_under_a_random_name(moving_out, resident, staff, media_root):
    completion = checklist_step_complete(
        owner=resident,
        checklist=moving_out,
        step_code="sesam",
        by=staff,
        attachment=upload(PDF, name="Testa Testesen sesam.pdf"),
    )
    assert completion.attachment.name.startswith("checklists/")
    assert "Testa" not in completion.attachment.name
    assert completion.attachment_mime == "application/pdf"
    assert len(files_under(media_root)) == 1


def test_bad_attachment_is_refused_and_nothing_is_saved(moving_out, resident, staff, media_root):
    with pytest.raises(ValidationError):
        checklist_step_complete(
            owner=resident,
            checklist=moving_out,
            step_code="sesam",
            by=staff,
            attachment=upload(SVG, name="x.png", content_type="image/png"),
        )
    assert not ChecklistStepCompletion.objects.exists()
    assert files_under(media_root) == []


def test_second_completion_with_an_attachment_leaves_no_file(
    moving_out, resident, staff, media_root
):
    checklist_step_complete(owner=resident, checklist=moving_out, step_code="sesam", by=staff)
    with pytest.raises(ValidationError):
        checklist_step_complete(
            owner=resident,
            checklist=moving_out,
            step_code="sesam",
            by=staff,
            attachment=upload(PDF),
        )
    assert files_under(media_root) == []


def test_undo_needs_a_reason_keeps_the_row_and_opens_the_step(moving_out, resident, staff, leader):
    completion = checklist_step_complete(
        owner=resident, checklist=moving_out, step_code="sesam", by=staff
    )
    with pytest.raises(ValidationError):
        checklist_step_undo(completion=completion, by=leader, reason="  ")
    undone = checklist_step_undo(completion=completion, by=leader, reason="Wrong resident")
    assert (undone.undone_by, undone.undo_reason) == (leader, "Wrong resident")
    with pytest.raises(ValidationError):
        checklist_step_undo(completion=completion, by=leader, reason="Again")
    assert [s.code for s in open_required_steps(resident, moving_out)] == [
        "tell_representative",
        "sesam",
    ]
    checklist_step_complete(owner=resident, checklist=moving_out, step_code="sesam", by=staff)
    assert ChecklistStepCompletion.objects.count() == 2
    assert undone.history.count() == 2
    assert TimelineEvent.objects.filter(kind="checklist_step_undone").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_gives_one_row(moving_out, centre, user_factory, media_root):
    """The first submit's transaction is still open when the second checks and inserts: the
    second cannot see the row, waits on the unique index, and is refused when the first commits."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    from mottak.tests.factories import ResidentFactory

    resident = ResidentFactory(centre=centre)
    user = user_factory(Role.CENTRE_STAFF, centre=centre)
    first_inserted = threading.Event()
    outcomes = {}

    def submit(key, hold_open: bool):
        from django.db import connection as thread_connection

        try:
            with translation.override("en"), transaction.atomic():  # language is per thread
                checklist_step_complete(
                    owner=resident,
                    checklist=moving_out,
                    step_code="sesam",
                    by=user,
                    attachment=upload(PDF + key.encode()),
                )
                if hold_open:
                    first_inserted.set()
                    time.sleep(0.5)  # the second submit now blocks on the unique index
            outcomes[key] = "done"
        except ValidationError as error:
            outcomes[key] = error.messages[0]
        finally:
            first_inserted.set()
            thread_connection.close()

    first = threading.Thread(target=submit, args=("first", True))
    first.start()
    first_inserted.wait(timeout=10)
    second = threading.Thread(target=submit, args=("second", False))
    second.start()
    first.join()
    second.join()
    assert outcomes == {
        "first": "done",
        "second": "This step has already been recorded as done.",
    }
    assert ChecklistStepCompletion.objects.count() == 1
    assert TimelineEvent.objects.filter(kind="checklist_step_done").count() == 1
    assert len(files_under(media_root)) == 1  # the loser's attachment was removed


# --- Views ------------------------------------------------------------------------------


def test_page_shows_done_and_left_with_bounded_queries(
    client, moving_out, resident, staff, django_assert_max_num_queries
):
    checklist_step_complete(owner=resident, checklist=moving_out, step_code="sesam", by=staff)
    client.force_login(staff)
    url = reverse("cases:checklist", args=[ct_of(resident), resident.pk, moving_out.name])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Recorded in Sesam" in body and "Told the representative" in body
    assert complete_url(resident, "tell_representative") in body
    assert complete_url(resident, "sesam") not in body


def test_double_post_of_a_step_gives_one_row_and_a_message(
    client, moving_out, resident, staff, media_root
):
    client.force_login(staff)
    url = complete_url(resident, "sesam")
    first = client.post(url, {"note": "Registered", "attachment": upload(PDF)})
    assert first.status_code == 302
    second = client.post(url, {"note": "Registered", "attachment": upload(PDF)})
    assert second.status_code == 200
    assert "already been recorded as done" in second.content.decode()
    assert ChecklistStepCompletion.objects.count() == 1
    assert len(files_under(media_root)) == 1


def test_bad_attachment_in_the_form_gives_a_message(
    client, moving_out, resident, staff, media_root
):
    client.force_login(staff)
    response = client.post(complete_url(resident, "sesam"), {"attachment": upload(b"text")})
    assert response.status_code == 200
    assert "Only PDF, PNG or JPEG" in response.content.decode()
    assert not ChecklistStepCompletion.objects.exists()
    assert files_under(media_root) == []


def test_complete_is_post_only_and_unknown_checklist_is_404(client, moving_out, resident, staff):
    client.force_login(staff)
    assert client.get(complete_url(resident, "sesam")).status_code == 405
    url = reverse(
        "cases:checklist_step_complete", args=[ct_of(resident), resident.pk, "nothing", "sesam"]
    )
    assert client.post(url).status_code == 404


def test_another_centres_staff_cannot_see_or_complete(
    client, moving_out, resident, user_factory, far_centre
):
    client.force_login(user_factory(Role.CENTRE_STAFF, centre=far_centre))
    page = reverse("cases:checklist", args=[ct_of(resident), resident.pk, moving_out.name])
    assert client.get(page).status_code == 404
    assert client.post(complete_url(resident, "sesam")).status_code == 404
    assert not ChecklistStepCompletion.objects.exists()


def test_attachment_download_is_access_checked_and_read_logged(
    client, moving_out, resident, staff, user_factory, far_centre, media_root
):
    completion = checklist_step_complete(
        owner=resident,
        checklist=moving_out,
        step_code="sesam",
        by=staff,
        attachment=upload(PDF),
    )
    url = reverse("cases:checklist_attachment", args=[completion.pk])
    client.force_login(user_factory(Role.CENTRE_STAFF, centre=far_centre))
    forbidden = client.get(url)
    missing = client.get(reverse("cases:checklist_attachment", args=[completion.pk + 1000]))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
    assert not ReadLog.objects.exists()
    client.force_login(staff)
    response = client.get(url)
    assert b"".join(response.streaming_content) == PDF
    assert ReadLog.objects.get().action == "download"


def test_undo_through_the_page(client, moving_out, resident, staff, leader):
    completion = checklist_step_complete(
        owner=resident, checklist=moving_out, step_code="sesam", by=staff
    )
    client.force_login(leader)
    url = reverse("cases:checklist_step_undo", args=[completion.pk])
    client.post(url, {"reason": ""})
    completion.refresh_from_db()
    assert completion.undone_at is None
    assert client.post(url, {"reason": "Recorded on the wrong case"}).status_code == 302
    completion.refresh_from_db()
    assert completion.undone_by == leader


def test_a_routine_step_cannot_be_ticked_off_or_undone_by_hand(resident, staff):
    """A step the routine records by doing the work keeps its deadline in step."""
    definition = ChecklistDefinition(
        name="test_routine_only",
        label="Routine only",
        steps=(Step("police", "Police report", "SAV-3", manual=False),),
    )
    checklists.register(definition)
    try:
        with pytest.raises(ValidationError, match="not by hand"):
            checklist_step_complete(
                owner=resident, checklist=definition, step_code="police", by=staff, by_hand=True
            )
        assert not ChecklistStepCompletion.objects.exists()
        done = checklist_step_complete(
            owner=resident, checklist=definition, step_code="police", by=staff
        )
        with pytest.raises(ValidationError, match="not by hand"):
            checklist_step_undo(completion=done, by=staff, reason="mistake", by_hand=True)
        done.refresh_from_db()
        assert done.undone_at is None
    finally:
        checklists.unregister(definition.name)
