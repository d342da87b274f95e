"""Reading uploaded spreadsheets safely: CSV or XLSX bytes in, a table of strings out.

Every refusal is a ``FileRejected`` with a message a performance lead can act on. Nothing here
touches the database. Defences: a size limit before reading; for XLSX, the zip's declared
uncompressed sizes and compression ratios are checked before any XML is parsed, macro-enabled
workbooks (vbaProject.bin, macroEnabled content types) are refused, any XML part with a DOCTYPE
(entity expansion, external entities) is refused, and calamine then reads the first visible sheet from a
copy of exactly the parts checked. Formulas are never evaluated: the value Excel cached is used;
a workbook with formulas (or an unusual sheet) is read by openpyxl with defusedxml in read-only
mode instead, so that a formula without a cached value is an error naming the cell. CSV text
may be UTF-8 (with or without BOM), UTF-16 with BOM or Windows-1252.
"""

import csv
import datetime
import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings

MAX_ROWS = 20_000
MAX_COLUMNS = 50
MAX_CELL_CHARS = 2_000
ZIP_MAX_UNCOMPRESSED = 50 * 1024 * 1024
ZIP_MAX_RATIO = 200
ZIP_MAX_ENTRIES = 500
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# What reading a damaged zip can raise, from the zip module and the decompressors under it.
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError)
# Control characters no cell may hold (tab, line feed and carriage return are text); NUL
# cannot even be stored by PostgreSQL.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class FileRejected(ValueError):
    """The file cannot be read at all; the message says why."""


@dataclass
class Table:
    kind: str  # "csv" or "xlsx"
    rows: list[list[str]]  # first row is the header
    sheet: str = ""


def max_upload_bytes() -> int:
    return getattr(settings, "BENCHMARKING_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_table(name: str, data: bytes) -> Table:
    limit = max_upload_bytes()
    if len(data) > limit:
        raise FileRejected(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is "
            f"{limit / 1024 / 1024:.0f} MB."
        )
    if not data.strip():
        raise FileRejected("The file is empty.")
    lower = name.lower()
    if lower.endswith((".xlsm", ".xltm", ".xlsb")):
        raise FileRejected(
            "Macro-enabled workbooks are not accepted. Save the file as an Excel workbook "
            "(.xlsx) or CSV and upload that."
        )
    if data.startswith(OLE_MAGIC):
        raise FileRejected(
            "This is an old Excel 97-2003 (.xls) file or a password-protected workbook. "
            "Save it as an Excel workbook (.xlsx) or CSV and upload that."
        )
    if data.startswith(XLSX_MAGIC):
        table = _read_xlsx(data)
    elif lower.endswith(".xlsx"):
        raise FileRejected("The file is named .xlsx but is not an Excel workbook.")
    elif not lower.endswith((".csv", ".txt")):
        raise FileRejected("Upload an Excel workbook (.xlsx) or a CSV file (.csv).")
    else:
        table = _read_csv(data)
    check_cells(table.rows)
    return table


# --- every cell, whatever the file ------------------------------------------------------------


def check_cells(rows: list[list[str]]) -> None:
    """The one text check every table goes through before any other: no cell longer than
    MAX_CELL_CHARS and none holding a control character (NUL and the like, whichever encoding
    or ``_x0000_`` escape brought it). The message names the cell, its row and its column."""
    header = [cell.strip() for cell in rows[0]] if rows else []
    for line, row in enumerate(rows, start=1):
        for index, cell in enumerate(row):
            problem = ""
            if len(cell) > MAX_CELL_CHARS:
                problem = f"is longer than {MAX_CELL_CHARS:,} characters (it has {len(cell):,})"
            elif found := _CONTROL.search(cell):
                problem = (
                    f"holds a control character (U+{ord(found.group()):04X}) at character "
                    f"{found.start() + 1}; such characters cannot be saved. Retype the cell"
                )
            if problem:
                raise FileRejected(f"{_where(header, line, index)} {problem}.")


def _where(header: list[str], line: int, index: int) -> str:
    name = header[index] if line > 1 and index < len(header) and header[index] else ""
    column = f"column {column_letter(index)}" + (f" ({name[:40]})" if name else "")
    return f"Cell {column_letter(index)}{line} (row {line}, {column})"


# --- CSV --------------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """The text of an uploaded text file, refused if it holds a control character (the
    message names the line), whatever its encoding."""
    text = _decode(data)
    if found := _CONTROL.search(text):
        line = text.count("\n", 0, found.start()) + 1
        raise FileRejected(
            f"Line {line} of the file holds a control character (U+{ord(found.group()):04X}); "
            "such characters cannot be saved. Remove it and upload the file again."
        )
    return text


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileRejected(_bad_bytes("UTF-8", data, exc.start + 3)) from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise FileRejected("The file says it is UTF-16 text but is not readable.") from exc
    if b"\x00" in data:
        raise FileRejected(
            "This is not a text file (it contains binary data). Upload the CSV or XLSX template."
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise FileRejected(_bad_bytes("UTF-8 or Windows-1252", data, exc.start)) from exc


def _bad_bytes(encoding: str, data: bytes, position: int) -> str:
    line = data[:position].count(b"\n") + 1
    return (
        f"The file is not readable as {encoding} text (unreadable character on line {line}). "
        "Save it as 'CSV UTF-8' and upload it again."
    )


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    # A cell may be as long as the file (its length is checked with the cell named), not
    # csv's default 131,072 characters (refused with no cell named).
    csv.field_size_limit(max(csv.field_size_limit(), max_upload_bytes() + 1))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    if first_line.count("\t") > max(first_line.count(","), first_line.count(";")):
        delimiter = "\t"
    rows = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        for row in reader:
            _check_shape(len(rows) + 1, row)
            rows.append([cell.strip() for cell in row])
    except csv.Error as exc:
        raise FileRejected(
            f"The CSV is malformed on line {reader.line_num}: {exc}. Check for an unclosed quote."
        ) from exc
    return Table(kind="csv", rows=_trim(rows))


def _check_shape(line: int, row: list) -> None:
    if line > MAX_ROWS:
        raise FileRejected(f"The file has more than {MAX_ROWS:,} rows.")
    if len(row) > MAX_COLUMNS:
        raise FileRejected(f"Row {line} has {len(row)} columns; the template has fewer than 20.")


def _trim(rows: list[list[str]]) -> list[list[str]]:
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


# --- XLSX -------------------------------------------------------------------------------------


DAMAGED = (
    "The file is damaged: it is not a readable .xlsx workbook. Open it in Excel, save it "
    "again and upload the new file."
)


def _read_xlsx(data: bytes) -> Table:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except ZIP_ERRORS as exc:
        raise FileRejected(DAMAGED) from exc
    parts = _check_zip(archive, infos)
    has_formulas = _has_formulas(parts)
    if has_formulas or not all(_plain_sheet(xml) for xml in _sheets(parts).values()):
        return _read_xlsx_openpyxl(data, has_formulas)
    return _read_xlsx_calamine(parts)


def _read_xlsx_calamine(parts: dict[str, bytes]) -> Table:
    """The first worksheet read by calamine (Rust), from a copy of the zip holding exactly the
    parts already checked, stored uncompressed: calamine sees no byte the checks did not."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    copy = io.BytesIO()
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as stored:
        for name, content in parts.items():
            stored.writestr(name, content)
    copy.seek(0)
    try:
        book = CalamineWorkbook.from_filelike(copy)
        first = next(
            (
                i
                for i, m in enumerate(book.sheets_metadata)
                if m.typ == SheetTypeEnum.WorkSheet and m.visible == SheetVisibleEnum.Visible
            ),
            None,
        )
    except Exception as exc:  # calamine raises several types for damaged files
        raise FileRejected(
            "The workbook is damaged or not an Excel workbook openpyxl can read."
        ) from exc
    if first is None:
        book.close()
        raise FileRejected(NO_VISIBLE_SHEET)
    try:
        sheet = book.get_sheet_by_index(first)
        rows = _table_rows(
            map(_calamine_values, sheet.to_python(skip_empty_area=False)), sheet.name
        )
    except FileRejected:
        raise
    except Exception as exc:
        raise FileRejected("The workbook's first sheet could not be read.") from exc
    finally:
        book.close()
    return Table(kind="xlsx", rows=_trim(rows), sheet=sheet.name)


NO_VISIBLE_SHEET = (
    "The workbook has no visible worksheet, so the template's sheet is missing: upload the "
    "template with its 'Return' sheet shown."
)


def _calamine_values(row: list) -> list:
    """A row as calamine gives it, with values as openpyxl gives them (so as the same text):
    an empty cell is None and a date-formatted whole day a datetime at midnight."""
    return [
        None
        if value == ""
        else datetime.datetime.combine(value, datetime.time())
        if type(value) is datetime.date
        else value
        for value in row
    ]


def _read_xlsx_openpyxl(data: bytes, has_formulas: bool) -> Table:
    """The first visible sheet read by openpyxl (with defusedxml, read-only), with its formulas (read,
    never evaluated) when the workbook has any, to name a formula that has no saved result.
    Slower than calamine; used for workbooks with formulas or unusual sheets."""
    from openpyxl import load_workbook

    try:
        values_book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formula_book = (
            load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            if has_formulas
            else None
        )
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise FileRejected(
            "The workbook is damaged or not an Excel workbook openpyxl can read."
        ) from exc
    visible = [i for i, s in enumerate(values_book.worksheets) if s.sheet_state == "visible"]
    if not visible:
        values_book.close()
        raise FileRejected(NO_VISIBLE_SHEET)
    try:
        sheet = values_book.worksheets[visible[0]]
        written = (
            formula_book.worksheets[visible[0]].iter_rows(values_only=True)
            if formula_book
            else None
        )
        rows = _table_rows(sheet.iter_rows(values_only=True), sheet.title, written)
    except FileRejected:
        raise
    except Exception as exc:
        raise FileRejected("The workbook's first sheet could not be read.") from exc
    finally:
        values_book.close()
        if formula_book:
            formula_book.close()
    return Table(kind="xlsx", rows=_trim(rows), sheet=sheet.title)


def _table_rows(values, sheet_title: str, formulas=None) -> list[list[str]]:
    """Rows of cell values (as openpyxl gives them) to rows of text, checking each row's shape
    and, with `formulas` (the same rows as written), that every formula has a saved result."""
    rows = []
    for index, cached in enumerate(values, start=1):
        _check_shape(index, cached)
        written = next(formulas, ()) if formulas else ()
        row = []
        for column, value in enumerate(cached):
            formula = written[column] if column < len(written) else None
            if value is None and isinstance(formula, str) and formula.startswith("="):
                raise FileRejected(
                    f"Cell {column_letter(column)}{index} on sheet '{sheet_title}' holds a "
                    f"formula ({formula[:60]}) with no saved result. Open the file in Excel, "
                    "let it calculate and save it, or type the value."
                )
            row.append(_cell_text(value))
        rows.append(row)
    return rows


def _sheets(parts: dict[str, bytes]) -> dict[str, bytes]:
    return {
        name: content
        for name, content in parts.items()
        if name.startswith("xl/worksheets/") and name.endswith(".xml")
    }


_CELL = re.compile(rb"<(?:[\w.-]+:)?c[\s/>]")
_CELL_REF = re.compile(rb'<(?:[\w.-]+:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_DIMENSION = re.compile(
    rb'<(?:[\w.-]+:)?dimension\s[^>]*?\bref="(?:[A-Z]+[0-9]+:)?([A-Z]+)([0-9]+)"'
)


def _plain_sheet(xml: bytes) -> bool:
    """Whether calamine reads this sheet to the same table as openpyxl: every cell names its
    place, the declared dimension is the cells' extent (openpyxl pads or cuts rows to it) and
    within the row and column limits (calamine holds the whole range in memory), no error
    cells (calamine reads #N/A as empty). Excel's own files are; others go to openpyxl."""
    refs = _CELL_REF.findall(xml)
    if len(refs) != len(_CELL.findall(xml)) or b't="e"' in xml or b"t='e'" in xml:
        return False
    dimension = _DIMENSION.search(xml)
    if not dimension:
        return False
    letters, rows = zip(*refs, strict=True) if refs else ((b"A",), (b"1",))
    extent = (max(map(_column_number, set(letters))), max(map(int, set(rows))))
    return (
        extent == (_column_number(dimension[1]), int(dimension[2]))
        and extent[1] <= MAX_ROWS
        and extent[0] <= MAX_COLUMNS
    )


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _declares_dtd(content: bytes) -> bool:
    """Whether an XML part holds a DOCTYPE or ENTITY declaration anywhere (in XML a literal
    "<!" can only be markup), also in a UTF-16 part."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in content[:64]:
        try:
            text = content.decode("utf-16")
        except UnicodeDecodeError:
            return True
        return bool(_DTD.search(text.encode("utf-8")))
    return bool(_DTD.search(content))


def _entities_message(part: str) -> str:
    return (
        f"The workbook part {part} declares XML entities (a DOCTYPE); such files are refused "
        "because they can be used to attack the server."
    )


def _check_zip(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> dict[str, bytes]:
    """Check the zip and its parts; return the XML parts (name -> content), each refused if
    it declares a DTD."""
    if len(infos) > ZIP_MAX_ENTRIES:
        raise FileRejected("The workbook has too many parts to be a spreadsheet template.")
    names = {info.filename for info in infos}
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise FileRejected(
            "The workbook contains macros (VBA). Macro-enabled files are not accepted: save it as "
            "an Excel workbook (.xlsx) without macros."
        )
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise FileRejected("The file is a zip archive but not an Excel workbook.")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > ZIP_MAX_UNCOMPRESSED or total > ZIP_MAX_UNCOMPRESSED:
            raise FileRejected(
                "The workbook expands to more than 50 MB when opened; it is refused as a "
                "possible zip bomb."
            )
        if info.compress_size and info.file_size / info.compress_size > ZIP_MAX_RATIO:
            raise FileRejected(
                f"The workbook part {info.filename} is compressed more than {ZIP_MAX_RATIO} to "
                "1; it is refused as a possible zip bomb."
            )
    try:
        content_types = archive.read("[Content_Types].xml")
    except (KeyError, *ZIP_ERRORS) as exc:
        raise FileRejected(DAMAGED) from exc
    if b"macroEnabled" in content_types:
        raise FileRejected(
            "The workbook is macro-enabled (.xlsm). Save it as an Excel workbook (.xlsx)."
        )
    parts = {}
    for info in infos:
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            content = archive.read(info)
        except ZIP_ERRORS as exc:  # a bad CRC, a corrupted deflate stream, a cut-off part
            raise FileRejected(
                f"The file is damaged: the workbook part {info.filename} cannot be unpacked. "
                "Open it in Excel, save it again and upload the new file."
            ) from exc
        if _declares_dtd(content):
            raise FileRejected(_entities_message(info.filename))
        parts[info.filename] = content
    return parts


def _has_formulas(parts: dict[str, bytes]) -> bool:
    return any(
        b"<f>" in content or b"<f " in content or b":f>" in content
        for content in _sheets(parts).values()
    )


def _cell_text(value) -> str:
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return "#NUM!"
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()
