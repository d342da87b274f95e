"""`seed_scale --factor N` builds England-scale data; each app registers its part here.

A seeder is a function (ctx: ScaleContext) -> None registered in AppConfig.ready() with an order.
Seeders must be deterministic (use ctx.random) and fast (bulk_create in batches), because the
benchmark (`make bench`) builds England scale from nothing in under two minutes.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field

_seeders: list[tuple[int, Callable]] = []


@dataclass
class ScaleContext:
    factor: int
    random: random.Random
    # Filled by regions' seeder: every region, LA and the users per role, for later seeders.
    regions: list = field(default_factory=list)
    las: list = field(default_factory=list)
    programme_managers: dict[int, object] = field(default_factory=dict)  # region_id -> User
    la_users: dict[int, dict[str, list]] = field(default_factory=dict)  # la_id -> role -> [User]
    timings: dict[str, float] = field(default_factory=dict)


def register(seeder: Callable, order: int = 50) -> None:
    if all(existing is not seeder for _, existing in _seeders):
        _seeders.append((order, seeder))
        _seeders.sort(key=lambda pair: pair[0])


def seeders() -> list[Callable]:
    return [seeder for _, seeder in _seeders]
