"""The one helper every long list uses (sli_portal/listing.py) and its header tag."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from accounts.models import User
from sli_portal.listing import sorted_page

ROWS = [SimpleNamespace(name=f"Row {n:03d}", size=n % 7 or None) for n in range(1, 121)]
SORTS = {"name": "name", "size": "size"}


def _listing(query: str):
    return sorted_page(RequestFactory().get("/x/?" + query), ROWS, sorts=SORTS, default="name")


def test_page_two_holds_the_next_rows():
    first, second = _listing("page=1"), _listing("page=2")
    assert [r.name for r in first.rows][-1] == "Row 050"
    assert next(r.name for r in second.rows) == "Row 051"


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "", "1.5", "2%00"])
def test_a_bad_page_gives_the_first_page(page):
    assert next(r.name for r in _listing(f"page={page}").rows) == "Row 001"


@pytest.mark.parametrize("sort", ["nope", "-", "--name", "password", "name,size", "__class__"])
def test_a_bad_sort_gives_the_default_order(sort):
    listing = _listing(f"sort={sort}")
    assert listing.sort == "name"
    assert [r.name for r in listing.rows][:2] == ["Row 001", "Row 002"]


def test_descending_sort_and_empty_values_last():
    listing = _listing("sort=-size")
    sizes = [
        r.size
        for r in sorted_page(
            RequestFactory().get("/x/?sort=-size"), ROWS, sorts=SORTS, default="name", per_page=200
        ).rows
    ]
    assert sizes[0] == 6 and sizes[-1] is None
    assert sizes.index(None) == len([r for r in ROWS if r.size is not None])
    assert listing.sort == "-size"


@pytest.mark.django_db
def test_a_queryset_is_sorted_by_the_database_with_a_stable_tie_break():
    for n in range(3):
        User.objects.create_user(email=f"u{n}@example.org", password="x", full_name="Same Name")
    request = RequestFactory().get("/x/?sort=-name")
    listing = sorted_page(request, User.objects.all(), sorts={"name": "full_name"}, default="name")
    pks = [u.pk for u in listing.rows]
    assert pks == sorted(pks, reverse=True)


def _header(query: str, key: str) -> str:
    request = RequestFactory().get("/x/?" + query)
    listing = sorted_page(request, ROWS, sorts=SORTS, default="name")
    template = Template('{% load govuk %}{% sort_header listing key "Label" %}')
    return template.render(Context({"request": request, "listing": listing, "key": key}))


def test_header_says_the_order_and_links_to_the_other_keeping_filters_not_the_page():
    html = _header("region=south-west&page=3&sort=name", "name")
    assert 'aria-sort="ascending"' in html
    assert 'href="?region=south-west&amp;sort=-name"' in html
    assert "sort descending" in html
    html = _header("region=south-west&sort=-name", "name")
    assert 'aria-sort="descending"' in html and 'href="?region=south-west&amp;sort=name"' in html
    html = _header("sort=-name", "size")
    assert 'aria-sort="none"' in html and 'href="?sort=size"' in html


def test_a_column_the_list_cannot_sort_by_is_a_plain_header():
    html = _header("", "colour")
    assert "aria-sort" not in html and "<a" not in html and ">Label</th>" in html
