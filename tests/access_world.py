"""The world of tests/test_access_matrix_all.py: one resident per scope and stage, each with a
record of every family that holds personal data, and one user per row of the matrix.

Built once per test class (setUpTestData), through the services and the existing factories.

Columns (scope, stage): the own centre, another centre in the same region, a centre in another
region; the asylum case ordinary (decision pending) or in a return stage (final rejection).
ASA (R-19) is the named caseworker of the return cases of (own centre, return) and (other
region, return) — not of (same region, return): that column is "not assigned".
"""

import shutil
import tempfile
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from mottak.models import AsylumStage, Centre, ExternalRecipient, Role
from mottak.tests.factories import (
    AdminFactory,
    CentreFactory,
    RegionFactory,
    ResidentFactory,
    UserFactory,
)

SCOPES = ("own_centre", "same_region", "other_region")
STAGES = ("ordinary", "return")
COLUMNS = tuple((scope, stage) for scope in SCOPES for stage in STAGES)
ASA_ASSIGNED = (("own_centre", "return"), ("other_region", "return"))
# RMA sees one by one only the open cases in the assisted-return track.
RMA_ASSISTED = ("other_region", "return")

# The matrix's rows: every Role, plus a member of staff named the key worker of the own
# centre's residents (MOT-2's private folder and KART-1's mapping name the key worker).
KEY_WORKER = "key_worker"
ROWS = (*Role.values, KEY_WORKER)


def _directory(region_names) -> None:
    kinds = ExternalRecipient.Kind
    entries = [
        (kinds.POLICE, "Innlandet politidistrikt", "Lillehammer"),
        (kinds.CHILD_WELFARE, "Barneverntjenesten i Lillehammer", "Lillehammer"),
        (kinds.IMDI, "IMDi Indre Øst", ""),
    ] + [(kinds.UDI_REGION, name, "") for name in region_names]
    for kind, name, municipality in entries:
        ExternalRecipient.objects.get_or_create(
            kind=kind, name=name, municipality=municipality, address=f"Postboks 1, {name}"
        )


class World:
    """Attributes: centres, users (row → user), builders (scope → (staff, lead)),
    residents and records (column → record), media_root."""

    def __init__(self):
        self.media_root = tempfile.mkdtemp(prefix="access-matrix-")

    def cleanup(self) -> None:
        shutil.rmtree(self.media_root, ignore_errors=True)

    def build(self) -> "World":
        region = RegionFactory(name="Region Øst")
        other_region = RegionFactory(name="Region Vest")
        _directory([region.name, other_region.name])
        kwargs = dict(kind=Centre.Kind.ORDINARY_MINORS, municipality="Lillehammer")
        self.centres = {
            "own_centre": CentreFactory(name="Fjellheim mottak", region=region, **kwargs),
            "same_region": CentreFactory(name="Solbakken mottak", region=region, **kwargs),
            "other_region": CentreFactory(name="Havgløtt mottak", region=other_region, **kwargs),
        }
        own = self.centres["own_centre"]
        self.admin = AdminFactory()
        self.users = {
            Role.CENTRE_STAFF: UserFactory(role=Role.CENTRE_STAFF, centre=own),
            Role.CHILD_WELFARE_LEAD: UserFactory(role=Role.CHILD_WELFARE_LEAD, centre=own),
            Role.CENTRE_LEADER: UserFactory(role=Role.CENTRE_LEADER, centre=own),
            KEY_WORKER: UserFactory(role=Role.CENTRE_STAFF, centre=own),
            Role.REGION_CASEWORKER: UserFactory(role=Role.REGION_CASEWORKER, region=region),
            Role.ASA_CASEWORKER: UserFactory(role=Role.ASA_CASEWORKER),
            Role.RMA: UserFactory(role=Role.RMA),
            Role.ADMIN: self.admin,
        }
        # Who builds the records at each centre (not rows of the matrix, except at the own).
        self.builders = {
            "own_centre": (self.users[Role.CENTRE_STAFF], self.users[Role.CHILD_WELFARE_LEAD])
        }
        for scope in ("same_region", "other_region"):
            centre = self.centres[scope]
            self.builders[scope] = (
                UserFactory(role=Role.CENTRE_STAFF, centre=centre),
                UserFactory(role=Role.CHILD_WELFARE_LEAD, centre=centre),
            )
        self.residents, self.records = {}, {}
        for index, column in enumerate(COLUMNS):
            self.records[column] = self._records(index, column)
            self.residents[column] = self.records[column]["resident"]
        return self

    def _records(self, index: int, column) -> dict:
        from cases.models import ChecklistStepCompletion, Deadline
        from cases.services import consent_record, dispatch_render
        from cases.tests.upload_samples import image_bytes, minimal_pdf, upload
        from kartlegging import services as mapping_services
        from kartlegging.tests.conftest import open_mapping
        from mottak.services import folders, moves, representative_record
        from permisjon import services as leave
        from permisjon.tests.conftest import contact, interview_held_for, leave_data, prepare
        from retur import rules as return_rules
        from retur import services as retur
        from savnet.services import missing_report_send_to_police, profiles
        from savnet.tests.conftest import open_report

        scope, stage = column
        staff, lead = self.builders[scope]
        asylum_stage = (
            AsylumStage.FINAL_REJECTION if stage == "return" else AsylumStage.DECISION_PENDING
        )
        resident = ResidentFactory(
            centre=self.centres[scope],
            asylum_stage=asylum_stage,
            given_names="Testa",
            family_name=f"Matrisesen{index}x",  # a marker unique to this resident
        )
        now = timezone.now()
        records = {"resident": resident, "stay": resident.stays.get()}

        interview_held_for(resident)
        representative_record(
            resident=resident,
            status="temporary",
            name="Tora Midlertidig",
            effective_on=timezone.localdate(),
            by=staff,
        )
        application = leave.leave_application_submit(
            resident=resident, data=leave_data(), contact_persons=[contact()], by=staff
        )
        records["leave"] = prepare(application, staff)  # PERM-4 done: ready for a decision
        records["checklist_upload"] = (
            ChecklistStepCompletion.objects.filter(
                owner_ct=ContentType.objects.get_for_model(application), owner_id=application.pk
            )
            .exclude(attachment="")
            .first()
        )
        mapping = open_mapping(resident)
        records["mapping"] = mapping
        records["photo"] = profiles.resident_photo_upload(
            resident=resident, upload=upload(image_bytes("PNG"), name="foto.png"), by=staff
        )
        folder = folders.personal_folder_open(resident=resident, by=staff)
        records["personal_item"] = folders.folder_item_add(
            folder=folder, category="administrative", description="Husregler", by=staff
        )
        private = folders.private_folder_open(
            resident=resident,
            requested_at=now - timedelta(hours=1),
            asked_by_resident=True,
            by=lead,
        )
        records["private_item"] = folders.folder_item_add(
            folder=private, category="lawyer_letter", description="Brev", by=lead
        )
        if scope == "own_centre":
            key_worker = self.users[KEY_WORKER]
            folders.key_worker_assign(resident=resident, user=key_worker, by=lead)
            mapping_services.key_worker_assign(mapping=mapping, key_worker=key_worker, by=lead)
        records["move"] = moves.move_request(
            resident=resident, by=staff, reasons="Trenger et annet tilbud."
        )
        records["consent"] = consent_record(
            subject=resident,
            given_by="representative",
            given_by_name="Verge Vergesen",
            purpose="mapping_transfer",
            recipient_kinds=["imdi"],
            given_on=timezone.localdate() - timedelta(days=1),
            declaration_file=upload(minimal_pdf("samtykke"), name="samtykke.pdf"),
            by=staff,
        )
        report = open_report(resident, staff)
        records["report"] = report
        notice = missing_report_send_to_police(report=report, by=staff, contact_phone="61 00 00 99")
        dispatch_render(dispatch_id=notice.pk)
        notice.refresh_from_db()
        records["dispatch"] = notice
        resident_ct = ContentType.objects.get_for_model(resident)
        records["deadline"] = (
            Deadline.objects.filter(
                subject_ct=resident_ct,
                subject_id=resident.pk,
                centre=resident.centre,
                state=Deadline.State.OPEN,
            )
            .order_by("pk")
            .first()
        )
        if stage == "return":
            case = retur.return_case_open(
                resident=resident, stage=asylum_stage, at=now - timedelta(days=1)
            )
            if column in ASA_ASSIGNED:
                case = retur.return_case_assign(
                    case=case, caseworker=self.users[Role.ASA_CASEWORKER], by=self.admin
                )
            if column == RMA_ASSISTED:
                case = retur.return_case_choose_path(case=case, path="assisted", by=self.admin)
            records["return_case"] = case
            records["conversation"] = retur.return_conversation_record(
                case=case,
                kind=return_rules.AFTER_UNE,
                held_at=now - timedelta(hours=1),
                topics=[t.code for t in return_rules.mandatory_topics(return_rules.AFTER_UNE)],
                by=self.admin,
            )
        records["mapping_copy"] = self._mapping_copy(index, column, staff, lead)
        return records

    def _mapping_copy(self, index: int, column, staff, lead):
        """KART-8: the paper copy of a finished mapping to IMDi, with the representative's
        consent — of a second resident in the column, so the first one's mapping stays open
        for the write checks."""
        from cases.services import consent_record, dispatch_render
        from cases.tests.upload_samples import minimal_pdf, upload
        from kartlegging import services
        from kartlegging.tests.conftest import open_mapping, talk

        resident = ResidentFactory(
            centre=self.centres[column[0]], family_name=f"Kopisen{index}x", given_names="Kari"
        )
        mapping = open_mapping(resident)
        talk(mapping, lead)
        services.entry_add(
            mapping=mapping,
            area="family",
            source="minor",
            text="Har en bror i Sverige.",
            recorded_on=timezone.localdate(),
            by=lead,
        )
        mapping = services.mapping_finish(mapping=mapping, by=lead)
        services.mapping_record_sesam_notice(
            mapping=mapping,
            track="settlement",
            received_at=timezone.now() - timedelta(hours=1),
            by=lead,
        )
        consent_record(
            subject=resident,
            given_by="representative",
            given_by_name="Verge Vergesen",
            purpose="mapping_transfer",
            recipient_kinds=["imdi"],
            given_on=timezone.localdate() - timedelta(days=1),
            declaration_file=upload(minimal_pdf("samtykke"), name="samtykke.pdf"),
            by=staff,
        )
        copy = services.mapping_transfer_send(mapping=mapping, channel="post", by=lead)
        dispatch_render(dispatch_id=copy.pk)
        copy.refresh_from_db()
        return copy
