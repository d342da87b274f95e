"""Writes for people: memberships (who holds which role where) and invitations."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from sli_portal import outbox
from sli_portal.access import System, require, user_of

from ..models import (
    INVITATION_VALID_FOR,
    LA_ROLES,
    REGION_ROLES,
    Invitation,
    LocalAuthority,
    Membership,
    Organisation,
    Position,
    Region,
    Role,
)
from ..scope import forget_user_scope

# --- memberships ----------------------------------------------------------------------------


def _check_scope(
    role: str,
    region: Region | None,
    local_authority: LocalAuthority | None,
    organisation: Organisation | None = None,
) -> None:
    if role in REGION_ROLES:
        if region is None or local_authority is not None:
            raise ValidationError(
                {"region": f"A {Role(role).label.lower()} is appointed to a region."}
            )
        if role == Role.PARTNER and organisation is None:
            raise ValidationError({"organisation": "Choose the partner's organisation."})
    elif role in LA_ROLES:
        if local_authority is None:
            raise ValidationError({"local_authority": "Choose the local authority for this role."})
    else:
        raise ValidationError({"role": f"Unknown role {role!r}."})


def _dcs_conflict(local_authority: LocalAuthority, user: User | None = None) -> str | None:
    current = (
        Membership.objects.filter(local_authority=local_authority, role=Role.DCS)
        .exclude(user=user)
        .select_related("user")
        .first()
    )
    if current:
        return (
            f"{current.user.full_name} is already the director of children's services for "
            f"{local_authority.name}. Ask an administrator to end that role first."
        )
    return None


def _check_position(
    actor: User | System, position: str, target: Region | LocalAuthority | None
) -> None:
    """Analyst is a regional grant, not a job title: it needs its own permission."""
    if position == Position.ANALYST:
        if target is None or isinstance(target, Region):
            raise ValidationError(
                {"position": "An analyst is a member of one of the region's LAs."}
            )
        require(actor, "regions.grant_analyst", target)


def _grant(
    *,
    actor: User | System,
    user: User,
    role: str,
    region: Region | None,
    local_authority: LocalAuthority | None,
    position: str,
    organisation: Organisation | None = None,
) -> Membership:
    """Give the role (checked by the caller): a second grant of the same role is a no-op."""
    if role == Role.DCS and local_authority and (problem := _dcs_conflict(local_authority, user)):
        raise ValidationError(problem)
    membership = Membership.objects.filter(
        user=user, role=role, region=region, local_authority=local_authority
    ).first()
    if membership is None:
        membership = Membership(
            user=user,
            role=role,
            region=region,
            local_authority=local_authority,
            position=position,
            organisation=organisation if role == Role.PARTNER else None,
        )
    elif not position or membership.position == position:
        return membership
    membership.position = position
    # The history row names who granted it: the programme manager (or administrator) acting, or
    # who sent the invitation being taken up; none for the portal itself.
    membership._history_user = user_of(actor)  # type: ignore[attr-defined]
    membership.save()
    forget_user_scope(user)
    return membership


@transaction.atomic
def membership_grant(
    *,
    actor: User | System,
    user: User,
    role: str,
    region: Region | None = None,
    local_authority: LocalAuthority | None = None,
    position: str = "",
    organisation: Organisation | None = None,
) -> Membership:
    if role not in REGION_ROLES:
        region = None
    _check_scope(role, region, local_authority, organisation)
    target = region if role in REGION_ROLES else local_authority
    require(actor, "regions.invite_people", target)
    _check_position(actor, position, target)
    return _grant(
        actor=actor,
        user=user,
        role=role,
        region=region,
        local_authority=local_authority,
        position=position,
        organisation=organisation,
    )


@transaction.atomic
def organisation_create(*, actor: User | System, name: str, kind: str) -> Organisation:
    """A partner organisation (any programme manager may add one; shared by every region)."""
    require(actor, "regions.add_organisation")
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"new_organisation": "Enter the organisation's name."})
    existing = Organisation.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing
    organisation = Organisation(name=name, kind=kind)
    organisation._history_user = user_of(actor)  # type: ignore[attr-defined]
    organisation.full_clean()
    organisation.save()
    return organisation


# --- invitations ----------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *,
    actor: User | System,
    email: str,
    full_name: str,
    role: str,
    region: Region | None = None,
    local_authority: LocalAuthority | None = None,
    position: str = "",
    organisation: Organisation | None = None,
) -> Invitation:
    """Invite someone to take up a role; the email with their link goes out after commit."""
    if role not in REGION_ROLES:
        region = None
    _check_scope(role, region, local_authority, organisation)
    target = region if role in REGION_ROLES else local_authority
    require(actor, "regions.invite_people", target)
    _check_position(actor, position, target)
    if not isinstance(actor, User):
        raise ValidationError("An invitation comes from a person, who is its reply-to address.")
    email = User.objects.normalize_email(email).strip().lower()
    existing_user = User.objects.filter(email__iexact=email).first()
    if (
        existing_user
        and Membership.objects.filter(
            user=existing_user, role=role, region=region, local_authority=local_authority
        ).exists()
    ):
        raise ValidationError(
            {"email": f"{email} already has this role for {target}: no invitation is needed."}
        )
    if (
        role == Role.DCS
        and local_authority
        and (problem := _dcs_conflict(local_authority, existing_user))
    ):
        raise ValidationError({"role": problem})
    if Invitation.objects.filter(
        email__iexact=email,
        role=role,
        region=region,
        local_authority=local_authority,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).exists():
        raise ValidationError(
            {"email": f"{email} already has a pending invitation for this role: resend it instead."}
        )
    invitation = Invitation.objects.create(
        email=email,
        full_name=full_name.strip(),
        role=role,
        region=region,
        local_authority=local_authority,
        position=position,
        organisation=organisation if role == Role.PARTNER else None,
        invited_by=actor,
        expires_at=timezone.now() + INVITATION_VALID_FOR,
    )
    outbox.queue_delivery(invitation)
    return invitation


@transaction.atomic
def invitation_resend(*, actor: User | System, invitation: Invitation) -> Invitation:
    """Send a fresh link (valid for another week) for an invitation nobody has accepted."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    require(actor, "regions.invite_people", invitation.scope)
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError("This invitation has already been used or withdrawn.")
    invitation.expires_at = timezone.now() + INVITATION_VALID_FOR
    invitation.save(update_fields=["expires_at"])
    outbox.requeue(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User | System, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    require(actor, "regions.invite_people", invitation.scope)
    if invitation.accepted_at:
        raise ValidationError("This invitation has already been accepted.")
    if not invitation.revoked_at:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def invitation_accept(
    *, actor: User | System, invitation: Invitation, full_name: str = "", password: str = ""
) -> User:
    """Take up the invited role. A signed-in user with the invited email accepts as themselves
    (`actor` is that user); for someone new the portal acts on the link (`actor` is SYSTEM) and
    creates the account with a name and password. Returns the user."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError("This invitation has expired, been withdrawn or already been used.")
    if isinstance(actor, User) and actor.email.lower() != invitation.email.lower():
        raise ValidationError(
            f"This invitation is for {invitation.email}. Sign out, then open the link again."
        )
    require(actor, "regions.accept_invitation", invitation)
    if isinstance(actor, User):
        user = actor
    else:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                f"An account for {invitation.email} already exists: sign in, then open the link again."
            )
        if not full_name.strip():
            raise ValidationError({"full_name": "Enter your full name."})
        user = User(email=invitation.email, full_name=full_name.strip())
        validate_password(password, user)
        user.set_password(password)
        user.save()
    # The programme manager granted the role by inviting: the link carries their permission.
    _grant(
        actor=invitation.invited_by,
        user=user,
        role=invitation.role,
        region=invitation.region,
        local_authority=invitation.local_authority,
        position=invitation.position,
        organisation=invitation.organisation,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user
