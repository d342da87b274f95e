"""The audit record of every accepted return file."""

from django.conf import settings
from django.db import models

from regions.models import LocalAuthority, Region

from .periods import Period


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


class UploadCheckStatus(models.TextChoices):
    CHECKING = "checking", "Checking"
    VALIDATED = "validated", "Accepted"
    FAILED = "failed", "Not accepted"


class UploadCheck(models.Model):
    """A region's bulk return file being checked in the background: the uploader's page polls
    its status (checking, accepted, or not accepted with the reasons in words). The file's bytes
    are kept only until it has been checked; an accepted file leaves its `Upload` record."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    data = models.BinaryField(blank=True)
    status = models.CharField(
        max_length=10, choices=UploadCheckStatus.choices, default=UploadCheckStatus.CHECKING
    )
    issues = models.JSONField(default=list, blank=True, help_text="Why the file was refused.")
    warnings = models.JSONField(default=list, blank=True, help_text="Values that look unusual.")
    values_changed = models.PositiveIntegerField(default=0)
    returns_count = models.PositiveIntegerField(default=0)
    upload = models.ForeignKey(
        Upload, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A double click (or a second tab) on the same file while it is being checked joins
            # the check already running instead of starting another.
            models.UniqueConstraint(
                fields=["uploaded_by", "region", "period", "sha256"],
                condition=models.Q(status="checking"),
                name="upload_check_one_in_flight_per_file",
            ),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status != UploadCheckStatus.CHECKING
