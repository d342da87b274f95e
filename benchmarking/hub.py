"""Benchmarking's panel on the LA page (the hub): the LA's latest quarterly returns and their
status (only those the user may open) and its datapack. Registered in BenchmarkingConfig.ready()."""

from django.template.loader import render_to_string

from sli_portal.access import can

from .models import Period, Return, Source
from .selectors.report_pages import may_view

LATEST = 4


def returns_panel(request, la) -> str | None:
    latest = list(
        Return.objects.filter(local_authority=la, source=Source.RETURN)
        .select_related("period", "local_authority")
        .order_by("-period__start")[:LATEST]
    )
    shown = [r for r in latest if can(request.user, "benchmarking.view_return", r)]
    datapack = bool(latest) and may_view(request.user, la.region, latest[0].period)
    if not shown and not datapack:
        return None
    return render_to_string(
        "benchmarking/_la_returns_panel.html",
        {"la": la, "returns": shown, "datapack": datapack},
        request=request,
    )


def returns_panel_rows(la) -> list:
    """What returns_panel reads (sli_portal.fragments): the LA's returns and the periods."""
    return [
        Return.objects.filter(local_authority=la),
        Period.objects.all(),
    ]
