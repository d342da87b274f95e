"""Reading uploaded spreadsheets safely: CSV or XLSX bytes in, a table of strings out.

Every refusal is a ``FileRejected`` with a message a performance lead can act on. Nothing here
touches the database. Defences: a size limit before reading; for XLSX, the zip's declared
uncompressed sizes and compression ratios are checked before any XML is parsed, macro-enabled
workbooks (vbaProject.bin, macroEnabled content types) are refused, any XML with a DOCTYPE (entity
expansion, external entities) is refused, and openpyxl reads with defusedxml in read-only mode;
formulas are never evaluated: the value Excel cached is used and a formula without one is an
error naming the cell. CSV text may be UTF-8 (with or without BOM), UTF-16 with BOM or
Windows-1252.
"""

import csv
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
        values_book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        # Formulas are read (never evaluated) only to name a cell whose result was not saved.
        formula_book = (
            load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            if has_formulas
            else None
        )
    except FileRejected:
        raise
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise FileRejected(
            "The workbook is damaged or not an Excel workbook openpyxl can read."
        ) from exc
    try:
        sheet = values_book.worksheets[0]
        written_rows = (
            formula_book.worksheets[0].iter_rows(values_only=True) if formula_book else None
        )
        rows = []
        for index, cached in enumerate(sheet.iter_rows(values_only=True), start=1):
            _check_shape(index, cached)
            written = next(written_rows, ()) if written_rows else ()
            row = []
            for column, value in enumerate(cached):
                formula = written[column] if column < len(written) else None
                if value is None and isinstance(formula, str) and formula.startswith("="):
                    raise FileRejected(
                        f"Cell {column_letter(column)}{index} on sheet '{sheet.title}' holds a "
                        f"formula ({formula[:60]}) with no saved result. Open the file in Excel, "
                        "let it calculate and save it, or type the value."
                    )
                row.append(_cell_text(value))
            rows.append(row)
    except FileRejected:
        raise
    except Exception as exc:
        raise FileRejected("The workbook's first sheet could not be read.") from exc
    finally:
        values_book.close()
        if formula_book:
            formula_book.close()
    return Table(kind="xlsx", rows=_trim(rows), sheet=sheet.title)


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
            raise FileRejected(
                f"The workbook part {info.filename} declares XML entities (a DOCTYPE); such "
                "files are refused because they can be used to attack the server."
            )


def _has_formulas(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> bool:
    for info in infos:
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            content = archive.read(info)
            if b"<f>" in content or b"<f " in content or b":f>" in content:
                return True
    return False


def _cell_text(value) -> str:
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
