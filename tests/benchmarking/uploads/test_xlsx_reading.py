"""calamine reads an XLSX sheet to the same text as openpyxl, cell for cell; sheets it would read\ndifferently go to openpyxl."""

import datetime
import io
import warnings

import pytest
from openpyxl import Workbook, load_workbook

from benchmarking import exports
from benchmarking.domain import files
from benchmarking.domain.validation import COLUMNS
from tests.benchmarking.badfiles import _rewrite_zip

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SST_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SHARED = (
    f'<sst xmlns="{NS}"><si><t>la_code</t></si><si><t xml:space="preserve"> spaced </t></si>'
    '<si><r><t>rich</t></r><r><rPr><b/></rPr><t xml:space="preserve"> text</t></r></si></sst>'
)
CELLS = (
    # shared, rich shared, rich inline, empty inline string, no cell for D
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    '<c r="C1" t="s"><v>2</v></c><c r="E1" t="inlineStr"><is><r><t>in</t></r><r><t>line</t>'
    '</r></is></c><c r="F1" t="inlineStr"><is><t/></is></c></row>'
    # row 2 missing; numbers, a boolean, an empty cell, a date-styled number
    '<row r="3"><c r="A3"><v>42</v></c><c r="B3"><v>0.1</v></c><c r="C3" t="n"><v>1E-5</v></c>'
    '<c r="D3" t="b"><v>0</v></c><c r="E3" s="1"/><c r="F3" s="1"><v>46024'
    "</v></c></row>"
    # no row reference; a string cell, a negative number, a date-styled fraction
    '<row><c r="A4" t="str"><v>la_code</v></c><c r="B4"><v>-7</v></c><c r="C4" s="1"><v>1.5</v>'
    "</c></row>"
    '<row r="5"><c r="B5" t="inlineStr"/><c r="C5"><v>2.50</v></c><c r="D5" s="0">'
    '<v>3</v></c><c r="E5" t="d"><v>2026-01-02T10:00:00</v></c><c r="F5" t="inlineStr"><is>'
    '<t>ab</t></is></c><c r="G5" s="1"><v>0.25</v></c></row>'
    '<row r="7"><c r="H7"><v>9</v></c></row>'
)


def _workbook(dimension: str | None, extra_row: str = "") -> bytes:
    base = Workbook()
    base.active.append(["x", datetime.date(2026, 1, 2)])  # style 1 is a date
    out = io.BytesIO()
    base.save(out)
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">'
        + (f'<dimension ref="{dimension}"/>' if dimension else "")
        + "<sheetData>"
        + CELLS.replace('<row r="3">', extra_row + '<row r="3">')
        + "</sheetData>"
        + "</worksheet>"
    )

    def change(name, content):
        if name == "__extra__":
            return [("xl/sharedStrings.xml", SHARED.encode())]
        if name == "xl/worksheets/sheet1.xml":
            return sheet.encode()
        if name == "[Content_Types].xml":
            return content.replace(
                b"</Types>",
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="' + SST_TYPE + b'"/>'
                b"</Types>",
            )
        return content

    return _rewrite_zip(out.getvalue(), change)


def _openpyxl_text(data: bytes) -> list[list[str]]:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows = [
            [files._cell_text(v) for v in row]
            for row in book.worksheets[0].iter_rows(values_only=True)
        ]
    book.close()
    return rows


def _rstrip(rows):
    rows = [list(row) for row in rows]
    while rows and not any(rows[-1]):
        rows.pop()
    for row in rows:
        while row and not row[-1]:
            row.pop()
    return rows


def _no_openpyxl(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("read by openpyxl, not calamine")

    monkeypatch.setattr(files, "_read_xlsx_openpyxl", refuse)


def test_calamine_reads_every_kind_of_cell_as_openpyxl_does(monkeypatch):
    data = _workbook("A1:H7")
    expected = _openpyxl_text(data)
    _no_openpyxl(monkeypatch)
    table = files.read_table("r.xlsx", data)
    # Row widths are not the same (calamine stops at a row's last value); the text is.
    assert _rstrip(table.rows) == _rstrip(expected)
    assert table.rows[0][:3] == ["la_code", "spaced", "rich text"]
    assert table.rows[2][:6] == ["42", "0.1", "1e-05", "FALSE", "", "2026-01-02T00:00:00"]
    assert table.rows[3][:3] == ["la_code", "-7", "1900-01-01T12:00:00"]
    assert table.sheet == "Sheet"


@pytest.mark.parametrize("dimension", [None, "A1:C4", "A1:J9"], ids=["none", "smaller", "larger"])
def test_sheet_whose_dimension_is_not_its_cells_is_read_by_openpyxl(dimension):
    """openpyxl pads or cuts rows to the declared dimension; calamine would not."""
    data = _workbook(dimension)
    assert files.read_table("r.xlsx", data).rows == _trim(_openpyxl_text(data))


def test_error_cell_is_read_by_openpyxl():
    """calamine reads an error value (#N/A typed in a cell) as empty; openpyxl as its text."""
    data = _workbook("A1:H7", extra_row='<row r="2"><c r="B2" t="e"><v>#N/A</v></c></row>')
    table = files.read_table("r.xlsx", data)
    assert table.rows == _trim(_openpyxl_text(data))
    assert table.rows[1][:2] == ["", "#N/A"]


def test_sheet_wider_than_the_limit_is_refused_as_before():
    """An empty formatted cell far right: openpyxl's rows reach it; calamine's would not."""
    data = _workbook("A1:AZ7", extra_row='<row r="2"><c r="AZ2" s="1"/></row>')
    with pytest.raises(files.FileRejected, match="Row 1 has 52 columns"):
        files.read_table("r.xlsx", data)


def _trim(rows):
    return files._trim(rows)


def test_template_file_reads_to_the_same_table_as_through_openpyxl(monkeypatch):
    row = ["E06000066", "Somerset", "2026-27 Q1", "REREF_PCT", "Re-referrals", "Percentage"]
    row += ["22", "1100", "5000", "", "", "a comment, with = sign"]
    rows = [list(COLUMNS), row, row, row]
    data = exports.template_xlsx(rows, title="Somerset")
    reference = files._read_xlsx_openpyxl(data, has_formulas=False)
    _no_openpyxl(monkeypatch)
    table = files.read_table("r.xlsx", data)
    assert table.rows == reference.rows
    assert table.rows[1][6:9] == ["22", "1100", "5000"]
