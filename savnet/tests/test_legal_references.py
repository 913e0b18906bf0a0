"""R-22: forms say "Hjemmel:" for statutes only and cite the routine with "Jf."; the wording is
dated reference data an administrator edits, printed on the notices made from its date."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from cases import legal
from cases.models import Dispatch, LegalReference
from cases.services.dispatches import dispatch_html
from savnet import references, services

from .conftest import open_report

pytestmark = pytest.mark.django_db


def _text(dispatch) -> str:
    return " ".join(strip_tags(dispatch_html(dispatch)).split())


def test_r_22_statutes_after_hjemmel_and_the_routine_after_jf(minor, staff, directory):
    report = open_report(minor, staff)
    police = services.missing_report_send_to_police(report=report, by=staff)
    text = _text(police)
    assert "Hjemmel: forvaltningsloven § 13 b første ledd nr. 5" in text
    assert "Jf. UDIs rutiner for asylmottak med enslige mindreårige, punkt 3.1.3" in text
    assert "Hjemmel: UDIs rutiner" not in text


def test_r_22_a_phone_note_cites_the_routine_only(minor, staff, directory):
    report = open_report(minor, staff)
    services.missing_report_log_call(
        report=report, party="representative", reached=True, called_at=timezone.now(), by=staff
    )
    dispatch = Dispatch.objects.get(purpose="missing_notice", recipient_kind="representative")
    text = _text(dispatch)
    assert "Hjemmel:" not in text
    assert "Jf. UDIs rutiner" in text


def test_r_22_an_administrators_new_wording_applies_from_its_date(minor, staff, directory):
    LegalReference.objects.create(
        code=references.ROUTINE_REPORTING,
        kind=legal.ROUTINE,
        text="UDIs rutiner (revidert), punkt 3.1.3",
        valid_from=timezone.localdate() + timedelta(days=1),
    )
    on_today = legal.cite((references.ROUTINE_REPORTING,), on=timezone.localdate())
    assert "revidert" not in on_today.routines
    LegalReference.objects.create(
        code=references.ROUTINE_REPORTING,
        kind=legal.ROUTINE,
        text="UDIs rutiner (ny), punkt 3.1.3",
        valid_from=timezone.localdate(),
    )
    report = open_report(minor, staff)
    police = services.missing_report_send_to_police(report=report, by=staff)
    assert "Jf. UDIs rutiner (ny), punkt 3.1.3" in _text(police)


def test_r_22_the_admin_edits_a_registered_reference(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:cases_legalreference_add"),
        {
            "code": references.DISCLOSURE_MUNICIPAL,
            "kind": legal.STATUTE,
            "text": "forvaltningsloven § 13 b første ledd nr. 5 (endret)",
            "valid_from": "2027-01-01",
            "note": "Lovendring",
        },
    )
    assert response.status_code == 302, response.content[:500]
    assert LegalReference.objects.filter(code=references.DISCLOSURE_MUNICIPAL).exists()
    bad = client.post(
        reverse("admin:cases_legalreference_add"),
        {"code": "made_up", "kind": legal.STATUTE, "text": "x", "valid_from": "2027-01-01"},
    )
    assert bad.status_code == 200
    assert LegalReference.objects.count() == 1
