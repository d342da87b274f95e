"""Extension points on plan pages for apps that depend on regions (e.g. benchmarking).

Regions must not import those apps, so they plug in here from their AppConfig.ready():

    from regions import panels
    panels.register_priority_panel(indicator_trends_panel)

A panel is a function (request, priority) -> str | None returning safe HTML (e.g. from
`render_to_string`), shown on the priority page under "Indicators"; None shows nothing. Panels
should cost a constant number of queries.
"""

from collections.abc import Callable
from typing import Any

from django.utils.safestring import mark_safe

_priority_panels: list[Callable] = []


def register_priority_panel(panel: Callable) -> None:
    if panel not in _priority_panels:
        _priority_panels.append(panel)


def priority_panels(request, priority) -> list[str]:
    rendered = (panel(request, priority) for panel in _priority_panels)
    return [mark_safe(html) for html in rendered if html]


# The LA page as a hub (issue 17): every app adds what it knows about an LA (returns, self-
# assessments, triads, places at events) as a panel: a function (request, la) -> str | None of
# safe HTML, shown only to those its app's rules allow (None shows nothing). Ordered by `order`;
# each should cost a constant number of queries.
#
# `rows(la)` names, as unevaluated querysets, every row the panel reads (permission checks
# included): the LA page's body is cached under their stamp (sli_portal.fragments), so a panel
# that reads a table its rows do not cover makes the page uncached (logged), never stale.
_la_panels: list[tuple[int, Callable[[Any, Any], str | None]]] = []
_la_panel_rows: list[Callable[[Any], list]] = []


def register_la_panel(
    panel: Callable[[Any, Any], str | None],
    order: int = 50,
    *,
    rows: Callable[[Any], list] | None = None,
) -> None:
    if all(existing is not panel for _, existing in _la_panels):
        _la_panels.append((order, panel))
        _la_panels.sort(key=lambda pair: pair[0])
        if rows is not None:
            _la_panel_rows.append(rows)


def la_panel_rows(la) -> list:
    """The rows every panel reads for this LA (querysets, unevaluated)."""
    return [queryset for rows in _la_panel_rows for queryset in rows(la)]


def la_panels(request, la) -> list[str]:
    rendered = (panel(request, la) for _, panel in _la_panels)
    return [mark_safe(html) for html in rendered if html]
