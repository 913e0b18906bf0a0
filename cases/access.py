"""How the case engine asks the project's one access layer about a case subject.

`cases` imports no other project app, so the access function is named in settings
(CASES_SUBJECT_ACCESS) and looked up by its dotted path. It answers the subject
(a resident, or a case that belongs to one) or raises Http404.
"""

from django.conf import settings
from django.utils.module_loading import import_string


def access_subject(*, user, content_type_id: int, object_id: int, action: str = "view"):
    check = import_string(settings.CASES_SUBJECT_ACCESS)
    return check(user=user, content_type_id=content_type_id, object_id=object_id, action=action)
