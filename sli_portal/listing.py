"""Long lists, one way: sorted by a column the user picks (`?sort=name`, `?sort=-name`) and cut
into GOV.UK pages (`?page=2`), the sort kept across pages and filters.

    listing = sorted_page(
        request,
        Upload.objects.filter(...),               # a QuerySet (sorted by the database) or a list
        sorts={"file": "file_name", "when": ("created_at",), "by": "uploaded_by__full_name"},
        default="-when",
    )
    {% load govuk %}
    {% sort_header listing "when" "Uploaded" %}   a <th> with aria-sort and a link
    {% include "includes/pagination.html" with page_obj=listing.page %}

A list of rows is sorted in Python: there, a sort is a function of a row (`lambda row: row.used`)
and None sorts last. A bad `?sort=` gives the default order, a bad or out-of-range `?page=` the
first page: never an error page for a hand-edited address.

Lists filtered by a django-filter FilterSet whose OrderingFilter is named `sort` (the LA list,
the event list) use `filter_page`, so their headers are drawn by the same tag.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet

PAGE_SIZE = 50

SortSpec = str | tuple[str, ...] | Callable[[Any], Any]


def page_of(paginator: Paginator, number: Any) -> Page:
    """The page asked for; the first page for anything else (text, 0, past the end)."""
    try:
        wanted = int(str(number))
    except (TypeError, ValueError):
        wanted = 1
    if not 1 <= wanted <= paginator.num_pages:
        wanted = 1
    return paginator.page(wanted)


@dataclass(frozen=True)
class Listing:
    """One page of a sorted list: `page` (a Django Page), `sort` as in the address ("-when"),
    and the keys a header may sort by."""

    page: Page
    sort: str
    keys: frozenset[str]

    @property
    def rows(self):
        return self.page.object_list

    @property
    def count(self) -> int:
        return self.page.paginator.count


def _valid(sort: str | None, keys) -> bool:
    return sort is not None and sort != "" and sort.removeprefix("-") in keys


def _order_queryset(queryset: QuerySet, spec: SortSpec, descending: bool) -> QuerySet:
    fields = (spec,) if isinstance(spec, str) else tuple(spec)  # type: ignore[arg-type]
    ordering = []
    for field in fields:
        # a field written "-name" runs the other way to the column's order
        down = descending != field.startswith("-")
        expression = F(field.removeprefix("-"))
        ordering.append(
            expression.desc(nulls_last=True) if down else expression.asc(nulls_last=True)
        )
    # The primary key last, so rows that tie keep one order across pages.
    return queryset.order_by(*ordering, "-pk" if descending else "pk")


def _order_rows(rows: Sequence, spec: SortSpec, descending: bool) -> list:
    key = spec if callable(spec) else _attribute_key(spec)
    present = [row for row in rows if key(row) is not None]
    missing = [row for row in rows if key(row) is None]
    return sorted(present, key=_folded(key), reverse=descending) + missing


def _attribute_key(spec) -> Callable[[Any], Any]:
    path = spec if isinstance(spec, str) else spec[0]

    def key(row):
        value = row
        for part in path.split("__"):
            value = getattr(value, part, None) if not isinstance(value, dict) else value.get(part)
            if value is None:
                return None
        return value

    return key


def _folded(key: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Text sorts as a reader expects (case does not matter)."""

    def sort_key(row):
        value = key(row)
        return value.casefold() if isinstance(value, str) else value

    return sort_key


def sorted_page(
    request,
    rows: QuerySet | Sequence,
    *,
    sorts: Mapping[str, SortSpec],
    default: str,
    per_page: int = PAGE_SIZE,
) -> Listing:
    """The page of `rows` the request asks for, sorted as it asks (else by `default`)."""
    asked = request.GET.get("sort", "")
    sort = asked if _valid(asked, sorts) else default
    descending = sort.startswith("-")
    spec = sorts[sort.removeprefix("-")]
    if isinstance(rows, QuerySet):
        ordered: QuerySet | list = _order_queryset(rows, spec, descending)
    else:
        ordered = _order_rows(list(rows), spec, descending)
    page = page_of(Paginator(ordered, per_page), request.GET.get("page"))
    return Listing(page=page, sort=sort, keys=frozenset(sorts))


def filter_page(request, filterset, *, default: str, per_page: int = PAGE_SIZE) -> Listing:
    """A FilterSet's rows (its OrderingFilter named `sort` orders them) as a Listing."""
    keys = frozenset(filterset.filters["sort"].param_map.values())
    page = page_of(Paginator(filterset.qs, per_page), request.GET.get("page"))
    # After .qs the form is validated: a bad ?sort= is missing from cleaned_data (default order).
    chosen = (getattr(filterset.form, "cleaned_data", {}).get("sort") or [""])[0]
    return Listing(page=page, sort=chosen if _valid(chosen, keys) else default, keys=keys)
