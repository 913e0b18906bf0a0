"""Everything about one resident as one ZIP archive, for an access request (GDPR art. 15).

The rows are found by walking the model graph, not by a list kept by hand, so a model added
later is exported without anyone remembering it:

1. the resident's row;
2. every row of any model whose foreign key points at a row already found (stays, leaves,
   reports, mappings, return cases … and their contact persons, calls, plans and steps);
3. every row whose generic relation (content type + id) points at a row already found
   (deadlines, dispatches, consents, checklist steps, timeline, read log, case events, object
   permissions) and the admin's change log of those rows;
4. the change history (django-simple-history) of every row found;

repeated until nothing new is found. Only references *to* rows found are followed, never a
row's own foreign keys outwards (the centre, the staff member who wrote it), so nothing of
another resident comes along. Stored files (declarations, attachments, the photo, every
notice's PDF) are copied in as they are stored.

The archive: `manifest.json` (what, when, by whom, rows per table, files),
`tables/<app>.<model>.json` (Django's JSON serialisation, one file per table) and
`files/<app>.<model>/<id>/<name>`.
"""

import io
import json
import zipfile
from collections import defaultdict
from pathlib import PurePosixPath

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from cases.services import read_log_record

from .access import access_resident_for_export
from .models import Resident

# Models with a content type and an object id that are not a GenericForeignKey.
CONTENT_TYPE_PAIRS = (("admin.LogEntry", "content_type", "object_id"),)
# Models the walk never enters, with the reason. Kept empty on purpose: a model that is about a
# resident belongs in the archive. (Tested: every model pointing at a resident is reached.)
NOT_EXPORTED: dict[str, str] = {}
MAX_ROUNDS = 20


def _history_model(model):
    manager = getattr(model, "history", None)
    history_model = getattr(manager, "model", None)
    if history_model is None or history_model is model:
        return None
    return history_model


def _is_history(model) -> bool:
    return hasattr(model, "instance_type") and hasattr(model, "history_id")


def _walkable_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.label not in NOT_EXPORTED and not m._meta.proxy
    ]


def _generic_links(model) -> list[tuple[str, str]]:
    """(content type field, object id field) of each generic relation the model holds."""
    links = [
        (f.ct_field, f.fk_field)
        for f in model._meta.private_fields
        if isinstance(f, GenericForeignKey)
    ]
    links += [(ct, oid) for label, ct, oid in CONTENT_TYPE_PAIRS if model._meta.label == label]
    return links


def resident_rows(resident: Resident) -> dict[type[models.Model], set]:
    """Every row about the resident: {model: {primary keys}} (see the module's docstring)."""
    found: dict[type[models.Model], set] = defaultdict(set)
    found[Resident].add(resident.pk)
    walkable = _walkable_models()
    for _round in range(MAX_ROUNDS):
        added = 0
        for model in walkable:
            manager = model._base_manager
            new: set = set()
            for field in model._meta.concrete_fields:
                if not (field.many_to_one or field.one_to_one):
                    continue
                target = field.related_model
                if target not in found:
                    continue
                new |= set(
                    manager.filter(**{f"{field.attname}__in": found[target]}).values_list(
                        "pk", flat=True
                    )
                )
            for ct_field, id_field in _generic_links(model):
                ct_attname = model._meta.get_field(ct_field).attname
                id_is_text = not isinstance(
                    model._meta.get_field(id_field), models.IntegerField | models.AutoField
                )
                for target, pks in list(found.items()):
                    ids = [str(pk) for pk in pks] if id_is_text else list(pks)
                    content_type = ContentType.objects.get_for_model(target)
                    new |= set(
                        manager.filter(
                            **{ct_attname: content_type.pk, f"{id_field}__in": ids}
                        ).values_list("pk", flat=True)
                    )
            history = _history_model(model)
            if history is not None and found.get(model):
                pk_name = model._meta.pk.attname
                history_pks = set(
                    history._base_manager.filter(**{f"{pk_name}__in": found[model]}).values_list(
                        "pk", flat=True
                    )
                )
                if not history_pks <= found[history]:
                    found[history] |= history_pks
                    added += 1
            if not new <= found[model]:
                found[model] |= new
                added += 1
        if not added:
            break
    return {model: pks for model, pks in found.items() if pks}


def _files_of(model, pks) -> list[tuple[str, str, object]]:
    """(archive path, storage name, storage) of each stored file of these rows."""
    file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
    if not file_fields or _is_history(model):
        return []
    files = []
    for row in model._base_manager.filter(pk__in=pks).only("pk", *[f.name for f in file_fields]):
        for field in file_fields:
            name = getattr(row, field.attname)
            name = getattr(name, "name", name)
            if name:
                path = f"files/{model._meta.label_lower}/{row.pk}/{PurePosixPath(name).name}"
                files.append((path, name, field.storage))
    return files


def resident_archive(resident: Resident, *, by) -> tuple[bytes, dict]:
    """The ZIP archive and its manifest."""
    rows = resident_rows(resident)
    buffer = io.BytesIO()
    manifest = {
        "resident": resident.pk,
        "exported_at": timezone.now().isoformat(),
        "exported_by": by.pk,
        "tables": {},
        "files": [],
        "files_missing": [],
    }
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for model in sorted(rows, key=lambda m: m._meta.label_lower):
            queryset = model._base_manager.filter(pk__in=rows[model]).order_by("pk")
            archive.writestr(
                f"tables/{model._meta.label_lower}.json",
                serializers.serialize("json", queryset, indent=1, cls=DjangoJSONEncoder),
            )
            manifest["tables"][model._meta.label_lower] = len(rows[model])
            for path, name, storage in _files_of(model, rows[model]):
                try:
                    with storage.open(name, "rb") as stored:
                        archive.writestr(path, stored.read())
                    manifest["files"].append(path)
                except OSError:
                    manifest["files_missing"].append(path)
        archive.writestr("manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False))
    return buffer.getvalue(), manifest


def resident_data_export(*, user, resident_id) -> bytes:
    """The archive for an access request: access-checked (404 as if missing otherwise) and
    recorded in the read log."""
    resident = access_resident_for_export(user=user, resident_id=resident_id)
    data, _manifest = resident_archive(resident, by=user)
    read_log_record(
        user=user, subject=resident, action="export", detail="access request (GDPR art. 15)"
    )
    return data
