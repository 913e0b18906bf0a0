"""Test data for the dispatch tests: directory entries and a ready-made arrival notice."""

import json

from django.apps import apps

from cases import rendering
from cases.services import dispatch_create

LEGAL_BASIS = "Utlendingsforskriften § 17-6 og UDIs rutiner for EM-mottak punkt 1.1"


def sample_context(form: str) -> dict:
    path = rendering.forms_dir() / "samples" / f"{form.removesuffix('.html')}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def make_recipient(
    kind: str = "county_governor",
    name: str = "Statsforvalteren i Innlandet",
    address: str = "Postboks 987, 2626 Lillehammer",
):
    recipient_model = apps.get_model("mottak", "ExternalRecipient")
    recipient, _created = recipient_model.objects.get_or_create(
        kind=kind, name=name, defaults={"address": address}
    )
    return recipient


def arrival_notice_kwargs(*, resident, by, **overrides) -> dict:
    context = sample_context("arrival_notice.html") | {"recipient_role": "county_governor"}
    kwargs = dict(
        owner=resident,
        subject=resident,
        recipient=make_recipient(),
        channel="post",
        legal_basis=LEGAL_BASIS,
        template="arrival_notice.html",
        purpose="arrival_notice",
        context=context,
        by=by,
    )
    kwargs.update(overrides)
    return kwargs


def create_arrival_notice(*, resident, by, **overrides):
    return dispatch_create(**arrival_notice_kwargs(resident=resident, by=by, **overrides))
