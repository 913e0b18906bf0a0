"""An access request (GDPR art. 15): everything about one resident as one ZIP archive, and
nothing about anyone else; admins only, read-logged, never cached, started by POST."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from cases.models import Consent, Deadline, Dispatch, ReadLog, TimelineEvent
from cases.tests import upload_samples
from cases.tests.upload_samples import image_bytes, minimal_pdf, upload
from mottak.models import ExternalRecipient, Resident
from mottak.subject_access import NOT_EXPORTED, resident_archive, resident_rows
from mottak.tests.factories import ResidentFactory

media_root = upload_samples.media_root


@pytest.fixture
def directory(region):
    kinds = ExternalRecipient.Kind
    for kind, name, municipality in (
        (kinds.POLICE, "Innlandet politidistrikt", "Lillehammer"),
        (kinds.CHILD_WELFARE, "Barneverntjenesten i Lillehammer", "Lillehammer"),
        (kinds.UDI_REGION, region.name, ""),
    ):
        ExternalRecipient.objects.get_or_create(
            kind=kind, name=name, municipality=municipality, address=f"Postboks 1, {name}"
        )


def _records_in_every_app(resident, *, staff, admin_user, marker: str):
    """A leave with a contact person, a missing report with its police notice and deadlines,
    a photo, a mapping, a return case, a consent with its declaration, a read-log entry."""
    from cases.services import consent_record, dispatch_render, read_log_record
    from kartlegging.tests.conftest import open_mapping
    from permisjon import services as leave
    from permisjon.tests.conftest import contact, interview_held_for, leave_data
    from retur import services as retur
    from savnet import services as savnet
    from savnet.services import profiles
    from savnet.tests.conftest import open_report

    interview_held_for(resident)
    leave.leave_application_submit(
        resident=resident,
        data=leave_data(),
        contact_persons=[contact(name=f"Kontakt {marker}")],
        by=staff,
    )
    report = open_report(resident, staff, circumstances=f"Borte {marker}")
    notice = savnet.missing_report_send_to_police(
        report=report, by=staff, contact_phone="61 00 00 99"
    )
    dispatch_render(dispatch_id=notice.pk)
    profiles.resident_photo_upload(
        resident=resident, upload=upload(image_bytes("PNG"), name="foto.png"), by=staff
    )
    open_mapping(resident)
    retur.return_case_open(
        resident=resident, stage="rejected_udi", at=timezone.now() - timedelta(days=1)
    )
    consent_record(
        subject=resident,
        given_by="representative",
        given_by_name=f"Verge {marker}",
        purpose="mapping_transfer",
        recipient_kinds=["imdi"],
        given_on=timezone.localdate() - timedelta(days=1),
        declaration_file=upload(minimal_pdf(marker), name="samtykke.pdf"),
        by=staff,
    )
    read_log_record(user=staff, subject=resident, action="view")


@pytest.fixture
def two_residents(centre, staff, admin_user, directory, media_root):
    mine = ResidentFactory(centre=centre, given_names="Amina", family_name="Innsynsen")
    other = ResidentFactory(centre=centre, given_names="Bashir", family_name="Andersen")
    _records_in_every_app(mine, staff=staff, admin_user=admin_user, marker="MINE")
    _records_in_every_app(other, staff=staff, admin_user=admin_user, marker="OTHER")
    return mine, other


def _archive(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _table_pks(files: dict[str, bytes], label: str) -> set:
    name = f"tables/{label.lower()}.json"
    return {row["pk"] for row in json.loads(files[name])} if name in files else set()


def _models_pointing_at_resident():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if (field.many_to_one or field.one_to_one) and field.related_model is Resident
    ]


def test_every_model_with_a_foreign_key_to_a_resident_is_walked():
    """A model added later with a foreign key to Resident is exported unless someone writes
    down here, with a reason, why not: this fails first."""
    assert NOT_EXPORTED == {}
    labels = {m._meta.label for m in _models_pointing_at_resident()}
    # The walk is generic, so this holds for models no one has written yet; these are today's.
    for expected in (
        "mottak.Stay",
        "mottak.Folder",
        "mottak.Move",
        "permisjon.LeaveApplication",
        "savnet.MissingReport",
        "savnet.ResidentPhoto",
        "kartlegging.Mapping",
        "retur.ReturnCase",
    ):
        assert expected in labels


def test_art_15_archive_holds_every_row_about_the_resident_and_nothing_of_another(
    two_residents, admin_user
):
    mine, other = two_residents
    data, manifest = resident_archive(mine, by=admin_user)
    files = _archive(data)

    # Every row of every model with a foreign key to the resident is in the archive.
    covered = set()
    for model in _models_pointing_at_resident():
        fk = next(
            f
            for f in model._meta.concrete_fields
            if (f.many_to_one or f.one_to_one) and f.related_model is Resident
        )
        rows = set(model._base_manager.filter(**{fk.attname: mine.pk}).values_list("pk", flat=True))
        assert rows <= _table_pks(files, model._meta.label), model._meta.label
        if rows:
            covered.add(model._meta.app_label)
    # The test data reaches into every app that holds a resident's records.
    assert covered >= {"mottak", "permisjon", "savnet", "kartlegging", "retur"}

    # Rows linked through another row or a generic relation.
    for label in (
        "permisjon.ContactPerson",
        "savnet.MissingReport",
        "kartlegging.Mapping",
        "retur.ReturnCase",
        "cases.Deadline",
        "cases.Dispatch",
        "cases.Consent",
        "cases.TimelineEvent",
        "cases.ReadLog",
        "mottak.HistoricalResident",
    ):
        assert _table_pks(files, label), label
    resident_ct = ContentType.objects.get_for_model(Resident)
    assert set(
        Consent.objects.filter(subject_ct=resident_ct, subject_id=mine.pk).values_list(
            "pk", flat=True
        )
    ) <= _table_pks(files, "cases.Consent")
    assert set(
        ReadLog.objects.filter(content_type=resident_ct, object_id=mine.pk).values_list(
            "pk", flat=True
        )
    ) <= _table_pks(files, "cases.ReadLog")

    # The stored files: the declaration, the photo and every notice's PDF that is rendered.
    stored = [name for name in files if name.startswith("files/")]
    assert any(name.startswith("files/cases.consent/") for name in stored)
    assert any(name.startswith("files/savnet.residentphoto/") for name in stored)
    rendered = Dispatch.objects.filter(subject_id=mine.pk).exclude(pdf="")
    assert rendered.exists()
    assert all(
        any(name.startswith(f"files/cases.dispatch/{d.pk}/") for name in stored) for d in rendered
    )
    assert manifest["files_missing"] == []

    # Nothing of the other resident: not their row, not their name, not their records.
    everything = b"".join(files.values())
    assert b"Bashir" not in everything and b"OTHER" not in everything
    assert other.pk not in _table_pks(files, "mottak.Resident")
    for model, label in (
        (Deadline, "cases.Deadline"),
        (Dispatch, "cases.Dispatch"),
        (TimelineEvent, "cases.TimelineEvent"),
    ):
        theirs = set(
            model.objects.filter(pk__in=_table_pks(files, label)).values_list("pk", flat=True)
        )
        about_other = {
            pk
            for pk in theirs
            if str(other.pk) in {str(getattr(model.objects.get(pk=pk), "subject_id", ""))}
        }
        assert about_other == set(), label
    assert b"Amina" in everything and b"MINE" in everything


def test_rows_are_found_to_a_fixed_point_for_a_resident_with_nothing(centre, admin_user):
    lonely = ResidentFactory(centre=centre)
    rows = resident_rows(lonely)
    assert rows[Resident] == {lonely.pk}
    assert all(model._meta.app_label in {"mottak", "cases", "auth", "guardian"} for model in rows)


# --- the page -------------------------------------------------------------------------------


def _url(resident) -> str:
    return reverse("mottak:resident_data_export", args=[resident.pk])


def test_art_15_export_is_a_post_for_admins_no_store_and_read_logged(client, resident, admin_user):
    client.force_login(admin_user)
    assert client.get(_url(resident)).status_code == 405
    response = client.post(_url(resident))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="innsyn-')
    assert resident.family_name not in disposition and resident.given_names not in disposition
    files = _archive(response.content)
    assert resident.pk in _table_pks(files, "mottak.Resident")
    assert ReadLog.objects.filter(
        user=admin_user,
        action="export",
        content_type=ContentType.objects.get_for_model(Resident),
        object_id=resident.pk,
    ).exists()


@pytest.mark.parametrize("role_fixture", ["staff", "leader"])
def test_art_15_export_is_404_for_anyone_but_an_admin(client, resident, role_fixture, request):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.post(_url(resident)).status_code == 404
    missing = reverse("mottak:resident_data_export", args=[resident.pk + 1000])
    assert client.post(missing).status_code == 404
    assert not ReadLog.objects.filter(action="export").exists()


def test_art_15_export_of_a_missing_resident_is_404_for_an_admin(client, admin_user, resident):
    client.force_login(admin_user)
    missing = reverse("mottak:resident_data_export", args=[resident.pk + 1000])
    assert client.post(missing).status_code == 404


def test_art_15_the_resident_page_offers_the_export_to_admins_only(
    client, resident, admin_user, staff
):
    page = reverse("mottak:resident_detail", args=[resident.pk])
    client.force_login(admin_user)
    assert _url(resident) in client.get(page).content.decode()
    client.force_login(staff)
    assert _url(resident) not in client.get(page).content.decode()
