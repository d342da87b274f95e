"""Moderators of a self-assessment (from other LAs) and their comments on its sections."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from regions.models import LocalAuthority

from .self_assessments import SelfAssessment, SelfAssessmentSection


class ModeratorAssignment(models.Model):
    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="moderator_assignments"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="moderations"
    )
    # Both LAs are stored so the database itself refuses a moderator from the assessed LA.
    moderator_la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    assessed_la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    comments_released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["self_assessment", "assigned_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(moderator_la=F("assessed_la")),
                name="peer_moderator_from_another_la",
            ),
            models.UniqueConstraint(
                fields=["self_assessment", "moderator"], name="peer_moderator_once"
            ),
        ]

    def __str__(self):
        return f"Moderator {self.moderator_id} for self-assessment {self.self_assessment_id}"


class ModerationComment(models.Model):
    assignment = models.ForeignKey(
        ModeratorAssignment, on_delete=models.CASCADE, related_name="comments"
    )
    section = models.ForeignKey(
        SelfAssessmentSection, on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["section", "created_at"]

    def __str__(self):
        return f"Comment {self.pk} on section {self.section_id}"
