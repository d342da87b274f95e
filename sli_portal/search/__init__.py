"""One search box over every app: each app registers the kinds it owns (AppConfig.ready), so
this package imports no app and the dependency direction holds.

A kind is a function (user, query, limit) -> list[Hit] that searches its own model and returns
only what the user may open: its queryset is narrowed to the user's scope and every hit is
checked with the same permission its page checks (`sli_portal.access.can`), so the search
can never show more than the pages do. With it a kind declares `reads(user)`: the rows (as
querysets) its hits are read from, so the results page can be kept per viewer and query under
their stamp (`sli_portal.fragments`): a write to any of them renders the results afresh. `text.matching` does the matching: PostgreSQL full-text
search over a stored, GIN-indexed vector, ranked with SearchRank, plus trigram similarity on
names (typos); on SQLite (`make run`) a plain icontains.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

MIN_QUERY = 2
MAX_QUERY = 100
PER_KIND = 8


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    detail: str = ""


@dataclass
class Group:
    label: str
    hits: list[Hit] = field(default_factory=list)


_kinds: list[tuple[int, str, Callable]] = []
_reads: dict[Callable, Callable] = {}


def register(label: str, find: Callable, order: int = 50, *, reads: Callable) -> None:
    """Add a kind of result: `find(user, query, limit)` returns the hits the user may open;
    `reads(user)` the querysets (not evaluated) of every row `find` may read for that user,
    permission checks included."""
    if all(existing is not find for _, _, existing in _kinds):
        _kinds.append((order, label, find))
        _kinds.sort(key=lambda kind: kind[0])
    _reads[find] = reads


def rows_for(user) -> list:
    """What every kind reads for `user`: the results' stamp, which counts tables, not rows."""
    return [queryset for _, _, find in _kinds for queryset in _reads[find](user)]


def clean_query(raw: str | None) -> str:
    return " ".join((raw or "").split())[:MAX_QUERY]


def search(user, query: str, *, per_kind: int = PER_KIND) -> list[Group]:
    """Results grouped by kind (kinds with no hit left out), best first within each."""
    query = clean_query(query)
    if len(query) < MIN_QUERY or not getattr(user, "is_authenticated", False):
        return []
    groups = [Group(label, find(user, query, per_kind)) for _, label, find in _kinds]
    return [group for group in groups if group.hits]
