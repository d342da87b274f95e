"""Messages a programme manager sends to everyone at an event: the delegates, or a meeting's
invitees. Each recipient's email is an outbox row, so the message page is the log of what was
sent to whom."""

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models

from sli_portal.outbox import OutboxEmail, OutboxMessage

from .events import Event


class Audience(models.TextChoices):
    DELEGATES = "delegates", "Everyone registered (the delegates)"
    INVITEES = "invitees", "Everyone invited to the meeting"


class Message(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="messages")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    subject = models.CharField(max_length=150)
    body = models.TextField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # From the confirmation form: the same form sent twice records one message.
    token = models.UUIDField(default=uuid.uuid4)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "token"], name="event_message_once_per_form")
        ]

    def __str__(self):
        return self.subject

    @property
    def region_id(self) -> int:
        return self.event.region_id


class MessageRecipient(OutboxMessage):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="recipients")
    email = models.EmailField()
    name = models.CharField(max_length=200)

    class Meta(OutboxMessage.Meta):
        ordering = ["name", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "email"], name="event_message_once_per_recipient"
            )
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(status="pending"),
                name="event_message_pending",
            )
        ]

    def __str__(self):
        return f"{self.message} to {self.email}"

    @classmethod
    def outbox_queryset(cls) -> models.QuerySet:
        return cls._default_manager.select_related("message__event", "message__sent_by")

    def outbox_stale_reason(self, now: datetime) -> str:
        return ""

    def outbox_email(self) -> OutboxEmail:
        message = self.message
        sender = message.sent_by
        return OutboxEmail(
            template="event_message",
            to=[self.email],
            context={"message": message, "event": message.event, "name": self.name},
            reply_to=[sender.email] if sender is not None else None,
        )
