"""Reading uploaded spreadsheets safely: CSV or XLSX bytes in, a table of strings out.

Every refusal is a ``FileRejected`` with a message a performance lead can act on. Nothing here
touches the database. Defences: a size limit before reading; for XLSX, the zip's declared
uncompressed sizes and compression ratios are checked before any XML is parsed, macro-enabled
workbooks (vbaProject.bin, macroEnabled content types) are refused, any XML with a DOCTYPE (entity
expansion, external entities) is refused, openpyxl reads the workbook with defusedxml in
read-only mode and the first sheet's cells are parsed only once expat has found no DTD in it;
formulas are never evaluated: the value Excel cached is used and a formula without one is an
error naming the cell. CSV text may be UTF-8 (with or without BOM), UTF-16 with BOM or
Windows-1252.
"""

import csv
import functools
import io
import zipfile
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
        return _read_xlsx(data)
    if lower.endswith(".xlsx"):
        raise FileRejected("The file is named .xlsx but is not an Excel workbook.")
    if not lower.endswith((".csv", ".txt")):
        raise FileRejected("Upload an Excel workbook (.xlsx) or a CSV file (.csv).")
    return _read_csv(data)


# --- CSV --------------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
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
    text = decode_text(data)
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
    for index, cell in enumerate(row):
        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
            raise FileRejected(
                f"Cell {column_letter(index)}{line} is longer than {MAX_CELL_CHARS:,} characters."
            )


def _trim(rows: list[list[str]]) -> list[list[str]]:
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


# --- XLSX -------------------------------------------------------------------------------------


def _read_xlsx(data: bytes) -> Table:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FileRejected("The workbook is damaged: it is not a readable .xlsx file.") from exc
    _check_zip(archive, infos)
    has_formulas = _has_formulas(archive, infos)

    from openpyxl import load_workbook

    try:
        # openpyxl (with defusedxml) reads the workbook's structure: which sheet is first, the
        # shared strings, which styles are dates.
        values_book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except FileRejected:
        raise
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise FileRejected(
            "The workbook is damaged or not an Excel workbook openpyxl can read."
        ) from exc
    try:
        sheet = values_book.worksheets[0]
        try:
            rows = _table_rows(_sheet_values(values_book, sheet), sheet.title)
        except _FormulaWithoutResult:
            # Rare: let openpyxl read the formulas too, to name the cell and its formula.
            rows = _read_rows_openpyxl(data, sheet, has_formulas)
    except FileRejected:
        raise
    except Exception as exc:
        raise FileRejected("The workbook's first sheet could not be read.") from exc
    finally:
        values_book.close()
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


def _read_rows_openpyxl(data: bytes, sheet, has_formulas: bool) -> list[list[str]]:
    """The first sheet read by openpyxl alone, with its formulas (read, never evaluated) when
    the workbook has any; slower than ``_sheet_values``, which falls back to it."""
    from openpyxl import load_workbook

    try:
        formula_book = (
            load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            if has_formulas
            else None
        )
    except Exception as exc:
        raise FileRejected(
            "The workbook is damaged or not an Excel workbook openpyxl can read."
        ) from exc
    try:
        written = formula_book.worksheets[0].iter_rows(values_only=True) if formula_book else None
        return _table_rows(sheet.iter_rows(values_only=True), sheet.title, written)
    finally:
        if formula_book:
            formula_book.close()


class _FormulaWithoutResult(Exception):
    """A cell holds a formula but no saved result (``_read_rows_openpyxl`` explains it)."""


def _sheet_values(book, sheet):
    """The values of a read-only openpyxl sheet, row by row, exactly as
    ``sheet.iter_rows(values_only=True)`` gives them, but several times quicker.

    openpyxl parses the sheet with defusedxml's pure-Python parser and builds an object for
    every inline string; this parses it with the C parser, after making sure the part declares
    no DTD (so no entities), and reads plain cells directly. Rows, gaps and the sheet's declared
    dimensions are handled as ``ReadOnlyWorksheet._cells_by_row`` does; any other kind of cell
    (dates, booleans, errors, rich text) goes to openpyxl's own cell parser. Raises
    ``_FormulaWithoutResult`` for a formula with no saved value.
    """
    from xml.etree.ElementTree import iterparse

    with sheet._get_source() as source:
        xml = source.read()
    _refuse_dtd(xml, sheet._worksheet_path)
    parser = _cell_parser_class()(
        None,
        sheet._shared_strings,
        data_only=True,
        epoch=book.epoch,
        date_formats=book._date_formats,
        timedelta_formats=book._timedelta_formats,
    )
    max_col, max_row = sheet.max_column, sheet.max_row
    empty_row = (None,) * max_col if max_col is not None else []
    counter = idx = 1
    for _event, element in iterparse(io.BytesIO(xml)):
        if element.tag != _ROW_TAG:
            continue
        idx, cells = parser.parse_row(element)
        element.clear()
        if max_row is not None and idx > max_row:
            break
        for _ in range(counter, idx):  # rows missing from the file
            counter += 1
            yield empty_row
        if counter <= idx:
            counter += 1
            if not cells and not max_col:
                yield ()
                continue
            width = max_col or cells[-1]["column"]
            values = [None] * width
            for cell in cells:
                if 1 <= cell["column"] <= width:
                    values[cell["column"] - 1] = cell["value"]
            yield tuple(values)
    if max_row is not None and max_row < idx:
        for _ in range(counter, max_row + 1):
            yield empty_row


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW_TAG = _MAIN_NS + "row"
_CELL_TAG = _MAIN_NS + "c"
_VALUE_TAG = _MAIN_NS + "v"
_FORMULA_TAG = _MAIN_NS + "f"
_INLINE_TAG = _MAIN_NS + "is"
_TEXT_TAG = _MAIN_NS + "t"


@functools.cache
def _cell_parser_class():
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.worksheet._reader import WorkSheetParser

    class CellParser(WorkSheetParser):
        """openpyxl's parser (data only) with a direct path for numbers and plain strings."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.columns = {}

        def parse_cell(self, element):
            kind = element.get("t", "n")
            style_id = element.get("s", 0)
            if style_id:
                style_id = int(style_id)
            if (
                element.tag != _CELL_TAG
                or kind not in ("n", "s", "str", "inlineStr")
                or (kind == "n" and style_id in self.date_formats)
            ):
                cell = super().parse_cell(element)
            else:
                coordinate = element.get("r")
                if coordinate:
                    # The column of "AB12" is that of any "AB<digits>": remembered per letters.
                    letters = coordinate.rstrip("0123456789")
                    column = self.columns.get(letters) if letters != coordinate else None
                    if column is None:
                        column = coordinate_to_tuple(coordinate)[1]
                        self.columns[letters] = column
                    self.col_counter = column
                else:
                    self.col_counter += 1
                    column = self.col_counter
                if kind == "inlineStr":
                    value = _inline_text(element)
                else:
                    value = element.findtext(_VALUE_TAG, None) or None
                    if value is not None:
                        if kind == "n":
                            value = (
                                float(value)
                                if "." in value or "E" in value or "e" in value
                                else int(value)
                            )
                        elif kind == "s":
                            value = self.shared_strings[int(value)]
                cell = {"column": column, "value": value}
            if cell["value"] is None and element.find(_FORMULA_TAG) is not None:
                raise _FormulaWithoutResult
            return cell

    return CellParser


def _inline_text(element):
    """The text of an inline string cell, as openpyxl's ``Text.content`` gives it."""
    child = element.find(_INLINE_TAG)
    if child is None:
        return None
    if len(child) == 1 and child[0].tag == _TEXT_TAG and not child.attrib:  # the usual <is><t>
        return child[0].text or ""
    if child.attrib or any(part.tag != _TEXT_TAG for part in child):
        from openpyxl.cell.text import Text

        return Text.from_tree(child).content
    return (child[-1].text or "") if len(child) else ""


class _RootReached(Exception):
    pass


def _refuse_dtd(xml: bytes, part: str) -> None:
    """Refuse an XML part that declares a DTD (the only place entities can be declared).

    A DTD can only come before the root element, so expat stops there."""
    from xml.parsers import expat

    def refuse(*args):
        raise FileRejected(_entities_message(part))

    def stop(*args):
        raise _RootReached

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = stop
    try:
        parser.Parse(xml, True)
    except _RootReached:
        return


def _entities_message(part: str) -> str:
    return (
        f"The workbook part {part} declares XML entities (a DOCTYPE); such files are refused "
        "because they can be used to attack the server."
    )


def _check_zip(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
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
    except (KeyError, zipfile.BadZipFile, OSError) as exc:
        raise FileRejected("The workbook is damaged: it is not a readable .xlsx file.") from exc
    if b"macroEnabled" in content_types:
        raise FileRejected(
            "The workbook is macro-enabled (.xlsm). Save it as an Excel workbook (.xlsx)."
        )
    for info in infos:
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with archive.open(info) as handle:
                head = handle.read(4096)
        except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
            raise FileRejected(f"The workbook part {info.filename} is damaged.") from exc
        if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
            raise FileRejected(_entities_message(info.filename))


def _has_formulas(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> bool:
    for info in infos:
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            content = archive.read(info)
            if b"<f>" in content or b"<f " in content or b":f>" in content:
                return True
    return False


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
