"""Returns (an LA's quarterly return or DfE's published year) and their values."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from regions.models import LocalAuthority

from .indicators import Indicator
from .periods import Period


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
# The columns that hold a value's figures (what an upload or an import writes and compares).
VALUE_FIELDS = ["value", "numerator", "denominator", "suppression", "suppression_reason"]


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
    # The LA's own approval (by its DCS), where the region asks for it before its own.
    la_approved_at = models.DateTimeField(null=True, blank=True)
    la_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
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

    @property
    def region_id(self) -> int:
        """The region of the return's LA (what the permission rules ask)."""
        return self.local_authority.region_id


class ApprovalSetting(models.Model):
    """How a region approves its LAs' returns: by the programme manager alone (the default,
    when a region has no setting), or first by the LA's DCS and then by the region."""

    region = models.OneToOneField(
        "regions.Region", on_delete=models.CASCADE, related_name="return_approval"
    )
    dcs_approval = models.BooleanField(
        "the LA's DCS approves first",
        default=False,
        help_text="A submitted return is approved by its LA's DCS before the region approves it.",
    )
    history = HistoricalRecords()

    def __str__(self):
        return f"{self.region}: {'two' if self.dcs_approval else 'one'} approval level(s)"


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
