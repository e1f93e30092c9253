"""The one CSV writer: cells a spreadsheet would run as formulas are neutralised, numbers stay numbers."""

import csv
import io
from decimal import Decimal

from exhibitors.spreadsheets import csv_response, safe_cell


def test_formula_like_cells_get_a_leading_quote():
    for text in ("=1+1", "+33 1 23", "-2+3", "@SUM(1)", "\tcmd", "\rcmd"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("Café Inca") == "Café Inca"
    assert safe_cell(None) == ""
    assert safe_cell(-1250) == -1250
    assert safe_cell(Decimal("-12.50")) == Decimal("-12.50")


def test_csv_response_is_utf8_with_bom_and_neutralised():
    response = csv_response(
        filename="x.csv", header=["name", "amount"], rows=[['=HYPERLINK("http://x","y")', Decimal("-3.00")]]
    )
    assert response.content.startswith("\ufeff".encode())
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["name", "amount"], ['\'=HYPERLINK("http://x","y")', "-3.00"]]
