"""iCalendar (RFC 5545) files: one per event and a personal feed. UIDs never change, SEQUENCE
rises with each change, and cancelled events (or places) are sent as STATUS:CANCELLED so
calendars remove them rather than keep a stale entry."""

from datetime import UTC, datetime

from django.conf import settings
from icalendar import Calendar
from icalendar import Event as ICalEvent

from .models import EventStatus

PRODID = "-//SLI Portal//Events//EN"


def _uid(event) -> str:
    return f"{event.uid}@sli-portal"


def _vevent(event, *, cancelled: bool = False, now: datetime) -> ICalEvent:
    vevent = ICalEvent()
    vevent.add("uid", _uid(event))
    vevent.add("dtstamp", now)
    vevent.add("dtstart", event.starts_at.astimezone(UTC))
    vevent.add("dtend", event.ends_at.astimezone(UTC))
    vevent.add("summary", event.title)
    vevent.add("sequence", event.sequence + (1 if cancelled and not event.is_cancelled else 0))
    location = ", ".join(part for part in (event.venue, " ".join(event.address.split())) if part)
    if location or event.online_url:
        vevent.add("location", location or event.online_url)
    url = settings.SITE_URL.rstrip("/") + event.get_absolute_url()
    vevent.add("url", url)
    description = "\n\n".join(part for part in (event.focus, event.description, url) if part)
    vevent.add("description", description)
    if cancelled or event.status == EventStatus.CANCELLED:
        vevent.add("status", "CANCELLED")
    elif event.status == EventStatus.POSTPONED:
        vevent.add("status", "TENTATIVE")
    else:
        vevent.add("status", "CONFIRMED")
    return vevent


def calendar_bytes(entries, *, name: str) -> bytes:
    """`entries`: (event, cancelled_for_this_person) pairs."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    now = datetime.now(UTC)
    for event, cancelled in entries:
        calendar.add_component(_vevent(event, cancelled=cancelled, now=now))
    return calendar.to_ical()
