import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from regions.models import LocalAuthority, Region
from sli_portal.reversing import cached_reverse

from .triads import LARGER, SMALLER


class CycleKind(models.TextChoices):
    ANNUAL_TRIAD = "annual_triad", "Annual self-assessment and triad challenge"
    THEMATIC = "thematic", "Thematic peer challenge"
    BILATERAL = "bilateral", "Bilateral challenges"


class CycleStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Remainder(models.TextChoices):
    LARGER_GROUPS = LARGER, "Groups of four take the extra LAs"
    SMALLER_GROUPS = SMALLER, "Groups of two take the extra LAs"


class Cycle(models.Model):
    """One year's (or one theme's) round of peer challenge in a region."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="peer_cycles")
    kind = models.CharField(max_length=20, choices=CycleKind.choices)
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    theme = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=CycleStatus.choices, default="open")
    self_assessment_due = models.DateField(null=True, blank=True)
    moderation_due = models.DateField(null=True, blank=True)
    # The challenge day is the region's `challenge_day` event (events app): its date and venue
    # are read from the event, the one place they are kept, so moving it there moves it here.
    challenge_event = models.OneToOneField(
        "events.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="peer_cycle",
        verbose_name="challenge-day event",
    )
    findings_due = models.DateField(null=True, blank=True)
    remainder = models.CharField(
        "when the LAs do not split into threes",
        max_length=10,
        choices=Remainder.choices,
        default=LARGER,
    )
    moderators_avoid_triad_partners = models.BooleanField(
        "moderators must not come from the LA's triad", default=True
    )
    triad_seed = models.PositiveIntegerField(default=0)
    triads_explanation = models.JSONField(default=dict, blank=True)
    triads_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "kind", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                condition=Q(kind="annual_triad"),
                name="peer_one_annual_cycle_per_region_year",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="peer_cycle_year_sane"
            ),
            models.CheckConstraint(
                condition=Q(moderation_due__isnull=True)
                | Q(self_assessment_due__isnull=True)
                | Q(moderation_due__gte=F("self_assessment_due")),
                name="peer_cycle_moderation_after_submission",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.region}, {self.year})"

    def get_absolute_url(self):
        return cached_reverse("peer_challenge:cycle_detail", pk=self.pk)

    @property
    def is_annual(self) -> bool:
        return self.kind == CycleKind.ANNUAL_TRIAD

    @property
    def triads_confirmed(self) -> bool:
        return self.triads_confirmed_at is not None

    @property
    def challenge_day(self) -> datetime.date | None:
        """The challenge day's date (London time), from its event."""
        event = self.challenge_event
        return timezone.localtime(event.starts_at).date() if event is not None else None

    @property
    def challenge_venue(self) -> str:
        event = self.challenge_event
        return event.venue if event is not None else ""


class FrameworkQuestion(models.Model):
    """A section of the cycle's framework: for thematic cycles, the key lines of enquiry."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["cycle", "position"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "position"], name="peer_question_position")
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"


class Triad(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="triads")
    number = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["cycle", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="peer_triad_number")
        ]

    def __str__(self):
        return f"Triad {self.number}"


class TriadMember(models.Model):
    triad = models.ForeignKey(Triad, on_delete=models.CASCADE, related_name="members")
    # Denormalised so that the database keeps each LA in one triad per cycle.
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="triad_members")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT)

    class Meta:
        ordering = ["triad", "local_authority__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "local_authority"], name="peer_one_triad_per_la_per_cycle"
            )
        ]

    def __str__(self):
        return f"{self.local_authority_id} in triad {self.triad_id}"


class ConstraintKind(models.TextChoices):
    KEEP_APART = "apart", "Keep apart"
    KEEP_TOGETHER = "together", "Keep together"


class PairingConstraint(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="pairing_constraints")
    kind = models.CharField(max_length=10, choices=ConstraintKind.choices)
    first = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(first__lt=F("second")), name="peer_constraint_ordered_pair"
            ),
            models.UniqueConstraint(
                fields=["cycle", "first", "second"], name="peer_constraint_once_per_pair"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.first_id} and {self.second_id}"


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


class FindingKind(models.TextChoices):
    STRENGTH = "strength", "Strength"
    AREA_FOR_DEVELOPMENT = "development", "Area for development"
    AGREED_ACTION = "action", "Agreed action"
    REGIONAL_THEME = "theme", "Regional theme"


class FindingStatus(models.TextChoices):
    RECORDED = "recorded", "Recorded"
    PROPOSED = "proposed", "Proposed for the next plan"


class Finding(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="findings")
    triad = models.ForeignKey(
        Triad, null=True, blank=True, on_delete=models.CASCADE, related_name="findings"
    )
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=FindingKind.choices)
    text = models.TextField()
    status = models.CharField(
        max_length=10, choices=FindingStatus.choices, default=FindingStatus.RECORDED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    promoted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    promoted_at = models.DateTimeField(null=True, blank=True)
    # The candidate priority on the region's list for its next plan (regions owns that list).
    candidate_priority = models.OneToOneField(
        "regions.CandidatePriority",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["cycle", "kind", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="recorded") | Q(kind="theme"),
                name="peer_only_themes_are_promoted",
            ),
            models.CheckConstraint(
                condition=Q(candidate_priority__isnull=True) | Q(status="proposed"),
                name="peer_candidate_only_for_proposed_themes",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"


class ChallengeStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class Challenge(models.Model):
    """One thematic or bilateral challenge: a home LA challenged by one or more LAs."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="challenges")
    home_la = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="challenges_hosted"
    )
    challenging_las = models.ManyToManyField(LocalAuthority, related_name="challenges_given")
    date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ChallengeStatus.choices, default=ChallengeStatus.PLANNED
    )
    report = models.FileField(upload_to="peer_challenge/reports/%Y/", blank=True)
    evaluation = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["report"])

    class Meta:
        ordering = ["cycle", "home_la__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "home_la"], name="peer_one_challenge_per_home")
        ]

    def __str__(self):
        return f"Challenge of LA {self.home_la_id} in cycle {self.cycle_id}"

    def get_absolute_url(self):
        return cached_reverse("peer_challenge:challenge_detail", pk=self.pk)


class NoticeOccasion(models.TextChoices):
    SELF_ASSESSMENT_DUE = "sa_due", "Self-assessment due"
    MODERATION_ASSIGNED = "moderation_assigned", "Moderation assigned"
    COMMENTS_READY = "comments_ready", "Moderation comments ready"


class Notice(models.Model):
    """An email that is owed: one row per recipient and occasion, so it is sent once."""

    occasion = models.CharField(max_length=20, choices=NoticeOccasion.choices)
    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="notices"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["occasion", "self_assessment", "recipient"], name="peer_notice_once"
            )
        ]

    def __str__(self):
        return f"{self.get_occasion_display()} to user {self.recipient_id}"
