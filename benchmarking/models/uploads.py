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
