"""An LA's self-assessment in an annual cycle: its sections and evidence files."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from regions.models import LocalAuthority
from sli_portal.reversing import cached_reverse

from .cycles import Cycle, FrameworkQuestion


class SelfAssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    MODERATED = "moderated", "Moderated"
    SIGNED_OFF = "signed_off", "Signed off"


class SelfAssessment(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="self_assessments")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="self_assessments"
    )
    status = models.CharField(
        max_length=12, choices=SelfAssessmentStatus.choices, default=SelfAssessmentStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    chief_executive = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    chief_executive_name = models.CharField(max_length=150, blank=True)
    chief_executive_approved_on = models.DateField(null=True, blank=True)
    lead_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lead_member_name = models.CharField(max_length=150, blank=True)
    lead_member_approved_on = models.DateField(null=True, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "local_authority__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "local_authority"], name="peer_one_self_assessment_per_la"
            ),
            models.CheckConstraint(
                condition=~Q(status="signed_off")
                | (
                    ~Q(chief_executive_name="")
                    & ~Q(lead_member_name="")
                    & Q(chief_executive_approved_on__isnull=False)
                    & Q(lead_member_approved_on__isnull=False)
                ),
                name="peer_sign_off_needs_both_approvals",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="peer_submitted_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.local_authority} self-assessment, {self.cycle.year}"

    def get_absolute_url(self):
        return cached_reverse("peer_challenge:self_assessment_detail", pk=self.pk)

    @property
    def region_id(self) -> int:
        """The region, through the cycle (for `regions.rules.region_id_of`)."""
        return self.cycle.region_id


class SelfAssessmentSection(models.Model):
    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="sections"
    )
    question = models.ForeignKey(FrameworkQuestion, on_delete=models.PROTECT, related_name="+")
    narrative = models.TextField(blank=True)
    strengths = models.TextField(blank=True)
    areas_for_development = models.TextField("areas for development", blank=True)
    evidence_links = models.TextField(
        "evidence links", blank=True, help_text="One web address per line."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["self_assessment", "question__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["self_assessment", "question"], name="peer_one_section_per_question"
            )
        ]

    def __str__(self):
        return f"Section {self.question_id} of self-assessment {self.self_assessment_id}"

    @property
    def evidence_link_list(self) -> list[str]:
        return [line.strip() for line in self.evidence_links.splitlines() if line.strip()]


class EvidenceFile(models.Model):
    """A document attached to a self-assessment section as evidence."""

    section = models.ForeignKey(
        SelfAssessmentSection, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(upload_to="peer_challenge/evidence/%Y/")
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Removed files are kept (and listed on the versions page): nothing is lost.
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["section", "uploaded_at"]

    def __str__(self):
        return self.name
