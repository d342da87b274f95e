"""A region's validation rules editor, for its programme manager: cross-field rules and
expected ranges, each previewed against the current returns before it is saved."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sli_portal import access
from sli_portal.confirm import Confirmation, confirm_or_do

from ..forms_rules import RangeForm, RuleForm
from ..models import ExpectedRange, ValidationRule
from ..selectors import ranges as range_selectors
from ..selectors.returns import return_indicators
from ..services import validation_rules as rule_services
from .regions import _region

PERM = "benchmarking.manage_rules"
PAGE = "benchmarking/rules/rules.html"


def _indicators(region):
    return sorted(return_indicators(region).values(), key=lambda i: i.sort_key)


def _page(request, region, status=200, **extra):
    rules, ranges = range_selectors.region_rules(region)
    indicators = _indicators(region)
    context = {
        "region": region,
        "national_rules": [r for r in rules if r.region_id is None],
        "region_rules": [r for r in rules if r.region_id is not None],
        "ranges": ranges,
        "period": range_selectors.current_period(region),
        "rule_form": RuleForm(indicators=indicators),
        "range_form": RangeForm(indicators=indicators),
        **extra,
    }
    return render(request, PAGE, context, status=status)


def _url(region) -> str:
    return reverse("benchmarking:validation_rules", kwargs={"region_slug": region.slug})


@login_required
def validation_rules(request, region_slug):
    region = _region(request, region_slug, PERM)
    return _page(request, region)


def _preview_or_save(request, region, form, *, build, create, preview, form_key, saved_text):
    if not form.is_valid():
        return _page(request, region, status=400, **{form_key: form})
    fields = form.cleaned_data
    try:
        candidate = build(region=region, **fields)
        if request.POST.get("action") == "save":
            create(actor=request.user, region=region, **fields)
            messages.success(request, saved_text)
            return redirect(_url(region))
    except ValidationError as error:
        form.add_error(None, error)
        return _page(request, region, status=400, **{form_key: form})
    period = range_selectors.current_period(region)
    caught = preview(region=region, period=period, candidate=candidate) if period else []
    return _page(request, region, **{form_key: form, "preview": caught, "preview_of": form_key})


@login_required
@require_POST
def validation_rule_new(request, region_slug):
    region = _region(request, region_slug, PERM)
    return _preview_or_save(
        request,
        region,
        RuleForm(request.POST, indicators=_indicators(region)),
        build=range_selectors.rule_candidate,
        create=rule_services.validation_rule_create,
        preview=lambda region, period, candidate: range_selectors.rule_preview(
            region=region, period=period, rule=candidate
        ),
        form_key="rule_form",
        saved_text="Rule saved: uploads and typed values are checked against it from now on.",
    )


@login_required
@require_POST
def expected_range_new(request, region_slug):
    region = _region(request, region_slug, PERM)
    return _preview_or_save(
        request,
        region,
        RangeForm(request.POST, indicators=_indicators(region)),
        build=range_selectors.range_candidate,
        create=rule_services.expected_range_create,
        preview=lambda region, period, candidate: range_selectors.range_preview(
            region=region, period=period, expected=candidate
        ),
        form_key="range_form",
        saved_text="Expected range saved: values outside it are flagged for a comment.",
    )


def _switch_off_page(region, *, question: str, consequences: list[str], label: str):
    return Confirmation(
        question=question,
        caption=f"{region.name} validation rules",
        consequences=[
            *consequences,
            "Values already saved and their flags are not changed.",
            "It stays listed as switched off. To check it again, add it again.",
        ],
        confirm_label=label,
        cancel_url=_url(region),
        crumbs=[
            (region.name, region.get_absolute_url()),
            ("Validation rules", _url(region)),
            ("Switch off", ""),
        ],
    )


@login_required
def validation_rule_off(request, region_slug, pk):
    """GET: "Are you sure?" (files and typed values are no longer checked). POST: switch off."""
    region = _region(request, region_slug, PERM)
    rule = get_object_or_404(ValidationRule, pk=pk, region=region)

    def switch_off():
        rule_services.validation_rule_switch_off(actor=request.user, rule_id=rule.pk)
        messages.success(request, f"Rule switched off: {rule.message}")
        return redirect(_url(region))

    return confirm_or_do(
        request,
        page=lambda: _switch_off_page(
            region,
            question="Are you sure you want to switch off this rule?",
            consequences=[
                f"Return files and typed values of {region.name}'s local authorities are no "
                f"longer checked against “{rule.message}”.",
            ],
            label="Yes, switch off the rule",
        ),
        do=switch_off,
    )


@login_required
def expected_range_off(request, region_slug, pk):
    """GET: "Are you sure?" (values are no longer flagged). POST: switch the range off."""
    region = _region(request, region_slug, PERM)
    expected = get_object_or_404(
        ExpectedRange.objects.select_related("indicator"), pk=pk, region=region
    )

    def switch_off():
        rule_services.expected_range_switch_off(actor=request.user, range_id=expected.pk)
        messages.success(request, f"Expected range of {expected.indicator.code} switched off.")
        return redirect(_url(region))

    name = expected.indicator.short_name
    return confirm_or_do(
        request,
        page=lambda: _switch_off_page(
            region,
            question=f"Are you sure you want to switch off the expected range of {name}?",
            consequences=[
                f"Values of {name} outside the range are no longer flagged, and need no "
                "comment before a return is submitted.",
            ],
            label="Yes, switch off the range",
        ),
        do=switch_off,
    )


def can_manage_rules(user, region) -> bool:
    return access.can(user, PERM, region)
