from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from sli_portal import fragments

from . import MAX_QUERY, MIN_QUERY, clean_query, rows_for, search


@login_required
def search_page(request):
    """The header's search box lands here: results grouped by kind, only what the user may
    open. The results are kept per viewer and query (the address) under the stamp of every row
    the kinds read for this viewer (`sli_portal.fragments`), so the same search again costs one
    query, and a write to any of those rows shows on the next search."""
    user = request.user
    raw = request.GET.get("q", "")
    query = clean_query(raw)
    error = ""
    if raw and len(query) < MIN_QUERY:
        error = f"Enter at least {MIN_QUERY} characters to search for."
    groups = fragments.lazy(lambda: search(user, query) if query and not error else [])
    body = None
    if query and not error:
        body = fragments.Fragment(
            request,
            "search",
            lambda: rows_for(user),
            # What the kinds' rows depend on: the user and their scope (not the query).
            rows_key=(user.pk, str(user.scope_token), user.is_superuser, user.is_staff),
        )
    return render(
        request,
        "search/results.html",
        {
            "query": query,
            "search_query": query,
            "body": body,
            "groups": groups,
            "error": error,
            "max_query": MAX_QUERY,
            "total": fragments.lazy(lambda: sum(len(g.hits) for g in groups())),
        },
    )
