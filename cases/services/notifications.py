"""Writes of staff notifications, and the e-mail that may follow an alert.

The e-mail carries no personal data: only "1 deadline overdue at <centre>" and a link to
the centre's deadline page, where the reader signs in and the access layer decides.
"""

import logging
from collections import Counter
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext_lazy

from ..models import DeadlineAlert, Notification

logger = logging.getLogger(__name__)


class EmailEntry(NamedTuple):
    address: str
    kind: str
    place: str
    path: str


# What an e-mail says per kind of alert: a count and a place, never anything about a child.
EMAIL_TEXTS = {
    DeadlineAlert.Kind.ESCALATION: ngettext_lazy(
        "%(count)d deadline overdue at %(place)s",
        "%(count)d deadlines overdue at %(place)s",
        "count",
    ),
    DeadlineAlert.Kind.OPENED: ngettext_lazy(
        "%(count)d urgent deadline opened at %(place)s",
        "%(count)d urgent deadlines opened at %(place)s",
        "count",
    ),
    DeadlineAlert.Kind.UNDONE: ngettext_lazy(
        "%(count)d urgent deadline still undone at %(place)s",
        "%(count)d urgent deadlines still undone at %(place)s",
        "count",
    ),
    DeadlineAlert.Kind.REMINDER: ngettext_lazy(
        "%(count)d deadline falls due soon at %(place)s",
        "%(count)d deadlines fall due soon at %(place)s",
        "count",
    ),
}
EMAIL_SUBJECTS = {
    DeadlineAlert.Kind.ESCALATION: gettext_lazy("Deadline overdue"),
    DeadlineAlert.Kind.OPENED: gettext_lazy("Urgent deadline"),
    DeadlineAlert.Kind.UNDONE: gettext_lazy("Urgent deadline still undone"),
    DeadlineAlert.Kind.REMINDER: gettext_lazy("Deadline reminder"),
}


def notification_email_text(*, kind: str, place: str, count: int) -> str:
    text = EMAIL_TEXTS.get(kind, EMAIL_TEXTS[DeadlineAlert.Kind.REMINDER])
    return text % {"count": count, "place": place}


def _email_subject(kind: str) -> str:
    return str(EMAIL_SUBJECTS.get(kind, EMAIL_SUBJECTS[DeadlineAlert.Kind.REMINDER]))


def notification_emails_send(entries: list[EmailEntry]) -> int:
    """One e-mail per recipient, kind and place, counting the deadlines. Returns how many went.

    A mail failure is logged and left: the in-app notification is already recorded.
    """
    counts = Counter(entries)
    messages = []
    for (address, kind, place, path), count in sorted(counts.items()):
        subject = _email_subject(kind)
        body = "\n\n".join(
            [
                notification_email_text(kind=kind, place=place, count=count),
                settings.SITE_URL.rstrip("/") + path,
            ]
        )
        messages.append(EmailMessage(subject, body, to=[address]))
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception as error:  # noqa: BLE001 - outside the system; the alert stands
        logger.warning("Deadline e-mails not sent (%s)", type(error).__name__)
        return 0


def notification_emails_queue(entries: list[EmailEntry]) -> None:
    """Send after the transaction that recorded the alerts has committed."""
    if entries and getattr(settings, "CASES_EMAIL_NOTIFICATIONS", True):
        entries = list(entries)
        transaction.on_commit(lambda: notification_emails_send(entries))


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user) -> int:
    # Notifications are not tracked by history (no personal data), so one UPDATE is fine.
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
