"""Extension points on plan pages for apps that depend on regions (e.g. benchmarking).

Regions must not import those apps, so they plug in here from their AppConfig.ready():

    from regions import panels
    panels.register_priority_panel(indicator_trends_panel)

A panel is a function (request, priority) -> str | None returning safe HTML (e.g. from
`render_to_string`), shown on the priority page under "Indicators"; None shows nothing. Panels
should cost a constant number of queries.
"""

from collections.abc import Callable

from django.utils.safestring import mark_safe

_priority_panels: list[Callable] = []


def register_priority_panel(panel: Callable) -> None:
    if panel not in _priority_panels:
        _priority_panels.append(panel)


def priority_panels(request, priority) -> list[str]:
    rendered = (panel(request, priority) for panel in _priority_panels)
    return [mark_safe(html) for html in rendered if html]
