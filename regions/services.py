"""Writes for regions: reference data, memberships and invitations."""

import csv
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from sli_portal.queueing import enqueue_on_commit

from .models import (
    LA_ROLES,
    Closeness,
    Invitation,
    LocalAuthority,
    Membership,
    Region,
    Role,
    StatisticalNeighbour,
)
from .scope import forget_user_scope

DATA_DIR = Path(__file__).resolve().parent / "data"
LA_FILE = DATA_DIR / "english_las_childrens_services.csv"
NEIGHBOUR_FILE = DATA_DIR / "statistical_neighbours_2025_long.csv"
NEIGHBOUR_MODEL_YEAR = 2025

INVITATION_VALID_FOR = timedelta(days=7)
_INVITATION_SALT = "regions.invitation"

User = get_user_model()


# --- reference data -------------------------------------------------------------------------


@dataclass
class ReferenceDataReport:
    regions_created: int = 0
    regions_updated: int = 0
    las_created: int = 0
    las_updated: int = 0
    las_deactivated: int = 0
    neighbour_lists_changed: int = 0
    neighbour_links: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(
            (
                self.regions_created,
                self.regions_updated,
                self.las_created,
                self.las_updated,
                self.las_deactivated,
                self.neighbour_lists_changed,
            )
        )

    def lines(self) -> list[str]:
        return [
            f"Regions: {self.regions_created} created, {self.regions_updated} updated.",
            f"Local authorities: {self.las_created} created, {self.las_updated} updated, "
            f"{self.las_deactivated} no longer in the list (marked inactive).",
            f"Statistical neighbours ({NEIGHBOUR_MODEL_YEAR} model): "
            f"{self.neighbour_lists_changed} LAs' lists changed; {self.neighbour_links} links in all.",
            *self.problems,
        ]


_CLOSENESS_BY_LABEL = {label.lower(): value for value, label in Closeness.choices}


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return [
            {key: (value or "").strip() for key, value in row.items()}
            for row in csv.DictReader(handle)
        ]


def _unique_slug(name: str, taken: set[str]) -> str:
    base = slugify(name) or "la"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


@transaction.atomic
def reference_data_load(
    *, la_file: Path = LA_FILE, neighbour_file: Path = NEIGHBOUR_FILE
) -> ReferenceDataReport:
    """Bring regions, LAs and statistical neighbours in line with the shipped files.

    Idempotent: only differences are written, so a second run reports no changes. LAs are
    matched on their DfE number, so a reorganised LA keeps its memberships and other data when
    its GSS code or name changes; LAs missing from the file are marked inactive, never deleted.
    """
    report = ReferenceDataReport()
    la_rows = _read_csv(la_file)
    neighbour_rows = _read_csv(neighbour_file)

    regions_by_code = {region.code: region for region in Region.objects.all()}
    for code, name in sorted({(row["region_code"], row["region_name"]) for row in la_rows}):
        region = regions_by_code.get(code)
        if region is None:
            regions_by_code[code] = Region.objects.create(code=code, name=name, slug=slugify(name))
            report.regions_created += 1
        elif region.name != name:
            region.name = name
            region.save(update_fields=["name"])
            report.regions_updated += 1

    existing = {la.dfe_code: la for la in LocalAuthority.objects.all()}
    taken_slugs = {la.slug for la in existing.values()}
    wanted_codes = {row["old_la_code"] for row in la_rows}

    # A GSS code may move between LAs across a reorganisation: park changing codes first so
    # that the unique constraint never sees two LAs holding one code mid-update.
    gss_changes = [
        existing[row["old_la_code"]]
        for row in la_rows
        if row["old_la_code"] in existing
        and existing[row["old_la_code"]].gss_code != row["gss_code"]
    ]
    for la in gss_changes:
        la.gss_code = f"~{la.dfe_code}"
        la.save(update_fields=["gss_code"])

    for row in la_rows:
        values = {
            "gss_code": row["gss_code"],
            "name": row["la_name"],
            "la_type": row["lait_la_type"],
            "region_id": regions_by_code[row["region_code"]].pk,
            "is_active": True,
        }
        la = existing.get(row["old_la_code"])
        if la is None:
            la = LocalAuthority.objects.create(
                dfe_code=row["old_la_code"],
                slug=_unique_slug(row["la_name"], taken_slugs),
                **values,
            )
            existing[la.dfe_code] = la
            report.las_created += 1
            continue
        # A parked GSS code (above) differs from the file's, so it is among the changes.
        changed = [name for name, value in values.items() if getattr(la, name) != value]
        if changed:
            for name in changed:
                setattr(la, name, values[name])
            la.save(update_fields=changed)
            report.las_updated += 1

    for dfe_code, la in existing.items():
        if dfe_code not in wanted_codes and la.is_active:
            la.is_active = False
            la.save(update_fields=["is_active"])
            report.las_deactivated += 1

    by_gss = {la.gss_code: la for la in existing.values() if la.dfe_code in wanted_codes}
    wanted_links: dict[int, list[tuple[int, int, str]]] = {}
    for row in neighbour_rows:
        la = by_gss.get(row["la_gss_code"])
        neighbour = by_gss.get(row["neighbour_gss_code"])
        closeness = _CLOSENESS_BY_LABEL.get(row["closeness"].lower())
        if la is None or neighbour is None or closeness is None:
            report.problems.append(
                f"Skipped neighbour row {row['la_gss_code']} #{row['rank']}: unknown LA or closeness."
            )
            continue
        wanted_links.setdefault(la.pk, []).append((int(row["rank"]), neighbour.pk, closeness))

    current_links: dict[int, list[tuple[int, int, str]]] = {}
    for la_id, rank, neighbour_id, closeness in StatisticalNeighbour.objects.filter(
        model_year=NEIGHBOUR_MODEL_YEAR
    ).values_list("local_authority_id", "rank", "neighbour_id", "closeness"):
        current_links.setdefault(la_id, []).append((rank, neighbour_id, closeness))

    for la_id in set(wanted_links) | set(current_links):
        wanted = sorted(wanted_links.get(la_id, []))
        if wanted == sorted(current_links.get(la_id, [])):
            continue
        StatisticalNeighbour.objects.filter(
            local_authority_id=la_id, model_year=NEIGHBOUR_MODEL_YEAR
        ).delete()
        StatisticalNeighbour.objects.bulk_create(
            StatisticalNeighbour(
                local_authority_id=la_id,
                neighbour_id=neighbour_id,
                rank=rank,
                closeness=closeness,
                model_year=NEIGHBOUR_MODEL_YEAR,
            )
            for rank, neighbour_id, closeness in wanted
        )
        report.neighbour_lists_changed += 1
    report.neighbour_links = StatisticalNeighbour.objects.filter(
        model_year=NEIGHBOUR_MODEL_YEAR
    ).count()
    return report


# --- memberships ----------------------------------------------------------------------------


def _check_scope(role: str, region: Region | None, local_authority: LocalAuthority | None):
    if role == Role.PROGRAMME_MANAGER:
        if region is None or local_authority is not None:
            raise ValidationError({"region": "A programme manager is appointed to a region."})
    elif role in LA_ROLES:
        if local_authority is None:
            raise ValidationError({"local_authority": "Choose the local authority for this role."})
    else:
        raise ValidationError({"role": f"Unknown role {role!r}."})


def _dcs_conflict(local_authority: LocalAuthority, user=None) -> str | None:
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


@transaction.atomic
def membership_grant(
    *,
    actor,
    user,
    role: str,
    region: Region | None = None,
    local_authority: LocalAuthority | None = None,
    position: str = "",
) -> Membership:
    if role != Role.PROGRAMME_MANAGER:
        region = None
    _check_scope(role, region, local_authority)
    target = region if role == Role.PROGRAMME_MANAGER else local_authority
    if actor is not None and not actor.has_perm("regions.invite_people", target):
        raise PermissionDenied
    if role == Role.DCS and (problem := _dcs_conflict(local_authority, user)):
        raise ValidationError(problem)
    membership, created = Membership.objects.get_or_create(
        user=user,
        role=role,
        region=region,
        local_authority=local_authority,
        defaults={"position": position},
    )
    if not created and position and membership.position != position:
        membership.position = position
        membership.save(update_fields=["position"])
    forget_user_scope(user)
    return membership


# --- invitations ----------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    return signing.TimestampSigner(salt=_INVITATION_SALT).sign(str(invitation.pk))


def invitation_from_token(token: str) -> Invitation | None:
    """The pending invitation a link stands for, or None if the link is bad, used or expired."""
    try:
        pk = signing.TimestampSigner(salt=_INVITATION_SALT).unsign(
            token, max_age=INVITATION_VALID_FOR
        )
    except signing.BadSignature:
        return None
    invitation = (
        Invitation.objects.select_related("region", "local_authority__region", "invited_by")
        .filter(pk=pk)
        .first()
    )
    return invitation if invitation and invitation.is_pending else None


@transaction.atomic
def invitation_create(
    *,
    actor,
    email: str,
    full_name: str,
    role: str,
    region: Region | None = None,
    local_authority: LocalAuthority | None = None,
    position: str = "",
) -> Invitation:
    if role != Role.PROGRAMME_MANAGER:
        region = None
    _check_scope(role, region, local_authority)
    target = region if role == Role.PROGRAMME_MANAGER else local_authority
    if not actor.has_perm("regions.invite_people", target):
        raise PermissionDenied
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
    if role == Role.DCS and (problem := _dcs_conflict(local_authority, existing_user)):
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
        invited_by=actor,
        expires_at=timezone.now() + INVITATION_VALID_FOR,
    )
    from .tasks import send_invitation_email

    enqueue_on_commit(send_invitation_email, invitation.pk)
    return invitation


@transaction.atomic
def invitation_resend(*, actor, invitation: Invitation) -> Invitation:
    """Send a fresh link (valid for another week) for an invitation nobody has accepted."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not actor.has_perm("regions.invite_people", invitation.scope):
        raise PermissionDenied
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError("This invitation has already been used or withdrawn.")
    invitation.expires_at = timezone.now() + INVITATION_VALID_FOR
    invitation.sent_at = None
    invitation.save(update_fields=["expires_at", "sent_at"])
    from .tasks import send_invitation_email

    enqueue_on_commit(send_invitation_email, invitation.pk)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not actor.has_perm("regions.invite_people", invitation.scope):
        raise PermissionDenied
    if invitation.accepted_at:
        raise ValidationError("This invitation has already been accepted.")
    if not invitation.revoked_at:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_send_email(*, invitation_id: int) -> bool:
    """Email the link once; True if this call sent it. Safe to run twice or concurrently."""
    from sli_portal.emails import send_email

    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("region", "local_authority", "invited_by")
            .filter(pk=invitation_id, sent_at__isnull=True, accepted_at__isnull=True)
            .first()
        )
        if invitation is None or not invitation.is_pending:
            return False
        from django.urls import reverse

        send_email(
            "invitation",
            [invitation.email],
            {
                "invitation": invitation,
                "accept_path": reverse(
                    "regions:invitation_accept", kwargs={"token": invitation_token(invitation)}
                ),
            },
            reply_to=[invitation.invited_by.email],
        )
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
    return True


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user=None, full_name: str = "", password: str = ""
) -> object:
    """Take up the invited role. A signed-in user with the invited email accepts as themselves;
    anyone else creates the account with a name and password. Returns the user."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError("This invitation has expired, been withdrawn or already been used.")
    if user is not None and user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            raise ValidationError(
                f"This invitation is for {invitation.email}. Sign out, then open the link again."
            )
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
    membership_grant(
        actor=None,
        user=user,
        role=invitation.role,
        region=invitation.region,
        local_authority=invitation.local_authority,
        position=invitation.position,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user
