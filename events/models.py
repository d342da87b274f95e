"""Events of a region, their programme, LA places, delegates and the emails sent about them."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from regions.models import LocalAuthority, Region
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
    # iCalendar: the UID never changes; SEQUENCE goes up whenever the published details change.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

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
    def is_cancelled(self):
        return self.status == EventStatus.CANCELLED


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


class Allocation(models.Model):
    """An LA's delegate places at an event (the event's default unless changed for this LA)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="allocations")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="event_allocations"
    )
    places = models.PositiveSmallIntegerField()
    is_override = models.BooleanField(default=False)

    class Meta:
        ordering = ["local_authority__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "local_authority"], name="allocation_one_per_la_per_event"
            )
        ]

    def __str__(self):
        return f"{self.local_authority}: {self.places} places at {self.event}"


class DelegateStatus(models.TextChoices):
    REGISTERED = "registered", "Registered"
    CANCELLED = "cancelled", "Cancelled"


class Delegate(models.Model):
    """A place at an event held by one person for one LA. Substitution changes the person."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="delegates")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="event_delegates"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_places",
    )
    full_name = models.CharField(max_length=150)
    email = models.EmailField()
    job_title = models.CharField(max_length=150, blank=True)
    # Special-category data: organisers only, erased a set time after the event (see services).
    dietary_needs = models.TextField(blank=True)
    access_needs = models.TextField(blank=True)
    needs_erased_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=DelegateStatus.choices, default=DelegateStatus.REGISTERED
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    # History keeps who held the place and when, but never the needs (they must be erasable).
    history = HistoricalRecords(excluded_fields=["dietary_needs", "access_needs"])

    class Meta:
        ordering = ["local_authority__name", "full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status="registered"),
                name="delegate_one_active_place_per_email",
            ),
            models.CheckConstraint(
                condition=Q(status="registered", cancelled_at__isnull=True)
                | Q(status="cancelled", cancelled_at__isnull=False),
                name="delegate_cancelled_at_matches_status",
            ),
        ]
        indexes = [
            models.Index(
                fields=["event", "local_authority", "status"], name="delegate_event_la_idx"
            )
        ]

    def __str__(self):
        return f"{self.full_name} ({self.local_authority}) at {self.event}"

    @property
    def check_in_url(self):
        # One per row of the registrations list: remembered, not reversed on every request.
        return cached_reverse("events:delegate_check_in", pk=self.pk)

    @property
    def is_active(self):
        return self.status == DelegateStatus.REGISTERED

    @property
    def has_needs(self):
        return bool(self.dietary_needs or self.access_needs)


class WorkshopChoice(models.Model):
    """A delegate's workshop: booked at once (choose mode) or a ranked preference (ranked mode)."""

    delegate = models.ForeignKey(Delegate, on_delete=models.CASCADE, related_name="choices")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="choices")
    rank = models.PositiveSmallIntegerField(default=1)
    allocated = models.BooleanField(default=False)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["rank", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["delegate", "session"], name="choice_once_per_workshop"
            ),
            models.UniqueConstraint(fields=["delegate", "rank"], name="choice_rank_unique"),
        ]

    def __str__(self):
        return f"{self.delegate.full_name}: {self.session} (#{self.rank})"


class Substitution(models.Model):
    """One person handing their place to another: the place and workshop choices stay."""

    delegate = models.ForeignKey(Delegate, on_delete=models.CASCADE, related_name="substitutions")
    previous_name = models.CharField(max_length=150)
    previous_email = models.EmailField()
    new_name = models.CharField(max_length=150)
    new_email = models.EmailField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["made_at", "pk"]

    def __str__(self):
        return f"{self.previous_name} -> {self.new_name}"


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


class PlaceRequestStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    GRANTED = "granted", "Granted"
    WITHDRAWN = "withdrawn", "Withdrawn"


class PlaceRequest(models.Model):
    """An LA asking for one more place from the regional pool."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="place_requests")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="place_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=PlaceRequestStatus.choices, default=PlaceRequestStatus.WAITING
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "local_authority"],
                condition=Q(status="waiting"),
                name="placerequest_one_waiting_per_la",
            )
        ]

    def __str__(self):
        return f"{self.local_authority} asks for a place at {self.event}"


class Response(models.TextChoices):
    INVITED = "invited", "Not yet replied"
    ATTENDING = "attending", "Attending"
    APOLOGIES = "apologies", "Apologies"


class Invitee(models.Model):
    """Someone invited to a meeting by their role, and their reply (with a deputy if any)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_invitations"
    )
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(max_length=20)
    response = models.CharField(max_length=10, choices=Response.choices, default=Response.INVITED)
    deputy_name = models.CharField(max_length=150, blank=True)
    deputy_email = models.EmailField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="invitee_once_per_meeting"),
            models.CheckConstraint(
                condition=Q(response="apologies") | Q(deputy_name=""),
                name="invitee_deputy_only_with_apologies",
            ),
        ]

    def __str__(self):
        return f"{self.user} at {self.event}: {self.get_response_display()}"

    @property
    def expected(self) -> bool:
        return self.response == Response.ATTENDING or bool(self.deputy_name)


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


def _document_path(instance, filename):
    return f"events/{instance.event_id}/{uuid.uuid4().hex}/{filename}"


class EventDocument(models.Model):
    """A paper for the event (agenda, slides, minutes), downloaded through a permission check."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=_document_path, max_length=300)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.title


class NoticeKind(models.TextChoices):
    CONFIRMATION = "confirmation", "Registration confirmed"
    REMINDER = "reminder", "Reminder"
    SUBSTITUTED_IN = "substituted_in", "Place passed to you"
    SUBSTITUTED_OUT = "substituted_out", "Place passed on"
    DELEGATE_CANCELLED = "delegate_cancelled", "Place cancelled"
    EVENT_MOVED = "event_moved", "Event moved"
    EVENT_CANCELLED = "event_cancelled", "Event cancelled"
    MEETING_INVITATION = "meeting_invitation", "Meeting invitation"
    QUORUM_WARNING = "quorum_warning", "Quorum warning"
    PLACE_GRANTED = "place_granted", "Extra place granted"
    FEEDBACK_REQUEST = "feedback_request", "Feedback request"


class Notice(models.Model):
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
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    skipped_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email", "occasion"], name="notice_once_per_recipient_occasion"
            )
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(sent_at__isnull=True, skipped_reason=""),
                name="notice_unsent_idx",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.email} ({self.occasion})"
