"""The personal folder's standard contents as data (MOT-2, UDI's "DAM logistikk").

The seed names the list without giving it; these rows are the working list until UDI's current
DAM logistikk is checked against them (an administrator edits them in the admin). The two
printouts are the ones MOT-3 f adds when the resident moves.
"""

from django.db import migrations

CONTENTS = [
    ("arrival_registration", "Kopi av ankomstregistreringen", "administrative", False),
    ("representative_details", "Representantens navn og kontaktopplysninger", "administrative", False),
    ("house_rules", "Husordensregler, signert av beboeren", "agreement", False),
    ("rights_and_duties", "Informasjon om rettigheter og plikter, signert", "agreement", False),
    ("clothes_and_bedding", "Kvittering for utdelte klær og sengetøy", "receipt", False),
    ("equipment", "Kvittering for utlevert utstyr (nøkler, nøkkelkort)", "receipt", False),
    ("allowances", "Kvitteringer for utbetalte ytelser", "receipt", False),
    ("mapping_printout", "Utskrift av individuell kartlegging", "mapping_printout", True),
    ("action_plan_printout", "Utskrift av individuell tiltaksplan", "action_plan_printout", True),
]


def forwards(apps, schema_editor):
    StandardContent = apps.get_model("mottak", "StandardContent")
    for order, (code, label, category, on_move_only) in enumerate(CONTENTS, start=1):
        StandardContent.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "category": category,
                "on_move_only": on_move_only,
                "order": order * 10,
            },
        )


def backwards(apps, schema_editor):
    apps.get_model("mottak", "StandardContent").objects.filter(
        code__in=[c[0] for c in CONTENTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("mottak", "0005_personal_and_private_folders")]

    operations = [migrations.RunPython(forwards, backwards)]
