"""`seed_demo` builds the demo region, then asks each app to add its part.

An app registers a builder in AppConfig.ready(): a function (demo: DemoContext) -> None that
writes through its own services. Builders run in `order`, so later apps can use earlier data.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

_builders: list[tuple[int, Callable]] = []


@dataclass
class DemoContext:
    region: object
    home_la: object
    # persona key ("programme_manager", "dcs", "performance_lead", "member", ...) -> User
    users: dict[str, object]
    # Extra users per LA: la_id -> {"dcs": User, "performance_lead": User}
    la_users: dict[int, dict[str, object]] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)


def register(builder: Callable, order: int = 50) -> None:
    if all(existing is not builder for _, existing in _builders):
        _builders.append((order, builder))
        _builders.sort(key=lambda pair: pair[0])


def builders() -> list[Callable]:
    return [builder for _, builder in _builders]
