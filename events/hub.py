"""Events' panel on the LA page (the hub): the LA's places at upcoming events of its region
(allocated, taken), for those who may see each event. Registered in EventsConfig.ready()."""

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from sli_portal.access import can

from .models import Allocation, Delegate, DelegateStatus, Event, EventStatus

UPCOMING = 10


def places_panel(request, la) -> str | None:
    events = list(
        Event.objects.filter(
            region_id=la.region_id, status=EventStatus.PUBLISHED, starts_at__gte=timezone.now()
        )
        .annotate(
            taken=Count(
                "delegates",
                filter=Q(
                    delegates__local_authority=la, delegates__status=DelegateStatus.REGISTERED
                ),
            )
        )
        .order_by("starts_at", "pk")[:UPCOMING]
    )
    events = [e for e in events if can(request.user, "events.view_event", e)]
    if not events:
        return None
    places = dict(
        Allocation.objects.filter(event__in=events, local_authority=la).values_list(
            "event_id", "places"
        )
    )
    rows = [(e, places.get(e.pk, e.places_per_la), e.taken) for e in events]
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
