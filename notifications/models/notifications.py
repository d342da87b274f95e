"""A person's notifications: one row per recipient, kind and occasion (the inbox entry and, by
their preference, the email), their delivery preference, and the daily digest emails."""

from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from sli_portal.outbox import OutboxEmail, OutboxMessage


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", "Email me each one straight away"
    DAILY_DIGEST = "digest", "Email me once a day with everything new"
    INBOX_ONLY = "inbox", "Do not email me: I will look in my inbox"


def _pending_index(name: str) -> models.Index:
    return models.Index(fields=["created_at"], condition=Q(status="pending"), name=name)


class NotificationPreference(models.Model):
    """How a person wants to be told (no row: straight away)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    delivery = models.CharField(
        max_length=12, choices=Delivery.choices, default=Delivery.IMMEDIATELY
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.user}: {self.get_delivery_display()}"


class NotificationDigest(OutboxMessage):
    """One email per person and day listing that day's notifications they asked to get so."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_digests"
    )
    day = models.DateField()

    class Meta(OutboxMessage.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "day"], name="notification_digest_once_per_person_and_day"
            )
        ]
        # The outbox's index of pending rows, named within PostgreSQL's limit for Django.
        indexes = [_pending_index("notif_digest_pending")]

    def __str__(self):
        return f"Digest for {self.recipient} on {self.day}"

    @classmethod
    def outbox_queryset(cls) -> models.QuerySet:
        return cls._default_manager.select_related("recipient")

    def outbox_stale_reason(self, now: datetime) -> str:
        if not self.recipient.is_active:
            return "The person's account is inactive."
        if not self.items.exists():
            return "Nothing to tell."
        return ""

    def outbox_email(self) -> OutboxEmail:
        items = list(self.items.order_by("created_at", "pk"))
        return OutboxEmail(
            template="notification_digest",
            to=[self.recipient.email],
            context={"recipient": self.recipient, "day": self.day, "items": items},
        )


class Notification(OutboxMessage):
    """Something that needs a person: shown in their inbox, and emailed straight away when they
    chose so (the outbox row is then pending; otherwise it is recorded as not sent, with why).

    The target is generic (content type + id, with the text and the link written when it was
    recorded), so this app knows nothing of the apps that notify."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    # What this is about, e.g. "vote:12" or "action:7:due:2026-12-01": once per person and key.
    occasion = models.CharField(max_length=200)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    delivery = models.CharField(
        max_length=12, choices=Delivery.choices, default=Delivery.IMMEDIATELY
    )
    digest = models.ForeignKey(
        NotificationDigest, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta(OutboxMessage.Meta):
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "occasion"],
                name="notification_once_per_recipient_kind_occasion",
            )
        ]
        indexes = [
            _pending_index("notification_pending"),
            # The header's unread count: one index-only count per request (when not cached).
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            # The daily digest's work list.
            models.Index(
                fields=["created_at"],
                condition=Q(delivery="digest", digest__isnull=True),
                name="notification_digest_owed",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @classmethod
    def outbox_queryset(cls) -> models.QuerySet:
        return cls._default_manager.select_related("recipient")

    def outbox_stale_reason(self, now: datetime) -> str:
        if self.delivery != Delivery.IMMEDIATELY:
            return "The person asked for a digest or for the inbox only."
        if not self.recipient.is_active:
            return "The person's account is inactive."
        return ""

    def outbox_email(self) -> OutboxEmail:
        return OutboxEmail(
            template="notification",
            to=[self.recipient.email],
            context={"recipient": self.recipient, "notification": self},
        )
