"""The home dashboard shows each user what needs them; each app contributes sections.

An app registers a provider in its AppConfig.ready(): a function (user) -> list[Section].
Providers must keep their query count independent of the amount of data.

`rows(user)` names, as unevaluated querysets, every row the provider reads for this user: the
dashboard's body is cached under their stamp and the viewer (sli_portal.fragments), so a
provider without rows, or reading a table its rows do not cover, leaves the dashboard uncached
(logged as an error), never stale.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Item:
    text: str
    url: str = ""
    detail: str = ""
    # "danger" / "warning" / "info" / "" : how urgent, shown as a text badge, never colour alone
    level: str = ""
    badge: str = ""


@dataclass
class Section:
    title: str
    items: list[Item] = field(default_factory=list)
    empty_text: str = "Nothing needs you here."
    link_url: str = ""
    link_text: str = ""


_providers: list[tuple[int, Callable]] = []
_rows: list[Callable] = []


def register(provider: Callable, order: int = 50, *, rows: Callable | None = None) -> None:
    if all(existing is not provider for _, existing in _providers):
        _providers.append((order, provider))
        _providers.sort(key=lambda pair: pair[0])
        if rows is not None:
            _rows.append(rows)


def rows_for(user) -> list:
    """The rows every provider reads for this user (querysets, unevaluated)."""
    return [queryset for rows in _rows for queryset in rows(user)]


def sections_for(user) -> list[Section]:
    sections: list[Section] = []
    for _, provider in _providers:
        sections.extend(provider(user))
    return sections
