"""One guard for every CSV/XLSX the portal writes: spreadsheet formula injection."""

# A cell starting with one of these is run as a formula by Excel/LibreOffice (tab, CR and LF
# too: some importers strip them and then see the formula).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise_formula(value):
    """Text a spreadsheet would treat as a formula gets a leading apostrophe; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
