"""How the events views get an object for a user: 404 when they may not see it, 403 when they
see it but may not do what the page does (sli_portal.access.fetch)."""

from django.http import HttpRequest

from sli_portal import access

from ..models import Delegate, Event
from ..selectors.events import events_with_programme, visible_events
from ..selectors.registrations import delegates_for_change

VIEW = "events.view_event"
MANAGE = "events.manage_event"
REGISTER = "events.register_for_la"


def event_for(
    request: HttpRequest, pk: int, *, act: str | None = None, programme: bool = True
) -> Event:
    """The event the user may see (404 otherwise) and may `act` on (403 otherwise); with its
    programme and counts unless ``programme=False`` (three queries fewer for pages that do
    not show them, or read them only for a cached body: `selectors.event_page`)."""
    events = events_with_programme(request.user) if programme else visible_events(request.user)
    return access.fetch(request.user, events, see=VIEW, act=act, pk=pk)


def managed_event(request: HttpRequest, pk: int, *, programme: bool = True) -> Event:
    return event_for(request, pk, act=MANAGE, programme=programme)


def delegate_for(request: HttpRequest, pk: int) -> Delegate:
    """A delegate of an event the user sees (404 otherwise) that they may change (403)."""
    return access.fetch(
        request.user,
        delegates_for_change(),
        see="events.view_delegate",
        act="events.change_delegate",
        pk=pk,
    )
