"""Thematic and bilateral challenges: a home LA challenged by one or more LAs."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from regions.models import LocalAuthority
from sli_portal.reversing import cached_reverse

from .cycles import Cycle


class ChallengeStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class Challenge(models.Model):
    """One thematic or bilateral challenge: a home LA challenged by one or more LAs."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="challenges")
    home_la = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="challenges_hosted"
    )
    challenging_las = models.ManyToManyField(LocalAuthority, related_name="challenges_given")
    date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ChallengeStatus.choices, default=ChallengeStatus.PLANNED
    )
    report = models.FileField(upload_to="peer_challenge/reports/%Y/", blank=True)
    evaluation = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["report"])

    class Meta:
        ordering = ["cycle", "home_la__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "home_la"], name="peer_one_challenge_per_home")
        ]

    def __str__(self):
        return f"Challenge of LA {self.home_la_id} in cycle {self.cycle_id}"

    def get_absolute_url(self):
        return cached_reverse("peer_challenge:challenge_detail", pk=self.pk)

    @property
    def region_id(self) -> int:
        """The region, through the cycle (for `regions.rules.region_id_of`)."""
        return self.cycle.region_id
