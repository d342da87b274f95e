"""Delegates: a place held by one person for one LA, their workshops and substitutions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from regions.models import LocalAuthority
from sli_portal.reversing import cached_reverse

from .events import Event, Session


class DelegateStatus(models.TextChoices):
    REGISTERED = "registered", "Registered"
    CANCELLED = "cancelled", "Cancelled"


class Delegate(models.Model):
    """A place at an event held by one person for one LA. Substitution changes the person."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="delegates")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="event_delegates"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_places",
    )
    full_name = models.CharField(max_length=150)
    email = models.EmailField()
    job_title = models.CharField(max_length=150, blank=True)
    # Special-category data: organisers only, erased a set time after the event (see services).
    dietary_needs = models.TextField(blank=True)
    access_needs = models.TextField(blank=True)
    needs_erased_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=DelegateStatus.choices, default=DelegateStatus.REGISTERED
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    # History keeps who held the place and when, but never the needs (they must be erasable).
    history = HistoricalRecords(excluded_fields=["dietary_needs", "access_needs"])

    class Meta:
        ordering = ["local_authority__name", "full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status="registered"),
                name="delegate_one_active_place_per_email",
            ),
            models.CheckConstraint(
                condition=Q(status="registered", cancelled_at__isnull=True)
                | Q(status="cancelled", cancelled_at__isnull=False),
                name="delegate_cancelled_at_matches_status",
            ),
        ]
        indexes = [
            models.Index(
                fields=["event", "local_authority", "status"], name="delegate_event_la_idx"
            )
        ]

    def __str__(self):
        return f"{self.full_name} ({self.local_authority}) at {self.event}"

    @property
    def check_in_url(self):
        # One per row of the registrations list: remembered, not reversed on every request.
        return cached_reverse("events:delegate_check_in", pk=self.pk)

    @property
    def is_active(self):
        return self.status == DelegateStatus.REGISTERED

    @property
    def has_needs(self):
        return bool(self.dietary_needs or self.access_needs)


class WorkshopChoice(models.Model):
    """A delegate's workshop: booked at once (choose mode) or a ranked preference (ranked mode)."""

    delegate = models.ForeignKey(Delegate, on_delete=models.CASCADE, related_name="choices")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="choices")
    rank = models.PositiveSmallIntegerField(default=1)
    allocated = models.BooleanField(default=False)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["rank", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["delegate", "session"], name="choice_once_per_workshop"
            ),
            models.UniqueConstraint(fields=["delegate", "rank"], name="choice_rank_unique"),
        ]

    def __str__(self):
        return f"{self.delegate.full_name}: {self.session} (#{self.rank})"


class Substitution(models.Model):
    """One person handing their place to another: the place and workshop choices stay."""

    delegate = models.ForeignKey(Delegate, on_delete=models.CASCADE, related_name="substitutions")
    previous_name = models.CharField(max_length=150)
    previous_email = models.EmailField()
    new_name = models.CharField(max_length=150)
    new_email = models.EmailField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["made_at", "pk"]

    def __str__(self):
        return f"{self.previous_name} -> {self.new_name}"
