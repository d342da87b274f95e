from django.contrib.auth.decorators import login_required
from django.shortcuts import render


def bare(request):
    """The benchmark's reference: the cheapest page this server can render (no DB, no auth)."""
    return render(request, "bench_bare.html", {"message": "ok"})


@login_required
def signed_in_layout(request):
    """The floor of every real page: session, user, roles, navigation and the base layout,
    with no content of its own. Shows how much of a page's time is the shared frame."""
    return render(request, "bench_layout.html")
