"""The search page against every persona: every signed-in person may search (what they find
is narrowed to what they may open: tests/search/test_search.py)."""

from tests.url_matrix import UrlCase, expect

CASES = [
    UrlCase("search", expect(200), query="?q=Somerset"),
]
