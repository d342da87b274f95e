"""Periods (financial-year quarters and years) and each region's return windows."""

from django.db import models
from django.db.models import F, Q

from regions.models import Region

from ..domain.periods import quarter_dates, year_dates


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


# Periods are a calendar: any code may ask for one, and it is made the first time it is needed.


def period_for_quarter(fiscal_year: int, quarter: int) -> Period:
    start, end = quarter_dates(fiscal_year, quarter)
    period, _ = Period.objects.get_or_create(
        kind=PeriodKind.QUARTER,
        fiscal_year=fiscal_year,
        quarter=quarter,
        defaults={"start": start, "end": end},
    )
    return period


def period_for_year(fiscal_year: int) -> Period:
    start, end = year_dates(fiscal_year)
    period, _ = Period.objects.get_or_create(
        kind=PeriodKind.YEAR,
        fiscal_year=fiscal_year,
        quarter=None,
        defaults={"start": start, "end": end},
    )
    return period
