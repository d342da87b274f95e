"""Indicators linked to a regional plan priority."""

from django.conf import settings
from django.db import models

from .indicators import Indicator


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
