"""Panels of the case engine for other apps' pages (resident page, case pages).

{% load cases_panels %}
{% consents_panel resident %}
{% checklist_panel leave_application "perm_4_preparation" %}
{% timeline_panel resident %}
"""

from django import template

from ..selectors import timeline_for
from ..views_checklists import checklist_panel_context
from ..views_consents import consents_panel_context

register = template.Library()


def _with_request(context, values: dict) -> dict:
    values["request"] = context.get("request")
    values["csrf_token"] = context.get("csrf_token")
    return values


@register.inclusion_tag("cases/consents/_consents.html", takes_context=True)
def consents_panel(context, subject, may_change=None):
    """`may_change`: the page's own answer, when it has one, saves asking the access layer."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return _with_request(
        context, consents_panel_context(subject=subject, user=user, may_change=may_change)
    )


@register.inclusion_tag("cases/checklists/_checklist.html", takes_context=True)
def checklist_panel(context, owner, checklist: str):
    return _with_request(context, checklist_panel_context(owner=owner, checklist=checklist))


@register.inclusion_tag("cases/timeline/_timeline.html", takes_context=True)
def timeline_panel(context, subject, limit: int = 50):
    return _with_request(context, {"events": list(timeline_for(subject, limit=limit))})
