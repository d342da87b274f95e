"""What events offers the header's search: events the searcher may open (their region's,
not drafts unless they organise them). Registered in EventsConfig.ready()."""

from django.utils import timezone
from django.utils.dateformat import format as date_format

from regions.scope import user_scope
from sli_portal.search import Hit
from sli_portal.search.kinds import OVERSAMPLE, visible
from sli_portal.search.text import matching

from .models import Event


def _events(user):
    scope = user_scope(user)
    events = Event.objects.all()
    if not scope.is_admin:
        events = events.filter(region_id__in=scope.region_ids | scope.partner_region_ids)
    return events


def find_events(user, query: str, limit: int) -> list[Hit]:
    rows = matching(
        _events(user).select_related("region"),
        query,
        vector="search_vector",
        text=("title", "focus", "description", "venue"),
    )[: limit * OVERSAMPLE]
    return [
        Hit(
            e.title,
            e.get_absolute_url(),
            f"{date_format(timezone.localtime(e.starts_at), 'j M Y')} · {e.region.name}",
        )
        for e in visible(user, rows, "events.view_event", limit)
    ]


def register() -> None:
    from regions.models import Region
    from sli_portal import search

    search.register(
        "Events",
        find_events,
        order=30,
        reads=lambda user: [_events(user), Region.objects.all()],
    )
