"""Emails peer challenge owes people: rows of the portal's one outbox (sli_portal/outbox.py)."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse

from sli_portal.outbox import OutboxEmail, OutboxMessage

from .cycles import CycleStatus
from .self_assessments import SelfAssessment, SelfAssessmentStatus


class NoticeOccasion(models.TextChoices):
    SELF_ASSESSMENT_DUE = "sa_due", "Self-assessment due"
    MODERATION_ASSIGNED = "moderation_assigned", "Moderation assigned"
    COMMENTS_READY = "comments_ready", "Moderation comments ready"


class Notice(OutboxMessage):
    """An email that is owed: one row per recipient and occasion, so it is sent once."""

    occasion = models.CharField(max_length=20, choices=NoticeOccasion.choices)
    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="notices"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )

    class Meta(OutboxMessage.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["occasion", "self_assessment", "recipient"], name="peer_notice_once"
            )
        ]

    def __str__(self):
        return f"{self.get_occasion_display()} to user {self.recipient_id}"

    @classmethod
    def outbox_queryset(cls) -> models.QuerySet:
        return cls._default_manager.select_related(
            "recipient", "self_assessment__cycle", "self_assessment__local_authority"
        )

    def outbox_email(self) -> OutboxEmail:
        sa = self.self_assessment
        return OutboxEmail(
            template=f"peer_{self.occasion}",
            to=[self.recipient.email],
            context={
                "recipient": self.recipient,
                "self_assessment": sa,
                "cycle": sa.cycle,
                "path": reverse("peer_challenge:self_assessment_detail", kwargs={"pk": sa.pk}),
            },
        )

    def outbox_stale_reason(self, now: datetime.datetime) -> str:
        """A 'due' reminder no longer applies once the draft is submitted or the cycle closed."""
        if self.occasion != NoticeOccasion.SELF_ASSESSMENT_DUE:
            return ""
        sa = self.self_assessment
        if sa.status != SelfAssessmentStatus.DRAFT:
            return "The self-assessment was submitted before the reminder was sent."
        if sa.cycle.status != CycleStatus.OPEN:
            return "The cycle was closed before the reminder was sent."
        return ""
