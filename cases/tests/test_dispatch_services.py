"""Dispatch services (X-1, X-2): created once, rendered once, never changed after sending."""

import hashlib
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils import timezone

from cases.models import Dispatch, TimelineEvent
from cases.services import (
    dispatch_create,
    dispatch_mark_sent,
    dispatch_queue,
    dispatch_render,
    dispatch_retry_render,
    dispatches_requeue_stale,
)
from cases.services.dispatches import DispatchRenderError
from cases.tasks_dispatch import render_dispatch
from mottak.tests.factories import ResidentFactory

from .dispatch_factories import arrival_notice_kwargs, create_arrival_notice, make_recipient

EAGER = django_settings.CELERY_TASK_ALWAYS_EAGER
ON_POSTGRES = connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files_of(dispatch: Dispatch, media_root: Path) -> list[Path]:
    return sorted((media_root / "dispatches").rglob(f"*{dispatch.pk}-*"))


# --- create ---------------------------------------------------------------------------------


def test_x_1_create_records_recipient_channel_legal_basis_and_who(resident, staff):
    dispatch = create_arrival_notice(resident=resident, by=staff)
    dispatch.refresh_from_db()
    assert dispatch.state == Dispatch.State.QUEUED
    assert dispatch.recipient.kind == "county_governor"
    assert dispatch.recipient_name == "Statsforvalteren i Innlandet"
    assert dispatch.recipient_address == "Postboks 987, 2626 Lillehammer"
    assert dispatch.recipient_kind == "county_governor"
    assert dispatch.channel == "post"
    assert dispatch.legal_basis.startswith("Utlendingsforskriften")
    assert dispatch.created_by == staff
    assert dispatch.subject == resident and dispatch.owner == resident
    assert dispatch.letterhead["name"] == resident.centre.name
    assert dispatch.context["person"]["name"] == "Åsmund Ærlig Søgård"
    event = TimelineEvent.objects.get(kind="dispatch_created")
    assert event.subject == resident and event.rule_id == "MOT-1"


def test_x_1_create_queues_the_render_after_commit(
    resident, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        create_arrival_notice(resident=resident, by=staff)
    assert len(callbacks) == 1


@pytest.mark.skipif(not EAGER, reason="with a real broker the render runs in a worker")
def test_x_1_create_then_commit_renders_through_the_task(
    resident, staff, django_capture_on_commit_callbacks, media_root
):
    with django_capture_on_commit_callbacks(execute=True):
        dispatch = create_arrival_notice(resident=resident, by=staff)
    dispatch.refresh_from_db()
    assert dispatch.state == Dispatch.State.RENDERED
    assert len(files_of(dispatch, media_root)) == 1


def test_x_1_double_create_gives_one_dispatch(resident, staff):
    first = create_arrival_notice(resident=resident, by=staff)
    second = create_arrival_notice(resident=resident, by=staff)
    assert first.pk == second.pk
    assert Dispatch.objects.count() == 1
    assert TimelineEvent.objects.filter(kind="dispatch_created").count() == 1


def test_x_1_named_recipient_key_ignores_case_and_spacing(resident, staff):
    kwargs = arrival_notice_kwargs(
        resident=resident,
        by=staff,
        recipient=None,
        recipient_kind="representative",
        recipient_name="Bjørg  Representant",
        recipient_address="Storgata 1",
        purpose="leave_notice",
        template="letter.html",
        context={"title": "Permisjon", "paragraphs": ["Tekst."]},
    )
    first = dispatch_create(**kwargs)
    second = dispatch_create(**(kwargs | {"recipient_name": " bjørg representant "}))
    assert first.pk == second.pk
    assert first.recipient_name == "Bjørg Representant"


def test_x_1_new_version_or_other_recipient_is_a_new_dispatch(resident, staff):
    first = create_arrival_notice(resident=resident, by=staff)
    second = create_arrival_notice(resident=resident, by=staff, version=2)
    school = make_recipient(kind="school", name="Lillehammer skole", address="Skolevegen 2")
    third = create_arrival_notice(resident=resident, by=staff, recipient=school)
    assert len({first.pk, second.pk, third.pk}) == 3


@pytest.mark.skipif(not ON_POSTGRES, reason="row locks and concurrent inserts need PostgreSQL")
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_x_1_concurrent_double_create_on_postgres_gives_one_row(centre, staff):
    """Thread A inserts and holds its transaction open; thread B's insert waits on the unique
    key, fails when A commits, and answers A's row."""
    resident = ResidentFactory(centre=centre)
    kwargs = arrival_notice_kwargs(resident=resident, by=staff, queue=False)
    inserted = threading.Event()
    results: dict[str, object] = {}

    def first():
        try:
            with transaction.atomic():
                results["a"] = dispatch_create(**kwargs)
                inserted.set()
                _wait_until_a_query_waits_on_a_lock()
        except Exception as exc:  # reported by the assertions below
            results["a"] = exc
        finally:
            inserted.set()
            connections.close_all()

    def second():
        inserted.wait(10)
        try:
            results["b"] = dispatch_create(**kwargs)
        except Exception as exc:
            results["b"] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert isinstance(results["a"], Dispatch), results["a"]
    assert isinstance(results["b"], Dispatch), results["b"]
    assert results["a"].pk == results["b"].pk
    assert Dispatch.objects.count() == 1


def _wait_until_a_query_waits_on_a_lock(timeout: float = 10.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            # Statistics views are a snapshot per transaction unless cleared.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the second insert never waited for the first")


# --- refusals -------------------------------------------------------------------------------


def test_kart_14_mapping_transfer_by_encrypted_email_is_refused(resident, staff):
    imdi = make_recipient(kind="imdi", name="IMDi Indre Øst", address="Postboks 1, Hamar")
    with pytest.raises(ValidationError, match="channel"):
        dispatch_create(
            **arrival_notice_kwargs(
                resident=resident,
                by=staff,
                recipient=imdi,
                purpose="mapping_transfer",
                template="letter.html",
                channel="encrypted_email",
                context={"title": "Kartlegging"},
            )
        )
    assert not Dispatch.objects.exists()
    assert not TimelineEvent.objects.exists()


@pytest.mark.parametrize(("channel", "allowed"), [("encrypted_email", True), ("by_hand", False)])
def test_sav_7_copy_to_regional_office_channel(resident, staff, channel, allowed):
    region_office = make_recipient(kind="udi_region", name="UDI Region Øst", address="Postboks 2")
    kwargs = arrival_notice_kwargs(
        resident=resident,
        by=staff,
        recipient=region_office,
        purpose="missing_report_copy",
        template="notice.html",
        channel=channel,
        context={"title": "Kopi av melding om savnet"},
    )
    if allowed:
        assert dispatch_create(**kwargs).channel == channel
    else:
        with pytest.raises(ValidationError):
            dispatch_create(**kwargs)
        assert not Dispatch.objects.exists()


def test_kart_12_recipient_not_allowed_for_the_purpose(resident, staff):
    police = make_recipient(kind="police", name="Innlandet politidistrikt", address="Postboks 3")
    with pytest.raises(ValidationError, match="may not be sent to this recipient"):
        create_arrival_notice(resident=resident, by=staff, recipient=police)
    assert not Dispatch.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"template": "base_a4.html"}, "Unknown form"),
        ({"template": "../base.html"}, "Unknown form"),
        ({"template": "missing.html"}, "Unknown form"),
        ({"legal_basis": "   "}, "legal basis"),
        ({"channel": "pigeon"}, "channel"),
        ({"purpose": "gossip"}, "Unknown purpose"),
        ({"version": 0}, "version"),
        ({"context": {"recipient": "x"}}, "reserved"),
        ({"context": {"value": object()}}, "cannot be stored"),
        ({"context": ["not", "a", "dict"]}, "cannot be stored"),
        ({"recipient_name": "Someone"}, "not both"),
        ({"recipient": None}, "Choose a recipient"),
        ({"recipient_kind": "school"}, "does not match"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(resident, staff, overrides, message):
    with pytest.raises(ValidationError, match=message):
        create_arrival_notice(resident=resident, by=staff, **overrides)
    assert not Dispatch.objects.exists()
    assert not TimelineEvent.objects.exists()


def test_post_needs_an_address(resident, staff):
    with pytest.raises(ValidationError, match="address"):
        create_arrival_notice(
            resident=resident,
            by=staff,
            recipient=None,
            recipient_kind="school",
            recipient_name="Lillehammer skole",
        )


def test_kart_13_child_welfare_investigation_gets_the_mapping_without_consent(resident, staff):
    child_welfare = make_recipient(kind="child_welfare", name="Barneverntjenesten i Lillehammer")
    dispatch = create_arrival_notice(
        resident=resident,
        by=staff,
        recipient=child_welfare,
        purpose="child_welfare_investigation",
        template="letter.html",
        context={"title": "Kartlegging og tiltaksplan"},
    )
    assert dispatch.purpose == "child_welfare_investigation"


def test_kart_13_mapping_to_child_welfare_outside_an_investigation_needs_consent(resident, staff):
    child_welfare = make_recipient(kind="child_welfare", name="Barneverntjenesten i Lillehammer")
    with pytest.raises(ValidationError, match="consent"):
        create_arrival_notice(
            resident=resident,
            by=staff,
            recipient=child_welfare,
            purpose="mapping_transfer",
            template="letter.html",
            context={"title": "Kartlegging og tiltaksplan"},
        )
    assert not Dispatch.objects.exists()


def test_kart_13_mapping_transfer_without_consent_is_refused(resident, staff):
    imdi = make_recipient(kind="imdi", name="IMDi Indre Øst", address="Postboks 1, Hamar")
    with pytest.raises(ValidationError, match="consent"):
        create_arrival_notice(
            resident=resident,
            by=staff,
            recipient=imdi,
            purpose="mapping_transfer",
            template="letter.html",
            context={"title": "Kartlegging og tiltaksplan"},
        )
    assert not Dispatch.objects.exists()


# --- render ---------------------------------------------------------------------------------


def test_x_1_render_stores_pdf_under_media_root_not_static_with_matching_sha256(
    resident, staff, media_root
):
    dispatch = create_arrival_notice(resident=resident, by=staff)
    dispatch_render(dispatch_id=dispatch.pk)
    dispatch.refresh_from_db()
    assert dispatch.state == Dispatch.State.RENDERED
    assert dispatch.render_count == 1 and dispatch.attempts == 1
    path = Path(dispatch.pdf.path).resolve()
    assert path.is_relative_to(Path(media_root).resolve() / "dispatches")
    static_roots = [Path(django_settings.STATIC_ROOT), *map(Path, django_settings.STATICFILES_DIRS)]
    assert not any(path.is_relative_to(root.resolve()) for root in static_roots)
    content = path.read_bytes()
    assert content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == dispatch.sha256
    # No personal data in the file name: numbers and the hash only.
    assert path.name == f"{dispatch.pk}-{dispatch.sha256[:16]}.pdf"
    assert resident.duf_number not in str(path)
    with pytest.raises(ValueError):
        dispatch.pdf.url  # noqa: B018 - no URL: only the access-checked view serves it


def test_x_1_render_twice_renders_once(resident, staff, media_root):
    dispatch = create_arrival_notice(resident=resident, by=staff)
    dispatch_render(dispatch_id=dispatch.pk)
    dispatch.refresh_from_db()
    history_before = dispatch.history.count()
    dispatch_render(dispatch_id=dispatch.pk)
    render_dispatch(dispatch.pk)  # the task, called as a retried delivery would
    after = Dispatch.objects.get(pk=dispatch.pk)
    assert after.render_count == 1
    assert after.sha256 == dispatch.sha256
    assert after.history.count() == history_before
    assert len(files_of(dispatch, media_root)) == 1


def test_x_1_the_same_row_always_renders_the_same_bytes(resident, staff, media_root):
    """Rendering is a function of the row: a redelivered render cannot make a second version."""
    from cases import rendering
    from cases.services.dispatches import dispatch_html

    dispatch = create_arrival_notice(resident=resident, by=staff)
    dispatch_render(dispatch_id=dispatch.pk)
    dispatch.refresh_from_db()
    again = hashlib.sha256(rendering.html_to_pdf(dispatch_html(dispatch))).hexdigest()
    assert again == dispatch.sha256


def test_render_removes_files_of_an_attempt_that_died_before_its_commit(
    resident, staff, media_root
):
    dispatch = create_arrival_notice(resident=resident, by=staff)
    folder = Path(media_root) / "dispatches" / f"{dispatch.pk // 1000:06d}"
    folder.mkdir(parents=True)
    (folder / f"{dispatch.pk}-0123456789abcdef.pdf").write_bytes(b"%PDF- half")
    (folder / f".{dispatch.pk}-tmp123.tmp").write_bytes(b"%PDF")
    other = folder / f"{dispatch.pk + 1}-0123456789abcdef.pdf"
    other.write_bytes(b"%PDF- another dispatch")
    dispatch_render(dispatch_id=dispatch.pk)
    dispatch.refresh_from_db()
    assert [p.name for p in files_of(dispatch, media_root)] == [Path(dispatch.pdf.name).name]
    assert other.exists()


def test_render_of_a_missing_dispatch_does_nothing(db):
    assert dispatch_render(dispatch_id=987654) is None


def test_failed_render_is_recorded_without_personal_data_and_can_be_retried(
    resident, staff, media_root, django_capture_on_commit_callbacks
):
    dispatch = create_arrival_notice(resident=resident, by=staff)
    # A form that disappeared after the dispatch was made (e.g. a deployment mistake).
    dispatch.template = "removed_form.html"
    dispatch.save()
    with pytest.raises(DispatchRenderError):
        dispatch_render(dispatch_id=dispatch.pk)
    dispatch.refresh_from_db()
    assert dispatch.state == Dispatch.State.RENDER_FAILED
    assert dispatch.attempts == 1 and dispatch.render_count == 0
    assert dispatch.last_error == "TemplateDoesNotExist"
    assert not files_of(dispatch, media_root)
    assert not dispatch.pdf

    dispatch.template = "arrival_notice.html"
    dispatch.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        dispatch_retry_render(dispatch=dispatch, by=staff)
    assert len(callbacks) == 1
    assert Dispatch.objects.get(pk=dispatch.pk).state == Dispatch.State.QUEUED
    dispatch_render(dispatch_id=dispatch.pk)
    dispatch.refresh_from_db()
    assert dispatch.state == Dispatch.State.RENDERED
    assert dispatch.attempts == 2 and dispatch.render_count == 1
    assert dispatch.last_error == ""


def test_retry_is_refused_unless_the_render_failed(resident, staff):
    dispatch = create_arrival_notice(resident=resident, by=staff)
    with pytest.raises(ValidationError, match="failed"):
        dispatch_retry_render(dispatch=dispatch, by=staff)


def test_draft_is_not_rendered_until_queued(resident, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        dispatch = create_arrival_notice(resident=resident, by=staff, queue=False)
    assert callbacks == [] and dispatch.state == Dispatch.State.DRAFT
    dispatch_render(dispatch_id=dispatch.pk)
    assert Dispatch.objects.get(pk=dispatch.pk).state == Dispatch.State.DRAFT
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        dispatch_queue(dispatch=dispatch, by=staff)
    assert len(callbacks) == 1
    with pytest.raises(ValidationError):
        dispatch_queue(dispatch=dispatch, by=staff)


def test_requeue_stale_picks_only_old_queued_dispatches(
    resident, staff, django_capture_on_commit_callbacks
):
    old = create_arrival_notice(resident=resident, by=staff)
    old.created_at = timezone.now() - timedelta(hours=1)
    old.save()
    create_arrival_notice(
        resident=resident, by=staff, version=2
    )  # fresh: its message is on its way
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert dispatches_requeue_stale(older_than=timedelta(minutes=10)) == 1
    assert len(callbacks) == 1
    if EAGER:
        assert Dispatch.objects.get(pk=old.pk).state == Dispatch.State.RENDERED


# --- sent -----------------------------------------------------------------------------------


def test_x_1_sent_dispatch_is_never_rendered_again_or_changed(resident, staff, media_root):
    dispatch = create_arrival_notice(resident=resident, by=staff)
    dispatch_render(dispatch_id=dispatch.pk)
    dispatch = dispatch_mark_sent(dispatch=Dispatch.objects.get(pk=dispatch.pk), by=staff)
    assert dispatch.state == Dispatch.State.SENT and dispatch.sent_by == staff
    assert TimelineEvent.objects.filter(kind="dispatch_sent", rule_id="MOT-1").count() == 1
    path = Path(dispatch.pdf.path)
    content = path.read_bytes()
    history = dispatch.history.count()

    assert dispatch_render(dispatch_id=dispatch.pk).state == Dispatch.State.SENT
    render_dispatch(dispatch.pk)
    with pytest.raises(ValidationError, match="already"):
        dispatch_mark_sent(dispatch=dispatch, by=staff)
    with pytest.raises(ValidationError):
        dispatch_retry_render(dispatch=dispatch, by=staff)
    with pytest.raises(ValidationError):
        dispatch_queue(dispatch=dispatch, by=staff)
    # The same content, version 1 again: the existing sent dispatch, not a new one.
    assert create_arrival_notice(resident=resident, by=staff).pk == dispatch.pk

    after = Dispatch.objects.get(pk=dispatch.pk)
    assert after.history.count() == history
    assert (after.state, after.sha256, after.render_count) == ("sent", dispatch.sha256, 1)
    assert path.read_bytes() == content
    assert files_of(dispatch, media_root) == [path]


def test_cannot_mark_sent_before_the_pdf_exists(resident, staff):
    dispatch = create_arrival_notice(resident=resident, by=staff)
    with pytest.raises(ValidationError, match="PDF"):
        dispatch_mark_sent(dispatch=dispatch, by=staff)
    assert Dispatch.objects.get(pk=dispatch.pk).state == Dispatch.State.QUEUED


def test_sent_time_cannot_be_in_the_future(resident, staff):
    dispatch = create_arrival_notice(resident=resident, by=staff)
    dispatch_render(dispatch_id=dispatch.pk)
    with pytest.raises(ValidationError, match="future"):
        dispatch_mark_sent(dispatch=dispatch, by=staff, at=timezone.now() + timedelta(hours=1))
    assert Dispatch.objects.get(pk=dispatch.pk).state == Dispatch.State.RENDERED
