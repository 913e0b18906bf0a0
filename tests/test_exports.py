"""Exports (CSV and XLSX): the resident list, deadlines per centre and region, the missing-minors
overview — through the access layer, read-logged, no personal data in file names, no formulas."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases import exports
from cases.models import ReadLog
from cases.services.deadlines import deadline_open
from mottak.models import Centre, Region, Resident, Role
from mottak.tests.factories import make_resident

pytestmark = pytest.mark.django_db


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))


def _xlsx_rows(response) -> list[list]:
    book = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def _filename(response) -> str:
    return response["Content-Disposition"].split('filename="')[1].rstrip('"')


def resident_export(fmt):
    return reverse("mottak:resident_export", args=[fmt])


# --- the module ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=SUM(A1:A2)", "+1", "-1+2", "@cmd", "\tx", "\rx"])
def test_formula_starts_are_defused(text):
    assert exports.defused(text) == "'" + text
    assert exports.csv_cell(text) == "'" + text
    assert exports.xlsx_cell(text) == "'" + text


def test_plain_text_numbers_and_dates_stay_as_they_are():
    assert exports.defused("Haile") == "Haile"
    assert exports.csv_cell(-3) == "-3"  # a number is not a formula
    moment = datetime(2026, 12, 1, 13, 5, tzinfo=UTC)
    assert exports.csv_cell(moment) == "01.12.2026 kl. 14.05"


def test_file_name_is_kind_and_date():
    today = date(2026, 12, 1)
    assert exports.export_filename("beboere", "xlsx", today) == "beboere-2026-12-01.xlsx"


# --- resident list ------------------------------------------------------------------------------


def test_resident_list_csv_has_visible_rows_only_and_is_logged(client, staff, centre, far_centre):
    mine = make_resident(centre, family_name="Haile")
    make_resident(far_centre, family_name="Berhe")
    client.force_login(staff)
    response = client.get(resident_export("csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    name = _filename(response)
    assert name == f"beboere-{timezone.localdate().isoformat()}.csv"
    rows = _csv_rows(response)
    assert rows[0][0] == "Family name"
    assert [row[0] for row in rows[1:]] == ["Haile"]
    log = ReadLog.objects.get()
    assert (log.user, log.subject, log.action) == (staff, mine, "export")
    assert "resident list" in log.detail


def test_resident_list_xlsx_opens_and_keeps_the_search(client, staff, centre):
    make_resident(centre, family_name="Haile")
    make_resident(centre, family_name='=HYPERLINK("http://x")', given_names="@evil")
    client.force_login(staff)
    client.post(reverse("mottak:resident_list"), {"q": "Haile"})
    response = client.get(resident_export("xlsx"))
    assert response.status_code == 200
    rows = _xlsx_rows(response)
    assert rows[0][0] == "Family name"
    assert [row[0] for row in rows[1:]] == ["Haile"]  # only what the search finds
    client.post(reverse("mottak:resident_list"), {"clear": "1"})
    rows = _xlsx_rows(client.get(resident_export("xlsx")))
    evil = next(row for row in rows if row[1] == "'@evil")
    assert evil[0] == '\'=HYPERLINK("http://x")'
    assert ReadLog.objects.filter(action="export").count() == 1 + 2


def test_resident_csv_escapes_formulas(client, staff, centre):
    make_resident(centre, family_name="-2+3", given_names="=1+1")
    client.force_login(staff)
    rows = _csv_rows(client.get(resident_export("csv")))
    assert rows[1][:2] == ["'-2+3", "'=1+1"]


def test_unknown_format_and_aggregate_roles_get_404(client, staff, user_factory):
    client.force_login(staff)
    assert client.get(resident_export("pdf")).status_code == 404
    client.force_login(user_factory(Role.RMA))
    assert client.get(resident_export("csv")).status_code == 404
    assert not ReadLog.objects.exists()


def test_export_needs_login(client):
    response = client.get(resident_export("csv"))
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- deadlines ----------------------------------------------------------------------------------


def _deadline(resident, *, label="Send the report", hours=5):
    return deadline_open(
        owner=resident,
        kind=f"test_{resident.pk}_{hours}",
        due_at=timezone.now() + timedelta(hours=hours),
        label=label,
        centre=resident.centre,
    )


def test_centre_deadlines_export(client, staff, centre, resident):
    _deadline(resident, hours=5)
    _deadline(resident, hours=-3)
    client.force_login(staff)
    url = reverse("cases:deadlines_centre_export", args=[centre.pk, "xlsx"])
    response = client.get(url)
    assert response.status_code == 200
    assert _filename(response) == f"frister-{timezone.localdate().isoformat()}.xlsx"
    rows = _xlsx_rows(response)
    assert rows[0][:3] == ["Centre", "Due", "Hours left (negative: overdue)"]
    assert [row[2] for row in rows[1:]] == [-3, 4]  # overdue first, then whole hours left
    assert rows[1][4] == resident.identifier
    subjects = {log.subject for log in ReadLog.objects.filter(action="export")}
    assert subjects == {centre, resident}


def test_other_centres_deadlines_are_404(client, staff, far_centre):
    _deadline(make_resident(far_centre))
    client.force_login(staff)
    url = reverse("cases:deadlines_centre_export", args=[far_centre.pk, "csv"])
    assert client.get(url).status_code == 404
    url = reverse("cases:deadlines_region_export", args=[far_centre.region_id, "csv"])
    assert client.get(url).status_code == 404
    assert not ReadLog.objects.exists()


def test_region_deadlines_export(client, caseworker, centre, neighbour_centre, far_centre):
    _deadline(make_resident(centre))
    _deadline(make_resident(neighbour_centre))
    _deadline(make_resident(far_centre))
    client.force_login(caseworker)
    response = client.get(reverse("cases:deadlines_region_export", args=[centre.region_id, "csv"]))
    assert response.status_code == 200
    rows = _csv_rows(response)
    assert sorted(row[0] for row in rows[1:]) == sorted([centre.name, neighbour_centre.name])
    logged = ReadLog.objects.filter(action="export")
    region_ct = ContentType.objects.get_for_model(Region)
    assert logged.filter(content_type=region_ct, object_id=centre.region_id).count() == 1
    assert logged.filter(content_type=ContentType.objects.get_for_model(Resident)).count() == 2


# --- missing-minors overview --------------------------------------------------------------------


def test_missing_overview_export_has_counts_and_no_names(client, user_factory, staff, resident):
    from savnet import services as missing_services

    now = timezone.now()
    missing_services.missing_report_open(
        resident=resident,
        reason_to_believe_at=now - timedelta(hours=2),
        noticed_at=now - timedelta(hours=3),
        last_seen_at=None,
        circumstances="Not at breakfast.",
        by=staff,
    )
    client.force_login(user_factory(Role.RMA))
    response = client.get(reverse("savnet:overview_export", args=["csv"]))
    assert response.status_code == 200
    assert _filename(response) == f"savnet-oversikt-{timezone.localdate().isoformat()}.csv"
    rows = _csv_rows(response)
    assert rows[0] == ["Centre", "Month", "Reports"]
    assert rows[1][0] == resident.centre.name and rows[1][2] == "1"
    assert resident.family_name not in response.content.decode("utf-8-sig")
    centre_ct = ContentType.objects.get_for_model(Centre)
    assert ReadLog.objects.filter(action="export", content_type=centre_ct).count() == (
        Centre.objects.count()
    )
    xlsx = client.get(reverse("savnet:overview_export", args=["xlsx"]))
    assert _xlsx_rows(xlsx)[1][2] == 1


def test_list_pages_link_to_their_exports(client, staff, leader, centre):
    client.force_login(staff)
    assert resident_export("xlsx") in client.get(reverse("mottak:resident_list")).content.decode()
    page = client.get(reverse("cases:deadlines_centre", args=[centre.pk])).content.decode()
    assert reverse("cases:deadlines_centre_export", args=[centre.pk, "csv"]) in page
