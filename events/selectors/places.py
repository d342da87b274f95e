"""The regional pool: requests for one more place."""

from collections.abc import Collection

from ..models.events import Event
from ..models.places import PlaceRequest, PlaceRequestStatus


def waiting_requests(*, event: Event, la_ids: Collection[int]) -> dict[int, PlaceRequest]:
    """The LAs' waiting requests for a pool place, by LA id."""
    if not la_ids:
        return {}
    return {
        r.local_authority_id: r
        for r in PlaceRequest.objects.filter(
            event=event, local_authority_id__in=la_ids, status=PlaceRequestStatus.WAITING
        )
    }


def pool_requests(*, event: Event) -> list[PlaceRequest]:
    return list(
        PlaceRequest.objects.filter(event=event)
        .select_related("local_authority")
        .order_by("status", "requested_at", "pk")
    )
