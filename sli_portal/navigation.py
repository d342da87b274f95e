"""Apps add main-navigation entries here (AppConfig.ready): provider(user, scope) -> [(label, url)]."""

from collections.abc import Callable

_providers: list[tuple[int, Callable]] = []


def register(provider: Callable, order: int = 50) -> None:
    if all(existing is not provider for _, existing in _providers):
        _providers.append((order, provider))
        _providers.sort(key=lambda pair: pair[0])


def items_for(user, scope) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    for _, provider in _providers:
        items.extend(provider(user, scope))
    return items
