"""Extension points for regional updates, for the apps that depend on regions.

Regions must not import events, peer challenge or benchmarking, so they plug in here from their
AppConfig.ready() (as `regions.panels` does for priority pages):

    from regions import composing
    composing.register_section_provider(summit_sections, order=20)
    composing.register_featured_event_provider(next_summit)
    composing.register_public_events_provider(public_events, stamp=public_events_stamp)

- A section provider is `(window: Window) -> list[DraftSection]`: what changed in the region
  between `window.since` and `window.until`, as Markdown with a link back to its source. It reads
  through its own app's selectors, in a constant number of queries.
- The featured-event provider is `(region, after) -> FeaturedEvent | None`.
- The public-events provider is `(region) -> list[PublicEvent]` (only what the app marked
  public: no people), with `stamp(region) -> str` that changes whenever that list would, so the
  region's cached public pages never show a stale event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Window:
    region: Any  # regions.models.Region
    since: datetime | None
    until: datetime


@dataclass(frozen=True)
class DraftSection:
    title: str
    markdown: str
    source_url: str = ""
    source_label: str = ""
    order: int = 50


@dataclass(frozen=True)
class FeaturedEvent:
    title: str
    starts_at: str  # ISO 8601, UTC
    venue: str = ""
    places: str = ""  # e.g. "4 places per LA; 23 of 64 left"
    url: str = ""  # the event's page in the portal
    public_url: str = ""  # its public entry, when marked public

    def as_json(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class PublicEvent:
    title: str
    starts_at: datetime
    ends_at: datetime
    kind: str
    venue: str = ""
    audience: str = ""  # who it is for
    how_to_book: str = ""  # how to get a place
    description: str = ""
    is_featured: bool = False
    extra: dict[str, str] = field(default_factory=dict)


_section_providers: list[tuple[int, Callable[[Window], list[DraftSection]]]] = []
_featured_providers: list[Callable[[Any, datetime], FeaturedEvent | None]] = []
_public_events: list[tuple[Callable[[Any], list[PublicEvent]], Callable[[Any], str]]] = []


def register_section_provider(provider: Callable, order: int = 50) -> None:
    if all(existing is not provider for _, existing in _section_providers):
        _section_providers.append((order, provider))
        _section_providers.sort(key=lambda pair: pair[0])


def register_featured_event_provider(provider: Callable) -> None:
    if provider not in _featured_providers:
        _featured_providers.append(provider)


def register_public_events_provider(provider: Callable, *, stamp: Callable) -> None:
    if all(existing is not provider for existing, _ in _public_events):
        _public_events.append((provider, stamp))


def draft_sections(window: Window) -> list[DraftSection]:
    sections: list[DraftSection] = []
    for _, provider in _section_providers:
        sections.extend(provider(window))
    return sorted(sections, key=lambda s: s.order)


def featured_event(region: Any, after: datetime) -> FeaturedEvent | None:
    for provider in _featured_providers:
        found = provider(region, after)
        if found is not None:
            return found
    return None


def public_events(region: Any) -> list[PublicEvent]:
    events: list[PublicEvent] = []
    for provider, _ in _public_events:
        events.extend(provider(region))
    return sorted(events, key=lambda e: e.starts_at)


def public_events_stamp(region: Any) -> str:
    return "|".join(stamp(region) for _, stamp in _public_events)
