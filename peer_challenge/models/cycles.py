"""A cycle: one year's (or one theme's) round of peer challenge in a region, and its framework."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from regions.models import Region
from sli_portal.reversing import cached_reverse

from ..domain.triads import LARGER, SMALLER


class CycleKind(models.TextChoices):
    ANNUAL_TRIAD = "annual_triad", "Annual self-assessment and triad challenge"
    THEMATIC = "thematic", "Thematic peer challenge"
    BILATERAL = "bilateral", "Bilateral challenges"


class CycleStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Remainder(models.TextChoices):
    LARGER_GROUPS = LARGER, "Groups of four take the extra LAs"
    SMALLER_GROUPS = SMALLER, "Groups of two take the extra LAs"


class Cycle(models.Model):
    """One year's (or one theme's) round of peer challenge in a region."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="peer_cycles")
    kind = models.CharField(max_length=20, choices=CycleKind.choices)
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    theme = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=CycleStatus.choices, default="open")
    self_assessment_due = models.DateField(null=True, blank=True)
    moderation_due = models.DateField(null=True, blank=True)
    # The challenge day is the region's `challenge_day` event (events app): its date and venue
    # are read from the event, the one place they are kept, so moving it there moves it here.
    challenge_event = models.OneToOneField(
        "events.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="peer_cycle",
        verbose_name="challenge-day event",
    )
    findings_due = models.DateField(null=True, blank=True)
    remainder = models.CharField(
        "when the LAs do not split into threes",
        max_length=10,
        choices=Remainder.choices,
        default=LARGER,
    )
    moderators_avoid_triad_partners = models.BooleanField(
        "moderators must not come from the LA's triad", default=True
    )
    triad_seed = models.PositiveIntegerField(default=0)
    triads_explanation = models.JSONField(default=dict, blank=True)
    triads_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "kind", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                condition=Q(kind="annual_triad"),
                name="peer_one_annual_cycle_per_region_year",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="peer_cycle_year_sane"
            ),
            models.CheckConstraint(
                condition=Q(moderation_due__isnull=True)
                | Q(self_assessment_due__isnull=True)
                | Q(moderation_due__gte=F("self_assessment_due")),
                name="peer_cycle_moderation_after_submission",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.region}, {self.year})"

    def get_absolute_url(self):
        return cached_reverse("peer_challenge:cycle_detail", pk=self.pk)

    @property
    def is_annual(self) -> bool:
        return self.kind == CycleKind.ANNUAL_TRIAD

    @property
    def triads_confirmed(self) -> bool:
        return self.triads_confirmed_at is not None

    @property
    def challenge_day(self) -> datetime.date | None:
        """The challenge day's date (London time), from its event."""
        event = self.challenge_event
        return timezone.localtime(event.starts_at).date() if event is not None else None

    @property
    def challenge_venue(self) -> str:
        event = self.challenge_event
        return event.venue if event is not None else ""


class FrameworkQuestion(models.Model):
    """A section of the cycle's framework: for thematic cycles, the key lines of enquiry."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["cycle", "position"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "position"], name="peer_question_position")
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"
