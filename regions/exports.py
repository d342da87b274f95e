"""Plan exports: pure functions, data in and bytes out."""

from io import BytesIO

from sli_portal.spreadsheets import MONEY_FORMAT, append_typed
from sli_portal.spreadsheets import neutralise_formula as safe_cell

PRIORITY_HEADER = [
    "No.",
    "Theme",
    "Priority",
    "Description",
    "Sponsor",
    "Sponsor LA",
    "Lead",
    "Status",
    "Current RAG",
    "Last update",
]
ACTION_HEADER = ["Priority", "Action", "Milestone", "Owner", "Due", "Status", "Overdue"]
AMOUNT_COLUMN = 4  # "Amount (£)" in FUNDING_HEADER, 0-based
UPDATE_HEADER = ["Priority", "Date", "RAG", "Narrative", "Author"]
FUNDING_HEADER = [
    "Financial year",
    "Source",
    "Local authority",
    "Description",
    "Amount (£)",
    "Status",
]


def _priority_rows(priorities) -> list[list]:
    return [
        [
            p.number,
            p.theme.title,
            p.title,
            p.description,
            p.sponsor.full_name if p.sponsor else "",
            p.sponsor_la.name if p.sponsor_la else "",
            p.lead,
            p.get_status_display(),
            (p.current_rag or "").title() or "No update",
            p.last_update_on,
        ]
        for p in priorities
    ]


def _action_rows(priorities) -> list[list]:
    return [
        [
            p.number,
            a.title,
            "Yes" if a.is_milestone else "No",
            a.owner.full_name if a.owner else "",
            a.due_date,
            a.get_status_display(),
            "Overdue" if a.is_overdue else "",
        ]
        for p in priorities
        for a in p.actions.all()
    ]


def _update_rows(updates) -> list[list]:
    return [
        [
            u.priority.number,
            u.date,
            u.get_rag_display(),
            u.narrative,
            u.author.full_name if u.author else "",
        ]
        for u in updates
    ]


def _funding_rows(funding) -> list[list]:
    return [
        [
            c.year_label,
            c.get_source_display(),
            c.local_authority.name if c.local_authority else "",
            c.description,
            c.amount,
            c.get_status_display(),
        ]
        for year in funding.years
        for c in year.contributions
    ]


def plan_xlsx(*, plan, funding, updates) -> bytes:
    """The plan as a workbook: priorities (with current RAG), actions, RAG updates, funding."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    bold = Font(bold=True)

    def sheet(title, header, rows, first=False, formats=None):
        ws = workbook.active if first else workbook.create_sheet()
        ws.title = title
        ws.append([safe_cell(h) for h in header])
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            # typed: dates are dates ("8 Dec 2026"), amounts are money, text never a formula
            append_typed(ws, row, formats)
        ws.freeze_panes = "A2"
        return ws

    priorities = [p for theme in plan.themes.all() for p in theme.priorities.all()]
    sheet("Priorities", PRIORITY_HEADER, _priority_rows(priorities), first=True)
    sheet("Actions", ACTION_HEADER, _action_rows(priorities))
    sheet("RAG updates", UPDATE_HEADER, _update_rows(updates))
    money = {AMOUNT_COLUMN: MONEY_FORMAT}
    ws = sheet("Funding", FUNDING_HEADER, _funding_rows(funding), formats=money)
    ws.append([])
    for label, total, received in [
        *[(year.label, year.total, year.received) for year in funding.years],
        ("All years", funding.total, funding.received),
    ]:
        append_typed(ws, [label, "Total", "", "", total, ""], money)
        append_typed(ws, [label, "Received", "", "", received, ""], money)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plan_pdf(*, html: str, base_url: str) -> bytes:
    """Render the printable plan page to a tagged PDF (PDF/UA-1: structure tags for screen
    readers, the page's <title> as its title and <html lang> as its language). WeasyPrint is
    imported only when needed."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")


def update_pdf(*, html: str) -> bytes:
    """A regional update as a tagged PDF (PDF/UA-1: structure tags, title, language), in the
    seeds' layout: title, date, tags, featured event box, the article."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
