"""A user's access page in the admin: centre and regional-office memberships, the second
factor, and the history of every change to them. Each change goes through a service that
writes the history row (mottak/services/memberships.py, mottak/services/mfa.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .forms_account import AccessChangeForm
from .models import User
from .selectors_admin import user_access
from .services.memberships import (
    centre_membership_grant,
    centre_membership_revoke,
    region_membership_grant,
    region_membership_revoke,
)
from .services.mfa import mfa_reset

Action = AccessChangeForm.Action


def _apply(form: AccessChangeForm, *, user: User, actor: User) -> str:
    data = form.cleaned_data
    action, reason = data["action"], data["reason"]
    if action == Action.GRANT_CENTRE:
        done = centre_membership_grant(user=user, centre=data["centre"], actor=actor, reason=reason)
        return _("Access to the centre given.") if done else _("Already works at that centre.")
    if action == Action.REVOKE_CENTRE:
        centre_membership_revoke(user=user, centre=data["centre"], actor=actor, reason=reason)
        return _("Access to the centre removed.")
    if action == Action.GRANT_REGION:
        done = region_membership_grant(user=user, region=data["region"], actor=actor, reason=reason)
        return (
            _("Access to the regional office given.")
            if done
            else _("Already works at that regional office.")
        )
    if action == Action.REVOKE_REGION:
        region_membership_revoke(user=user, region=data["region"], actor=actor, reason=reason)
        return _("Access to the regional office removed.")
    mfa_reset(user=user, actor=actor, reason=reason)
    return _("The second factor is reset; the user sets it up again at the next login.")


def user_access_view(model_admin, request, user_id: int):
    user = get_object_or_404(User, pk=user_id)
    if not model_admin.has_view_or_change_permission(request, user):
        raise Http404
    form = AccessChangeForm()
    if request.method == "POST":
        if not model_admin.has_change_permission(request, user):
            raise PermissionDenied
        form = AccessChangeForm(request.POST)
        if form.is_valid():
            model_admin.message_user(
                request, _apply(form, user=user, actor=request.user), messages.SUCCESS
            )
            return HttpResponseRedirect(reverse("admin:mottak_user_access", args=[user.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Access of %(user)s") % {"user": user.get_username()},
        "access": user_access(user),
        "form": form,
        "actions": Action,
        "can_change": model_admin.has_change_permission(request, user),
    }
    return TemplateResponse(request, "admin/mottak/user/access.html", context)
