"""The admin site, with a read log of the personal data it shows (X-4).

Every model admin's view passes through AdminSite.admin_view. For a model with personal data
(holds_personal_data), a
successful GET of a change page, a list page or a history page writes ReadLog rows: one per
record opened, one per record on the list page."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType

from cases.models import ReadLog
from cases.services import read_log_record_many

READ_VIEWS = {
    "change_view": ReadLog.Action.VIEW,
    "history_view": ReadLog.Action.HISTORY,
    "history_form_view": ReadLog.Action.HISTORY,
    "changelist_view": ReadLog.Action.VIEW,
}


def holds_personal_data(model, _seen: frozenset = frozenset()) -> bool:
    """A resident; a record with a generic link to a record; or a record that points (by
    foreign key, a few steps at most) at one of those: a missing report's phone call, a
    mapping's entry, a return case's conversation."""
    opts = model._meta
    if opts.label == "cases.ReadLog":  # reading the log is not a read of a record
        return False
    if opts.label == "mottak.Resident" or any(
        isinstance(f, GenericForeignKey) for f in opts.private_fields
    ):
        return True
    if len(_seen) >= 3:
        return False
    return any(
        holds_personal_data(f.related_model, _seen | {opts.label})
        for f in opts.get_fields()
        if (f.many_to_one or f.one_to_one)
        and f.concrete
        and f.related_model is not None
        and f.related_model._meta.label not in _seen | {opts.label}
    )


def _integer_pk(value) -> int | None:
    try:
        return int(unquote(str(value)))
    except (TypeError, ValueError):
        return None


def read_log_admin_response(request, model_admin, view_name: str, kwargs, response) -> None:
    if request.method != "GET" or response.status_code != 200:
        return
    model = model_admin.model
    if view_name not in READ_VIEWS or not holds_personal_data(model):
        return
    content_type_id = ContentType.objects.get_for_model(model).pk
    if view_name == "changelist_view":
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is None:
            return
        subjects = [(content_type_id, pk) for pk in (o.pk for o in changelist.result_list)]
        detail = "admin list"
    else:
        pk = _integer_pk(kwargs.get("object_id"))
        if pk is None:
            return
        subjects = [(content_type_id, pk)]
        detail = "admin"
    read_log_record_many(
        user=request.user, subjects=subjects, action=READ_VIEWS[view_name], detail=detail
    )


class AuditedAdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        wrapped = super().admin_view(view, cacheable)
        model_admin = getattr(view, "__self__", None)
        view_name = getattr(view, "__name__", "")
        if not isinstance(model_admin, admin.ModelAdmin) or view_name not in READ_VIEWS:
            return wrapped

        def logged(request, *args, **kwargs):
            response = wrapped(request, *args, **kwargs)
            read_log_admin_response(request, model_admin, view_name, kwargs, response)
            return response

        logged.__wrapped__ = wrapped
        return logged
