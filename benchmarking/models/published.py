"""DfE's own England and regional figures, stored as published (never recomputed)."""

from django.db import models
from django.db.models import Q

from regions.models import Region

from .indicators import Indicator
from .periods import Period
from .returns import Suppression


class PublishedFigure(models.Model):
    """The ``National`` or ``Regional`` row of a DfE file for one indicator and year.

    ``region`` is empty for England. Rates per 10,000 that DfE publishes as a count are the
    count over the same row's ONS 0-17 population (``numerator`` / ``denominator``). A
    suppressed figure keeps its DfE code and has no value. ``source_file`` and ``source_line``
    say where the figure was read (shown on hover and in the XLSX).
    """

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="published_figures"
    )
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="published_figures")
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, related_name="published_figures"
    )
    value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    suppression = models.CharField(max_length=3, choices=Suppression.choices, blank=True)
    suppression_reason = models.CharField(max_length=500, blank=True)
    source_file = models.CharField(max_length=200)
    source_line = models.PositiveIntegerField(help_text="Line of the file (the header is line 1).")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period__start", "indicator__code", "region__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "region"],
                condition=Q(region__isnull=False),
                name="published_figure_one_per_region",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=Q(region__isnull=True),
                name="published_figure_one_for_england",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) & ~Q(suppression="")
                | Q(value__isnull=False, suppression=""),
                name="published_figure_given_or_suppressed",
            ),
        ]

    def __str__(self):
        area = self.region.name if self.region_id else "England"
        return f"{self.indicator.code} {area} {self.period}"

    @property
    def source(self) -> str:
        return f"DfE {self.source_file}, line {self.source_line}"
