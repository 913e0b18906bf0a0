"""Fixtures of the missing-minors routine: a directory of recipients and reports in each state."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mottak.models import ExternalRecipient
from mottak.tests.factories import make_resident
from savnet import services


@pytest.fixture
def directory(db):
    """The outside instances the centre in Lillehammer deals with, and a child-welfare office in Oslo."""
    kinds = ExternalRecipient.Kind
    entries = {
        "police": (kinds.POLICE, "Innlandet politidistrikt", "Lillehammer"),
        "child_welfare": (kinds.CHILD_WELFARE, "Barneverntjenesten i Lillehammer", "Lillehammer"),
        "child_welfare_oslo": (kinds.CHILD_WELFARE, "Barneverntjenesten i Oslo", "Oslo"),
        "kor": (kinds.KOR, "UDI ASA KOR", ""),
        "bfe": (kinds.BFE, "UDI ASA BFE", ""),
        "udi_region": (kinds.UDI_REGION, "Region Øst", ""),
    }
    return {
        key: ExternalRecipient.objects.create(
            kind=kind, name=name, municipality=municipality, address=f"Postboks 1, {name}"
        )
        for key, (kind, name, municipality) in entries.items()
    }


@pytest.fixture
def minor(centre):
    return make_resident(
        centre,
        representative_name="Rita Representant",
        representative_phone="40000001",
        representative_address="Vergeveien 1, 2600 Lillehammer",
        lawyer_name="Anders Advokat",
        lawyer_phone="40000002",
        lawyer_address="Advokatgata 2, 0150 Oslo",
    )


def open_report(resident, by, *, hours_ago: float = 2, **extra):
    now = timezone.now()
    values = dict(
        resident=resident,
        reason_to_believe_at=now - timedelta(hours=hours_ago),
        noticed_at=now - timedelta(hours=hours_ago + 1),
        last_seen_at=now - timedelta(hours=hours_ago + 3),
        circumstances="Not at breakfast; bag and phone gone.",
        by=by,
    )
    values.update(extra)
    return services.missing_report_open(**values)


@pytest.fixture
def report(minor, staff, directory):
    return open_report(minor, staff)


def send_out(*dispatches, by):
    """R-13: render the notices and record them as sent, as staff do after posting them."""
    from cases.services import dispatch_mark_sent, dispatch_render

    for dispatch in dispatches:
        dispatch_render(dispatch_id=dispatch.pk)
        dispatch.refresh_from_db()
        dispatch_mark_sent(dispatch=dispatch, by=by)
