"""Dispatches (X-1, X-2): recorded once, rendered once, sent once, never changed after.

A dispatch freezes everything its form shows (content, sender, recipient, date) when it is
created, so rendering is a pure function of the row: a retried or redelivered render gives
the same bytes, and a render that already happened is not repeated.
"""

import hashlib
import json
import logging
import os
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rendering, rules
from ..models import Dispatch
from ..uploads import ALLOWED_TYPES
from .audit import timeline_event_record

logger = logging.getLogger(__name__)

RENDERABLE = frozenset({Dispatch.State.QUEUED, Dispatch.State.RENDER_FAILED})
# A render asked for this long ago and not running (its row unlocked) is asked for again; with
# the requeue running every minute a render lost with its worker is done within two minutes.
REQUEUE_AFTER = timedelta(seconds=45)
# Celery's own retries of a failed render (cases.tasks_dispatch.render_dispatch) plus the first.
AUTOMATIC_ATTEMPTS = 6

PROBLEM_MESSAGES = {
    rules.Problem.UNKNOWN_PURPOSE: lambda: _("Unknown purpose of the notice."),
    rules.Problem.UNKNOWN_RECIPIENT_KIND: lambda: _("Unknown kind of recipient."),
    rules.Problem.RECIPIENT_NOT_ALLOWED: lambda: _(
        "A notice of this kind may not be sent to this recipient."
    ),
    rules.Problem.CHANNEL_NOT_ALLOWED: lambda: _(
        "A notice of this kind may not be sent by this channel."
    ),
}


class DispatchRenderError(Exception):
    """A render failed. The failure is recorded on the row; the task retries."""


# --- creating -------------------------------------------------------------------------------


def dispatch_key(
    *, owner_ct_id: int, owner_id: int, recipient_identity: str, purpose: str, version: int
) -> str:
    """The idempotency key: one dispatch per (case, recipient, purpose, version)."""
    raw = f"{owner_ct_id}|{owner_id}|{recipient_identity}|{purpose}|{version}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _recipient_identity(*, recipient, recipient_kind: str, recipient_name: str) -> str:
    if recipient is not None:
        return f"directory:{recipient.pk}"
    return f"{recipient_kind}:{' '.join(recipient_name.split()).casefold()}"


def consent_is_valid(*, subject: models.Model, recipient_kind: str, purpose: str, at: datetime):
    """KART-13: asks the consent register. Imported here so this module loads on its own."""
    from .consents import consent_is_valid_for

    return consent_is_valid_for(
        subject=subject, recipient_kind=recipient_kind, purpose=purpose, at=at
    )


def letterhead_for(subject: models.Model, *, by) -> dict:
    """Sender data from the subject's centre (a resident's, or a case's resident's)."""
    centre = getattr(subject, "centre", None)
    if centre is None:
        centre = getattr(getattr(subject, "resident", None), "centre", None)
    head = {"signer": by.get_full_name()}
    if centre is not None:
        head.update(
            name=centre.name,
            address=getattr(centre, "address", ""),
            phone=getattr(centre, "phone", ""),
        )
    return head


def _frozen(value: dict, message: str) -> dict:
    """The JSON the row will hold, so the returned object renders exactly like a re-read one."""
    if not isinstance(value, dict):
        raise ValidationError(message)
    try:
        return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    except (TypeError, ValueError):
        raise ValidationError(message) from None


def _resolve_recipient(*, recipient, recipient_kind, recipient_name, recipient_address):
    """(kind, name, address) of a directory entry or of a named recipient."""
    if recipient is not None:
        if recipient_name:
            raise ValidationError(_("Choose a recipient from the directory or name one, not both."))
        if recipient_kind and recipient_kind != recipient.kind:
            raise ValidationError(_("The kind of recipient does not match the directory entry."))
        return recipient.kind, recipient.name, recipient.address
    name = " ".join((recipient_name or "").split())
    if not name:
        raise ValidationError(_("Choose a recipient from the directory or name one."))
    if not recipient_kind:
        raise ValidationError(_("Say what kind of recipient this is."))
    return recipient_kind, name, (recipient_address or "").strip()


def _check(
    *, purpose, recipient_kind, channel, template, legal_basis, routine_reference, address, version
):
    problems = rules.dispatch_problems(
        purpose=purpose, recipient_kind=recipient_kind, channel=channel
    )
    errors = [PROBLEM_MESSAGES[p]() for p in problems]
    if channel not in Dispatch.Channel.values:
        errors.append(_("Unknown channel."))
    if channel == Dispatch.Channel.POST and not address:
        errors.append(_("A notice by post needs the recipient's address."))
    if template not in rendering.form_names():
        errors.append(_("Unknown form."))
    if not (legal_basis or "").strip() and not (routine_reference or "").strip():
        errors.append(_("State the legal basis for giving out the information."))
    if not isinstance(version, int) or version < 1:
        errors.append(_("The version must be a whole number from 1."))
    if errors:
        raise ValidationError(errors)


def dispatch_create(
    *,
    owner: models.Model,
    subject: models.Model,
    channel: str,
    legal_basis: str,
    template: str,
    purpose: str,
    context: dict,
    by,
    routine_reference: str = "",
    recipient=None,
    recipient_name: str = "",
    recipient_address: str = "",
    recipient_kind: str = "",
    version: int = 1,
    letterhead: dict | None = None,
    queue: bool = True,
    step_code: str = "",
    enclosures=(),
    enclosed_files=(),
    consent_decision: str = "",
) -> Dispatch:
    """Record a notice and queue its render. The same (case, recipient, purpose, version)
    again gives the existing dispatch: a double click or a retried task makes one.

    `consent_decision` (R-14): where the routine makes the transfer mandatory and the consent
    is missing, a centre leader's reasons for sending all the same; refused from anyone else,
    recorded on the subject's timeline and frozen into the notice's content."""
    kind, name, address = _resolve_recipient(
        recipient=recipient,
        recipient_kind=recipient_kind,
        recipient_name=recipient_name,
        recipient_address=recipient_address,
    )
    _check(
        purpose=purpose,
        recipient_kind=kind,
        channel=channel,
        template=template,
        legal_basis=legal_basis,
        routine_reference=routine_reference,
        address=address,
        version=version,
    )
    content = _frozen(context, _("The content of the notice cannot be stored."))
    if rendering.RESERVED_KEYS & content.keys():
        raise ValidationError(_("The content of the notice uses a reserved name."))
    head = _frozen(
        letterhead if letterhead is not None else letterhead_for(subject, by=by),
        _("The sender cannot be stored."),
    )
    owner_ct = ContentType.objects.get_for_model(owner)
    key = dispatch_key(
        owner_ct_id=owner_ct.pk,
        owner_id=owner.pk,
        recipient_identity=_recipient_identity(
            recipient=recipient, recipient_kind=kind, recipient_name=name
        ),
        purpose=purpose,
        version=version,
    )
    existing = Dispatch.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    now = timezone.now()
    without_consent = rules.consent_needed(
        purpose=purpose, recipient_kind=kind
    ) and not consent_is_valid(subject=subject, recipient_kind=kind, purpose=purpose, at=now)
    if without_consent:
        _check_consent_decision(consent_decision, by=by)
        content["consent_decision"] = consent_decision.strip()
    try:
        with transaction.atomic():
            dispatch = Dispatch.objects.create(
                owner_ct=owner_ct,
                owner_id=owner.pk,
                subject_ct=ContentType.objects.get_for_model(subject),
                subject_id=subject.pk,
                recipient=recipient,
                recipient_name=name,
                recipient_address=address,
                recipient_kind=kind,
                channel=channel,
                legal_basis=legal_basis.strip(),
                routine_reference=routine_reference.strip(),
                template=template,
                purpose=purpose,
                step_code=step_code,
                version=version,
                context=content,
                letterhead=head,
                idempotency_key=key,
                state=Dispatch.State.QUEUED if queue else Dispatch.State.DRAFT,
                created_by=by,
                enclosed_files=_enclosed_files_checked(enclosed_files),
            )
            if enclosures:
                dispatch.enclosures.set(enclosures)
            if without_consent:
                timeline_event_record(
                    subject=subject,
                    kind="dispatch_consent_decision",
                    actor=by,
                    at=now,
                    rule_id="R-14",
                    summary=_("Sent without the consent on a leader's recorded decision"),
                )
            timeline_event_record(
                subject=subject,
                kind="dispatch_created",
                actor=by,
                at=now,
                rule_id=_first_rule_id(purpose),
                summary=_("%(purpose)s to %(recipient)s prepared")
                % {"purpose": rules.purpose_label(purpose), "recipient": name},
            )
            if queue:
                _queue_render_on_commit(dispatch.pk)
    except IntegrityError:
        # A concurrent double submit won the race on the idempotency key.
        existing = Dispatch.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return existing
    return dispatch


def _check_consent_decision(reason: str, *, by) -> None:
    """R-14: no silent block and no silent sending — a leader's reasons, or a refusal."""
    from .deadlines import can_waive

    if not (reason or "").strip():
        raise ValidationError(
            _("There is no valid consent for giving this information to this recipient.")
        )
    if not can_waive(by):
        raise ValidationError(_("Only a centre leader may decide to send without the consent."))


def _first_rule_id(purpose: str) -> str:
    rule = rules.RULES.get(purpose)
    return rule.rule_ids[0] if rule and rule.rule_ids else ""


def _queue_render(dispatch_id: int) -> None:
    from ..tasks_dispatch import render_dispatch

    render_dispatch.delay(dispatch_id)


def _queue_render_on_commit(dispatch_id: int) -> None:
    # robust: a broker that is down must not fail the request after the commit; the row
    # stays queued and dispatches_requeue_stale picks it up.
    # A named function, not functools.partial: Django logs a failed robust callback by its
    # __qualname__, which a partial lacks, so the broker's error became an AttributeError
    # raised after the commit (found by bench/fault_campaign.py with the broker cut).
    def queue_render() -> None:
        _queue_render(dispatch_id)

    transaction.on_commit(queue_render, robust=True)


def dispatch_queue(*, dispatch: Dispatch, by) -> Dispatch:
    """A draft is approved: queue its render."""
    return _queue_from(dispatch, Dispatch.State.DRAFT, _("Only a draft can be queued."))


def _queue_from(dispatch: Dispatch, state: str, refusal: str) -> Dispatch:
    """Move a dispatch in `state` back to the render queue, or refuse."""
    with transaction.atomic():
        locked = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
        if locked.state != state:
            raise ValidationError(refusal)
        locked.state = Dispatch.State.QUEUED
        locked.queued_at = timezone.now()
        locked.save()
        _queue_render_on_commit(locked.pk)
    return locked


# --- rendering ------------------------------------------------------------------------------


def dispatch_reference(dispatch: Dispatch) -> str:
    return f"{timezone.localdate(dispatch.created_at):%Y}/{dispatch.pk}"


def dispatch_html(dispatch: Dispatch, *, preview: bool = False) -> str:
    """The form as HTML, from the row alone."""
    context = rendering.form_context(
        data=dispatch.context,
        letterhead=dispatch.letterhead,
        recipient_name=dispatch.recipient_name,
        recipient_address=dispatch.recipient_address,
        reference=dispatch_reference(dispatch),
        dated=timezone.localdate(dispatch.created_at),
        channel=dispatch.channel,
        legal_basis=dispatch.legal_basis,
        routine_reference=dispatch.routine_reference,
    )
    return rendering.render_form_html(dispatch.template, context, preview=preview)


def form_printout_pdf(
    *,
    subject: models.Model,
    template: str,
    context: dict,
    by,
    recipient: dict,
    legal_basis: str = "",
    routine_reference: str = "",
    enclosed_files=(),
) -> bytes:
    """A form printed for the centre's own use — to be signed, or kept on file — the same
    layout as the notice it may later become. Nothing is recorded or sent: the caller has
    checked access and read-logs the printout."""
    kind, name, address = _resolve_recipient(
        recipient=recipient.get("recipient"),
        recipient_kind=recipient.get("recipient_kind", ""),
        recipient_name=recipient.get("recipient_name", ""),
        recipient_address=recipient.get("recipient_address", ""),
    )
    del kind
    page = rendering.form_context(
        data=_frozen(context, _("The content of the notice cannot be stored.")),
        letterhead=_frozen(letterhead_for(subject, by=by), _("The sender cannot be stored.")),
        recipient_name=name,
        recipient_address=address,
        reference="",
        dated=timezone.localdate(),
        channel="by_hand",
        legal_basis=legal_basis,
        routine_reference=routine_reference,
    )
    pdfs = [rendering.html_to_pdf(rendering.render_form_html(template, page))]
    for enclosed in _enclosed_files_checked(enclosed_files):
        with default_storage.open(enclosed["name"], "rb") as file:
            pdfs.append(
                rendering.file_as_pdf(file.read(), enclosed["mime"], label=enclosed["label"])
            )
    return rendering.pdfs_merged(pdfs)


def _file_name(dispatch_id: int, sha256: str) -> str:
    # Numbers only: no personal data in file names. A thousand dispatches per folder.
    return f"{dispatch_id // 1000:06d}/{dispatch_id}-{sha256[:16]}.pdf"


def _storage():
    return Dispatch._meta.get_field("pdf").storage


def _remove_unrecorded_files(dispatch_id: int) -> None:
    """Files of an attempt that died before its commit (the row lock is ours now)."""
    folder = Path(_storage().path(_file_name(dispatch_id, "0" * 16))).parent
    if not folder.is_dir():
        return
    for stale in [*folder.glob(f"{dispatch_id}-*.pdf"), *folder.glob(f".{dispatch_id}-*.tmp")]:
        stale.unlink(missing_ok=True)


def _write_atomically(name: str, content: bytes) -> None:
    """Temp file in the same folder, fsync, rename: the final name never holds half a PDF."""
    path = Path(_storage().path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    prefix = "." + path.name.split("-", 1)[0] + "-"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _test_delay() -> None:
    # Test hook: CASES_RENDER_TEST_DELAY (seconds) holds a render after its file is written
    # and before the commit, so a test can kill the worker mid-render. Never set otherwise.
    delay = float(os.environ.get("CASES_RENDER_TEST_DELAY") or 0)
    if delay > 0:
        time.sleep(delay)


def _safe_error(exc: BaseException) -> str:
    """The kind of failure without its message: messages can quote the notice's content."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{type(exc).__name__}: {exc.strerror}"[:300]
    return type(exc).__name__[:300]


def dispatch_render(*, dispatch_id: int) -> Dispatch | None:
    """Render the PDF once. A rendered or sent dispatch is left alone, so a retried or
    redelivered task is harmless; two renders of one dispatch wait for each other's lock."""
    written = None
    try:
        with transaction.atomic():
            dispatch = Dispatch.objects.select_for_update().filter(pk=dispatch_id).first()
            if dispatch is None or dispatch.state not in RENDERABLE:
                return dispatch
            _remove_unrecorded_files(dispatch.pk)
            pdf = rendering.pdfs_merged(
                [rendering.html_to_pdf(dispatch_html(dispatch)), *_enclosed_pdfs(dispatch)]
            )
            sha256 = hashlib.sha256(pdf).hexdigest()
            written = _file_name(dispatch.pk, sha256)
            _write_atomically(written, pdf)
            _test_delay()
            dispatch.pdf.name = written
            dispatch.sha256 = sha256
            dispatch.state = Dispatch.State.RENDERED
            dispatch.rendered_at = timezone.now()
            dispatch.render_count += 1
            dispatch.attempts += 1
            dispatch.last_error = ""
            dispatch.save()
    except Exception as exc:
        if written:
            Path(_storage().path(written)).unlink(missing_ok=True)
        _record_failure(dispatch_id=dispatch_id, error=_safe_error(exc))
        raise DispatchRenderError(f"dispatch {dispatch_id}: {_safe_error(exc)}") from exc
    return dispatch


def _enclosed_pdfs(dispatch: Dispatch) -> list[bytes]:
    """The PDFs of the enclosed notices, each rendered first if it is not yet (a render is
    done once, so the copy is the very document its recipient got), then the enclosed
    uploads."""
    pdfs = []
    for enclosure in dispatch.enclosures.order_by("pk"):
        rendered = dispatch_render(dispatch_id=enclosure.pk)
        with rendered.pdf.open("rb") as file:
            pdfs.append(file.read())
    for enclosed in dispatch.enclosed_files:
        with default_storage.open(enclosed["name"], "rb") as file:
            pdfs.append(
                rendering.file_as_pdf(file.read(), enclosed["mime"], label=enclosed["label"])
            )
    return pdfs


def _enclosed_files_checked(files) -> list[dict]:
    """Uploads to enclose: stored files of a type the renderer can print."""
    checked = []
    for entry in files:
        if entry.get("mime") not in ALLOWED_TYPES or not entry.get("name"):
            raise ValidationError(_("This file cannot be enclosed with the notice."))
        checked.append(
            {"name": entry["name"], "mime": entry["mime"], "label": str(entry.get("label", ""))}
        )
    return checked


def _record_failure(*, dispatch_id: int, error: str) -> None:
    logger.warning("dispatch %s: render failed: %s", dispatch_id, error)
    try:
        with transaction.atomic():
            dispatch = Dispatch.objects.select_for_update().filter(pk=dispatch_id).first()
            if dispatch is None or dispatch.state not in RENDERABLE:
                return
            dispatch.state = Dispatch.State.RENDER_FAILED
            dispatch.attempts += 1
            dispatch.last_error = error
            dispatch.queued_at = timezone.now()
            dispatch.save()
    except Exception as exc:  # the database itself may be what failed
        logger.warning(
            "dispatch %s: could not record the failure: %s", dispatch_id, _safe_error(exc)
        )


def dispatch_retry_render(*, dispatch: Dispatch, by) -> Dispatch:
    """Staff ask again for a render that failed."""
    return _queue_from(
        dispatch,
        Dispatch.State.RENDER_FAILED,
        _("Only a dispatch whose rendering failed can be retried."),
    )


def dispatches_requeue_stale(*, older_than: timedelta = REQUEUE_AFTER) -> int:
    """Ask again for the renders whose message was lost: the broker was down at the commit,
    or the whole worker died holding the message (Redis would hand it out again only after
    its visibility timeout, an hour).

    The lease is the row lock: a live render holds its dispatch's row for its whole
    transaction, so it is skipped here (SKIP LOCKED); a dead worker's connection is gone and
    PostgreSQL has dropped its lock. `queued_at` stamps every ask, so a render still waiting its
    turn in the broker is asked for again at most once per `older_than`. A second message is
    harmless: dispatch_render renders under the row lock and only a row still to be rendered.
    A failed render is asked for again until AUTOMATIC_ATTEMPTS are used up; then it waits for
    staff to retry it."""
    cutoff = timezone.now() - older_than
    waiting = models.Q(state=Dispatch.State.QUEUED) | models.Q(
        state=Dispatch.State.RENDER_FAILED, attempts__lt=AUTOMATIC_ATTEMPTS
    )
    asked_long_ago = models.Q(queued_at__lt=cutoff) | models.Q(
        queued_at__isnull=True, created_at__lt=cutoff
    )
    with transaction.atomic():
        stale = list(
            Dispatch.objects.select_for_update(skip_locked=True)
            .filter(waiting & asked_long_ago)
            .order_by("pk")[:500]
        )
        for dispatch in stale:
            dispatch.queued_at = timezone.now()
            dispatch.save(update_fields=["queued_at"])
            _queue_render_on_commit(dispatch.pk)
    return len(stale)


# --- sending --------------------------------------------------------------------------------


def dispatch_mark_sent(
    *, dispatch: Dispatch, by, at: datetime | None = None, reference: str = ""
) -> Dispatch:
    """Record that the rendered notice went out or was handed over, with the recipient's
    reference when given. After this nothing about it changes.

    R-13: a routine step whose work is this notice is met now, in the same transaction
    (cases.services.routines.routine_dispatch_sent), not when the notice was made.
    """
    from .routines import routine_dispatch_sent

    at = at or timezone.now()
    with transaction.atomic():
        locked = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
        if locked.state == Dispatch.State.SENT:
            raise ValidationError(_("This notice has already been recorded as sent."))
        if locked.state != Dispatch.State.RENDERED:
            raise ValidationError(_("The notice can be sent once its PDF has been made."))
        if at > timezone.now() + timedelta(minutes=1):
            raise ValidationError(_("The time it was sent cannot be in the future."))
        locked.state = Dispatch.State.SENT
        locked.sent_at = at
        locked.sent_by = by
        locked.sent_reference = (reference or "").strip()[:100]
        locked.save()
        timeline_event_record(
            subject=locked.subject,
            kind="dispatch_sent",
            actor=by,
            at=at,
            rule_id=_first_rule_id(locked.purpose),
            summary=_("%(purpose)s sent to %(recipient)s (%(channel)s)")
            % {
                "purpose": rules.purpose_label(locked.purpose),
                "recipient": locked.recipient_name,
                "channel": locked.get_channel_display(),
            },
        )
        routine_dispatch_sent(dispatch=locked, by=by)
    return locked
