"""Stored report builds and exception narratives (imported by ``benchmarking.models``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from regions.models import LocalAuthority, Region


class ReportKind(models.TextChoices):
    RUG_XLSX = "rug_xlsx", "Tartan rug (Excel)"
    RUG_CSV = "rug_csv", "Tartan rug (CSV)"
    RUG_PDF = "rug_pdf", "Tartan rug (PDF)"
    DATAPACK_PDF = "datapack_pdf", "LA datapack (PDF)"
    REGION_PACK_PDF = "region_pack_pdf", "Region datapacks (one PDF)"
    REGION_PACK_ZIP = "region_pack_zip", "Region datapacks (ZIP of PDFs)"


class ReportScope(models.TextChoices):
    REGION = "region", "Region"
    ENGLAND = "england", "England"


class IndicatorSet(models.TextChoices):
    CORE = "core", "Core set"
    ALL = "all", "All indicators"


class BuildStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ReportBuild(models.Model):
    """One stored report file, keyed by everything it depends on.

    ``key`` is a hash of the kind, region, LA, period, scope, indicator set and the data the
    report reads (``data_version``): an unchanged report is served from ``file``; any change of
    the data gives a new key and therefore a new build.
    """

    key = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="report_builds")
    local_authority = models.ForeignKey(
        LocalAuthority,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="report_builds",
        help_text="Set for one LA's datapack.",
    )
    period = models.ForeignKey(
        "benchmarking.Period", on_delete=models.CASCADE, related_name="report_builds"
    )
    scope = models.CharField(max_length=10, choices=ReportScope.choices)
    indicator_set = models.CharField(max_length=10, choices=IndicatorSet.choices)
    data_version = models.CharField(max_length=64)
    status = models.CharField(
        max_length=10, choices=BuildStatus.choices, default=BuildStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    pages = models.PositiveIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="report_build_progress_max_100"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""), name="report_build_done_has_file"
            ),
            models.CheckConstraint(
                condition=Q(kind="datapack_pdf", local_authority__isnull=False)
                | (~Q(kind="datapack_pdf") & Q(local_authority__isnull=True)),
                name="report_build_la_only_for_datapack",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "period", "kind"], name="report_build_region_idx")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.region} {self.period_id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (BuildStatus.DONE, BuildStatus.FAILED)


class ExceptionNarrative(models.Model):
    """The LA's explanation of a flagged cell (top or bottom 20%) of the exception report."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="exception_narratives"
    )
    period = models.ForeignKey(
        "benchmarking.Period", on_delete=models.CASCADE, related_name="exception_narratives"
    )
    indicator = models.ForeignKey(
        "benchmarking.Indicator", on_delete=models.CASCADE, related_name="exception_narratives"
    )
    text = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["local_authority__name", "indicator__theme", "indicator__display_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "period", "indicator"],
                name="exception_narrative_one_per_cell",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="exception_narrative_not_blank"),
        ]

    def __str__(self):
        return f"{self.local_authority} {self.indicator_id} {self.period_id}"
