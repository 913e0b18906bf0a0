"""Recording, withdrawing and asking about consents (KART-13, X-2)."""

from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import consent_rules
from ..consent_rules import GivenBy, RecipientKind
from ..models import Consent
from ..uploads import stored_file_delete, upload_check
from .audit import timeline_event_record

GIVER_MESSAGES = {
    "unknown_giver": lambda: _("Choose who gave the consent."),
    "before_birth": lambda: _("The consent cannot be signed before the date of birth."),
    "minor_cannot_consent": lambda: _(
        "The resident was under 18 on that day: the representative must give the consent."
    ),
    "adult_consents_self": lambda: _(
        "The resident was 18 or older on that day: only the resident can give the consent."
    ),
}


def resident_for(subject: models.Model) -> models.Model:
    """The resident a case subject belongs to (the subject itself, or its `resident`)."""
    return getattr(subject, "resident", None) or subject


def _date_of_birth(subject: models.Model, given: date | None) -> date | None:
    return given or getattr(resident_for(subject), "date_of_birth", None)


def _check_consent(
    *,
    given_by: str,
    given_by_name: str,
    purpose: str,
    recipient_kinds,
    given_on: date,
    date_of_birth: date | None,
) -> None:
    errors = []
    if not (given_by_name or "").strip():
        errors.append(_("Give the name of the person who signed."))
    if not consent_rules.is_consentable(purpose):
        errors.append(_("Choose what the consent is for."))
    if not recipient_kinds and consent_rules.names_recipients(purpose):
        errors.append(_("Choose at least one recipient the consent covers."))
    elif recipient_kinds and not consent_rules.names_recipients(purpose):
        errors.append(_("This consent is not to a transfer: it names no recipients."))
    elif consent_rules.unknown_recipient_kinds(recipient_kinds):
        errors.append(_("Some of the recipients are not known."))
    if given_on > timezone.localdate():
        errors.append(_("The consent cannot be signed in the future."))
    if date_of_birth is None:
        errors.append(_("The date of birth is needed to know who may consent."))
    else:
        problem = consent_rules.consent_giver_problem(
            given_by=given_by, date_of_birth=date_of_birth, given_on=given_on, purpose=purpose
        )
        if problem:
            errors.append(GIVER_MESSAGES[problem]())
    if errors:
        raise ValidationError(errors)


def _recipients_text(kinds) -> str:
    labels = dict(RecipientKind.choices)
    return ", ".join(str(labels[k]) for k in kinds)


def consent_record(
    *,
    subject: models.Model,
    given_by: str,
    given_by_name: str,
    purpose: str,
    recipient_kinds,
    given_on: date,
    declaration_file,
    by,
    subject_date_of_birth: date | None = None,
    purpose_note: str = "",
) -> Consent:
    """Record a signed consent with its declaration; all or nothing (no row, no file on failure).

    The date of birth is taken from the resident unless given. The giver must be one who
    may consent for this purpose on the signing day (consent_rules.consent_giver_problem:
    KART-13, and R-15 where the purpose's row lets the resident consent before 18).
    """
    kinds = sorted(set(recipient_kinds or []))
    date_of_birth = _date_of_birth(subject, subject_date_of_birth)
    _check_consent(
        given_by=given_by,
        given_by_name=given_by_name,
        purpose=purpose,
        recipient_kinds=kinds,
        given_on=given_on,
        date_of_birth=date_of_birth,
    )
    upload = upload_check(declaration_file)
    consent = Consent(
        subject_ct=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        given_by=given_by,
        given_by_name=given_by_name.strip(),
        purpose=purpose,
        purpose_note=purpose_note.strip(),
        recipient_kinds=kinds,
        given_on=given_on,
        valid_until=consent_rules.consent_valid_until(
            given_by=given_by, date_of_birth=date_of_birth
        ),
        declaration_mime=upload.mime,
        declaration_sha256=upload.sha256,
        created_by=by,
    )
    try:
        with transaction.atomic():
            # The file is written inside the transaction and removed again if it fails.
            consent.declaration.save(f"declaration.{upload.extension}", upload.file, save=False)
            consent.save()
            timeline_event_record(
                subject=resident_for(subject),
                kind="consent_recorded",
                actor=by,
                rule_id="KART-13",
                summary=_("Consent recorded (%(giver)s) for %(purpose)s: %(recipients)s")
                % {
                    "giver": consent.get_given_by_display(),
                    "purpose": consent.get_purpose_display(),
                    "recipients": _recipients_text(kinds),
                },
            )
    except IntegrityError:
        stored_file_delete(consent.declaration.name)
        raise ValidationError(
            _("This signed declaration has already been recorded for this resident.")
        ) from None
    except BaseException:
        stored_file_delete(consent.declaration.name)
        raise
    return consent


def consent_withdraw(*, consent: Consent, by, at: datetime | None = None) -> Consent:
    """Mark a consent withdrawn from `at` (default now); it covers no transfer from then on."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        if locked.withdrawn_at is not None:
            raise ValidationError(_("This consent has already been withdrawn."))
        if at > timezone.now():
            raise ValidationError(_("A withdrawal cannot be recorded in the future."))
        if timezone.localtime(at).date() < locked.given_on:
            raise ValidationError(_("A consent cannot be withdrawn before it was given."))
        locked.withdrawn_at = at
        locked.withdrawn_by = by
        locked.save()
        timeline_event_record(
            subject=resident_for(locked.subject),
            kind="consent_withdrawn",
            actor=by,
            at=at,
            rule_id="KART-13",
            summary=_("Consent withdrawn: %(purpose)s") % {"purpose": locked.get_purpose_display()},
        )
    return locked


def _day_bounds(at: datetime | date | None) -> tuple[date, datetime, bool]:
    """(local date, instant, whole_day) for `at`; a date means the whole of that day."""
    if at is None:
        at = timezone.now()
    if isinstance(at, datetime):
        return timezone.localtime(at).date(), at, False
    next_day = datetime.combine(at + timedelta(days=1), time.min)
    return at, timezone.make_aware(next_day), True


def consents_valid_for(
    *, subject: models.Model, recipient_kind: str, purpose: str = "", at=None
) -> list[Consent]:
    """The consents that cover a transfer to `recipient_kind` on `at` (default now)."""
    day, instant, whole_day = _day_bounds(at)
    ct = ContentType.objects.get_for_model(subject)
    consents = Consent.objects.filter(subject_ct=ct, subject_id=subject.pk, given_on__lte=day)
    consents = consents.filter(Q(valid_until__isnull=True) | Q(valid_until__gt=day))
    # A consent withdrawn at any time of a day does not cover that day.
    not_withdrawn = Q(withdrawn_at__isnull=True) | (
        Q(withdrawn_at__gte=instant) if whole_day else Q(withdrawn_at__gt=instant)
    )
    consents = consents.filter(not_withdrawn)
    if purpose:
        consents = consents.filter(purpose=purpose)
    # JSON list containment differs between databases; the few rows per subject are checked here.
    return [c for c in consents if recipient_kind in c.recipient_kinds]


def consent_is_valid_for(
    *, subject: models.Model, recipient_kind: str, purpose: str = "", at=None
) -> bool:
    """KART-13: is there a consent, given on or before `at` and not withdrawn or run out by then,
    that covers this kind of recipient (and this purpose, when one is given)?"""
    return bool(
        consents_valid_for(subject=subject, recipient_kind=recipient_kind, purpose=purpose, at=at)
    )


__all__ = [
    "GivenBy",
    "consent_is_valid_for",
    "consent_record",
    "consent_withdraw",
    "consents_valid_for",
]
