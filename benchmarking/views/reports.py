"""Pages of the benchmarking reports: tartan rug, LA datapack, narratives, builds (the exception
report itself is in exceptions.py)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from benchmarking.models import (
    BuildStatus,
    Indicator,
    IndicatorSet,
    Period,
    ReportBuild,
    ReportKind,
    ReportScope,
)
from benchmarking.selectors import exceptions as exception_selectors
from benchmarking.selectors import report_pages as pages
from benchmarking.selectors import reports as selectors
from benchmarking.services import reports as services
from regions.models import LocalAuthority, Region
from regions.scope import user_scope
from sli_portal import access, fragments
from sli_portal.forms import GovukForm

from .fragments import cached_fragments

RUG_KINDS = (ReportKind.RUG_XLSX, ReportKind.RUG_CSV, ReportKind.RUG_PDF)
PACK_KINDS = (ReportKind.REGION_PACK_PDF, ReportKind.REGION_PACK_ZIP)


def register_reports() -> None:
    from sli_portal import navigation

    navigation.register(_nav, order=60)


def _nav(user, scope):
    return [("Reports", reverse("benchmarking_reports:home"))]


class ReportOptionsForm(GovukForm):
    period = forms.ChoiceField(label="Period")
    scope = forms.ChoiceField(
        label="Bands against", choices=ReportScope.choices, initial=ReportScope.ENGLAND
    )
    indicator_set = forms.ChoiceField(
        label="Indicators", choices=IndicatorSet.choices, initial=IndicatorSet.CORE
    )

    def __init__(self, data, periods, *, with_local: bool = True):
        super().__init__(data)
        self.fields["period"].choices = [(p.slug, _period_label(p)) for p in periods]
        if not with_local:  # "All indicators" holds the region's local ones
            self.fields["indicator_set"].choices = [(IndicatorSet.CORE, IndicatorSet.CORE.label)]


def _period_label(period: Period) -> str:
    if period.kind == "year":
        return (
            f"{period.label} (published: year ending 31 March {period.fiscal_year + 1}; "
            f"workforce snapshot 30 September {period.fiscal_year})"
        )
    return f"{period.label} (quarter)"


class NarrativeForm(GovukForm):
    text = forms.CharField(
        label="Narrative",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=services.NARRATIVE_MAX,
        help_text="Why the figure is where it is, and what the LA is doing about it.",
    )


def _options(request, region: Region, *, page: bool = False, stamp: str | None = None):
    """(periods, period, scope, indicator_set, form) from the query string; 403/404 if hidden.

    ``page``: for a page whose body is cached (sli_portal.fragments): a period asked for by
    slug is checked alone (one probe, kept under the body's data `stamp`), and the list of
    periods and the form are computed only if the body is rendered (lazy)."""
    slug = request.GET.get("period") or request.POST.get("period")
    if page and slug:
        period = pages.offered_period(request.user, region, slug, stamp=stamp)
        periods = fragments.lazy(lambda: pages.report_periods(request.user, region))
    else:
        periods = pages.report_periods(request.user, region)
        period = pages.pick_period(periods, slug, region)
    if slug and period is None:
        _period_or_deny(request.user, region, slug)
    # England by default, as DfE's LAIT bands
    scope = request.GET.get("scope") or request.POST.get("scope") or ReportScope.ENGLAND
    indicator_set = (
        request.GET.get("indicator_set") or request.POST.get("indicator_set") or IndicatorSet.CORE
    )
    if scope not in ReportScope.values or indicator_set not in IndicatorSet.values:
        raise Http404("Unknown report option.")
    with_local = access.can(request.user, "benchmarking.view_local_indicators", region)
    if indicator_set != IndicatorSet.CORE and not with_local:
        raise PermissionDenied("A region's local indicators are for the region's own people.")

    def form():
        return ReportOptionsForm(
            {
                "period": period.slug if period else "",
                "scope": scope,
                "indicator_set": indicator_set,
            },
            periods() if callable(periods) else periods,
            with_local=with_local,
        )

    return periods, period, scope, indicator_set, fragments.lazy(form) if page else form()


def _period_or_deny(user, region, slug):
    """A period asked for by slug that is not among the user's choices: 403 if it exists."""
    fiscal, _, quarter = slug.partition("-q")
    try:
        lookup = {"fiscal_year": int(fiscal), "quarter": int(quarter) if quarter else None}
    except ValueError:
        raise Http404("No such period.") from None
    period = Period.objects.filter(**lookup).first()
    if period is None or pages.may_view(user, region, period):
        raise Http404("No data for that period.")
    raise PermissionDenied("Another region's quarterly data is not shared.")


def _check(user, region, period):
    if period is not None and not pages.may_view(user, region, period):
        raise PermissionDenied("Another region's quarterly data is not shared.")


@login_required
def reports_home(request):
    scope = user_scope(request.user)
    region_ids = sorted(scope.region_ids)
    if len(region_ids) == 1:
        region = access.fetch(request.user, Region, see="regions.view_region", pk=region_ids[0])
        return redirect("benchmarking_reports:rug", region_slug=region.slug)
    regions = Region.objects.order_by("name")
    return render(request, "benchmarking/reports/home.html", {"regions": regions})


@login_required
def rug_page(request, region_slug):
    region = access.fetch(request.user, Region, see="regions.view_region", slug=region_slug)
    # The body is kept per version of the tables it reads and per viewer (sli_portal.fragments):
    # on a warm cache nothing below is computed, and the period asked for is known by the stamp.
    body = _report_body(request, "benchmarking_reports:rug")
    periods, period, scope, indicator_set, form = _options(
        request, region, page=True, stamp=body.stamp
    )
    _check(request.user, region, period)
    user = request.user
    context = {
        "region": region,
        "form": form,
        "period": period,
        "periods": periods,
        "body": None,
        "can_see_exceptions": fragments.lazy(
            lambda: access.can(user, "benchmarking.view_exceptions", region)
        ),
    }
    if period is not None:
        ofsted = request.GET.get("ofsted") == "1"  # the optional Ofsted judgements row
        las = fragments.lazy(lambda: pages.report_las(region))

        def rug_table():
            focus = pages.focus_la_for(user, las(), request.GET.get("la"))
            own = pages.own_la_for(user, las())

            def render_rug():
                inputs = selectors.load_inputs(
                    region, period, scope=scope, indicator_set=indicator_set
                )
                slug_of = {pk: slug for slug, pk in inputs.la_ids_by_slug.items()}
                rug = selectors.rug(inputs, focus, ofsted=ofsted)
                # The LAs that existed in the period (a reorganised LA's predecessors in
                # theirs), the viewer's own LA first (and highlighted), then the rest in the
                # rug's order.
                columns = list(inputs.las)
                order = sorted(range(len(columns)), key=lambda i: columns[i].key != own)
                for group in rug.groups:
                    for row in group.rows:
                        row.cells[:] = [row.cells[i] for i in order]  # frozen row, its own list
                table = {
                    "region": region,
                    "period": period,
                    "scope": scope,
                    "rug": rug,
                    "header_cols": [(columns[i], slug_of[columns[i].key]) for i in order],
                    "own_pinned": any(col.key == own for col in columns),
                }
                return {"table": render_to_string("benchmarking/reports/_rug_table.html", table)}

            stamp = pages.data_stamp(region, period, indicator_set=indicator_set)
            found = cached_fragments("rug", stamp, (scope, focus, ofsted, own), render_rug)
            return mark_safe(found["table"])  # our own template, autoescaped

        def focus_choices():
            focus = pages.focus_la_for(user, las(), request.GET.get("la"))
            return [(slug, name, pk == focus) for pk, name, slug in las()]

        context.update(
            body=body,
            rug_table=fragments.lazy(rug_table),
            scope=scope,
            ofsted=ofsted,
            indicator_set=indicator_set,
            builds=fragments.lazy(
                lambda: [
                    b
                    for b in pages.latest_builds(region, period)
                    if b.scope == scope and b.indicator_set == indicator_set and b.kind in RUG_KINDS
                ]
            ),
            focus_choices=fragments.lazy(focus_choices),
        )
    return render(request, "benchmarking/reports/rug.html", context)


def _report_body(request, name: str) -> fragments.Fragment:
    return fragments.Fragment(request, name, pages.REPORT_PAGE_MODELS, rows_key=())


def _build_response(request, build: ReportBuild, fallback_url: str):
    # With no broker (`make run`) the build ran as it was requested: show where it is now,
    # never "waiting for a worker" for a build that has finished.
    build.refresh_from_db()
    if request.htmx:
        return render(request, "benchmarking/reports/_build.html", {"build": build})
    if build.status == BuildStatus.DONE:
        messages.success(request, f"{build.get_kind_display()} is ready to download.")
    else:
        messages.info(request, f"{build.get_kind_display()} is being built.")
    return redirect(fallback_url)


@require_POST
@login_required
@transaction.non_atomic_requests  # the build is queued (or, with no broker, run) on commit
def rug_export(request, region_slug):
    region = access.fetch(request.user, Region, see="regions.view_region", slug=region_slug)
    _, period, scope, indicator_set, _ = _options(request, region)
    if period is None:
        raise Http404("No data to export.")
    _check(request.user, region, period)
    kind = request.POST.get("kind")
    if kind not in RUG_KINDS:
        raise Http404("Unknown export format.")
    build = services.report_build_request(
        actor=request.user,
        kind=kind,
        region=region,
        period=period,
        scope=scope,
        indicator_set=indicator_set,
    )
    url = reverse("benchmarking_reports:rug", kwargs={"region_slug": region.slug})
    query = f"?period={period.slug}&scope={scope}&indicator_set={indicator_set}"
    return _build_response(request, build, url + query)


@login_required
def datapack_page(request, la_slug):
    la = _la(request.user, la_slug)
    region = la.region
    # As the rug: kept per version of its tables and per viewer; the period known by the stamp.
    body = _report_body(request, "benchmarking_reports:datapack")
    _, period, scope, indicator_set, form = _options(request, region, page=True, stamp=body.stamp)
    _check(request.user, region, period)
    context = {"la": la, "region": region, "form": form, "period": period, "body": None}
    if period is not None:
        user = request.user

        def render_pack():
            inputs = selectors.load_inputs(region, period, scope=scope, indicator_set=indicator_set)
            pack = {
                "la": la,
                "region": region,
                "scope": scope,
                "pack": selectors.datapack(inputs, la.pk),
            }
            return {
                "summary": render_to_string("benchmarking/reports/_datapack_summary.html", pack),
                "indicators": render_to_string(
                    "benchmarking/reports/_datapack_indicators.html", pack
                ),
            }

        def pack():
            stamp = pages.data_stamp(region, period, indicator_set=indicator_set)
            found = cached_fragments("datapack", stamp, (scope, la.pk), render_pack)
            # Rendered by our own templates, with autoescaping.
            return {key: mark_safe(html) for key, html in found.items()}

        rendered = fragments.lazy(pack)
        context.update(
            body=body,
            pack_summary=fragments.lazy(lambda: rendered()["summary"]),
            pack_indicators=fragments.lazy(lambda: rendered()["indicators"]),
            scope=scope,
            indicator_set=indicator_set,
            builds=fragments.lazy(
                lambda: [
                    b
                    for b in pages.latest_builds(region, period, local_authority_id=la.pk)
                    if b.scope == scope and b.indicator_set == indicator_set
                ]
            ),
            region_builds=fragments.lazy(
                lambda: [
                    b
                    for b in pages.latest_builds(region, period)
                    if b.scope == scope
                    and b.indicator_set == indicator_set
                    and b.kind in PACK_KINDS
                ]
            ),
            can_see_exceptions=fragments.lazy(
                lambda: access.can(user, "benchmarking.view_exceptions", region)
            ),
        )
    return render(request, "benchmarking/reports/datapack.html", context)


@require_POST
@login_required
@transaction.non_atomic_requests  # the build is queued (or, with no broker, run) on commit
def datapack_export(request, la_slug):
    la = _la(request.user, la_slug)
    _, period, scope, indicator_set, _ = _options(request, la.region)
    if period is None:
        raise Http404("No data to export.")
    _check(request.user, la.region, period)
    build = services.report_build_request(
        actor=request.user,
        kind=ReportKind.DATAPACK_PDF,
        region=la.region,
        period=period,
        scope=scope,
        indicator_set=indicator_set,
        local_authority=la,
    )
    url = reverse("benchmarking_reports:datapack", kwargs={"la_slug": la.slug})
    return _build_response(request, build, f"{url}?period={period.slug}&scope={scope}")


@require_POST
@login_required
@transaction.non_atomic_requests  # the build is queued (or, with no broker, run) on commit
def region_pack_export(request, region_slug):
    region = access.fetch(request.user, Region, see="regions.view_region", slug=region_slug)
    _, period, scope, indicator_set, _ = _options(request, region)
    if period is None:
        raise Http404("No data to export.")
    _check(request.user, region, period)
    kind = request.POST.get("kind")
    if kind not in PACK_KINDS:
        raise Http404("Unknown export format.")
    build = services.report_build_request(
        actor=request.user,
        kind=kind,
        region=region,
        period=period,
        scope=scope,
        indicator_set=indicator_set,
    )
    url = reverse("benchmarking_reports:rug", kwargs={"region_slug": region.slug})
    return _build_response(request, build, f"{url}?period={period.slug}&scope={scope}")


def _la(user, la_slug: str, act: str | None = None) -> LocalAuthority:
    return access.fetch(
        user,
        LocalAuthority.objects.select_related("region"),
        see="regions.view_localauthority",
        act=act,
        slug=la_slug,
    )


def _build_for(user, build_id) -> ReportBuild:
    """A stored build: 404 for anyone who may not see its report."""
    return access.fetch(
        user,
        ReportBuild.objects.select_related("region", "period", "local_authority"),
        see="benchmarking.view_report",
        pk=build_id,
    )


@login_required
def build_status(request, build_id):
    build = _build_for(request.user, build_id)
    return render(request, "benchmarking/reports/_build.html", {"build": build})


@login_required
def build_download(request, build_id):
    build = _build_for(request.user, build_id)
    if build.status != BuildStatus.DONE or not build.file:
        raise Http404("This report is not ready.")
    return FileResponse(build.file.open("rb"), as_attachment=True, filename=build.file_name)


@require_POST
@login_required
def build_retry(request, build_id):
    build = _build_for(request.user, build_id)
    try:
        build = services.report_build_retry(actor=request.user, build=build)
    except ValidationError as error:
        if request.htmx:
            return render(
                request,
                "benchmarking/reports/_build.html",
                {"build": build, "error": error.messages[0]},
                status=409,
            )
        messages.error(request, error.messages[0])
        return redirect("benchmarking_reports:rug", region_slug=build.region.slug)
    return _build_response(
        request,
        build,
        reverse("benchmarking_reports:rug", kwargs={"region_slug": build.region.slug})
        + f"?period={build.period.slug}",
    )


@login_required
def narrative_edit(request, la_slug, period_slug, indicator_code):
    # only the LA's DCS or performance lead (or an administrator) writes its narratives
    la = _la(request.user, la_slug, act="benchmarking.write_narrative")
    periods = pages.report_periods(request.user, la.region)
    period = pages.pick_period(periods, period_slug)
    if period is None:
        raise Http404("No data for that period.")
    indicator = access.fetch(
        request.user, Indicator, see="benchmarking.read_indicator", code=indicator_code
    )
    # the exception report's links carry the scope the figure was flagged in
    scope = request.GET.get("scope") or request.POST.get("scope") or ReportScope.REGION
    if scope not in ReportScope.values:
        raise Http404("Unknown scope.")
    inputs = selectors.load_inputs(la.region, period, scope=scope, indicator_set=IndicatorSet.ALL)
    rows = [
        r
        for r in exception_selectors.exception_rows(request.user, inputs)
        if r.flag.la_key == la.pk and r.indicator.pk == indicator.pk
    ]
    if not rows:
        raise Http404("That figure is not flagged for this LA and period.")
    row = rows[0]
    back = (
        reverse("benchmarking_reports:exceptions", kwargs={"region_slug": la.region.slug})
        + f"?period={period.slug}&scope={scope}"
    )
    if request.method == "POST":
        form = NarrativeForm(request.POST)
        if form.is_valid():
            try:
                services.exception_narrative_save(
                    actor=request.user,
                    local_authority=la,
                    period=period,
                    indicator=indicator,
                    text=form.cleaned_data["text"],
                )
            except ValidationError as error:
                form.add_error("text", error.messages)
            else:
                messages.success(request, f"Narrative saved for {indicator.name}, {la.name}.")
                return redirect(back)
    else:
        initial = {"text": row.narrative.text} if row.narrative else {}
        form = NarrativeForm(initial=initial)
    return render(
        request,
        "benchmarking/reports/narrative_form.html",
        {"la": la, "period": period, "row": row, "form": form, "back": back, "scope": scope},
        status=400 if request.method == "POST" else 200,
    )
