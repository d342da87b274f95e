"""Every URL of the project against every persona.

Each app lists its URLs in `tests/<app>/url_cases.py` as `CASES = [UrlCase(...), ...]`.
tests/test_url_permissions.py runs each case for each persona and fails for any named URL that
has no case, so a new page cannot ship without its permission table.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.world import PERSONAS, World

SIGNED_IN = tuple(p for p in PERSONAS if p != "anonymous")
LOGIN_REDIRECT = 302


def expect(default: int, anonymous: int = LOGIN_REDIRECT, **overrides: int) -> dict[str, int]:
    """Expected status for every persona: `default`, except the ones named."""
    unknown = set(overrides) - set(PERSONAS)
    assert not unknown, f"unknown personas {unknown}"
    table = dict.fromkeys(SIGNED_IN, default)
    table["anonymous"] = anonymous
    table.update(overrides)
    return table


def only(allowed: dict[str, int], *, others: int = 403, anonymous: int = LOGIN_REDIRECT):
    """Only the named personas get their status; every other signed-in persona gets `others`."""
    return expect(others, anonymous=anonymous, **allowed)


@dataclass
class UrlCase:
    name: str  # "namespace:url_name"
    expected: dict[str, int]
    # kwargs for reverse(): a dict, or a function of the World that may create objects.
    kwargs: Callable[[World], dict] | dict = field(default_factory=dict)
    method: str = "get"
    data: Callable[[World], dict] | dict | None = None
    query: str = ""
    label: str = ""  # tells two cases of one URL apart in test ids

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}{'[' + self.label + ']' if self.label else ''}"

    def resolve_kwargs(self, world: World) -> dict:
        return self.kwargs(world) if callable(self.kwargs) else dict(self.kwargs)

    def resolve_data(self, world: World) -> dict:
        if self.data is None:
            return {}
        return self.data(world) if callable(self.data) else dict(self.data)


def with_personas(cases: list[UrlCase], table: dict[str, dict[str, int]]) -> list[UrlCase]:
    """Set the statuses of the named personas for the cases named by id (`UrlCase.id`): for the
    personas whose answer is not the table's default, e.g. the analyst (a member of `peer_la`
    holding the regional grant) and staff (no role in any region: 404 for anything regional)."""
    unknown = set(table) - {case.id for case in cases}
    assert not unknown, f"no such cases {unknown}"
    for case in cases:
        statuses = table.get(case.id, {})
        assert set(statuses) <= set(PERSONAS), f"unknown personas in {case.id}"
        case.expected.update(statuses)
    return cases
