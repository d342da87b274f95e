"""A corpus of bad return files, made by code. Each: (id, file name, bytes, expected message)."""

import io
import re
import struct
import zipfile
import zlib

from benchmarking.domain.validation import COLUMNS
from tests.benchmarking.factories import VALID, return_rows, to_csv, to_xlsx

COL = {name: i for i, name in enumerate(COLUMNS)}


def _rewrite_zip(data: bytes, change) -> bytes:
    """Copy an XLSX zip, letting change(name, content) -> content|None edit or drop parts."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = change(info.filename, source.read(info.filename))
            if content is not None:
                target.writestr(info.filename, content)
        extra = change("__extra__", b"")
        if extra:
            for name, content in extra:
                target.writestr(name, content)
    return out.getvalue()


# Cases bigger than the corpus test's 50 KB upload limit: run with the default limit.
LARGE = {"cell-over-131072-chars", "20000-bad-rows"}
BAD_ROWS = 19_999  # with the header, the 20,000 rows a file may have


def corrupt_deflate(data: bytes, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """The XLSX with one byte flipped inside `part`'s compressed data, chosen so that
    inflating it fails (zlib.error), as one bad sector or a bad transfer does."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo(part)
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 :][:4])
    start = info.header_offset + 30 + name_length + extra_length
    for offset in range(start + 2, start + info.compress_size - 2):
        flipped = data[:offset] + bytes([data[offset] ^ 0xFF]) + data[offset + 1 :]
        try:
            zlib.decompress(flipped[start : start + info.compress_size], -15)
        except zlib.error:
            return flipped
    raise AssertionError("no byte of the part breaks its deflate stream")


def hidden_sheets_xlsx(first_rows, visible_rows, *, first_state="veryHidden") -> bytes:
    """A workbook whose first sheet (`first_state`) holds `first_rows` and whose second sheet,
    'Return', holds `visible_rows`."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = "Data"
    for row in first_rows:
        first.append(row)
    second = book.create_sheet("Return")
    for row in visible_rows:
        second.append(row)
    first.sheet_state = first_state
    book.active = 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _set(rows, code, **cells):
    rows = [list(r) for r in rows]
    for row in rows[1:]:
        if row[COL["indicator_code"]] == code:
            for key, value in cells.items():
                row[COL[key]] = str(value)
    return rows


def _drop(rows, code):
    return [r for r in rows if r[COL["indicator_code"]] != code]


def formula_xlsx(rows, *, cell: str, formula: str, cached: str | None) -> bytes:
    """An XLSX whose `cell` holds `formula`, with or without a cached value."""
    from openpyxl.utils.cell import coordinate_to_tuple

    r, c = coordinate_to_tuple(cell)
    rows = [list(x) for x in rows]
    rows[r - 1][c - 1] = "=" + formula
    data = to_xlsx(rows)

    def change(name, content):
        if name == "__extra__":
            return None
        if name == "xl/worksheets/sheet1.xml":
            text = content.decode()
            pattern = re.compile(rf'<c r="{cell}"([^>]*)><f>([^<]*)</f>(<v\s*/>|<v></v>)?</c>')
            value = f"<v>{cached}</v>" if cached is not None else ""
            kind = ' t="e"' if cached and cached.startswith("#") else ""
            text, count = pattern.subn(
                lambda m: f'<c r="{cell}"{kind}><f>{m.group(2)}</f>{value}</c>', text
            )
            assert count == 1, text[:500]
            return text.encode()
        return content

    return _rewrite_zip(data, change)


def corpus(la, other_la, period):
    good = return_rows(la, period)
    xlsx = to_xlsx(good)
    files = []

    def add(case_id, name, data, message):
        files.append((case_id, name, data, message))

    # --- the file itself ---
    add("empty", "r.csv", b"", "file is empty")
    add("blank-lines", "r.csv", b"\r\n\r\n   \r\n", "The file is empty.")
    add("too-big", "r.csv", b"la_code\r\n" + b"x" * 60_000, "larger than the limit of 48 KB")
    add("xlsm-name", "r.xlsm", xlsx, "Macro-enabled workbooks are not accepted")
    add(
        "vba-inside",
        "r.xlsx",
        _rewrite_zip(
            xlsx, lambda n, c: [("xl/vbaProject.bin", b"\x00" * 64)] if n == "__extra__" else c
        ),
        "contains macros (VBA)",
    )
    add(
        "macro-content-type",
        "r.xlsx",
        _rewrite_zip(
            xlsx,
            lambda n, c: (
                None
                if n == "__extra__"
                else (
                    c.replace(b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")
                    if n == "[Content_Types].xml"
                    else c
                )
            ),
        ),
        "macro-enabled",
    )
    add("old-xls", "r.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Excel 97-2003")
    add("csv-named-xlsx", "r.xlsx", to_csv(good), "is named .xlsx but is not an Excel workbook")
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as z:
        z.writestr("notes.txt", "hello")
    add("plain-zip", "r.xlsx", plain_zip.getvalue(), "not an Excel workbook")
    add(
        "zip-bomb-ratio",
        "r.xlsx",
        _rewrite_zip(
            xlsx,
            lambda n, c: [("xl/media/padding.xml", b" " * 3_000_000)] if n == "__extra__" else c,
        ),
        "possible zip bomb",
    )
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol2;</t></si></sst>'
    )
    laughs_head = laughs.split(b"<sst")[0]
    add(
        "billion-laughs",
        "r.xlsx",
        _rewrite_zip(
            xlsx,
            lambda n, c: (
                None
                if n == "__extra__"
                else (laughs_head + c if n == "xl/worksheets/sheet1.xml" else c)
            ),
        ),
        "declares XML entities",
    )
    add(
        "entity-in-shared-strings",
        "r.xlsx",
        _rewrite_zip(
            xlsx, lambda n, c: [("xl/sharedStrings.xml", laughs)] if n == "__extra__" else c
        ),
        "declares XML entities",
    )
    xxe = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'

    def external_entity(name, content):
        if name == "__extra__":
            return None
        if name == "xl/worksheets/sheet1.xml":
            return xxe + content.split(b"?>", 1)[-1]
        return content

    add("external-entity", "r.xlsx", _rewrite_zip(xlsx, external_entity), "declares XML entities")

    def late_doctype(name, content):
        # A DTD pushed past the first 4 KB by a long comment is still found.
        if name == "__extra__":
            return None
        if name == "xl/worksheets/sheet1.xml":
            padding = b"<!-- " + b"padding " * 800 + b"-->"
            return padding + b"<!DOCTYPE worksheet>" + content.split(b"?>", 1)[-1]
        return content

    add("late-doctype", "r.xlsx", _rewrite_zip(xlsx, late_doctype), "declares XML entities")
    add("truncated-xlsx", "r.xlsx", xlsx[: len(xlsx) // 2], "damaged")
    add(
        "formula-no-cache",
        "r.xlsx",
        formula_xlsx(good, cell="G2", formula="1000+4000", cached=None),
        "Cell G2 on sheet 'Return' holds a formula",
    )
    add("binary", "r.csv", b"la_code,\x00\x01\x02\xff", "contains binary data")
    add("pdf-extension", "r.pdf", b"%PDF-1.4 hello", "Upload an Excel workbook (.xlsx) or a CSV")
    add("unclosed-quote", "r.csv", to_csv(good) + b'"E0600,unclosed', "malformed")
    add("bad-utf16", "r.csv", b"\xff\xfe\x00\xd8", "UTF-16")
    add("too-many-columns", "r.csv", b",".join([b"a"] * 60) + b"\r\n", "columns")
    add(
        "long-cell",
        "r.csv",
        to_csv(_set(good, "REF_RATE", comment="x" * 2500)),
        "longer than 2,000",
    )
    add("header-only", "r.csv", to_csv(good[:1]), "a header but no data rows")
    add(
        "missing-column",
        "r.csv",
        to_csv([[c for j, c in enumerate(r) if j != COL["numerator"]] for r in good]),
        "missing 'numerator'",
    )
    add(
        "repeated-column",
        "r.csv",
        to_csv([[*r, r[COL["value"]]] for r in good]),
        "repeats the column 'value'",
    )
    add(
        "dfe-file",
        "r.csv",
        b"time_period,geographic_level,old_la_code,referral_count\r\n2025,National,,1\r\n",
        "missing 'la_code'",
    )
    add(
        "cp1252-undefined",
        "r.csv",
        to_csv(good)[:-2] + b"\x81\x8d\r\n",
        "not readable as UTF-8 or Windows-1252",
    )
    add(
        "bom-then-bad-utf8",
        "r.csv",
        b"\xef\xbb\xbf" + to_csv(good) + b"\xff\xfe",
        "not readable as UTF-8",
    )

    # --- rows and columns ---
    add(
        "unknown-indicator",
        "r.csv",
        to_csv(_set(good, "REF_RATE", indicator_code="REF_RAET")),
        "Row 2, column D (indicator_code): 'REF_RAET' is not a known indicator",
    )
    add(
        "published-only-indicator",
        "r.csv",
        to_csv(_set(good, "REF_RATE", indicator_code="POP_0_17")),
        "POP_0_17 is published data only",
    )
    add(
        "missing-indicator-code",
        "r.csv",
        to_csv(_set(good, "REF_RATE", indicator_code="")),
        "the indicator code is missing",
    )
    add(
        "value-not-number",
        "r.csv",
        to_csv(_set(good, "REREF_PCT", value="abc")),
        "Row 3, column K (value): 'abc' is not a number.",
    )
    add(
        "numerator-not-number",
        "r.csv",
        to_csv(_set(good, "REREF_PCT", numerator="12a")),
        "column G (numerator): '12a' is not a number",
    )
    add("value-nan", "r.csv", to_csv(_set(good, "REREF_PCT", value="NaN")), "'NaN' is not a number")
    add(
        "value-formula-text",
        "r.csv",
        to_csv(_set(good, "REREF_PCT", value="=1+1")),
        "'=1+1' is not a number",
    )
    add(
        "value-huge",
        "r.csv",
        to_csv(_set(good, "REREF_PCT", value="1e400")),
        "is too large for this return",
    )
    add(
        "percent-over-100",
        "r.csv",
        to_csv(_set(good, "REREF_PCT", value="120", numerator=6000, denominator=5000)),
        "REREF_PCT: a percentage cannot be over 100",
    )
    add(
        "above-valid-max",
        "r.csv",
        to_csv(_set(good, "SW_CASELOAD", value="150", numerator=15000, denominator=100)),
        "SW_CASELOAD: 150 is above the largest valid value 100",
    )
    add(
        "below-valid-min",
        "r.csv",
        to_csv(_set(good, "CLA_RATE", value="-5")),
        "CLA_RATE: -5 is below the smallest valid value 0",
    )
    add(
        "numerator-over-denominator",
        "r.csv",
        to_csv(_set(good, "REREF_PCT", numerator=6000)),
        "REREF_PCT: the numerator 6000 is greater than the denominator 5000",
    )
    add(
        "denominator-zero",
        "r.csv",
        to_csv(_set(good, "REREF_PCT", denominator=0)),
        "the denominator must be more than 0",
    )
    add(
        "negative-numerator",
        "r.csv",
        to_csv(_set(good, "REREF_PCT", numerator=-1)),
        "the numerator cannot be negative",
    )
    add(
        "value-mismatch",
        "r.csv",
        to_csv(_set(good, "REREF_PCT", value="30")),
        "REREF_PCT: the value 30 does not match numerator / denominator (22)",
    )
    add(
        "missing-denominator",
        "r.csv",
        to_csv(_set(good, "REREF_PCT", denominator="")),
        "give both the numerator",
    )
    add(
        "suppressed-with-value",
        "r.csv",
        to_csv(_set(good, "REREF_PCT", suppression="c", suppression_reason="small")),
        "give either a value or a suppression code, not both",
    )
    add(
        "suppressed-no-reason",
        "r.csv",
        to_csv(_set(good, "REREF_PCT", numerator="", denominator="", suppression="x")),
        "is marked 'x' (not available): say why",
    )
    add(
        "suppression-reason-too-long",
        "r.csv",
        to_csv(
            _set(
                good,
                "REREF_PCT",
                value="",
                numerator="",
                denominator="",
                suppression="c",
                suppression_reason="r" * 600,
            )
        ),
        "Row 3, column M (suppression_reason): the reason is 600 characters long; the limit is "
        "500.",
    )
    add(
        "unknown-suppression",
        "r.csv",
        to_csv(
            _set(
                good,
                "REREF_PCT",
                numerator="",
                denominator="",
                suppression="q",
                suppression_reason="?",
            )
        ),
        "'q' is not a suppression code",
    )
    add(
        "no-value",
        "r.csv",
        to_csv(_set(good, "REREF_PCT", numerator="", denominator="")),
        "REREF_PCT has no value",
    )
    add(
        "wrong-la",
        "r.csv",
        to_csv(_set(good, "REREF_PCT", la_code=other_la.gss_code)),
        f"'{other_la.gss_code}' is not {la.name}",
    )
    add(
        "missing-la", "r.csv", to_csv(_set(good, "REREF_PCT", la_code="")), "the LA code is missing"
    )
    add(
        "wrong-period",
        "r.csv",
        to_csv(_set(good, "REREF_PCT", period="2019-20 Q3")),
        f"'2019-20 Q3' is not this return's period; it must be {period.label}",
    )
    add(
        "missing-period",
        "r.csv",
        to_csv(_set(good, "REREF_PCT", period="")),
        "the period is missing",
    )
    add(
        "duplicate-row",
        "r.csv",
        to_csv([*good, good[2]]),
        "REREF_PCT for " + la.name + " is given twice (first on row 3)",
    )
    add(
        "missing-required",
        "r.csv",
        to_csv(_drop(good, "SW_CASELOAD")),
        "there is no row for SW_CASELOAD",
    )
    add(
        "rereferrals-over-referrals",
        "r.csv",
        to_csv(_set(good, "REREF_PCT", numerator=5500, denominator=6000)),
        "Re-referrals (REREF_PCT numerator) must not be more than referrals",
    )
    add(
        "cpp-over-cin",
        "r.csv",
        to_csv(_set(good, "CPP_RATE", numerator=4000)),
        "must not be more than children in need",
    )
    add(
        "placements-over-cla",
        "r.csv",
        to_csv(_set(good, "CLA_3PLUS_PCT", numerator=800, denominator=900)),
        "must not be more than children looked after",
    )
    two = _set(_set(good, "REREF_PCT", value="abc"), "CL_EET_PCT", numerator=400)
    add(
        "two-errors",
        "r.csv",
        to_csv(two),
        "Row 14, column G (numerator): CL_EET_PCT: the numerator 400 is greater than the denominator 300",
    )
    add(
        "xlsx-row-error",
        "r.xlsx",
        to_xlsx(_set(good, "REREF_PCT", value="lots")),
        "Row 3, column K (value): 'lots' is not a number.",
    )
    add(
        "xlsx-error-cell",
        "r.xlsx",
        formula_xlsx(good, cell="K3", formula="1/0", cached="#DIV/0!"),
        "'#DIV/0!' is not a number",
    )
    add(
        "xlsx-wrong-la",
        "r.xlsx",
        to_xlsx(_set(good, "CPP_RATE", la_code=other_la.gss_code)),
        f"is not {la.name}",
    )
    add(
        "semicolon-row-error",
        "r.csv",
        to_csv(
            [";".join(r).split(",") if False else r for r in _set(good, "NFA_PCT", numerator="n/a")]
        ).replace(b",", b";"),
        "'n/a' is not a number",
    )
    add(
        "cp1252-row-error",
        "r.csv",
        to_csv(_set(good, "NFA_PCT", value="£5"), encoding="cp1252"),
        "'£5' is not a number",
    )
    hostile_cases(add, good, xlsx)
    assert len(VALID) == 18
    return files


def hostile_cases(add, good, xlsx):
    """Issue 20: NULs past a BOM, a broken deflate stream, a hidden first sheet, numbers
    written as people in other locales write them, a huge cell, a file of only bad rows."""
    nul = _set(good, "REF_RATE", comment="a\x00b")
    where_nul = "Cell N2 (row 2, column N (comment)) holds a control character (U+0000)"
    add("nul-after-utf8-bom", "r.csv", b"\xef\xbb\xbf" + to_csv(nul), where_nul)
    add("nul-after-utf16-bom", "r.csv", to_csv(nul, encoding="utf-16"), where_nul)
    add(
        "xlsx-escaped-nul",
        "r.xlsx",
        to_xlsx(_set(good, "REF_RATE", comment="a_x0000_b")),
        where_nul,
    )
    add(
        "xlsx-control-character",
        "r.xlsx",
        to_xlsx(_set(good, "CLA_RATE", suppression_reason="x_x001B_y")),
        "Cell M10 (row 10, column M (suppression_reason)) holds a control character (U+001B)",
    )
    add(
        "corrupt-deflate-in-sheet",
        "r.xlsx",
        corrupt_deflate(xlsx),
        "The file is damaged: the workbook part xl/worksheets/sheet1.xml cannot be unpacked",
    )
    add(
        "corrupt-deflate-in-styles",
        "r.xlsx",
        corrupt_deflate(xlsx, "xl/styles.xml"),
        "The file is damaged: the workbook part xl/styles.xml cannot be unpacked",
    )
    add(
        "veryhidden-first-sheet",
        "r.xlsx",
        hidden_sheets_xlsx(good, _set(good, "REREF_PCT", value="lots")),
        "Row 3, column K (value): 'lots' is not a number.",
    )
    add(
        "hidden-first-sheet",
        "r.xlsx",
        hidden_sheets_xlsx(good, _set(good, "REREF_PCT", value="lots"), first_state="hidden"),
        "Row 3, column K (value): 'lots' is not a number.",
    )
    add(
        "no-visible-sheet",
        "r.xlsx",
        _rewrite_zip(
            xlsx,
            lambda n, c: (
                None
                if n == "__extra__"
                else (
                    c.replace(b'state="visible"', b'state="veryHidden"')
                    if n == "xl/workbook.xml"
                    else c
                )
            ),
        ),
        "The workbook has no visible worksheet, so the template's sheet is missing",
    )
    add(
        "decimal-comma",
        "r.csv",
        to_csv(_set(good, "CLA_RATE", numerator="700,5")),
        "Row 10, column G (numerator): '700,5' is not a number: a comma is not a decimal point",
    )
    add(
        "decimal-comma-xlsx-text",
        "r.xlsx",
        to_xlsx(_set(good, "CLA_RATE", numerator="12,5")),
        "Row 10, column G (numerator): '12,5' is not a number: a comma is not a decimal point",
    )
    add(
        "misplaced-thousands-separator",
        "r.csv",
        to_csv(_set(good, "CLA_RATE", numerator="7,00")),
        "'7,00' is not a number: a comma is not a decimal point",
    )
    add(
        "arabic-indic-digits",
        "r.csv",
        to_csv(_set(good, "CLA_RATE", numerator="\u0667\u0660\u0660")),
        "Row 10, column G (numerator): '\u0667\u0660\u0660' is not a number: only the digits 0 to 9",
    )
    add(
        "full-width-digits",
        "r.csv",
        to_csv(_set(good, "CLA_RATE", numerator="\uff17\uff10\uff10")),
        "'\uff17\uff10\uff10' is not a number: only the digits 0 to 9",
    )
    add(
        "numerator-past-stored-precision",
        "r.csv",
        to_csv(_set(good, "CLA_RATE", numerator="700.12345")),
        "Row 10, column G (numerator): CLA_RATE: 700.12345 has 5 decimal places; the numerator "
        "is kept to 4 decimal places.",
    )
    add(
        "value-past-indicator-precision",
        "r.csv",
        to_csv(_set(good, "REREF_PCT", value="22.004")),
        "Row 3, column K (value): REREF_PCT: 22.004 has 3 decimal places; the value is kept to "
        "1 decimal place.",
    )
    add(
        "cell-over-131072-chars",
        "r.csv",
        to_csv(_set(good, "REF_RATE", comment="x" * 131_073)),
        "Cell N2 (row 2, column N (comment)) is longer than 2,000 characters (it has 131,073)",
    )
    bad = _set(good, "REF_RATE", value="lots", numerator="some")[1]
    add(
        "20000-bad-rows",
        "r.csv",
        to_csv([good[0]] + [bad] * BAD_ROWS),
        f"The file was not saved: {2 * BAD_ROWS} problems to fix",
    )
