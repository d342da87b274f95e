import time
from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sli_portal import fragments


def count_queries(client, url: str) -> int:
    """Queries one GET of `url` costs on a warm cache (the page must render: 200): it is
    requested once first, as a user's first page caches their scope (regions.scope). Both in one
    minute: a cached page body is kept per minute (sli_portal.fragments), so a minute turning
    between them would count a miss."""
    left = fragments.TIME_BUCKET_SECONDS - time.time() % fragments.TIME_BUCKET_SECONDS
    if left < 5:
        time.sleep(left)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(captured)


def assert_query_count_flat(
    client, url: str, grow: Callable[[int], None], *, small: int, large: int, budget: int
) -> tuple[int, int]:
    """The page's query count is the same with `small` and `large` rows, and within budget.

    `grow(n)` adds rows until there are n of whatever the page lists.
    """
    grow(small)
    at_small = count_queries(client, url)
    grow(large)
    at_large = count_queries(client, url)
    assert at_small == at_large, (
        f"{url}: {at_small} queries with {small} rows but {at_large} with {large}: "
        "the count grows with the data (an N+1)."
    )
    assert at_large <= budget, f"{url}: {at_large} queries, over its budget of {budget}."
    return at_small, at_large
