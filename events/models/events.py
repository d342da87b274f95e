"""Events of a region and their programme (sessions, speakers), and dates to avoid."""

import uuid
from datetime import UTC

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from regions.models import Region
from sli_portal.reversing import cached_reverse


class EventKind(models.TextChoices):
    SUMMIT = "summit", "Summit"
    STEERING_GROUP = "steering_group", "Steering-group meeting"
    CONFERENCE = "conference", "Conference"
    TRAINING = "training", "Training"
    CHALLENGE_DAY = "challenge_day", "Peer-challenge day"
    EVALUATION = "evaluation", "Evaluation event"


class EventStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    POSTPONED = "postponed", "Postponed"
    CANCELLED = "cancelled", "Cancelled"


class WorkshopMode(models.TextChoices):
    CHOOSE = "choose", "Delegates book workshops when they register"
    RANKED = "ranked", "Delegates rank workshops; places are allocated after registration closes"


class Event(models.Model):
    """A regional event. Times are stored in UTC and shown and entered in Europe/London."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    title = models.CharField(max_length=200)
    focus = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    venue = models.CharField(max_length=200, blank=True)
    address = models.TextField(blank=True)
    online_url = models.URLField("online joining link", blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT)
    registration_opens_at = models.DateTimeField(null=True, blank=True)
    registration_closes_at = models.DateTimeField(null=True, blank=True)
    capacity = models.PositiveIntegerField(
        "overall capacity", null=True, blank=True, help_text="Leave empty for no overall limit."
    )
    places_per_la = models.PositiveSmallIntegerField(
        "delegate places per local authority",
        default=4,
        help_text="The default for every LA of the region; it can be changed for one LA.",
    )
    members_may_self_register = models.BooleanField(
        "members may register themselves",
        default=False,
        help_text="Members of an LA may register themselves, using one of their LA's places.",
    )
    workshop_mode = models.CharField(
        max_length=10, choices=WorkshopMode.choices, default=WorkshopMode.CHOOSE
    )
    workshops_allocated_at = models.DateTimeField(null=True, blank=True)
    # The regional pool: after the release date, LAs' unused places go to a pool that any LA of
    # the region can request from; waiting requests are served round-robin across LAs.
    pool_release_at = models.DateTimeField(
        "release unused places on",
        null=True,
        blank=True,
        help_text="Empty: LAs keep their places until registration closes.",
    )
    pool_released_at = models.DateTimeField(null=True, blank=True, editable=False)
    pool_places = models.PositiveIntegerField(default=0, editable=False)
    # Meetings: the fewest people expected for it to go ahead, checked this many days before.
    quorum = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For meetings: the fewest people needed to go ahead."
    )
    quorum_warning_days = models.PositiveSmallIntegerField(
        "warn this many days before",
        default=7,
        help_text="When fewer than the quorum are expected this many days before, you are warned.",
    )
    # The region's public pages (regional updates): shown there only when marked public, with
    # who it is for and how to get a place; never who is coming.
    is_public = models.BooleanField(
        "show on the region's public pages",
        default=False,
        help_text="Title, date, venue, who it is for and how to get a place; never delegates.",
    )
    audience = models.CharField("who it is for", max_length=300, blank=True)
    how_to_book = models.CharField("how to get a place", max_length=300, blank=True)
    # iCalendar: the UID never changes; SEQUENCE goes up whenever the published details change.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Kept by a database trigger (search); not part of the history.
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="event_registration_closes_after_opening",
            ),
        ]
        indexes = [models.Index(fields=["region", "starts_at"], name="event_region_start_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return cached_reverse("events:event_detail", pk=self.pk)

    @property
    def is_meeting(self) -> bool:
        """A meeting is attended by invitation (replies, quorum), not by LA places."""
        return self.kind == EventKind.STEERING_GROUP or self.quorum is not None

    @property
    def is_cancelled(self):
        return self.status == EventStatus.CANCELLED

    @property
    def start_key(self) -> str:
        """Identifies the event's current start, so reminders for a moved event are new
        occasions."""
        return self.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%MZ")


class Session(models.Model):
    """One item of the programme: a talk, a plenary or a workshop with its own capacity."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField("room", max_length=150, blank=True)
    is_workshop = models.BooleanField(default=False)
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Places in the workshop; empty for no limit."
    )

    class Meta:
        ordering = ["starts_at", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(is_workshop=True) | Q(capacity__isnull=True),
                name="session_capacity_only_for_workshops",
            ),
        ]

    def __str__(self):
        return self.title


class Speaker(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(max_length=150)
    organisation = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=150, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return ", ".join(part for part in (self.name, self.role, self.organisation) if part)


class ExternalDate(models.Model):
    """A date outside the portal that regional events should avoid (e.g. a national conference)."""

    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="external_dates",
        help_text="Empty for a national date that matters to every region.",
    )
    title = models.CharField(max_length=200)
    date = models.DateField()

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"{self.title} ({self.date:%d %B %Y})"
