"""Findings of a cycle; regional themes can be proposed for the region's next plan."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q

from regions.models import LocalAuthority

from .cycles import Cycle
from .triads import Triad


class FindingKind(models.TextChoices):
    STRENGTH = "strength", "Strength"
    AREA_FOR_DEVELOPMENT = "development", "Area for development"
    AGREED_ACTION = "action", "Agreed action"
    REGIONAL_THEME = "theme", "Regional theme"


class FindingStatus(models.TextChoices):
    RECORDED = "recorded", "Recorded"
    PROPOSED = "proposed", "Proposed for the next plan"


class Finding(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="findings")
    triad = models.ForeignKey(
        Triad, null=True, blank=True, on_delete=models.CASCADE, related_name="findings"
    )
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=FindingKind.choices)
    text = models.TextField()
    status = models.CharField(
        max_length=10, choices=FindingStatus.choices, default=FindingStatus.RECORDED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    promoted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    promoted_at = models.DateTimeField(null=True, blank=True)
    # The candidate priority on the region's list for its next plan (regions owns that list).
    candidate_priority = models.OneToOneField(
        "regions.CandidatePriority",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept by a database trigger (search).
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["cycle", "kind", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="recorded") | Q(kind="theme"),
                name="peer_only_themes_are_promoted",
            ),
            models.CheckConstraint(
                condition=Q(candidate_priority__isnull=True) | Q(status="proposed"),
                name="peer_candidate_only_for_proposed_themes",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"
