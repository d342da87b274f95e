"""Matching text the same way for every kind: PostgreSQL full-text search over a stored vector
(`search_vector`, kept by a database trigger, GIN-indexed) ranked with SearchRank, and trigram
word similarity on names for typos (pg_trgm); on SQLite (`make run`), icontains."""

from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import F, FloatField, Q, QuerySet, Value
from django.db.models.functions import Greatest

CONFIG = "english"
# A name matches when one of its words is at least this similar to the query (pg_trgm).
NAME_SIMILARITY = 0.45


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def matching(
    queryset: QuerySet,
    query: str,
    *,
    vector: str | None = None,
    text: tuple[str, ...] = (),
    names: tuple[str, ...] = (),
    plain: tuple[str, ...] = (),
) -> QuerySet:
    """Rows of `queryset` matching `query`, best first (annotated `rank`).

    `vector`: the stored SearchVectorField made from the `text` fields (which SQLite searches
    with icontains instead); `names`: fields matched by trigram similarity (and icontains);
    `plain`: fields matched by icontains only (e.g. email addresses)."""
    if not is_postgresql():
        condition = Q()
        for name in (*text, *names, *plain):
            condition |= Q(**{f"{name}__icontains": query})
        return queryset.filter(condition).annotate(rank=Value(1.0, output_field=FloatField()))
    condition = Q()
    scores: list[Any] = []
    annotations: dict[str, Any] = {}
    if vector is not None:
        search_query = SearchQuery(query, config=CONFIG, search_type="websearch")
        condition |= Q(**{vector: search_query})
        annotations["text_rank"] = SearchRank(F(vector), search_query)
        scores.append(F("text_rank"))
    for n, name in enumerate(names):
        annotations[f"name_rank_{n}"] = TrigramWordSimilarity(query, name)
        condition |= Q(**{f"name_rank_{n}__gte": NAME_SIMILARITY})
        condition |= Q(**{f"{name}__icontains": query})
        scores.append(F(f"name_rank_{n}"))
    for name in plain:
        condition |= Q(**{f"{name}__icontains": query})
    score: Any
    if not scores:
        score = Value(1.0, output_field=FloatField())
    elif len(scores) == 1:
        score = scores[0]
    else:
        score = Greatest(*scores, output_field=FloatField())
    return (
        queryset.annotate(**annotations)
        .filter(condition)
        .annotate(rank=score)
        .order_by("-rank", "pk")
    )
