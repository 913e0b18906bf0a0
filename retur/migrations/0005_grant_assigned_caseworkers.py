"""R-19: the caseworkers named on existing cases get the object permission that is now the
access grant, so no assigned case disappears from its caseworker's list."""

from django.db import migrations


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    ReturnCase = apps.get_model("retur", "ReturnCase")
    Grant = apps.get_model("retur", "ReturnCaseUserObjectPermission")
    content_type, _ = ContentType.objects.get_or_create(app_label="retur", model="returncase")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="work_return_case",
        defaults={"name": "Follows this return case as its ASA caseworker"},
    )
    for case in ReturnCase.objects.filter(caseworker__isnull=False):
        Grant.objects.get_or_create(
            user_id=case.caseworker_id, permission=permission, content_object=case
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("retur", "0004_return_case_assignment_permission"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
