"""The mapping's deletion records move to the shared retention machinery (cases.DeletionRecord,
record type "kartlegging.mapping"); the rows written so far are carried over."""

from django.db import migrations


def carry_over(apps, schema_editor):
    Old = apps.get_model("kartlegging", "DeletionRecord")
    New = apps.get_model("cases", "DeletionRecord")
    New.objects.bulk_create(
        New(
            record_type="kartlegging.mapping",
            reason=old.reason,
            deleted_at=old.deleted_at,
            centre_id=old.centre_id,
            counts=old.counts,
        )
        for old in Old.objects.order_by("pk")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("kartlegging", "0004_deletion_records"),
        ("cases", "0014_deletion_records_per_record_type"),
    ]

    operations = [
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.DeleteModel(name="DeletionRecord"),
    ]
