"""Guest places: places at an event the programme manager grants to a partner organisation,
outside the LAs' allocations, and the partners registered on them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from regions.models import Organisation
from sli_portal.reversing import cached_reverse

from .delegates import DelegateStatus
from .events import Event


class GuestPlace(models.Model):
    """An organisation's places at an event (e.g. two for the Department for Education)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="guest_places")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="event_guest_places"
    )
    places = models.PositiveSmallIntegerField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    # Who granted or changed the places, and when.
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"], name="guestplace_one_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.organisation}: {self.places} guest places at {self.event}"


class GuestDelegate(models.Model):
    """A partner holding one of their organisation's guest places."""

    guest_place = models.ForeignKey(GuestPlace, on_delete=models.CASCADE, related_name="delegates")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guest_places",
    )
    full_name = models.CharField(max_length=150)
    email = models.EmailField()
    status = models.CharField(
        max_length=20, choices=DelegateStatus.choices, default=DelegateStatus.REGISTERED
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Attendance, as for an LA's delegate (the organisers check them in on the registrations page).
    checked_in_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["guest_place", "email"],
                condition=Q(status="registered"),
                name="guestdelegate_one_active_place_per_email",
            ),
            models.CheckConstraint(
                condition=Q(status="registered", cancelled_at__isnull=True)
                | Q(status="cancelled", cancelled_at__isnull=False),
                name="guestdelegate_cancelled_at_matches_status",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.guest_place.organisation}) at {self.guest_place.event}"

    @property
    def is_active(self):
        return self.status == DelegateStatus.REGISTERED

    @property
    def check_in_url(self):
        return cached_reverse("events:guest_check_in", pk=self.pk)


def guests_registered(event) -> int:
    """How many partners hold a guest place at the event (they take room at the venue too)."""
    return GuestDelegate.objects.filter(
        guest_place__event=event, status=DelegateStatus.REGISTERED
    ).count()
