"""Filters for the Norwegian form templates: the stored content has dates as ISO strings."""

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.dateparse import parse_date, parse_datetime

register = template.Library()


def _as_date_or_datetime(value):
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value:
        return None
    try:
        # A bare date must stay a date: parse_datetime would read it as midnight.
        return parse_date(value) or parse_datetime(value)
    except ValueError:
        return None


@register.filter
def dato(value):
    """22. november 2026 (a date) or 22. november 2026 kl. 14.30 (a time, in local time)."""
    parsed = _as_date_or_datetime(value)
    if parsed is None:
        return value or ""
    if isinstance(parsed, datetime):
        if timezone.is_aware(parsed):
            parsed = timezone.localtime(parsed)
        return date_format(parsed, "j. F Y \\k\\l. H.i")
    return date_format(parsed, "j. F Y")
