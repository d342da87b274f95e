from django.conf import settings
from django.db import models
from django.db.models import F, Q

from sli_portal.reversing import cached_reverse


class Region(models.Model):
    """One of England's nine regions (ONS E12 codes), each running its own SLI programme."""

    code = models.CharField("ONS code", max_length=9, unique=True)
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("regions:region_detail", slug=self.slug)


class LAType(models.TextChoices):
    # DfE/LAIT's types; London boroughs are split inner/outer as DfE reports them.
    SHIRE_COUNTY = "SC", "Shire county"
    UNITARY = "UA", "Unitary authority"
    METROPOLITAN = "MD", "Metropolitan district"
    INNER_LONDON = "ILB", "Inner London borough"
    OUTER_LONDON = "OLB", "Outer London borough"


class LocalAuthority(models.Model):
    """A local authority with children's services responsibilities (153 in England in 2025)."""

    # The DfE 3-digit number survives reorganisations that change the GSS code (Somerset
    # E10000027 -> E06000066), so it is the key the reference data loader matches on.
    dfe_code = models.CharField("DfE LA number", max_length=3, unique=True)
    gss_code = models.CharField("GSS code", max_length=9, unique=True)
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    la_type = models.CharField("type", max_length=3, choices=LAType.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="local_authorities")
    is_active = models.BooleanField(
        default=True, help_text="False once the LA no longer exists (e.g. after reorganisation)."
    )

    class Meta:
        verbose_name = "local authority"
        verbose_name_plural = "local authorities"
        ordering = ["name"]
        indexes = [models.Index(fields=["region", "name"], name="la_region_name_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("regions:la_detail", slug=self.slug)


class Closeness(models.TextChoices):
    EXTREMELY_CLOSE = "extremely_close", "Extremely close"
    VERY_CLOSE = "very_close", "Very close"
    CLOSE = "close", "Close"
    SOMEWHAT_CLOSE = "somewhat_close", "Somewhat close"
    NOT_CLOSE = "not_close", "Not close"


class StatisticalNeighbour(models.Model):
    """One of an LA's ten most similar LAs in a DfE statistical-neighbour model, ranked."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="neighbour_links"
    )
    neighbour = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="neighbour_of_links"
    )
    model_year = models.PositiveSmallIntegerField(default=2025)
    rank = models.PositiveSmallIntegerField()
    closeness = models.CharField(max_length=20, choices=Closeness.choices)

    class Meta:
        ordering = ["local_authority", "model_year", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "model_year", "rank"], name="neighbour_rank_unique"
            ),
            models.UniqueConstraint(
                fields=["local_authority", "model_year", "neighbour"], name="neighbour_once"
            ),
            models.CheckConstraint(
                condition=~Q(local_authority=F("neighbour")), name="neighbour_not_self"
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1, rank__lte=10), name="neighbour_rank_1_to_10"
            ),
        ]

    def __str__(self):
        return f"{self.local_authority} #{self.rank}: {self.neighbour}"


class Role(models.TextChoices):
    PROGRAMME_MANAGER = "programme_manager", "Programme manager"
    DCS = "dcs", "Director of children's services"
    PERFORMANCE_LEAD = "performance_lead", "Performance lead"
    MEMBER = "member", "Member"


LA_ROLES = (Role.DCS, Role.PERFORMANCE_LEAD, Role.MEMBER)


class Position(models.TextChoices):
    """What a member does in their LA; sign-offs look for chief executives and lead members."""

    ASSISTANT_DIRECTOR = "assistant_director", "Assistant director"
    PRINCIPAL_SOCIAL_WORKER = "principal_social_worker", "Principal social worker"
    LEAD_MEMBER = "lead_member", "Lead member for children's services"
    CHIEF_EXECUTIVE = "chief_executive", "Chief executive"
    ANALYST = "analyst", "Analyst"
    OTHER = "other", "Other"


class Membership(models.Model):
    """A user's role: programme manager of a region, or DCS / performance lead / member of an LA."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    position = models.CharField(max_length=30, choices=Position.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        role=Role.PROGRAMME_MANAGER,
                        region__isnull=False,
                        local_authority__isnull=True,
                    )
                    | (Q(role__in=LA_ROLES, region__isnull=True, local_authority__isnull=False))
                ),
                name="membership_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "region"],
                condition=Q(role=Role.PROGRAMME_MANAGER),
                name="membership_one_pm_role_per_region",
            ),
            models.UniqueConstraint(
                fields=["user", "local_authority", "role"],
                condition=Q(local_authority__isnull=False),
                name="membership_one_role_per_la",
            ),
            # An LA has one director of children's services at a time.
            models.UniqueConstraint(
                fields=["local_authority"],
                condition=Q(role=Role.DCS),
                name="membership_one_dcs_per_la",
            ),
        ]
        indexes = [models.Index(fields=["local_authority", "role"], name="membership_la_role_idx")]

    def __str__(self):
        return f"{self.user} - {self.get_role_display()} of {self.scope}"

    @property
    def scope(self):
        return self.region if self.role == Role.PROGRAMME_MANAGER else self.local_authority


class Invitation(models.Model):
    """An emailed link that lets a new person set a password and take up a role."""

    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.CASCADE)
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.CASCADE
    )
    position = models.CharField(max_length=30, choices=Position.choices, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invitations_sent"
    )
    # The emailed link carries a signed, time-limited token made from the pk (see services), so
    # no secret is stored here; `sent_at` makes the email task idempotent.
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations_accepted",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        role=Role.PROGRAMME_MANAGER,
                        region__isnull=False,
                        local_authority__isnull=True,
                    )
                    | Q(role__in=LA_ROLES, region__isnull=True, local_authority__isnull=False)
                ),
                name="invitation_scope_matches_role",
            ),
        ]

    def __str__(self):
        return f"Invitation for {self.email} ({self.get_role_display()})"

    @property
    def scope(self):
        return self.region if self.role == Role.PROGRAMME_MANAGER else self.local_authority

    @property
    def target_region(self):
        return self.region if self.role == Role.PROGRAMME_MANAGER else self.local_authority.region

    @property
    def is_pending(self):
        from django.utils import timezone

        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


# Regional improvement plans live in their own module; importing them here registers them.
from .plan_models import *  # noqa: E402, F403
