"""Indicators (what is measured) and the cross-field rules between them."""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from regions.models import Region


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


class Comparison(models.TextChoices):
    LE = "le", "must not be more than"
    GE = "ge", "must not be less than"
    EQ = "eq", "must equal"


class ValuePart(models.TextChoices):
    VALUE = "value", "value"
    NUMERATOR = "numerator", "numerator"
    DENOMINATOR = "denominator", "denominator"


class ValidationRule(models.Model):
    """A cross-field rule, e.g. re-referrals (numerator of REREF_PCT) <= referrals. National
    rules (no region) come with the catalogue; a region's programme manager adds its own."""

    name = models.CharField(max_length=200)
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="validation_rules",
        help_text="Set for a region's own rule; empty for national rules.",
    )
    left_indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    left_part = models.CharField(max_length=11, choices=ValuePart.choices)
    comparison = models.CharField(max_length=2, choices=Comparison.choices)
    right_indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    right_part = models.CharField(max_length=11, choices=ValuePart.choices)
    message = models.CharField(max_length=300)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

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
                condition=Q(region__isnull=True),
                name="validation_rule_unique",
            ),
            models.UniqueConstraint(
                fields=[
                    "region",
                    "left_indicator",
                    "left_part",
                    "comparison",
                    "right_indicator",
                    "right_part",
                ],
                condition=Q(region__isnull=False, is_active=True),
                name="validation_rule_unique_active_per_region",
            ),
        ]

    def __str__(self):
        return self.name


class RangeKind(models.TextChoices):
    ABSOLUTE = "absolute", "A fixed range"
    HISTORY = "history", "Each LA's own history (lowest to highest of recent quarters)"


class ExpectedRange(models.Model):
    """Where a region expects an indicator's value to fall (DHIS2's min-max): a value outside
    is flagged for a comment, never refused. Fixed bounds, or each LA's own lowest and highest
    value of its previous `quarters` quarters widened by `margin_percent`."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="expected_ranges")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=RangeKind.choices)
    minimum = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    maximum = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    quarters = models.PositiveSmallIntegerField(default=4)
    margin_percent = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("10"))
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__theme", "indicator__display_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "indicator"],
                condition=Q(is_active=True),
                name="expected_range_one_active_per_indicator",
            ),
            models.CheckConstraint(
                condition=Q(kind="history", quarters__gte=1, quarters__lte=20)
                | (Q(kind="absolute") & (Q(minimum__isnull=False) | Q(maximum__isnull=False))),
                name="expected_range_has_bounds",
            ),
            models.CheckConstraint(
                condition=Q(minimum__isnull=True)
                | Q(maximum__isnull=True)
                | Q(minimum__lte=F("maximum")),
                name="expected_range_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.region}: {self.indicator.code} {self.get_kind_display()}"
