"""What an organiser's action would do, counted for its "Are you sure?" page (issue 14). Each
count follows the service that acts, so the page tells the truth about the POST."""

from dataclasses import dataclass

from django.db.models import Count, Q

from regions.models import Membership, Role

from ..models.delegates import Delegate, DelegateStatus, WorkshopChoice
from ..models.events import Event
from ..models.meetings import Invitee
from ..models.places import Allocation, PlaceRequest, PlaceRequestStatus


@dataclass(frozen=True)
class PoolPreview:
    places: int  # unused places that go to the pool
    las: int  # LAs giving places up
    waiting: int  # requests waiting for a pool place
    dcss: int  # DCSs of the region told places are free


def pool_release_preview(*, event: Event) -> PoolPreview:
    """As `services.places.pool_release`: each allocation's places beyond those registered."""
    used = dict(
        Delegate.objects.filter(event=event, status=DelegateStatus.REGISTERED)
        .values("local_authority_id")
        .annotate(n=Count("pk"))
        .values_list("local_authority_id", "n")
    )
    free = [
        places - used.get(la_id, 0)
        for la_id, places in Allocation.objects.filter(event=event).values_list(
            "local_authority_id", "places"
        )
    ]
    return PoolPreview(
        places=sum(n for n in free if n > 0),
        las=sum(1 for n in free if n > 0),
        waiting=PlaceRequest.objects.filter(event=event, status=PlaceRequestStatus.WAITING).count(),
        dcss=Membership.objects.filter(role=Role.DCS, local_authority__region_id=event.region_id)
        .values("user_id")
        .distinct()
        .count(),
    )


def invitable_memberships(*, event: Event, role: str):
    """The region's memberships holding `role` (in the region, or in one of its active LAs):
    whom `services.meetings.meeting_invite` invites, in user order."""
    return (
        Membership.objects.filter(role=role)
        .filter(
            Q(region_id=event.region_id)
            | Q(local_authority__region_id=event.region_id, local_authority__is_active=True)
        )
        .select_related("user")
        .order_by("user_id")
    )


def meeting_invite_preview(*, event: Event, role: str) -> int:
    """How many people `meeting_invite` would invite now: active holders of the role not yet
    invited, each counted once."""
    already = Invitee.objects.filter(event=event).values("user_id")
    return (
        invitable_memberships(event=event, role=role)
        .filter(user__is_active=True)
        .exclude(user_id__in=already)
        .values("user_id")
        .distinct()
        .count()
    )


@dataclass(frozen=True)
class WorkshopPreview:
    delegates: int  # registered delegates who ranked workshops
    workshops: int


def workshop_allocate_preview(*, event: Event) -> WorkshopPreview:
    return WorkshopPreview(
        delegates=WorkshopChoice.objects.filter(
            delegate__event=event, delegate__status=DelegateStatus.REGISTERED
        )
        .values("delegate_id")
        .distinct()
        .count(),
        workshops=event.sessions.filter(is_workshop=True).count(),
    )
