"""Who holds a membership permission on centres or regional offices, read for many at once.

The deadline sweep tells the members of every place its batch touches. Guardian's
`get_users_with_perms` answers for one object per query; these reads answer for all the
places of a batch with a fixed number of queries, whatever the number of places.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model


def member_ids_by_place(
    place_model: type[models.Model], pks: Iterable, codename: str
) -> dict[object, set[int]]:
    """Ids of the users holding `codename` on each place, directly or through a group — the
    users guardian's get_users_with_perms(place, only_with_perms_in=[codename]) finds per
    place, active or not. Two queries (user and group permissions) for any number of places.
    """
    pks = list(pks)
    found: dict[object, set[int]] = defaultdict(set)
    if not pks:
        return found
    content_type = ContentType.objects.get_for_model(place_model)
    for perm_model, user_path in (
        (get_user_obj_perms_model(place_model), "user_id"),
        (get_group_obj_perms_model(place_model), "group__user"),  # every user of the group
    ):
        place_key, place_filter = _place_lookup(perm_model, content_type, pks)
        pairs = perm_model.objects.filter(
            permission__content_type=content_type, permission__codename=codename, **place_filter
        ).values_list(place_key, user_path)
        to_pk = place_model._meta.pk.to_python
        for place, user_id in pairs:
            if user_id is not None:  # a group without users
                found[to_pk(place)].add(user_id)
    return found


def _place_lookup(perm_model, content_type: ContentType, pks: list) -> tuple[str, dict]:
    """The column naming the place and the filter on it, for a permission model with a foreign
    key to the place (content_object) or guardian's generic one (content type, text pk)."""
    if perm_model.objects.is_generic():
        return "object_pk", {"content_type": content_type, "object_pk__in": [str(pk) for pk in pks]}
    return "content_object_id", {"content_object__in": pks}


def active_users_by_id(ids: Iterable[int]) -> dict[int, models.Model]:
    """The active users among these ids, in one query."""
    ids = set(ids)
    if not ids:
        return {}
    users = get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk")
    return {user.pk: user for user in users}
