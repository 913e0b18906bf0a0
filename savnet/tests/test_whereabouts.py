"""R-17 (SAV-8): whereabouts known, not back — its own event. Everyone notified is told in
writing, a concern report goes to child welfare where the minor is, the case stays open; the
representative is told where unless the police advise against it (recorded). Notices to an
instance answer its own notice: "Deres referanse" and when it was told."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import strip_tags

from cases.models import Deadline
from cases.services.dispatches import dispatch_html
from savnet import routine, services
from savnet.models import MissingReport

from .conftest import send_out

pytestmark = pytest.mark.django_db


def _text(dispatch) -> str:
    return " ".join(strip_tags(dispatch_html(dispatch)).split())


def _notify_all(report, staff):
    police = services.missing_report_send_to_police(report=report, by=staff)
    concern = services.missing_report_send_to_child_welfare(
        report=report, by=staff, phoned_at=timezone.now() - timedelta(minutes=20)
    )
    services.missing_report_log_call(
        report=report, party="representative", reached=True, called_at=timezone.now(), by=staff
    )
    send_out(police, concern, by=staff)
    return police, concern


def _known(report, staff, **extra):
    values = dict(
        report=report,
        at=timezone.now() - timedelta(minutes=5),
        whereabouts="Hos en fetter i Bragernes",
        municipality="Oslo",
        by=staff,
    )
    values.update(extra)
    return services.missing_report_whereabouts_known(**values)


def test_r_17_everyone_notified_is_told_in_writing_and_the_case_stays_open(
    report, staff, directory
):
    _notify_all(report, staff)
    notices = _known(report, staff)
    by_kind = {(d.purpose, d.recipient_kind): d for d in notices}
    assert {k for k in by_kind if k[0] == "whereabouts_notice"} == {
        ("whereabouts_notice", "police"),
        ("whereabouts_notice", "child_welfare"),
        ("whereabouts_notice", "representative"),
    }
    assert all(d.channel != "phone" for d in notices)
    concern = by_kind[("concern_report", "child_welfare")]
    assert concern.recipient == directory["child_welfare_oslo"]
    report.refresh_from_db()
    assert report.state == MissingReport.State.OPEN
    kind = routine.MISSING.deadline_kind(routine.MISSING.step(routine.WHEREABOUTS_KNOWN))
    deadline = Deadline.objects.get(object_id=report.pk, kind=kind)
    assert deadline.state == Deadline.State.OPEN and deadline.urgency == "straks"
    send_out(*notices, by=staff)
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.MET  # met once every notice is sent


def test_r_17_the_representative_is_not_told_where_when_the_police_advise_against(
    report, staff, directory
):
    _notify_all(report, staff)
    notices = _known(
        report, staff, police_advise_against_telling_representative="Fare for ny rømning."
    )
    texts = {d.recipient_kind: _text(d) for d in notices if d.purpose == "whereabouts_notice"}
    assert "Hos en fetter i Bragernes" in texts["police"]
    assert "Hos en fetter i Bragernes" not in texts["representative"]
    assert "oppholdsstedet" in texts["representative"].lower()
    report.refresh_from_db()
    assert report.police_advise_against_telling_representative == "Fare for ny rømning."


def test_r_17_recorded_once_and_only_while_reported_missing(report, staff, directory):
    _notify_all(report, staff)
    _known(report, staff)
    with pytest.raises(ValidationError, match="already recorded"):
        _known(report, staff)
    with pytest.raises(ValidationError, match="where the minor is"):
        services.missing_report_whereabouts_known(
            report=report, at=timezone.now(), whereabouts=" ", municipality="Oslo", by=staff
        )


def test_sav_8_the_found_notice_answers_the_instances_own_notice(report, staff, directory):
    police, _concern = _notify_all(report, staff)
    police.refresh_from_db()
    police.sent_reference = ""
    from cases.models import Dispatch

    Dispatch.objects.filter(pk=police.pk).update(sent_reference="26-1234")
    result = services.missing_report_found(
        report=report, found_at=timezone.now(), found_how="police", by=staff
    )
    text = _text(next(d for d in result.notices if d.recipient_kind == "police"))
    assert re.search(r"Deres referanse:\s*26-1234", text)
    assert "Meldt savnet til dere" in text


def test_r_17_staff_record_the_whereabouts_on_the_report_page(client, report, staff, directory):
    from django.urls import reverse

    _notify_all(report, staff)
    client.force_login(staff)
    page = client.get(reverse("savnet:detail", args=[report.pk])).content.decode()
    assert reverse("savnet:whereabouts", args=[report.pk]) in page
    response = client.post(
        reverse("savnet:whereabouts", args=[report.pk]),
        {
            "whereabouts-at": (timezone.localtime() - timedelta(minutes=3)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "whereabouts-whereabouts": "Hos en venn",
            "whereabouts-municipality": "Oslo",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.whereabouts == "Hos en venn"
    assert report.state == MissingReport.State.OPEN
