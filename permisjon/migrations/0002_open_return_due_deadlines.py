"""Leaves that are away (ongoing) when the minute poller is replaced by the deadline sweep get
the deadline due at their agreed return, so no late return is lost (PERM-6). A return already
past is handled by the first sweep after the deploy. Rows are written as
services.leave_application_mark_departed would open them (routine step "return")."""

from django.db import migrations
from django.utils import timezone

KIND = "leave_return_due"
LABEL = "Agreed return"  # an English msgid, translated where it is shown


def open_return_due(apps, schema_editor):
    LeaveApplication = apps.get_model("permisjon", "LeaveApplication")
    Deadline = apps.get_model("cases", "Deadline")
    ContentType = apps.get_model("contenttypes", "ContentType")
    away = LeaveApplication.objects.filter(state="ongoing").select_related("centre")
    if not away.exists():
        return  # a new database: nothing to carry over (and no content types yet)
    leave_ct, _ = ContentType.objects.get_or_create(app_label="permisjon", model="leaveapplication")
    resident_ct, _ = ContentType.objects.get_or_create(app_label="mottak", model="resident")
    watched = set(
        Deadline.objects.filter(
            content_type=leave_ct, kind=KIND, state__in=["open", "missed"]
        ).values_list("object_id", flat=True)
    )
    now = timezone.now()
    opened = Deadline.objects.bulk_create(
        [
            Deadline(
                content_type=leave_ct,
                object_id=leave.pk,
                subject_ct=resident_ct,
                subject_id=leave.resident_id,
                centre_id=leave.centre_id,
                region_id=leave.centre.region_id,
                kind=KIND,
                rule_id="PERM-5",
                label=LABEL,
                due_at=leave.return_at,
                opened_at=now,
                urgency="ordinary",
                next_alert_at=leave.return_at,
            )
            for leave in away
            if leave.pk not in watched
        ]
    )
    _record_history(apps, Deadline, opened, at=now)


def _record_history(apps, Deadline, deadlines, *, at) -> None:
    """bulk_create writes no history: write the "created" row of each deadline, as its save()
    would (X-4), so the audit shows where it came from."""
    Historical = apps.get_model("cases", "HistoricalDeadline")
    fields = [f.attname for f in Deadline._meta.concrete_fields]
    ids = [d.pk for d in deadlines if d.pk is not None]
    Historical.objects.bulk_create(
        [
            Historical(
                **{name: getattr(row, name) for name in fields},
                history_date=at,
                history_type="+",
                history_change_reason="Opened when the leave's return was moved onto deadlines",
            )
            for row in Deadline.objects.filter(pk__in=ids)
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("permisjon", "0001_permisjon"),
        ("cases", "0006_deadline_urgency"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(open_return_due, migrations.RunPython.noop)]
