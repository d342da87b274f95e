"""People: who holds which role where (memberships), and invitations to take a role up."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sli_portal.outbox import OutboxEmail, OutboxMessage

from .geography import LocalAuthority, Region


class Role(models.TextChoices):
    PROGRAMME_MANAGER = "programme_manager", "Programme manager"
    DCS = "dcs", "Director of children's services"
    PERFORMANCE_LEAD = "performance_lead", "Performance lead"
    MEMBER = "member", "Member"
    # Someone from outside the LAs (DfE's regional lead, the LGA, an Ofsted HMI, Research in
    # Practice, health, police) working with a region, for their organisation (issue 17).
    PARTNER = "partner", "Partner"


LA_ROLES = (Role.DCS, Role.PERFORMANCE_LEAD, Role.MEMBER)
# Roles held for a whole region rather than one LA.
REGION_ROLES = (Role.PROGRAMME_MANAGER, Role.PARTNER)


class OrganisationKind(models.TextChoices):
    GOVERNMENT = "government", "Government (e.g. DfE, DWP)"
    NATIONAL_BODY = "national_body", "National body (e.g. LGA, ADCS)"
    INSPECTORATE = "inspectorate", "Inspectorate (e.g. Ofsted)"
    HEALTH = "health", "Health"
    POLICE = "police", "Police"
    VOLUNTARY = "voluntary", "Voluntary sector"
    PROVIDER = "provider", "Provider (e.g. Research in Practice)"
    OTHER = "other", "Other"


class Organisation(models.Model):
    """A partner's organisation, shared by every region that works with it."""

    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=15, choices=OrganisationKind.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(models.functions.Lower("name"), name="organisation_name_unique")
        ]

    def __str__(self):
        return self.name


_SCOPE_MATCHES_ROLE = Q(
    role__in=REGION_ROLES, region__isnull=False, local_authority__isnull=True
) | Q(role__in=LA_ROLES, region__isnull=True, local_authority__isnull=False)
_PARTNER_HAS_ORGANISATION = ~Q(role=Role.PARTNER) | Q(organisation__isnull=False)


class Position(models.TextChoices):
    """What a member does in their LA; sign-offs look for chief executives and lead members."""

    ASSISTANT_DIRECTOR = "assistant_director", "Assistant director"
    PRINCIPAL_SOCIAL_WORKER = "principal_social_worker", "Principal social worker"
    LEAD_MEMBER = "lead_member", "Lead member for children's services"
    CHIEF_EXECUTIVE = "chief_executive", "Chief executive"
    # Not only a job title: a regional grant (benchmarking/rules.py) that only the programme
    # manager gives (`regions.grant_analyst`): approve, lock, upload and read the region's returns.
    ANALYST = "analyst", "Analyst (regional: approves and uploads the region's returns)"
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
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Who granted or changed a role, and when: the position "analyst" carries regional rights.
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=_SCOPE_MATCHES_ROLE, name="membership_scope_matches_role_v2"
            ),
            models.CheckConstraint(
                condition=_PARTNER_HAS_ORGANISATION, name="membership_partner_organisation"
            ),
            models.UniqueConstraint(
                fields=["user", "region"],
                condition=Q(role=Role.PARTNER),
                name="membership_one_partner_role_per_region",
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
        return self.region if self.role in REGION_ROLES else self.local_authority


INVITATION_VALID_FOR = timedelta(days=7)
_INVITATION_SALT = "regions.invitation"


def invitation_token(invitation: "Invitation") -> str:
    """The signed, time-limited token in the emailed link (no secret is stored)."""
    return signing.TimestampSigner(salt=_INVITATION_SALT).sign(str(invitation.pk))


def invitation_pk_from_token(token: str) -> int | None:
    """The invitation a link names, or None if the link is tampered with or over a week old."""
    try:
        return int(
            signing.TimestampSigner(salt=_INVITATION_SALT).unsign(
                token, max_age=INVITATION_VALID_FOR
            )
        )
    except (signing.BadSignature, ValueError):
        return None


class Invitation(OutboxMessage):
    """An emailed link that lets a new person set a password and take up a role.

    The email is an outbox row (`sli_portal.outbox`): recorded with the invitation, delivered
    once after commit, re-sent by `outbox.requeue` when the programme manager resends it.
    """

    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.CASCADE)
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.CASCADE
    )
    position = models.CharField(max_length=30, choices=Position.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invitations_sent"
    )
    # The emailed link carries a signed, time-limited token made from the pk (see
    # `invitation_token`), so no secret is stored here.
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

    class Meta(OutboxMessage.Meta):
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=_SCOPE_MATCHES_ROLE, name="invitation_scope_matches_role_v2"
            ),
            models.CheckConstraint(
                condition=_PARTNER_HAS_ORGANISATION, name="invitation_partner_organisation"
            ),
        ]

    def __str__(self):
        return f"Invitation for {self.email} ({self.get_role_display()})"

    @property
    def scope(self):
        return self.region if self.role in REGION_ROLES else self.local_authority

    @property
    def target_region(self):
        return self.region if self.role in REGION_ROLES else self.local_authority.region

    def pending_at(self, now: datetime) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now

    @property
    def is_pending(self):
        return self.pending_at(timezone.now())

    # --- the outbox row ---

    @classmethod
    def outbox_queryset(cls):
        return cls._default_manager.select_related("region", "local_authority", "invited_by")

    def outbox_stale_reason(self, now: datetime) -> str:
        if self.accepted_at is not None:
            return "Accepted before the email went out."
        if self.revoked_at is not None:
            return "Withdrawn before the email went out."
        if self.expires_at <= now:
            return "Expired before the email went out."
        return ""

    def outbox_email(self) -> OutboxEmail:
        return OutboxEmail(
            template="invitation",
            to=[self.email],
            context={
                "invitation": self,
                "accept_path": reverse(
                    "regions:invitation_accept", kwargs={"token": invitation_token(self)}
                ),
            },
            reply_to=[self.invited_by.email],
        )
