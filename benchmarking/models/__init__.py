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
``services.return_indicators(region)`` (core set + the region's local indicators).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from regions.models import LocalAuthority, Region


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENT = "percent", "Percentage"
    RATE_10K = "rate_10k", "Rate per 10,000 children aged 0-17"
    DAYS = "days", "Days"
    RATIO = "ratio", "Ratio"


UNIT_MULTIPLIERS = {
    Unit.PERCENT: Decimal(100),
    Unit.RATE_10K: Decimal(10000),
    Unit.RATIO: Decimal(1),
}


class Polarity(models.TextChoices):
    HIGH = "high", "High is good"
    LOW = "low", "Low is good"
    NONE = "none", "No judgement"


class Theme(models.TextChoices):
    REFERRALS = "referrals", "Referrals and assessment"
    CHILD_PROTECTION = "child_protection", "Child protection"
    LOOKED_AFTER = "looked_after", "Children looked after"
    CARE_LEAVERS = "care_leavers", "Care leavers"
    WORKFORCE = "workforce", "Social work workforce"
    LOCAL = "local", "Local indicators"


# Rows of a return template or a tartan rug follow the themes in this order.
THEME_ORDER = {theme.value: index for index, theme in enumerate(Theme)}


class Indicator(models.Model):
    code = models.SlugField(max_length=40, unique=True, help_text="Stable key used in files.")
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60)
    definition = models.TextField()
    unit = models.CharField(max_length=10, choices=Unit.choices)
    polarity = models.CharField(max_length=4, choices=Polarity.choices, default=Polarity.NONE)
    decimal_places = models.PositiveSmallIntegerField(default=1)
    valid_min = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    valid_max = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    # Blank for counts and days; both set for percentages, rates and ratios.
    numerator_label = models.CharField(max_length=200, blank=True)
    denominator_label = models.CharField(max_length=200, blank=True)
    theme = models.CharField(max_length=20, choices=Theme.choices)
    display_order = models.PositiveSmallIntegerField(default=0)
    is_core = models.BooleanField("in the core set", default=False)
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="local_indicators",
        help_text="Set for a region's local indicator; empty for national indicators.",
    )
    is_required = models.BooleanField(
        default=True, help_text="A quarterly return must give a value or a suppression code."
    )
    is_active = models.BooleanField(default=True)
    # Outlier checks against the LA's own earlier values (warnings, never errors).
    outlier_change_percent = models.DecimalField(
        max_digits=6, decimal_places=2, default=Decimal("25"), help_text="Relative change."
    )
    outlier_z_score = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("3"))
    reference_date = models.CharField(
        max_length=100, blank=True, help_text="e.g. 'Snapshot at 31 March' or 'Year to date'."
    )
    source = models.CharField(max_length=300, blank=True, help_text="Published source.")
    lait_measure = models.CharField("LAIT measure", max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["theme", "display_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_min__isnull=True)
                | Q(valid_max__isnull=True)
                | Q(valid_min__lte=F("valid_max")),
                name="indicator_valid_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(unit__in=["count", "days"], numerator_label="", denominator_label="")
                | (
                    Q(unit__in=["percent", "rate_10k", "ratio"])
                    & ~Q(numerator_label="")
                    & ~Q(denominator_label="")
                ),
                name="indicator_ratio_has_numerator_and_denominator",
            ),
            models.CheckConstraint(
                condition=Q(region__isnull=True) | Q(is_core=False),
                name="indicator_local_not_core",
            ),
            models.CheckConstraint(
                condition=Q(decimal_places__lte=4), name="indicator_decimal_places_max_4"
            ),
        ]

    def __str__(self):
        return f"{self.short_name} ({self.code})"

    @property
    def sort_key(self) -> tuple:
        """Theme (in THEME_ORDER), then display order: the row order of templates and rugs."""
        return (THEME_ORDER.get(self.theme, 99), self.display_order, self.code)

    @property
    def is_ratio(self) -> bool:
        return self.unit in UNIT_MULTIPLIERS

    @property
    def multiplier(self) -> Decimal | None:
        return UNIT_MULTIPLIERS.get(self.unit)


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", "Quarter"
    YEAR = "year", "Year"


class Period(models.Model):
    kind = models.CharField(max_length=7, choices=PeriodKind.choices)
    fiscal_year = models.PositiveSmallIntegerField(help_text="Start year: 2024 means 2024-25.")
    quarter = models.PositiveSmallIntegerField(null=True, blank=True)
    start = models.DateField()
    end = models.DateField()

    class Meta:
        ordering = ["start", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "quarter"],
                condition=Q(kind="quarter"),
                name="period_one_per_quarter",
            ),
            models.UniqueConstraint(
                fields=["fiscal_year"], condition=Q(kind="year"), name="period_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(kind="quarter", quarter__gte=1, quarter__lte=4)
                | Q(kind="year", quarter__isnull=True),
                name="period_quarter_matches_kind",
            ),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="period_start_before_end"),
        ]

    def __str__(self):
        return self.label

    @property
    def fiscal_label(self) -> str:
        return f"{self.fiscal_year}-{(self.fiscal_year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return f"{self.fiscal_label} Q{self.quarter}"
        return self.fiscal_label

    @property
    def slug(self) -> str:
        return f"{self.fiscal_year}-q{self.quarter}" if self.quarter else f"{self.fiscal_year}"


class ReturnWindow(models.Model):
    """When a region's LAs may send their return for a quarter."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="return_windows")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="windows")
    opens_on = models.DateField()
    due_on = models.DateField()
    locks_on = models.DateField()

    class Meta:
        ordering = ["period__start", "region__name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "period"], name="window_one_per_region"),
            models.CheckConstraint(
                condition=Q(opens_on__lte=F("due_on"), due_on__lte=F("locks_on")),
                name="window_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.region} {self.period}"


class Source(models.TextChoices):
    RETURN = "return", "Quarterly return"
    PUBLISHED = "published", "Published statistics"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    LOCKED = "locked", "Locked"
    PUBLISHED = "published", "Published"


VISIBLE_TO_REGION_STATUSES = (Status.APPROVED, Status.LOCKED)


class Return(models.Model):
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="returns"
    )
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="returns")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.RETURN)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["period__start", "local_authority__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "period", "source"], name="return_one_per_la_period"
            ),
            models.CheckConstraint(
                condition=Q(source="published", status="published")
                | (Q(source="return") & ~Q(status="published")),
                name="return_status_matches_source",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(status="published") | Q(submitted_at__isnull=False),
                name="return_submitted_has_time",
            ),
        ]
        indexes = [models.Index(fields=["period", "source", "status"], name="return_period_idx")]

    def __str__(self):
        return f"{self.local_authority} {self.period}"


class Suppression(models.TextChoices):
    NONE = "", "Not suppressed"
    CONFIDENTIAL = "c", "c: confidential (suppressed)"
    NOT_AVAILABLE = "x", "x: not available"
    NOT_APPLICABLE = "z", "z: not applicable"
    LOW_RELIABILITY = "u", "u: low reliability"
    ROUNDS_TO_ZERO = "k", "k: fewer than 0.5"
    LOW = "low", "low: small number"


class Value(models.Model):
    return_obj = models.ForeignKey(
        Return, on_delete=models.CASCADE, related_name="values", db_column="return_id"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    suppression = models.CharField(max_length=3, choices=Suppression.choices, blank=True)
    suppression_reason = models.CharField(max_length=500, blank=True)
    warning = models.CharField(
        max_length=500, blank=True, help_text="Outlier found at upload; needs a comment."
    )
    comment = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__theme", "indicator__display_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["return_obj", "indicator"], name="value_one_per_return"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True, numerator__isnull=True, denominator__isnull=True)
                & ~Q(suppression="")
                | Q(value__isnull=False, suppression=""),
                name="value_given_or_suppressed",
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="value_denominator_positive",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "return_obj"], name="value_indicator_idx")]

    def __str__(self):
        return f"{self.indicator.code}={self.value if self.value is not None else self.suppression}"


class Comparison(models.TextChoices):
    LE = "le", "must not be more than"
    GE = "ge", "must not be less than"
    EQ = "eq", "must equal"


class ValuePart(models.TextChoices):
    VALUE = "value", "value"
    NUMERATOR = "numerator", "numerator"
    DENOMINATOR = "denominator", "denominator"


class ValidationRule(models.Model):
    """A cross-field rule, e.g. re-referrals (numerator of REREF_PCT) <= referrals."""

    name = models.CharField(max_length=200)
    left_indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    left_part = models.CharField(max_length=11, choices=ValuePart.choices)
    comparison = models.CharField(max_length=2, choices=Comparison.choices)
    right_indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    right_part = models.CharField(max_length=11, choices=ValuePart.choices)
    message = models.CharField(max_length=300)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "left_indicator",
                    "left_part",
                    "comparison",
                    "right_indicator",
                    "right_part",
                ],
                name="validation_rule_unique",
            )
        ]

    def __str__(self):
        return self.name


class Upload(models.Model):
    """An audit record of every accepted file (rejected files save nothing)."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    region = models.ForeignKey(Region, null=True, on_delete=models.SET_NULL, related_name="+")
    local_authority = models.ForeignKey(
        LocalAuthority,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty for a multi-LA (bulk) file.",
    )
    period = models.ForeignKey(Period, null=True, on_delete=models.SET_NULL, related_name="+")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    rows = models.PositiveIntegerField(default=0)
    values_changed = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.file_name


class ChaseOccasion(models.TextChoices):
    BEFORE_DUE = "before_due", "Reminder before the due date"
    AFTER_DUE = "after_due", "Chase after the due date"


class ChaseEmail(models.Model):
    """One reminder per LA, quarter and occasion: the unique row makes sending idempotent."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    occasion = models.CharField(max_length=10, choices=ChaseOccasion.choices)
    recipients = models.TextField(blank=True, help_text="Addresses it went to, one per line.")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "period", "occasion"], name="chase_once_per_occasion"
            )
        ]

    def __str__(self):
        return f"{self.get_occasion_display()}: {self.local_authority} {self.period}"


# Report builds and exception narratives live in their own module (issue 7).
from .reports import (  # noqa: E402, F401
    BuildStatus,
    ExceptionNarrative,
    IndicatorSet,
    ReportBuild,
    ReportKind,
    ReportScope,
)


class PriorityIndicator(models.Model):
    """An indicator linked to a regional plan priority: its trend shows on the priority page.

    The indicator is a core indicator or a local indicator of the priority's region
    (``priority_services.priority_indicator_link`` checks that)."""

    priority = models.ForeignKey(
        "regions.Priority", on_delete=models.CASCADE, related_name="indicator_links"
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="priority_links"
    )
    order = models.PositiveSmallIntegerField(default=0)
    linked_at = models.DateTimeField(auto_now_add=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["priority", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "indicator"], name="priority_indicator_once"
            ),
        ]

    def __str__(self):
        return f"{self.priority} -> {self.indicator.code}"
