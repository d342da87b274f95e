"""Events' part of a region's regional update and public pages (registered in apps.py with
`regions.composing`): the next summit as the featured event with places left per LA, events
held in the window with their attendance, and the events the organisers marked public."""

from collections import Counter

from django.db.models import Count, Max, Q
from django.utils import timezone

from regions.composing import DraftSection, FeaturedEvent, PublicEvent, Window
from regions.models import LocalAuthority
from sli_portal.reversing import cached_reverse

from ..models import Allocation, Delegate, DelegateStatus, Event, EventKind, EventStatus

LIVE = (EventStatus.PUBLISHED, EventStatus.POSTPONED)
FEATURED_KINDS = (EventKind.SUMMIT, EventKind.CONFERENCE)


def _next_featured(region, after) -> Event | None:
    return (
        Event.objects.filter(
            region=region,
            kind__in=FEATURED_KINDS,
            status=EventStatus.PUBLISHED,
            starts_at__gt=after,
        )
        .order_by("starts_at", "pk")
        .first()
    )


def _places(event: Event) -> tuple[int, int, list[tuple[str, int]]]:
    """(places in all, places left in all, [(LA name, places left)] for the region's LAs)."""
    overrides = dict(
        Allocation.objects.filter(event=event).values_list("local_authority_id", "places")
    )
    used = Counter(
        Delegate.objects.filter(event=event, status=DelegateStatus.REGISTERED).values_list(
            "local_authority_id", flat=True
        )
    )
    rows = []
    for la_id, name in LocalAuthority.objects.filter(
        region_id=event.region_id, is_active=True
    ).values_list("pk", "name"):
        places = overrides.get(la_id, event.places_per_la)
        rows.append((name, places, max(places - used.get(la_id, 0), 0)))
    return sum(r[1] for r in rows), sum(r[2] for r in rows), [(r[0], r[2]) for r in rows]


def _when(event: Event) -> str:
    return f"{timezone.localtime(event.starts_at):%A %-d %B %Y, %H:%M}"


def featured_event(region, after) -> FeaturedEvent | None:
    event = _next_featured(region, after)
    if event is None:
        return None
    total, left, _ = _places(event)
    return FeaturedEvent(
        title=event.title,
        starts_at=event.starts_at.isoformat(),
        venue=event.venue,
        places=f"{event.places_per_la} delegate places per LA; {left} of {total} places left.",
        url=event.get_absolute_url(),
        public_url=cached_reverse("regions:public_region", slug=region.slug)
        if event.is_public
        else "",
    )


def _summit_section(window: Window) -> list[DraftSection]:
    event = _next_featured(window.region, window.until)
    if event is None:
        return []
    total, left, per_la = _places(event)
    lines = [
        f"The next {event.get_kind_display().lower()}, **{_escape(event.title)}**, is on "
        f"{_when(event)}" + (f" at {_escape(event.venue)}." if event.venue else "."),
    ]
    if event.focus:
        lines.append(f"\nIts focus: {_escape(event.focus)}.")
    lines.append(
        f"\nEach LA has {event.places_per_la} delegate places: {left} of {total} are left."
    )
    full = [name for name, places_left in per_la if places_left == 0]
    open_las = [f"{_escape(name)} ({n})" for name, n in per_la if n]
    if open_las:
        lines.append(f"\n- Places left: {', '.join(open_las)}")
    if full:
        lines.append(f"- Every place taken: {', '.join(_escape(n) for n in full)}")
    return [
        DraftSection(
            title=f"{event.title}, {timezone.localtime(event.starts_at):%-d %B %Y}",
            markdown="\n".join(lines),
            source_url=event.get_absolute_url(),
            source_label="the event page",
            order=20,
        )
    ]


def _held_section(window: Window) -> list[DraftSection]:
    held = Event.objects.filter(
        region=window.region, status=EventStatus.PUBLISHED, ends_at__lte=window.until
    )
    if window.since is not None:
        held = held.filter(ends_at__gt=window.since)
    held = held.annotate(
        registered=Count("delegates", filter=Q(delegates__status=DelegateStatus.REGISTERED)),
        attended=Count(
            "delegates",
            filter=Q(
                delegates__status=DelegateStatus.REGISTERED, delegates__checked_in_at__isnull=False
            ),
        ),
    ).order_by("starts_at")[:20]
    lines = [
        f"- [{_escape(e.title)}]({e.get_absolute_url()}), "
        f"{timezone.localtime(e.starts_at):%-d %B %Y}: {e.attended} of {e.registered} "
        f"delegates attended"
        for e in held
    ]
    if not lines:
        return []
    return [
        DraftSection(
            title="Events held",
            markdown="\n".join(lines),
            source_url=cached_reverse("events:event_list"),
            source_label="the region's events",
            order=25,
        )
    ]


def update_sections(window: Window) -> list[DraftSection]:
    return _summit_section(window) + _held_section(window)


def _escape(text: str) -> str:
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


def _public(region):
    return Event.objects.filter(
        region=region, is_public=True, status__in=LIVE, ends_at__gte=timezone.now()
    )


def public_events(region) -> list[PublicEvent]:
    """The region's upcoming events marked public: no delegates, no people."""
    events = list(_public(region).order_by("starts_at", "pk")[:10])
    featured = next((e.pk for e in events if e.kind in FEATURED_KINDS), None)
    return [
        PublicEvent(
            title=e.title + (" (postponed)" if e.status == EventStatus.POSTPONED else ""),
            starts_at=e.starts_at,
            ends_at=e.ends_at,
            kind=e.get_kind_display(),
            venue=e.venue,
            audience=e.audience,
            how_to_book=e.how_to_book,
            description=e.focus,
            is_featured=e.pk == featured,
        )
        for e in events
    ]


def public_events_stamp(region) -> str:
    """Changes whenever `public_events` would: an edit, a new one, one ending."""
    found = _public(region).aggregate(changed=Max("updated_at"), n=Count("pk"))
    return f"{found['n']}:{found['changed'].isoformat() if found['changed'] else ''}"
