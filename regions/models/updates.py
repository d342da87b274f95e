"""Regional updates: the region's news to its LAs, partners and the ADCS Council of Reference,
composed from the portal, published on its public pages and sent as an email edition.

- `Update`: an article (Markdown body, kept with its sanitised HTML), tags, a featured event
  (a snapshot the events app drafted: regions never imports events), draft -> published.
- `Tag`: a short label ("SLI", "SOUTH WEST"), shared by every region.
- `PublicProfile`: what a region chooses to show without a login (plan summary, the programme
  manager's contact only with its own opt-in), `noindex`, and the version its cached pages use.
- `Subscriber`: an address outside the portal (partners, Council of Reference) with double
  opt-in, or anyone (a member too) who unsubscribed with one click.
- `UpdateEmail`: the outbox row, one per update and address.
"""

from datetime import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core import signing
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from sli_portal.outbox import OutboxEmail, OutboxMessage
from sli_portal.reversing import cached_reverse

from ..domain.markdown import plain_text
from .geography import Region


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class UpdateStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Update(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="updates")
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=400, blank=True, help_text="One or two sentences.")
    body = models.TextField(help_text="Markdown: headings (##), lists, links.", blank=True)
    # The body rendered and sanitised once, when saved: pages, feeds, PDFs and emails show this.
    body_html = models.TextField(blank=True, editable=False)
    tags = models.ManyToManyField(Tag, blank=True, related_name="updates")
    is_public = models.BooleanField(
        "show on the public pages",
        default=True,
        help_text="Untick to keep it for the region's signed-in people only.",
    )
    # A snapshot of the featured event as the events app drafted it (title, starts_at, venue,
    # places, url, public_url): regions reads no other app's tables.
    featured_event = models.JSONField(default=dict, blank=True)
    # The window the composer read ("what changed since the last published update").
    covers_from = models.DateTimeField(null=True, blank=True)
    covers_to = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=UpdateStatus.choices, default=UpdateStatus.DRAFT
    )
    publish_date = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The header's search (title, summary and body), kept by a database trigger (migration 0011).
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(m2m_fields=[tags], excluded_fields=["search_vector"])

    class Meta:
        ordering = ["-publish_date", "-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(publish_date__isnull=False, published_at__isnull=False),
                name="update_published_has_date",
            ),
        ]
        indexes = [
            models.Index(
                fields=["region", "-publish_date"],
                condition=Q(status="published"),
                name="update_region_published_idx",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return cached_reverse("regions:update_detail", pk=self.pk)

    @property
    def is_published(self) -> bool:
        return self.status == UpdateStatus.PUBLISHED

    def public_url(self, region_slug: str) -> str:
        return cached_reverse("regions:public_update", slug=region_slug, pk=self.pk)


class PublicProfile(models.Model):
    """What a region shows on its public pages. Nothing personal unless opted in here."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="public_profile")
    is_enabled = models.BooleanField("public pages are on", default=False)
    noindex = models.BooleanField(
        "ask search engines not to index the public pages",
        default=True,
        help_text="Sends robots noindex (meta tag and X-Robots-Tag header).",
    )
    introduction = models.TextField(blank=True, help_text="A short paragraph about the region.")
    publish_plan_summary = models.BooleanField(
        "show the current plan's themes and priorities with their RAG", default=False
    )
    show_contact = models.BooleanField(
        "publish the contact below",
        default=False,
        help_text="Only with the agreement of the person named.",
    )
    contact_name = models.CharField(max_length=150, blank=True)
    contact_role = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    # Cached public pages are keyed by this: every publish or change of the profile bumps it.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    def __str__(self):
        return f"Public pages of {self.region}"


_SUBSCRIBE_SALT = "regions.updates.subscribe"
_UNSUBSCRIBE_SALT = "regions.updates.unsubscribe"
CONFIRM_VALID_FOR_SECONDS = 7 * 24 * 3600


class Subscriber(models.Model):
    """An address on a region's mailing list from outside the portal, or an opt-out."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="subscribers")
    email = models.EmailField()
    name = models.CharField(max_length=150, blank=True)
    organisation = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["region", "email"]
        constraints = [
            models.UniqueConstraint(
                "region", Lower("email"), name="subscriber_one_per_address_per_region"
            )
        ]

    def __str__(self):
        return f"{self.email} ({self.region})"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


def confirm_token(subscriber: Subscriber) -> str:
    return signing.TimestampSigner(salt=_SUBSCRIBE_SALT).sign(str(subscriber.pk))


def subscriber_pk_from_confirm_token(token: str) -> int | None:
    try:
        value = signing.TimestampSigner(salt=_SUBSCRIBE_SALT).unsign(
            token, max_age=CONFIRM_VALID_FOR_SECONDS
        )
        return int(value)
    except (signing.BadSignature, ValueError):
        return None


def unsubscribe_token(region_id: int, email: str) -> str:
    """Never expires: an unsubscribe link must work in an old email too."""
    return signing.Signer(salt=_UNSUBSCRIBE_SALT).sign_object([region_id, email.lower()])


def unsubscribe_target(token: str) -> tuple[int, str] | None:
    try:
        region_id, email = signing.Signer(salt=_UNSUBSCRIBE_SALT).unsign_object(token)
        return int(region_id), str(email)
    except (signing.BadSignature, ValueError, TypeError):
        return None


class UpdateEmail(OutboxMessage):
    """The email edition of one update to one address (a member or a confirmed subscriber)."""

    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="emails")
    email = models.EmailField()
    is_member = models.BooleanField(default=False)

    class Meta(OutboxMessage.Meta):
        ordering = ["update", "email"]
        constraints = [
            models.UniqueConstraint("update", Lower("email"), name="update_email_once_per_address")
        ]

    def __str__(self):
        return f"{self.update} to {self.email}"

    @classmethod
    def outbox_queryset(cls):
        return cls._default_manager.select_related("update__region").prefetch_related(
            "update__tags"
        )

    def outbox_stale_reason(self, now: datetime) -> str:
        if self.update.status != UpdateStatus.PUBLISHED:
            return "The update was taken back to draft before the email went out."
        if Subscriber.objects.filter(
            region_id=self.update.region_id,
            email__iexact=self.email,
            unsubscribed_at__isnull=False,
        ).exists():
            return "Unsubscribed before the email went out."
        if (
            not self.is_member
            and not Subscriber.objects.filter(
                region_id=self.update.region_id,
                email__iexact=self.email,
                confirmed_at__isnull=False,
            ).exists()
        ):
            return "The address is not confirmed."
        return ""

    def outbox_email(self) -> OutboxEmail:
        region = self.update.region
        site = settings.SITE_URL.rstrip("/")
        unsubscribe_url = site + reverse(
            "regions:unsubscribe",
            kwargs={"slug": region.slug, "token": unsubscribe_token(region.pk, self.email)},
        )
        return OutboxEmail(
            template="regional_update",
            to=[self.email],
            context={
                "update": self.update,
                "region": region,
                "tags": list(self.update.tags.all()),
                "body_text": plain_text(self.update.body_html),
                "unsubscribe_url": unsubscribe_url,
                "update_url": site
                + (
                    self.update.public_url(region.slug)
                    if self.update.is_public
                    else self.update.get_absolute_url()
                ),
            },
            headers={
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )


class OptInEmail(OutboxMessage):
    """The "confirm your subscription" email: at most one per address and day, so the public
    form cannot be used to flood someone's inbox."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="confirmations"
    )
    day = models.DateField()

    class Meta(OutboxMessage.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "day"], name="subscriber_confirmation_once_a_day"
            )
        ]

    def __str__(self):
        return f"Confirmation for {self.subscriber} on {self.day}"

    @classmethod
    def outbox_queryset(cls):
        return cls._default_manager.select_related("subscriber__region")

    def outbox_stale_reason(self, now: datetime) -> str:
        if self.subscriber.confirmed_at is not None:
            return "Confirmed before the email went out."
        if self.subscriber.unsubscribed_at is not None:
            return "Unsubscribed before the email went out."
        return ""

    def outbox_email(self) -> OutboxEmail:
        region = self.subscriber.region
        site = settings.SITE_URL.rstrip("/")
        return OutboxEmail(
            template="update_subscription_confirm",
            to=[self.subscriber.email],
            context={
                "region": region,
                "subscriber": self.subscriber,
                "confirm_url": site
                + reverse(
                    "regions:subscribe_confirm",
                    kwargs={"slug": region.slug, "token": confirm_token(self.subscriber)},
                ),
            },
        )
