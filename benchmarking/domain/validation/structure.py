"""The file as a whole: a header row naming the template's columns, once each."""

from .rows import COLUMNS, REQUIRED_COLUMNS, Issue


def check_header(rows: list[list[str]]) -> tuple[dict[str, int], list[Issue]]:
    """(column name -> position, issues). Any issue here stops the validation."""
    if not rows:
        return {}, [Issue("The file has no rows: use the template.")]
    header = [cell.strip().lower().replace(" ", "_") for cell in rows[0]]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        return {}, [
            Issue(
                "The first row must be the template's column names; missing "
                + ", ".join(f"'{name}'" for name in missing)
                + "."
            )
        ]
    duplicated = sorted({name for name in header if name and header.count(name) > 1})
    if duplicated:
        return {}, [
            Issue("The header repeats the column " + ", ".join(f"'{n}'" for n in duplicated))
        ]
    return {name: header.index(name) for name in COLUMNS if name in header}, []
