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
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import DeadlineAlert, Notification

logger = logging.getLogger(__name__)


class EmailEntry(NamedTuple):
    address: str
    kind: str
    place: str
    path: str


def notification_email_text(*, kind: str, place: str, count: int) -> str:
    if kind == DeadlineAlert.Kind.ESCALATION:
        return ngettext(
            "%(count)d deadline overdue at %(place)s",
            "%(count)d deadlines overdue at %(place)s",
            count,
        ) % {"count": count, "place": place}
    if kind == DeadlineAlert.Kind.OPENED:
        return ngettext(
            "%(count)d urgent deadline opened at %(place)s",
            "%(count)d urgent deadlines opened at %(place)s",
            count,
        ) % {"count": count, "place": place}
    if kind == DeadlineAlert.Kind.UNDONE:
        return ngettext(
            "%(count)d urgent deadline still undone at %(place)s",
            "%(count)d urgent deadlines still undone at %(place)s",
            count,
        ) % {"count": count, "place": place}
    return ngettext(
        "%(count)d deadline falls due soon at %(place)s",
        "%(count)d deadlines fall due soon at %(place)s",
        count,
    ) % {"count": count, "place": place}


def _email_subject(kind: str) -> str:
    if kind == DeadlineAlert.Kind.ESCALATION:
        return _("Deadline overdue")
    if kind == DeadlineAlert.Kind.OPENED:
        return _("Urgent deadline")
    if kind == DeadlineAlert.Kind.UNDONE:
        return _("Urgent deadline still undone")
    return _("Deadline reminder")


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
