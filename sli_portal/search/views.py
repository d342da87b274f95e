from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import MAX_QUERY, MIN_QUERY, clean_query, search


@login_required
def search_page(request):
    """The header's search box lands here: results grouped by kind, only what the user may
    open."""
    raw = request.GET.get("q", "")
    query = clean_query(raw)
    error = ""
    if raw and len(query) < MIN_QUERY:
        error = f"Enter at least {MIN_QUERY} characters to search for."
    groups = search(request.user, query) if not error else []
    return render(
        request,
        "search/results.html",
        {
            "query": query,
            "search_query": query,
            "groups": groups,
            "error": error,
            "max_query": MAX_QUERY,
            "total": sum(len(g.hits) for g in groups),
        },
    )
