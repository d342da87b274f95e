"""Events' panel on the LA page (the hub): the LA's places at upcoming events of its region
(allocated, taken; counted by `selectors.counts`), for those who may see each event.
Registered in EventsConfig.ready()."""

from django.template.loader import render_to_string
from django.utils import timezone

from sli_portal.access import can

from .models import Allocation, Delegate, Event, EventStatus
from .selectors.counts import la_counts_of, with_la_place_counts

UPCOMING = 10


def places_panel(request, la) -> str | None:
    events = list(
        with_la_place_counts(
            Event.objects.filter(
                region_id=la.region_id, status=EventStatus.PUBLISHED, starts_at__gte=timezone.now()
            ),
            la.pk,
        ).order_by("starts_at", "pk")[:UPCOMING]
    )
    events = [e for e in events if can(request.user, "events.view_event", e)]
    if not events:
        return None
    # The LA's places and delegates as the event page and the registrations page count them.
    rows = [(e, counts.la_places, counts.la_taken) for e in events for counts in [la_counts_of(e)]]
    return render_to_string(
        "events/_la_places_panel.html", {"la": la, "rows": rows}, request=request
    )


def places_panel_rows(la) -> list:
    """What places_panel reads (sli_portal.fragments): the region's events, the LA's delegates
    and its places."""
    return [
        Event.objects.filter(region_id=la.region_id),
        Delegate.objects.filter(local_authority=la),  # the panel counts the LA's only
        Allocation.objects.filter(local_authority=la),
    ]
