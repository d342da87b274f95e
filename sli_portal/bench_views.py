from django.shortcuts import render


def bare(request):
    """The benchmark's reference: the cheapest page this server can render (no DB, no auth)."""
    return render(request, "bench_bare.html", {"message": "ok"})
