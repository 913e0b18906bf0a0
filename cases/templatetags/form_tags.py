"""Filters for dates (the Norwegian form templates store them as ISO strings; staff pages show
the same Norwegian form) and for rendering form fields with Designsystemet."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django import template
from django.forms import RadioSelect
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

register = template.Library()

# The forms are Norwegian documents: their times are Norwegian wall-clock times, whatever
# time zone the request or worker happens to have active.
OSLO = ZoneInfo("Europe/Oslo")


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


def norwegian_date(value) -> str:
    """01.12.2026 for a date, 01.12.2026 kl. 14.05 for a date-time (in Europe/Oslo).

    Takes a date, a datetime or their ISO strings; empty gives "", anything else is
    returned as it is, so a malformed value shows rather than vanishes.
    """
    parsed = _as_date_or_datetime(value)
    if parsed is None:
        return "" if value is None else str(value)
    if isinstance(parsed, datetime):
        if timezone.is_aware(parsed):
            parsed = parsed.astimezone(OSLO)
        return f"{_day(parsed)} kl. {parsed.hour:02d}.{parsed.minute:02d}"
    return _day(parsed)


def _day(value: date) -> str:
    # Not strftime: its %Y drops the leading zeros of years before 1000 on some platforms.
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


@register.filter
def dato(value):
    """The one date format of the forms: see norwegian_date."""
    return norwegian_date(value)


def _add_token(attrs: dict, key: str, token: str) -> None:
    tokens = attrs.get(key, "").split()
    if token not in tokens:
        attrs[key] = " ".join([*tokens, token])


@register.filter
def ds(bound_field):
    """The field's widget as a Designsystemet input (`ds-input`), described by its help text
    and its error messages (the ids the shared field partial gives them).

    Sets the attributes on this form's own copy of the widget, so options of a radio or
    checkbox list get them too.
    """
    widget = bound_field.field.widget
    _add_token(widget.attrs, "class", "ds-input")
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}_error")
    for token in described_by:
        _add_token(widget.attrs, "aria-describedby", token)
    return bound_field


@register.filter
def is_choice_list(bound_field) -> bool:
    """Radio buttons or checkboxes, one per choice: shown as a fieldset with a legend."""
    return isinstance(bound_field.field.widget, RadioSelect)


@register.filter
def with_rule_ids(rows) -> list:
    """The rows that name a rule (`rule_id`), for the folded references part of a page."""
    return [row for row in rows if getattr(row, "rule_id", "")]


@register.filter
def step_rule_ids(rows) -> list[tuple[str, str]]:
    """(step label, its rule ids) of the checklist rows whose step names rules."""
    found = []
    for row in rows:
        ids = getattr(row.step, "rule_ids", None) or (getattr(row.step, "rule_id", ""),)
        joined = ", ".join(i for i in ids if i)
        if joined:
            found.append((row.step.label, joined))
    return found


@register.filter
def with_step_urls(deadlines) -> list:
    """The deadlines, each with `step_url`: its step on the case page when a routine case owns
    it, else "" (no queries: content types are cached)."""
    from ..selectors_work import deadline_links

    rows = list(deadlines or [])
    links = deadline_links(rows)
    for row in rows:
        row.step_url = links.get(row.pk, "")
    return rows
