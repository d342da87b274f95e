"""Benchmarking data: indicators, periods, returns and their values.

How the pieces fit (for anyone building reports on top):

* ``Indicator`` -- a measure (``code`` is the stable key, e.g. ``REREF_PCT``). ``unit`` says how a
  value reads; for ratio units (percent, rate per 10,000, ratio) the value is
  ``numerator / denominator * unit_multiplier`` and ``numerator_label``/``denominator_label`` say
  what is summed. Regional and England figures must be computed as
  ``sum(numerator) / sum(denominator) * multiplier`` over the LAs that have both, never as a mean
  of LA values (``Indicator.is_ratio`` tells which). ``polarity`` is LAIT's: high is good / low is
  good / no judgement. ``theme`` + ``display_order`` order the rows of a tartan rug. ``is_core``
  marks the nationally agreed set; ``region`` is set only for a region's local indicators (core
  indicators have ``region=None``).
* ``Period`` -- a financial-year quarter (``kind=quarter``, Q1 = April-June) or a year
  (``kind=year``, 1 April - 31 March). ``fiscal_year`` is the year the financial year starts in
  (2024 = 2024-25). DfE ``time_period`` 2025 (year to 31 March 2025) is annual period 2024-25;
  the workforce census snapshot of 30 September 2025 falls in 2025-26 and is filed there.
* ``ReturnWindow`` -- per region and quarter: opens, due, locks dates.
* ``Return`` -- one per LA x period x source. ``source=return`` is the LA's own quarterly return
  (status draft -> submitted -> approved -> locked; reopen goes back to draft with a reason).
  ``source=published`` holds DfE's published annual figures for every LA (status ``published``),
  loaded by ``import_published_data``. Both kinds keep their numbers in ``Value``, so a report
  reads one table: ``Value.objects.filter(return_obj__period=..., return_obj__source=...)``.
* ``Value`` -- one per return x indicator: ``value`` (null when suppressed), ``numerator``,
  ``denominator``, ``suppression`` (DfE codes c/x/z/u/k/low = "not available", with a reason),
  ``warning`` (outlier text found at upload) and ``comment`` (the LA's explanation). Every change
  of a value of a quarterly return is kept by django-simple-history (``Value.history``: who,
  when, why in ``history_change_reason``); returns keep their status history likewise.

Visibility (see ``rules.py`` / ``selectors.py``): published values are visible to every signed-in
user; quarterly values to the LA itself, to the region's programme manager and analysts, to
other LAs of the region only once approved (or locked), and never to other regions.
``selectors.values_visible_to(user)`` is that rule as a queryset: build reports on it.
Row order for rugs and templates: ``Indicator.sort_key`` (theme in ``THEME_ORDER``, then
``display_order``). The indicators a region's return asks for:
``selectors.return_indicators(region)`` (core set + the region's local indicators).
"""

from .chasing import ChaseEmail, ChaseOccasion
from .indicators import (
    THEME_ORDER,
    UNIT_MULTIPLIERS,
    Comparison,
    ExpectedRange,
    Indicator,
    Polarity,
    RangeKind,
    Theme,
    Unit,
    ValidationRule,
    ValuePart,
)
from .periods import Period, PeriodKind, ReturnWindow, period_for_quarter, period_for_year
from .priorities import PriorityIndicator
from .published import PublishedFigure
from .reports import (
    BuildStatus,
    ExceptionNarrative,
    IndicatorSet,
    ReportBuild,
    ReportKind,
    ReportScope,
)
from .returns import (
    VISIBLE_TO_REGION_STATUSES,
    ApprovalSetting,
    Return,
    Source,
    Status,
    Suppression,
    Value,
)
from .uploads import Upload, UploadCheck, UploadCheckStatus

__all__ = [
    "THEME_ORDER",
    "UNIT_MULTIPLIERS",
    "VISIBLE_TO_REGION_STATUSES",
    "ApprovalSetting",
    "BuildStatus",
    "ChaseEmail",
    "ChaseOccasion",
    "Comparison",
    "ExceptionNarrative",
    "ExpectedRange",
    "Indicator",
    "IndicatorSet",
    "Period",
    "PeriodKind",
    "Polarity",
    "PriorityIndicator",
    "PublishedFigure",
    "RangeKind",
    "ReportBuild",
    "ReportKind",
    "ReportScope",
    "Return",
    "ReturnWindow",
    "Source",
    "Status",
    "Suppression",
    "Theme",
    "Unit",
    "Upload",
    "UploadCheck",
    "UploadCheckStatus",
    "ValidationRule",
    "Value",
    "ValuePart",
    "period_for_quarter",
    "period_for_year",
]
