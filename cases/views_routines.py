"""One view factory for every routine's step pages: access → form → one service → back."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST


def form_errors_as_messages(request, form) -> None:
    """Every field error of a refused form, with the field's label, as a message."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def refusal_as_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def routine_step_view(
    *,
    access: Callable,
    service: Callable,
    back_to: Callable,
    form_class=None,
    done: str | Promise = "",
    form_kwargs: dict | None = None,
    pk_kwarg: str = "pk",
):
    """A POST-only step view.

    `access(user, pk)` answers the case the user may change, or raises Http404;
    `service(case, by, data)` performs the step (data: the form's cleaned data, or {});
    `back_to(case)` is the page to go back to. A refusal is shown there and nothing is
    saved; an action the user may not take answers like a missing case (404).
    """

    @login_required
    @require_POST
    def view(request, **url_kwargs):
        case = access(request.user, url_kwargs[pk_kwarg])
        data = {}
        if form_class is not None:
            form = form_class(request.POST, request.FILES, **(form_kwargs or {}))
            if not form.is_valid():
                form_errors_as_messages(request, form)
                return redirect(back_to(case))
            data = form.cleaned_data
        try:
            service(case, request.user, data)
        except ValidationError as error:
            refusal_as_messages(request, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, str(done) if done else _("Saved."))
        return redirect(back_to(case))

    return view
