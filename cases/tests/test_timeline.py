"""The timeline: events written in the same transaction as the change, shown on the resident page."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from cases import checklists
from cases.checklists import ChecklistDefinition, Step
from cases.consent_rules import GivenBy, RecipientKind
from cases.models import ChecklistStepCompletion, Consent, TimelineEvent
from cases.selectors import timeline_for
from cases.services import checklist_step_complete, consent_record, timeline_event_record
from cases.uploads import orphan_files_delete
from kartlegging.purposes import Purpose

from . import upload_samples
from .upload_samples import PDF, files_under, upload

media_root = upload_samples.media_root

ONE_STEP = ChecklistDefinition(
    name="test_one_step",
    label="One step (test)",
    steps=(Step("only", "The only step", "X-5", manual=True),),
)


class Abort(Exception):
    pass


@pytest.fixture
def one_step():
    checklists.register(ONE_STEP)
    yield ONE_STEP
    checklists.unregister(ONE_STEP.name)


def record_consent(resident, staff):
    return consent_record(
        subject=resident,
        given_by=GivenBy.REPRESENTATIVE,
        given_by_name="Rita Representant",
        purpose=Purpose.MAPPING_TRANSFER,
        recipient_kinds=[RecipientKind.IMDI],
        given_on=timezone.localdate(),
        declaration_file=upload(PDF),
        by=staff,
    )


def test_consent_rolled_back_leaves_no_timeline_event(resident, staff, media_root):
    with pytest.raises(Abort), transaction.atomic():
        record_consent(resident, staff)
        assert TimelineEvent.objects.filter(kind="consent_recorded").count() == 1
        raise Abort
    assert not Consent.objects.exists()
    assert not TimelineEvent.objects.exists()
    # The declaration written inside the rolled-back transaction is an orphan; the sweep removes
    # it (only once it is old enough not to belong to a transaction still open).
    assert len(files_under(media_root)) == 1
    assert orphan_files_delete(older_than_seconds=3600) == 0
    assert orphan_files_delete(older_than_seconds=-1) == 1
    assert files_under(media_root) == []


def test_orphan_sweep_keeps_referenced_files(resident, staff, media_root):
    record_consent(resident, staff)
    assert orphan_files_delete(older_than_seconds=-1) == 0
    assert len(files_under(media_root)) == 1


def test_checklist_step_rolled_back_leaves_no_timeline_event(one_step, resident, staff):
    with pytest.raises(Abort), transaction.atomic():
        checklist_step_complete(owner=resident, checklist=one_step, step_code="only", by=staff)
        assert TimelineEvent.objects.count() == 1
        raise Abort
    assert not ChecklistStepCompletion.objects.exists()
    assert not TimelineEvent.objects.exists()


def test_a_refused_change_writes_no_event(one_step, resident, staff):
    checklist_step_complete(owner=resident, checklist=one_step, step_code="only", by=staff)
    with pytest.raises(Exception):  # noqa: B017 - any refusal will do
        checklist_step_complete(owner=resident, checklist=one_step, step_code="only", by=staff)
    assert TimelineEvent.objects.count() == 1


def test_timeline_lists_the_residents_events_newest_first(resident, staff, centre, media_root):
    from mottak.tests.factories import ResidentFactory

    now = timezone.now()
    timeline_event_record(subject=resident, kind="a", summary="Earlier", at=now - timedelta(days=1))
    record_consent(resident, staff)
    timeline_event_record(subject=ResidentFactory(centre=centre), kind="b", summary="Someone else")
    summaries = [e.summary for e in timeline_for(resident)]
    assert len(summaries) == 2
    assert summaries[0].startswith("Consent recorded")
    assert summaries[1] == "Earlier"


def test_partial_renders_the_events(resident, staff):
    timeline_event_record(
        subject=resident,
        kind="arrival",
        summary="Arrived at Fjellheim",
        actor=staff,
        rule_id="MOT-1",
    )
    html = render_to_string(
        "cases/timeline/_timeline.html", {"events": list(timeline_for(resident))}
    )
    assert "Arrived at Fjellheim" in html
    # The rule id is there for whoever needs it, but only inside the folded details part.
    shown, _, folded = html.partition("<details")
    assert "MOT-1" not in shown
    assert ": MOT-1</li>" in folded
    assert staff.username in html


def test_partial_says_when_nothing_is_recorded():
    html = render_to_string("cases/timeline/_timeline.html", {"events": []})
    assert "Nothing has been recorded yet." in html


def test_panels_render_with_bounded_queries(
    one_step, resident, staff, media_root, django_assert_max_num_queries
):
    record_consent(resident, staff)
    checklist_step_complete(owner=resident, checklist=one_step, step_code="only", by=staff)
    for n in range(20):
        timeline_event_record(subject=resident, kind="note", summary=f"Event {n}", actor=staff)
    request = RequestFactory().get("/beboere/1/")
    template = Template(
        "{% load cases_panels %}{% timeline_panel resident %}{% consents_panel resident %}"
        "{% checklist_panel resident 'test_one_step' %}"
    )
    with django_assert_max_num_queries(6):
        html = template.render(Context({"resident": resident, "request": request}))
    assert "Event 19" in html
    assert "Consent recorded" in html
    assert "The only step" in html
