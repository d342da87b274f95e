"""Report files as pure functions: a report structure (``domain/reports.py``) in, bytes out.

The tartan rug and datapack exports; the return templates (another kind of export) are in
``benchmarking/exports.py``.

XLSX (openpyxl, same band colours as the page), CSV and PDF (WeasyPrint, imported lazily so the
web process does not load Pango until a PDF is asked for). Text that a spreadsheet would run as
a formula (starting ``= + - @`` or a tab/CR) is neutralised with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.text import slugify

from sli_portal.spreadsheets import neutralise_formula as neutralise

from .reports import BAND_STYLE, Datapack, Rug


def _header(rug: Rug) -> list[str]:
    pinned = ["England", rug.region_name]
    if rug.focus_name:
        pinned.append(f"Statistical neighbours of {rug.focus_name}")
    return ["Theme", "Indicator", "Unit", "Polarity", *pinned, *[c.name for c in rug.columns]]


# --- CSV ---------------------------------------------------------------------------------------


def rug_csv(rug: Rug) -> bytes:
    """One row per indicator: values as shown, then each LA's band and rank in extra columns."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(f"{rug.title} - {rug.period} - bands against {rug.scope_label}")])
    header = _header(rug)
    header += [f"{c.name} band" for c in rug.columns] + [f"{c.name} rank" for c in rug.columns]
    header += [f"{c.name} statistical neighbours" for c in rug.columns]
    writer.writerow([neutralise(h) for h in header])
    for group in rug.groups:
        for row in group.rows:
            info = row.indicator
            pinned = [row.england, row.region] + ([row.neighbours] if rug.focus_name else [])
            writer.writerow(
                [
                    neutralise(v)
                    for v in [
                        group.theme,
                        info.name,
                        info.unit,
                        info.spec.polarity.label,
                        *pinned,
                        *[_csv_value(c.value, c.text) for c in row.cells],
                        *[c.band or "" for c in row.cells],
                        *[c.rank or "" for c in row.cells],
                        *[_csv_value(c.neighbours_value, "no data") for c in row.cells],
                    ]
                ]
            )
    for note in rug.notes:
        writer.writerow([neutralise(note)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_value(value: Decimal | None, text: str) -> str:
    return str(value) if value is not None else text


# --- XLSX --------------------------------------------------------------------------------------


def _pinned_cells(ws, r: int, row, count: int, number_format: str) -> None:
    """Number formats of the pinned figures, and England's and the region's source (DfE file
    and line, or how the portal computed it) as comments."""
    from openpyxl.comments import Comment

    for offset in range(count):
        cell = ws.cell(row=r, column=5 + offset)
        cell.number_format = number_format
        if cell.value is None:
            cell.comment = Comment("No data", "SLI Portal")
    for offset, source in enumerate((row.england_source, row.region_source)):
        if source and ws.cell(row=r, column=5 + offset).value is not None:
            text = f"{source} ({row.period_label})" if row.period_label else source
            ws.cell(row=r, column=5 + offset).comment = Comment(text, "SLI Portal")


def _ofsted_row(ws, rug: Rug, first_la_col: int) -> None:
    """Each LA's latest Ofsted overall effectiveness, when the rug carries it."""
    if not rug.ofsted:
        return
    ofsted = [
        "Ofsted",
        "Ofsted overall effectiveness (latest ILACS inspection; Ofsted, Local authority "
        "inspection outcomes, OGL v3.0)",
        "",
        "",
    ]
    ofsted += [""] * (first_la_col - 1 - len(ofsted))
    ws.append([neutralise(v) for v in ofsted + [rug.ofsted.get(c.key, "") for c in rug.columns]])


def rug_xlsx(rug: Rug) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Tartan rug"
    ws.append([neutralise(rug.title)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(
        [
            neutralise(
                f"{rug.period}. Quartile bands against {rug.scope_label}; A is the best quartile."
            )
        ]
    )
    header = _header(rug)
    ws.append([neutralise(h) for h in header])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    first_la_col = len(header) - len(rug.columns) + 1
    for group in rug.groups:
        for row in group.rows:
            info = row.indicator
            places = info.spec.decimal_places
            number_format = "#,##0" + ("." + "0" * places if places else "")
            pinned = [row.england_value, row.region_value] + (
                [row.neighbours_value] if rug.focus_name else []
            )
            values = [
                group.theme,
                info.name,
                info.unit,
                info.spec.polarity.label,
                *[_number(v) for v in pinned],
                *[_number(c.value) for c in row.cells],
            ]
            ws.append([neutralise(v) for v in values])
            r = ws.max_row
            _pinned_cells(ws, r, row, len(pinned), number_format)
            for i, rug_cell in enumerate(row.cells):
                cell = ws.cell(row=r, column=first_la_col + i)
                if rug_cell.value is None:  # empty (never text among numbers); why, in a comment
                    cell.comment = Comment(rug_cell.text or "No data", "SLI Portal")
                    continue
                style = rug_cell.style
                if style:
                    cell.fill = PatternFill("solid", fgColor=style["fill"])
                    cell.font = Font(color=style["text"], bold=rug_cell.band == "A")
                    # the band letter and shape stay visible without colour
                    cell.number_format = f'{number_format}" {style["shape"]}{rug_cell.band}"'
                else:
                    cell.number_format = number_format
                cell.comment = Comment(rug_cell.tooltip, "SLI Portal")
    _ofsted_row(ws, rug, first_la_col)
    ws.append([])
    ws.append(["Key"])
    for band, style in BAND_STYLE.items():
        ws.append([f"{style['shape']}{band}"])
        cell = ws.cell(row=ws.max_row, column=1)
        cell.fill = PatternFill("solid", fgColor=style["fill"])
        cell.font = Font(color=style["text"])
        ws.cell(row=ws.max_row, column=2, value=_band_words(band))
    for note in rug.notes:
        ws.append([neutralise(note)])
    ws.freeze_panes = ws.cell(row=header_row + 1, column=first_la_col)
    _neighbour_sheet(wb, rug)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 42
    ws.column_dimensions["C"].width = 14
    ws.column_dimensions["D"].width = 14
    for col in range(5, len(header) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 12
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _neighbour_sheet(wb, rug: Rug) -> None:
    """Each LA's statistical-neighbour average (mean of its 10 neighbours' values)."""
    ws = wb.create_sheet("Neighbour averages")
    ws.append([neutralise(f"Statistical-neighbour averages - {rug.period} (empty: no data)")])
    ws.append(["Indicator", *[neutralise(c.name) for c in rug.columns]])
    for row in rug.rows:
        places = row.indicator.spec.decimal_places
        ws.append(
            [neutralise(row.indicator.name)] + [_number(c.neighbours_value) for c in row.cells]
        )
        for cell in ws[ws.max_row][1:]:
            cell.number_format = "#,##0" + ("." + "0" * places if places else "")
    ws.column_dimensions["A"].width = 42


def _number(value: Decimal | None) -> int | float | None:
    """A figure as a spreadsheet number; None (an empty cell) when there is none."""
    if value is None:
        return None
    return (
        int(value)
        if value == value.to_integral_value() and value.as_tuple().exponent >= 0
        else float(value)
    )


def _band_words(band) -> str:
    from benchmarking.domain.computation import BAND_MEANING

    return f"Band {band}: {BAND_MEANING[band]}"


# --- PDF ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int


def render_pdf(html: str) -> Pdf:
    from weasyprint import HTML  # lazy: loads Pango only when a PDF is built

    document = HTML(string=html).render()
    # PDF/UA-1: tagged for screen readers, titled from <title>, language from <html lang>.
    return Pdf(document.write_pdf(pdf_variant="pdf/ua-1"), len(document.pages))


def rug_pdf(rug: Rug) -> Pdf:
    """The rug on one landscape A4 page (up to 24 LAs x 18 indicators; shrinks type to fit)."""
    many = len(rug.columns) > 16 or len(rug.rows) > 14
    html = render_to_string(
        "benchmarking/reports/rug_pdf.html",
        {"rug": rug, "band_style": BAND_STYLE, "compact": many},
    )
    return render_pdf(html)


def datapack_pdf(pack: Datapack) -> Pdf:
    return render_pdf(render_to_string("benchmarking/reports/datapack_pdf.html", {"packs": [pack]}))


def region_pack_pdf(packs: Sequence[Datapack]) -> Pdf:
    return render_pdf(render_to_string("benchmarking/reports/datapack_pdf.html", {"packs": packs}))


def region_pack_zip(packs: Sequence[Datapack], pdfs: Sequence[bytes] | None = None) -> bytes:
    """A ZIP with one PDF per LA (pass already-built PDFs to avoid rendering twice)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, pack in enumerate(packs):
            data = pdfs[i] if pdfs is not None else datapack_pdf(pack).data
            zf.writestr(f"datapack-{slugify(pack.la_name)}-{slugify(pack.period)}.pdf", data)
    return out.getvalue()
