"""The quick XLSX sheet reader gives exactly what openpyxl's own reader gives, cell for cell."""

import datetime
import io
import warnings

import pytest
from openpyxl import Workbook, load_workbook

from benchmarking import exports, files
from benchmarking.validation import COLUMNS
from tests.benchmarking.badfiles import _rewrite_zip

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SST_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SHARED = (
    f'<sst xmlns="{NS}"><si><t>la_code</t></si><si><t xml:space="preserve"> spaced </t></si>'
    "<si><r><t>rich</t></r><r><rPr><b/></rPr><t> text</t></r></si></sst>"
)
CELLS = (
    # shared, rich shared, rich inline, empty inline string, no cell for D
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    '<c r="C1" t="s"><v>2</v></c><c r="E1" t="inlineStr"><is><r><t>in</t></r><r><t>line</t>'
    '</r></is></c><c r="F1" t="inlineStr"><is><t/></is></c></row>'
    # row 2 missing; numbers, a boolean, an error, a date-styled number
    '<row r="3"><c r="A3"><v>42</v></c><c r="B3"><v>0.1</v></c><c r="C3" t="n"><v>1E-5</v></c>'
    '<c r="D3" t="b"><v>0</v></c><c r="E3" t="e"><v>#DIV/0!</v></c><c r="F3" s="1"><v>46024'
    "</v></c></row>"
    # no row or cell references; a formula with its saved result; a string formula
    '<row><c t="str"><f>A1</f><v>la_code</v></c><c><v>-7</v></c><c s="1"><v>1.5</v></c></row>'
    '<row r="5"><c r="B5" t="inlineStr"/><c r="C5"><f>1+1</f><v>2</v></c><c r="D5" s="0">'
    '<v>3</v></c><c r="E5" t="d"><v>2026-01-02T10:00:00</v></c><c r="F5" t="inlineStr"><is>'
    "<t>a</t><t>b</t></is></c></row>"
    '<row r="7"><c r="H7"><v>9</v></c></row>'
)


def _workbook(dimension: str | None) -> bytes:
    base = Workbook()
    base.active.append(["x", datetime.date(2026, 1, 2)])  # style 1 is a date
    out = io.BytesIO()
    base.save(out)
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">'
        + (f'<dimension ref="{dimension}"/>' if dimension else "")
        + f"<sheetData>{CELLS}</sheetData></worksheet>"
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


@pytest.mark.parametrize(
    "dimension", ["A1:H7", None, "A1:C4", "A1:J9"], ids=["exact", "none", "smaller", "larger"]
)
def test_quick_reader_reads_every_kind_of_cell_as_openpyxl_does(dimension):
    book = load_workbook(io.BytesIO(_workbook(dimension)), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = list(sheet.iter_rows(values_only=True))
    quick = list(files._sheet_values(book, sheet))
    assert quick == expected
    assert [[type(v) for v in row] for row in quick] == [[type(v) for v in row] for row in expected]
    assert len(expected) >= 4 and "rich text" in expected[0]


def test_template_file_reads_to_the_same_table_as_through_openpyxl():
    row = ["E06000066", "Somerset", "2026-27 Q1", "REREF_PCT", "Re-referrals", "Percentage"]
    row += ["22", "1100", "5000", "", "", "a comment, with = sign"]
    rows = [list(COLUMNS), row, row, row]
    data = exports.template_xlsx(rows, title="Somerset")
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    reference = files._read_rows_openpyxl(data, book.worksheets[0], has_formulas=False)
    table = files.read_table("r.xlsx", data)
    assert table.rows == reference
    assert table.rows[1][6:9] == ["22", "1100", "5000"]
