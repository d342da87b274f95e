"""Meetings: who is invited by role, and their replies."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from regions.models import LocalAuthority

from .events import Event


class Response(models.TextChoices):
    INVITED = "invited", "Not yet replied"
    ATTENDING = "attending", "Attending"
    APOLOGIES = "apologies", "Apologies"


def expected_invitees(prefix: str = "") -> Q:
    """Invitees expected to come: attending, or sending apologies with a deputy. `prefix` is the
    path to the invitee from the queried model (e.g. "invitees__" from Event)."""
    return Q(**{f"{prefix}response": Response.ATTENDING}) | (
        Q(**{f"{prefix}response": Response.APOLOGIES}) & ~Q(**{f"{prefix}deputy_name": ""})
    )


class Invitee(models.Model):
    """Someone invited to a meeting by their role, and their reply (with a deputy if any)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_invitations"
    )
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(max_length=20)
    response = models.CharField(max_length=10, choices=Response.choices, default=Response.INVITED)
    deputy_name = models.CharField(max_length=150, blank=True)
    deputy_email = models.EmailField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="invitee_once_per_meeting"),
            models.CheckConstraint(
                condition=Q(response="apologies") | Q(deputy_name=""),
                name="invitee_deputy_only_with_apologies",
            ),
        ]

    def __str__(self):
        return f"{self.user} at {self.event}: {self.get_response_display()}"

    @property
    def expected(self) -> bool:
        return self.response == Response.ATTENDING or bool(self.deputy_name)
