"""Candidate priorities for a region's next plan, with where each came from."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from .plans import Priority


class CandidatePriority(models.Model):
    """A proposed priority for the region's next plan, with where it came from.

    Other apps hand their proposals over through `regions.services.candidates.candidate_priority_propose`
    (e.g. a regional theme from a peer challenge day); `source_key` names the proposing object
    ("peer_challenge.finding:42") so the same thing cannot be proposed twice. The programme
    manager puts candidates to a summit vote or adopts one straight into a plan theme.
    """

    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="candidate_priorities"
    )
    title = models.CharField(max_length=250)
    description = models.TextField(blank=True)
    source_label = models.CharField("source", max_length=200)
    source_url = models.CharField(max_length=500, blank=True)
    source_key = models.CharField(max_length=100, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    adopted_as = models.OneToOneField(
        Priority,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="from_candidate_priority",
    )
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["region", "-proposed_at", "-pk"]
        verbose_name_plural = "candidate priorities"
        constraints = [
            models.UniqueConstraint(
                fields=["region", "source_key"],
                condition=~Q(source_key=""),
                name="candidate_priority_one_per_source",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return (
            reverse("regions:plan_list", kwargs={"slug": self.region.slug})
            + f"#candidate-{self.pk}"
        )
