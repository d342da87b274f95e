"""Regional improvement plans: themes, priorities, actions, RAG progress, funding, annexes.

Models without a region column have a `region_id` property (through their plan), so
`regions.rules.region_id_of` finds the region of every object the same way.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sli_portal.reversing import cached_reverse


def financial_year_label(start_year: int) -> str:
    """2018 -> "2018-19": English public-sector years run April to March."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed"
    ARCHIVED = "archived", "Archived"


class Plan(models.Model):
    """A region's (usually multi-year) improvement plan. One plan per region is current."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="plans")
    title = models.CharField(max_length=200)
    # Financial years: start_year 2018 and end_year 2020 cover 2018-19 to 2020-21 ("2018-2021").
    start_year = models.PositiveSmallIntegerField("first financial year (starting April)")
    end_year = models.PositiveSmallIntegerField("last financial year (starting April)")
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    summary = models.TextField(blank=True)
    # An ordered list of short statements; the order is the order agreed.
    principles = models.JSONField(default=list, blank=True)
    launch_date = models.DateField(null=True, blank=True)
    launch_event = models.CharField(max_length=200, blank=True)
    is_current = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["region", "-start_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="plan_end_not_before_start"
            ),
            models.CheckConstraint(
                condition=Q(start_year__gte=2000, end_year__lte=2100), name="plan_years_sane"
            ),
            models.UniqueConstraint(
                fields=["region"], condition=Q(is_current=True), name="plan_one_current_per_region"
            ),
            models.UniqueConstraint(fields=["region", "title"], name="plan_title_unique_in_region"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return cached_reverse("regions:plan_detail", pk=self.pk)

    @property
    def financial_years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def period_label(self) -> str:
        if self.start_year == self.end_year:
            return financial_year_label(self.start_year)
        return f"{self.start_year}-{self.end_year + 1}"


def _attachment_path(instance, filename):
    return f"plans/{instance.plan_id}/{filename}"


class PlanAttachment(models.Model):
    """An annex to a plan: a PDF or Word (DOCX) file."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=_attachment_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "title"]

    def __str__(self):
        return self.title

    @property
    def region_id(self) -> int:
        return self.plan.region_id


class Theme(models.Model):
    """A group of priorities in a plan, e.g. "Actions that will address practice issues"."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="themes")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position", "pk"]

    def __str__(self):
        return self.title

    @property
    def region_id(self) -> int:
        return self.plan.region_id


class PriorityStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    DROPPED = "dropped", "Dropped"


class Priority(models.Model):
    """A numbered regional priority. Its number stays put when it moves, until renumbered."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=250)
    description = models.TextField(blank=True)
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sponsored_priorities",
        help_text="The DCS who sponsors this priority.",
    )
    sponsor_la = models.ForeignKey(
        "regions.LocalAuthority",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sponsored_priorities",
        verbose_name="sponsor's local authority",
    )
    lead = models.CharField(
        "lead officer or group", max_length=200, blank=True, help_text="Who does the work."
    )
    status = models.CharField(
        max_length=10, choices=PriorityStatus.choices, default=PriorityStatus.ACTIVE
    )
    # Kept by a database trigger (search); not part of the history.
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(excluded_fields=["search_vector"])

    # Annotated by `selectors.plans.priorities_with_rag()`: the latest progress update's RAG
    # and date (None without one). Declared here for type checkers only.
    current_rag: str | None
    last_update_on: date | None

    class Meta:
        ordering = ["plan", "theme__position", "position", "number"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="priority_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="priority_number_positive"),
            models.CheckConstraint(
                condition=Q(sponsor__isnull=True, sponsor_la__isnull=True)
                | Q(sponsor__isnull=False, sponsor_la__isnull=False),
                name="priority_sponsor_with_la",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return cached_reverse("regions:priority_detail", pk=self.pk)

    @property
    def region_id(self) -> int:
        return self.plan.region_id


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


OPEN_ACTION_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


class Action(models.Model):
    """An action or milestone under a priority."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=250)
    is_milestone = models.BooleanField(default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_actions",
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    position = models.PositiveSmallIntegerField(default=0)
    # Kept by a database trigger (search); not part of the history.
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        ordering = ["priority", "position", "due_date", "pk"]
        indexes = [models.Index(fields=["owner", "status", "due_date"], name="action_owner_due")]

    def __str__(self):
        return self.title

    @property
    def region_id(self) -> int:
        return self.priority.plan.region_id

    @property
    def is_overdue(self) -> bool:
        return (
            self.due_date is not None
            and self.status in OPEN_ACTION_STATUSES
            and self.due_date < timezone.localdate()
        )


class RAG(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class ProgressUpdate(models.Model):
    """A dated RAG rating of a priority with the story behind it."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField()
    rag = models.CharField("RAG", max_length=5, choices=RAG.choices)
    narrative = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["priority", "-date", "-created_at"]
        indexes = [models.Index(fields=["priority", "-date"], name="progress_priority_date")]

    def __str__(self):
        return f"{self.priority}: {self.get_rag_display()} on {self.date}"

    @property
    def region_id(self) -> int:
        return self.priority.plan.region_id


class FundingSource(models.TextChoices):
    LA_SUBSCRIPTION = "la_subscription", "LA subscription"
    DFE_GRANT = "dfe_grant", "DfE grant"
    LGA_GRANT = "lga_grant", "LGA grant"
    OTHER = "other", "Other"


class FundingStatus(models.TextChoices):
    INVOICED = "invoiced", "Invoiced"
    RECEIVED = "received", "Received"


class FundingContribution(models.Model):
    """Money towards a plan in one financial year, from an LA's subscription or a grant."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="contributions")
    financial_year = models.PositiveSmallIntegerField(help_text="The year the April starts in.")
    source = models.CharField(max_length=20, choices=FundingSource.choices)
    local_authority = models.ForeignKey(
        "regions.LocalAuthority",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    description = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField("amount (£)", max_digits=12, decimal_places=2)
    status = models.CharField(
        max_length=10, choices=FundingStatus.choices, default=FundingStatus.INVOICED
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "financial_year", "source", "local_authority__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=Decimal("0")), name="funding_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(source=FundingSource.LA_SUBSCRIPTION, local_authority__isnull=False)
                | (~Q(source=FundingSource.LA_SUBSCRIPTION) & Q(local_authority__isnull=True)),
                name="funding_la_iff_subscription",
            ),
            models.UniqueConstraint(
                fields=["plan", "financial_year", "local_authority"],
                condition=Q(source=FundingSource.LA_SUBSCRIPTION),
                name="funding_one_subscription_per_la_year",
            ),
        ]

    def __str__(self):
        who = self.local_authority or self.get_source_display()
        return f"{who} {financial_year_label(self.financial_year)}: £{self.amount}"

    @property
    def region_id(self) -> int:
        return self.plan.region_id

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)
