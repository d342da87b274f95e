"""LA places at an event, and requests for one more place from the regional pool."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from regions.models import LocalAuthority

from .events import Event


class Allocation(models.Model):
    """An LA's delegate places at an event (the event's default unless changed for this LA)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="allocations")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="event_allocations"
    )
    places = models.PositiveSmallIntegerField()
    is_override = models.BooleanField(default=False)

    class Meta:
        ordering = ["local_authority__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "local_authority"], name="allocation_one_per_la_per_event"
            )
        ]

    def __str__(self):
        return f"{self.local_authority}: {self.places} places at {self.event}"


class PlaceRequestStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    GRANTED = "granted", "Granted"
    WITHDRAWN = "withdrawn", "Withdrawn"


class PlaceRequest(models.Model):
    """An LA asking for one more place from the regional pool."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="place_requests")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="place_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=PlaceRequestStatus.choices, default=PlaceRequestStatus.WAITING
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "local_authority"],
                condition=Q(status="waiting"),
                name="placerequest_one_waiting_per_la",
            )
        ]

    def __str__(self):
        return f"{self.local_authority} asks for a place at {self.event}"
