"""Plan exports: pure functions, data in and bytes out."""

from io import BytesIO

from sli_portal.spreadsheets import neutralise_formula as safe_cell


def plan_xlsx(*, plan, funding, updates) -> bytes:
    """The plan as a workbook: priorities (with current RAG), actions, RAG updates, funding."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    bold = Font(bold=True)

    def sheet(title, header, rows, first=False):
        ws = workbook.active if first else workbook.create_sheet()
        ws.title = title
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append([safe_cell(v) for v in row])
        ws.freeze_panes = "A2"
        return ws

    priorities = [p for theme in plan.themes.all() for p in theme.priorities.all()]
    sheet(
        "Priorities",
        [
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
        ],
        [
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
        ],
        first=True,
    )
    sheet(
        "Actions",
        ["Priority", "Action", "Milestone", "Owner", "Due", "Status", "Overdue"],
        [
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
        ],
    )
    sheet(
        "RAG updates",
        ["Priority", "Date", "RAG", "Narrative", "Author"],
        [
            [
                u.priority.number,
                u.date,
                u.get_rag_display(),
                u.narrative,
                u.author.full_name if u.author else "",
            ]
            for u in updates
        ],
    )
    ws = sheet(
        "Funding",
        ["Financial year", "Source", "Local authority", "Description", "Amount (£)", "Status"],
        [
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
        ],
    )
    for row in ws.iter_rows(min_row=2, min_col=5, max_col=5):
        for cell in row:
            cell.number_format = "£#,##0.00"
    ws.append([])
    for year in funding.years:
        ws.append([year.label, "Total", "", "", year.total, f"received £{year.received:,.2f}"])
    ws.append(["All years", "Total", "", "", funding.total, f"received £{funding.received:,.2f}"])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plan_pdf(*, html: str, base_url: str) -> bytes:
    """Render the printable plan page to PDF (WeasyPrint is imported only when needed)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()
