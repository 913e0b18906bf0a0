"""How the case engine asks the project's one access layer about a case subject.

`cases` imports no other project app: the app that owns the access layer registers its
functions here from its `AppConfig.ready()` (mottak does, `register(...)`). The subject access
answers the subject (a resident, or a case that belongs to one) or raises Http404.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.http import Http404

_functions: dict[str, Callable] = {}


def register(
    *,
    subject_access: Callable,
    centres_visible: Callable,
    residents_visible: Callable,
    centres_visible_q: Callable,
    residents_visible_q: Callable,
) -> None:
    """Name the access layer's functions (called once, from the owning app's ready())."""
    _functions.update(
        subject_access=subject_access,
        centres_visible=centres_visible,
        residents_visible=residents_visible,
        centres_visible_q=centres_visible_q,
        residents_visible_q=residents_visible_q,
    )


def _registered(name: str) -> Callable:
    try:
        return _functions[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"No access function {name!r} is registered: the app owning the access layer "
            "registers it with cases.access.register(...) from its AppConfig.ready()."
        ) from None


def access_subject(*, user, content_type_id: int, object_id: int, action: str = "view"):
    check = _registered("subject_access")
    return check(user=user, content_type_id=content_type_id, object_id=object_id, action=action)


def centres_visible_to(user):
    """Centres whose records the user may see."""
    return _registered("centres_visible")(user)


def residents_visible_to(user):
    """Residents the user may see."""
    return _registered("residents_visible")(user)


def centres_visible_q(user, path: str):
    """What centres_visible_to answers, as a Q on the relation `path` to a centre; None when
    the user sees no centre."""
    return _registered("centres_visible_q")(user, path=path)


def residents_visible_q(user, path: str):
    """What residents_visible_to answers, as a Q on the relation `path` to a resident; None
    when the user sees no resident."""
    return _registered("residents_visible_q")(user, path=path)


def access_centre(*, user, centre_id):
    """A centre the user may see, else Http404 — like a missing one."""
    try:
        return centres_visible_to(user).get(pk=int(centre_id))
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_row_of_subject(*, user, model, pk, ct_field: str, id_field: str, action: str = "view"):
    """A row that belongs to a case subject (a consent, a checklist completion …), if the user
    may see (or change) that subject; else Http404, like a missing row."""
    try:
        row = model.objects.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    access_subject(
        user=user,
        content_type_id=getattr(row, ct_field),
        object_id=getattr(row, id_field),
        action=action,
    )
    return row


def dispatch_readable(*, user, dispatch) -> bool:
    """Whether the user may read a notice beyond seeing its subject: a notice made by a case
    whose routine declares a `read` permission (the mapping, KART-12: read at the centre only)
    is read by whoever may read that case — its paper copy must not reach those the case
    itself answers 404 to. Other notices: whoever sees the subject (asked separately)."""
    from django.contrib.contenttypes.models import ContentType

    from .routines import for_model

    content_type = ContentType.objects.get_for_id(dispatch.owner_ct_id)
    routine = for_model(f"{content_type.app_label}.{content_type.model}")
    read = routine.permissions.get("read") if routine is not None else None
    if read is None:
        return True
    owner = content_type.model_class()._default_manager.filter(pk=dispatch.owner_id).first()
    return owner is not None and bool(read(user, owner))
