"""Exports are pure functions: rows in, bytes out. Cells that a spreadsheet would run as a
formula (starting = + - @, tab or carriage return) are neutralised with a leading apostrophe.
In XLSX, dates and times are real dates (UK time) with a number format, never text."""

import csv
import io
from datetime import datetime

from django.utils import timezone

from sli_portal import spreadsheets
from sli_portal.spreadsheets import neutralise_formula as neutralise


def _cell(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if value is None:
        return ""
    return neutralise(value)


def to_csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in header])
    writer.writerows([_cell(value) for value in row] for row in rows)
    # A byte-order mark lets Excel open UTF-8 (names with accents) correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(title: str, header: list[str], rows: list[list]) -> bytes:
    """Typed cells (sli_portal/spreadsheets.py): a registration time is a date and time."""
    return spreadsheets.table_xlsx(header, rows, title=title)


def _workshops(delegate) -> str:
    return "; ".join(
        choice.session.title + ("" if choice.allocated else " (preference)")
        for choice in delegate.workshop_choices
    )


def _guest_of(guest) -> str:
    """The first column of a partner on a guest place: their organisation, marked as a guest."""
    return f"{guest.guest_place.organisation.name} (guest place)"


def delegate_rows(delegates, guests=()) -> tuple[list[str], list[list]]:
    """The LAs' delegates, then the partners on guest places (no job title or workshops)."""
    header = ["Local authority", "Name", "Email", "Job title", "Workshops", "Registered"]
    rows = [
        [d.local_authority.name, d.full_name, d.email, d.job_title, _workshops(d), d.registered_at]
        for d in delegates
    ]
    rows += [[_guest_of(g), g.full_name, g.email, "", "", g.registered_at] for g in guests]
    return header, rows


def needs_rows(delegates, guests=()) -> tuple[list[str], list[list]]:
    """Only the LAs' delegates give dietary and access needs (guests are not asked)."""
    header = ["Local authority", "Name", "Email", "Dietary needs", "Access needs"]
    rows = [
        [d.local_authority.name, d.full_name, d.email, d.dietary_needs, d.access_needs]
        for d in delegates
        if d.has_needs
    ]
    return header, rows


def attendance_rows(delegates, guests=()) -> tuple[list[str], list[list]]:
    header = ["Local authority", "Name", "Email", "Attended", "Checked in at", "Workshops attended"]
    rows = [
        [
            d.local_authority.name,
            d.full_name,
            d.email,
            "Yes" if d.checked_in_at else "No",
            d.checked_in_at,
            "; ".join(c.session.title for c in d.workshop_choices if c.checked_in_at),
        ]
        for d in delegates
    ]
    rows += [
        [
            _guest_of(g),
            g.full_name,
            g.email,
            "Yes" if g.checked_in_at else "No",
            g.checked_in_at,
            "",
        ]
        for g in guests
    ]
    return header, rows


EXPORTS = {
    "delegates": ("Delegates", delegate_rows),
    "needs": ("Dietary and access needs", needs_rows),
    "attendance": ("Attendance", attendance_rows),
}
