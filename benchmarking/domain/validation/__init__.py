"""Validating a return file before anything is saved (DHIS2-style data-entry rules).

``validate_table`` takes the rows of a template (CSV or XLSX, already read safely by
``domain.files.read_table``) and the context of the upload, and returns either the parsed values
or a list of ``Issue``s, each naming the row and column in plain words. It is a short pipeline
of named checks, each a function testable on its own:

- ``structure``: the header (``check_header``);
- ``identity``: which LA, period and indicator a row is for;
- ``numbers``: the numbers of a row, its suppression code, and its value against the indicator;
- ``cross_field``: every required indicator present, and the cross-field rules;
- ``outliers``: a value against the LA's own history (warnings, never errors);
- ``ranges``: a value against the region's expected range (warnings, never errors).
"""

from .outliers import History, outlier_warning
from .ranges import Bounds, expected_bounds, range_warning
from .rows import (
    COLUMNS,
    REQUIRED_COLUMNS,
    Context,
    Issue,
    ParsedValue,
    Row,
    Validated,
)
from .table import validate_table

__all__ = [
    "COLUMNS",
    "REQUIRED_COLUMNS",
    "Bounds",
    "Context",
    "History",
    "Issue",
    "ParsedValue",
    "Row",
    "Validated",
    "expected_bounds",
    "outlier_warning",
    "range_warning",
    "validate_table",
]
