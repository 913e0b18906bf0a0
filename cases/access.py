"""How the case engine asks the project's one access layer about a case subject.

`cases` imports no other project app, so the access function is named in settings
(CASES_SUBJECT_ACCESS) and looked up by its dotted path. It answers the subject
(a resident, or a case that belongs to one) or raises Http404.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils.module_loading import import_string


def access_subject(*, user, content_type_id: int, object_id: int, action: str = "view"):
    check = import_string(settings.CASES_SUBJECT_ACCESS)
    return check(user=user, content_type_id=content_type_id, object_id=object_id, action=action)


def centres_visible_to(user):
    """Centres whose records the user may see (CASES_CENTRES_VISIBLE names the function)."""
    return import_string(settings.CASES_CENTRES_VISIBLE)(user)


def residents_visible_to(user):
    """Residents the user may see (CASES_RESIDENTS_VISIBLE names the function)."""
    return import_string(settings.CASES_RESIDENTS_VISIBLE)(user)


def access_centre(*, user, centre_id):
    """A centre the user may see, else Http404 — like a missing one."""
    try:
        return centres_visible_to(user).get(pk=int(centre_id))
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
