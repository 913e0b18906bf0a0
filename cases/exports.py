"""Lists as files: rows → a CSV or XLSX download, read-logged once per export.

A cell that begins with = + - @ (or a tab or carriage return) would be read as a formula by a
spreadsheet (CSV/formula injection): it gets a leading apostrophe, in both formats. File names
say what and when, never whom (`beboere-2026-12-01.xlsx`).
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.http import Http404, HttpResponse
from django.utils import timezone

from .services import read_log_record_many
from .templatetags.form_tags import norwegian_date

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
OSLO = ZoneInfo("Europe/Oslo")
# Norwegian spreadsheets separate CSV columns with semicolons (the comma is the decimal mark).
CSV_DELIMITER = ";"


def defused(text: str) -> str:
    """Text a spreadsheet shows as text, never runs as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _local(moment: datetime) -> datetime:
    return moment.astimezone(OSLO) if timezone.is_aware(moment) else moment


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, date):  # datetimes too: 01.12.2026 kl. 14.05 in Oslo time
        return norwegian_date(value)
    if isinstance(value, int | float):
        return str(value)
    return defused(str(value))


def xlsx_cell(value):
    """Numbers and dates stay typed (the spreadsheet can sort them); text is defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, datetime):
        return _local(value).replace(tzinfo=None)
    if isinstance(value, date | int | float):
        return value
    return defused(str(value))


def export_filename(name: str, fmt: str, today: date | None = None) -> str:
    return f"{name}-{(today or timezone.localdate()).isoformat()}.{fmt}"


def _attachment(content: bytes, *, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def csv_bytes(header: Sequence, rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([csv_cell(str(h)) for h in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    # With a byte-order mark, Excel reads the file as UTF-8 (æ, ø, å).
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(header: Sequence, rows: Iterable[Sequence], *, title: str = "Eksport") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    heading = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=defused(str(text)))
        cell.font = Font(bold=True)
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=xlsx_cell(value))
            if isinstance(value, datetime):
                cell.number_format = "DD.MM.YYYY HH:MM"
            elif isinstance(value, date):
                cell.number_format = "DD.MM.YYYY"
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_response(
    *, fmt: str, name: str, header: Sequence, rows: Iterable[Sequence], today: date | None = None
) -> HttpResponse:
    """The rows as a download; an unknown format is a page that does not exist."""
    if fmt not in FORMATS:
        raise Http404
    rows = list(rows)
    content = csv_bytes(header, rows) if fmt == "csv" else xlsx_bytes(header, rows, title=name)
    return _attachment(content, fmt=fmt, filename=export_filename(name, fmt, today))


def logged_export(
    *,
    user,
    subjects,
    what: str,
    fmt: str,
    name: str,
    header: Sequence,
    rows: Iterable[Sequence],
) -> HttpResponse:
    """Call after the access layer has chosen the rows: writes one read-log row per record in
    the file (X-4), in one insert, then answers the file. `what` names the list (no personal
    data), e.g. "resident list"."""
    if fmt not in FORMATS:
        raise Http404
    read_log_record_many(
        user=user, subjects=subjects, action="export", detail=f"{what} ({fmt.upper()})"
    )
    return export_response(fmt=fmt, name=name, header=header, rows=rows)
