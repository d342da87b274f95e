"""Emails about events: one row per recipient and occasion, delivered by the outbox
(sli_portal/outbox.py), which re-checks `outbox_stale_reason` before sending."""

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse

from sli_portal.outbox import OutboxEmail, OutboxMessage

from .delegates import Delegate
from .events import Event, EventStatus
from .feedback import FeedbackResponse, feedback_token
from .guests import GuestDelegate
from .meetings import expected_invitees


class NoticeKind(models.TextChoices):
    CONFIRMATION = "confirmation", "Registration confirmed"
    REMINDER = "reminder", "Reminder"
    SUBSTITUTED_IN = "substituted_in", "Place passed to you"
    SUBSTITUTED_OUT = "substituted_out", "Place passed on"
    DELEGATE_CANCELLED = "delegate_cancelled", "Place cancelled"
    EVENT_MOVED = "event_moved", "Event moved"
    EVENT_CANCELLED = "event_cancelled", "Event cancelled"
    EVENT_POSTPONED = "event_postponed", "Event postponed"
    MEETING_INVITATION = "meeting_invitation", "Meeting invitation"
    QUORUM_WARNING = "quorum_warning", "Quorum warning"
    PLACE_GRANTED = "place_granted", "Extra place granted"
    FEEDBACK_REQUEST = "feedback_request", "Feedback request"


# Emails that list the delegate's workshops.
_WITH_CHOICES = (
    NoticeKind.CONFIRMATION,
    NoticeKind.REMINDER,
    NoticeKind.SUBSTITUTED_IN,
    NoticeKind.EVENT_MOVED,
)
# Emails that still apply after the event started, or that are not about one delegate's place.
_NOT_ABOUT_A_PLACE = (
    NoticeKind.MEETING_INVITATION,
    NoticeKind.QUORUM_WARNING,
    NoticeKind.PLACE_GRANTED,
)


def _holds_guest_place(notice: "Notice") -> bool:
    """A notice about a place with no LA delegate is for a partner on a guest place: do they
    (or anyone under that address) still hold a place?"""
    return (
        GuestDelegate.objects.filter(
            guest_place__event_id=notice.event_id,
            email__iexact=notice.email,
            status="registered",
        ).exists()
        or Delegate.objects.filter(
            event_id=notice.event_id, email__iexact=notice.email, status="registered"
        ).exists()
    )


class Notice(OutboxMessage):
    """One email to one person on one occasion. The row exists before the email is sent and is
    unique per (event, recipient, occasion), so a task run twice (or by two workers) sends once."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notices")
    delegate = models.ForeignKey(
        Delegate, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    # e.g. "confirmation:12", "reminder:7d:20270614T0930" (a moved event gets new reminders)
    occasion = models.CharField(max_length=100)
    email = models.EmailField()
    name = models.CharField(max_length=150, blank=True)
    # Held back until then (None: send at once): a cancellation's emails wait out the time in
    # which it can be undone, so undoing it sends nothing.
    send_after = models.DateTimeField(null=True, blank=True)

    class Meta(OutboxMessage.Meta):
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email", "occasion"], name="notice_once_per_recipient_occasion"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.email} ({self.occasion})"

    @classmethod
    def outbox_queryset(cls) -> models.QuerySet:
        return cls.objects.select_related("event__region", "delegate__local_authority")

    def outbox_held(self, now: datetime) -> bool:
        return self.send_after is not None and self.send_after > now

    @classmethod
    def outbox_held_q(cls, now: datetime) -> Q:
        return Q(send_after__gt=now)

    def outbox_stale_reason(self, now: datetime) -> str:
        event, delegate = self.event, self.delegate
        if self.kind == NoticeKind.EVENT_CANCELLED:
            return "" if event.status == EventStatus.CANCELLED else "The cancellation was undone."
        if event.status == EventStatus.CANCELLED:
            return "The event was cancelled."
        if self.kind == NoticeKind.DELEGATE_CANCELLED:
            if delegate is not None and delegate.is_active:
                return "The cancellation was undone."
            return ""
        if self.kind == NoticeKind.SUBSTITUTED_OUT:
            return ""
        # Postponed: the one notice that applies is "postponed"; reminders, invitations and the
        # rest wait for the new date (which sends its own notice), and a "postponed" notice not
        # yet sent when the event got its new date is overtaken by that one.
        if self.kind == NoticeKind.EVENT_POSTPONED:
            if event.status != EventStatus.POSTPONED:
                return "The event had a new date before this was sent."
            return ""
        if event.status == EventStatus.POSTPONED:
            return "The event was postponed."
        if self.kind == NoticeKind.FEEDBACK_REQUEST:
            if delegate is None or not delegate.is_active or delegate.email != self.email:
                return "The person no longer holds the place."
            if FeedbackResponse.objects.filter(delegate=delegate).exists():
                return "Feedback was already given."
            return ""
        if event.starts_at <= now:
            return "The event had already started."
        if self.kind in _NOT_ABOUT_A_PLACE:
            return ""
        if delegate is not None and (not delegate.is_active or delegate.email != self.email):
            return "The person no longer holds the place."
        if delegate is None and self.kind in _WITH_CHOICES and not _holds_guest_place(self):
            # A partner's confirmation, reminder or "moved" notice (they hold no LA place).
            return "The person no longer holds the place."
        if self.kind == NoticeKind.REMINDER and not self.occasion.endswith(event.start_key):
            return "The event moved after this reminder was due."
        return ""

    def outbox_email(self) -> OutboxEmail:
        delegate = self.delegate
        choices = []
        if delegate is not None and self.kind in _WITH_CHOICES:
            choices = list(
                delegate.choices.select_related("session").order_by("session__starts_at")
            )
        context = {"notice": self, "event": self.event, "delegate": delegate, "choices": choices}
        if self.kind == NoticeKind.FEEDBACK_REQUEST and delegate is not None:
            context["feedback_path"] = reverse(
                "events:feedback", kwargs={"token": feedback_token(delegate)}
            )
        if self.kind == NoticeKind.QUORUM_WARNING:
            context["expected"] = self.event.invitees.filter(expected_invitees()).count()
        return OutboxEmail("event_notice", [self.email], context)
