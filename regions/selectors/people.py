"""Reads for people: memberships, invitations and the dashboard's roles. Each selector returns
only what its user may see."""

from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse

from accounts.models import User
from sli_portal.access import can
from sli_portal.dashboard import Item, Section

from ..models import Invitation, LocalAuthority, Membership, Region, Role, invitation_pk_from_token
from ..scope import user_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    Viewer = User | AnonymousUser
else:
    Viewer = object


def invitation_from_token(token: str) -> Invitation | None:
    """The pending invitation a link stands for, or None if the link is bad, used or expired."""
    pk = invitation_pk_from_token(token)
    if pk is None:
        return None
    invitation = (
        Invitation.objects.select_related("region", "local_authority__region", "invited_by")
        .filter(pk=pk)
        .first()
    )
    return invitation if invitation and invitation.is_pending else None


def la_people(*, user: Viewer, la: LocalAuthority) -> list[Membership] | None:
    """The LA's DCS, performance leads and members; None when the user may not see people."""
    if not can(user, "regions.view_people", la):
        return None
    return list(
        Membership.objects.filter(local_authority=la)
        .select_related("user")
        .order_by("role", "user__full_name")
    )


def region_las_with_leads(*, region: Region, user: Viewer) -> list[LocalAuthority]:
    """The region's LAs; with their DCS and performance leads when the user may see people."""
    las = LocalAuthority.objects.filter(region=region, is_active=True).order_by("name")
    if can(user, "regions.view_people", region):
        las = las.prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(role__in=[Role.DCS, Role.PERFORMANCE_LEAD])
                .select_related("user")
                .order_by("role", "user__full_name"),
                to_attr="leads",
            )
        )
    return list(las)


def region_programme_managers(*, region: Region, user: Viewer) -> list[Membership] | None:
    if not can(user, "regions.view_people", region):
        return None
    return list(
        Membership.objects.filter(region=region, role=Role.PROGRAMME_MANAGER)
        .select_related("user")
        .order_by("user__full_name")
    )


def region_invitations(*, region: Region, user: Viewer) -> list[Invitation] | None:
    """Invitations into the region that nobody has taken up yet (for its programme managers)."""
    if not can(user, "regions.invite_people", region):
        return None
    return list(
        Invitation.objects.filter(
            Q(region=region) | Q(local_authority__region=region),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        )
        .select_related("local_authority", "region")
        .order_by("-created_at")
    )


def region_page_rows(region: Region) -> list[QuerySet]:
    """Every row the region page's body reads (sli_portal.fragments: its stamp), unevaluated:
    the region, its LAs, the memberships in it and their people, and its invitations."""
    in_region = Q(region=region) | Q(local_authority__region=region)
    memberships = Membership.objects.filter(in_region)
    return [
        Region.objects.filter(pk=region.pk),
        LocalAuthority.objects.filter(region=region),
        memberships,
        User.objects.filter(pk__in=memberships.values("user_id")),
        Invitation.objects.filter(in_region),
    ]


def user_memberships(user: User) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user)
        .select_related("region", "local_authority__region")
        .order_by("role")
    )


def dashboard_sections(user: User) -> list[Section]:
    """Your roles; and for programme managers, the gaps in their region's set-up."""
    memberships = user_memberships(user)
    user_sc = user_scope(user)
    roles = Section(
        title="Your roles",
        empty_text="You have no role in a region or local authority yet. Ask your region's "
        "programme manager to invite you.",
    )
    if user_sc.is_admin or user.is_staff:
        # An administrator needs no regional role, and nobody could invite them to one.
        roles.empty_text = (
            "You are an administrator: you look after the portal's reference data (regions, "
            "local authorities, indicators) and people's accounts. You need no role in a region."
        )
        roles.link_url, roles.link_text = reverse("admin:index"), "Go to the admin"
    for membership in memberships:
        scope = membership.scope
        roles.items.append(
            Item(
                text=f"{membership.get_role_display()}, {scope}",
                url=scope.get_absolute_url(),
                detail=membership.get_position_display() if membership.position else "",
            )
        )
    sections = [roles]

    managed = user_sc.managed_region_ids
    if managed:
        gaps = Section(
            title="People to invite",
            empty_text="Every local authority in your region has a DCS and a performance lead.",
        )
        las = (
            LocalAuthority.objects.filter(region_id__in=managed, is_active=True)
            .annotate(
                dcs_count=Count("memberships", filter=Q(memberships__role=Role.DCS)),
                lead_count=Count("memberships", filter=Q(memberships__role=Role.PERFORMANCE_LEAD)),
            )
            .filter(Q(dcs_count=0) | Q(lead_count=0))
            .select_related("region")
            .order_by("name")
        )
        for la in las:
            missing = [
                label
                for count, label in ((la.dcs_count, "DCS"), (la.lead_count, "performance lead"))
                if not count
            ]
            gaps.items.append(
                Item(
                    text=f"{la.name} has no {' or '.join(missing)}",
                    url=reverse("regions:invitation_create", kwargs={"slug": la.region.slug})
                    + f"?local_authority={la.pk}",
                    level="warning",
                    badge="Invite",
                )
            )
        sections.append(gaps)
    return sections


def dashboard_rows(user: User) -> list[QuerySet]:
    """What dashboard_sections reads (sli_portal.dashboard): the user's memberships, the regions
    and LAs, and the memberships of the LAs of the regions they manage."""
    managed = user_scope(user).managed_region_ids
    return [
        Membership.objects.filter(user=user),
        Region.objects.all(),
        LocalAuthority.objects.all(),
        Membership.objects.filter(local_authority__region_id__in=managed),
    ]
