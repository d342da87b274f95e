"""The short survey after an event, and the signed link that is a delegate's credential for it."""

from django.core import signing
from django.db import models
from django.db.models import Q

from .delegates import Delegate
from .events import Event

_FEEDBACK_SALT = "events.feedback"


def feedback_token(delegate: Delegate) -> str:
    """The secret in the feedback email's link: it stands in for signing in."""
    return signing.Signer(salt=_FEEDBACK_SALT).sign(str(delegate.pk))


def delegate_pk_from_feedback_token(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=_FEEDBACK_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


class FeedbackResponse(models.Model):
    """A delegate's answers to the short survey sent after the event (one per delegate)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="feedback")
    delegate = models.OneToOneField(Delegate, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField()
    most_useful = models.TextField(blank=True)
    improve = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            )
        ]

    def __str__(self):
        return f"Feedback from {self.delegate.full_name}: {self.rating}/5"
