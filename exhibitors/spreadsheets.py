"""The one CSV writer of the site: every download that a spreadsheet may open goes through `csv_response`.

It lives in the lowest app so that every app can use it (exhibitors <- fair <- payments).

Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula (and some also after a leading
tab or carriage return), so a company named `=HYPERLINK("http://x","y")` could put a link or a formula into
the chamber's accounts. Such a cell is written with a leading `'`, which spreadsheets show as text. Numbers
the site writes itself (amounts, counts) pass through unchanged: a negative amount stays a number. Files are
UTF-8 with a byte-order mark, so Excel opens accents and non-Latin names correctly.
"""

import csv
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str | int | Decimal:
    """A value ready for a CSV cell: text that a spreadsheet would run as a formula gets a leading `'`;
    integers and decimals (amounts written by the site) stay numbers; None becomes an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_response(*, filename: str, header: Iterable, rows: Iterable[Iterable]) -> HttpResponse:
    """An attachment `filename` with the header row and the rows, every cell through `safe_cell`, in UTF-8
    with a byte-order mark."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response
