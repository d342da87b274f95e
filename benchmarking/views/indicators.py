"""Indicators, their published values, a region's local indicators, and the DfE import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from regions.models import Region
from regions.scope import user_scope
from sli_portal import access

from .. import selectors, services
from ..domain.files import FileRejected, decode_text
from ..forms import LocalIndicatorForm, PublishedImportForm
from ..models import Indicator
from ..uploads import limit_uploads

PUBLISHED_MAX_BYTES = 20 * 1024 * 1024


@login_required
def indicator_list(request):
    context = {
        "indicators": selectors.indicator_list(user=request.user),
        "manageable_regions": list(
            Region.objects.filter(pk__in=user_scope(request.user).managed_region_ids)
        ),
    }
    return render(request, "benchmarking/indicator_list.html", context)


@login_required
def indicator_detail(request, code):
    indicator = access.fetch(
        request.user,
        Indicator.objects.select_related("region"),
        see="benchmarking.read_indicator",
        code=code,
    )
    years = selectors.published_years(indicator=indicator)
    year = None
    if years:
        chosen = request.GET.get("year")
        year = next((p for p in years if str(p.fiscal_year) == chosen), years[0])
    values = list(selectors.published_values(indicator=indicator, period=year)) if year else []
    summed = [v for v in values if v.numerator is not None and v.denominator is not None]
    england = None
    if indicator.is_ratio and summed:
        england = round(
            sum(v.numerator for v in summed)
            / sum(v.denominator for v in summed)
            * indicator.multiplier,
            indicator.decimal_places,
        )
    context = {
        "indicator": indicator,
        "years": years,
        "year": year,
        "values": values,
        "england": england,
        "england_count": len(summed),
    }
    return render(request, "benchmarking/indicator_detail.html", context)


@login_required
def indicator_create(request, region_slug):
    region = access.fetch(
        request.user,
        Region,
        see="regions.view_region",
        act="benchmarking.manage_windows",
        slug=region_slug,
    )
    form = LocalIndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data.items())
        try:
            indicator = services.indicator_create_local(
                actor=request.user, region=region, data=data
            )
        except ValidationError as error:
            for field, errors in getattr(error, "error_dict", {None: error.error_list}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"{indicator.code} added to {region.name}'s return.")
            return redirect("benchmarking:indicator_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "benchmarking/indicator_form.html",
        {"region": region, "form": form},
        status=status,
    )


@csrf_exempt
@login_required
def published_import(request):
    access.require(request.user, "benchmarking.import_published")
    return _published_import(request, limit_uploads(request, PUBLISHED_MAX_BYTES))


@csrf_protect
def _published_import(request, size_guard):
    form = PublishedImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST":
        if size_guard.too_large:
            form = PublishedImportForm()
            form.add_error(None, size_guard.message)
            status = 400
        elif form.is_valid():
            upload = form.cleaned_data["files"]
            try:
                text = decode_text(upload.read())
                report = services.published_data_import(
                    actor=request.user, files=[(upload.name, text)]
                )
            except (FileRejected, ValidationError) as error:
                for message in getattr(error, "messages", [str(error)]):
                    form.add_error("files", message)
                status = 400
        else:
            status = 400
    return render(
        request,
        "benchmarking/published_import.html",
        {"form": form, "report": report},
        status=status,
    )
