from benchmarking import services
from sli_portal.access import SYSTEM
from tests.benchmarking.factories import open_quarter, return_rows, to_csv
from tests.url_matrix import UrlCase, confirm_twins, expect, only, with_personas

IN_REGION = {
    "admin": 200,
    "programme_manager": 200,
    "dcs": 200,
    "performance_lead": 200,
    "member": 200,
    "peer_dcs": 200,
}
HOME_LA = {
    "admin": 200,
    "programme_manager": 200,
    "dcs": 200,
    "performance_lead": 200,
    "member": 200,
}
MANAGERS = {"admin": 200, "programme_manager": 200}
EDITORS = {"admin": 200, "programme_manager": 200, "performance_lead": 200}
# A return is the object of its pages: who may not see it gets 404 (a draft is seen by its LA's
# people and region staff; an approved return by the whole region), who sees it but may not do
# this gets 403.
NOT_SEEN = 404


def seen_by(allowed: dict[str, int], *, hidden: tuple[str, ...]) -> dict[str, int]:
    """`allowed` get their status, `hidden` (may not see the return) 404, the rest 403."""
    return {**only(allowed), **dict.fromkeys(hidden, NOT_SEEN)}


DRAFT_HIDDEN = ("peer_dcs", "outsider")  # a draft is not shared with the region
APPROVED_HIDDEN = ("outsider",)


def _quarter(world):
    services.indicators_load(actor=SYSTEM)
    return open_quarter(world.region)


def _region_quarter(world):
    return {"region_slug": world.region.slug, "period_slug": _quarter(world).slug}


def _other_region_quarter(world):
    return {"region_slug": world.other_region.slug, "period_slug": _quarter(world).slug}


def _pm_upload_check(world):
    """A programme manager's refused bulk file: its page is theirs alone (404 for everyone
    else, the region's other managers and administrators included: it is their file)."""
    from benchmarking.models import UploadCheck

    check = UploadCheck.objects.create(
        uploaded_by=world.users["programme_manager"],
        region=world.region,
        period=_quarter(world),
        file_name="bulk.csv",
        sha256="0" * 64,
        size=10,
        status="failed",
        issues=["Row 2, column A (la_code): 'X' is not one of the region's LAs."],
    )
    return {"pk": check.pk}


def _draft(world, *, status="draft", warning=False):
    period = _quarter(world)
    result = services.return_upload(
        actor=world.users["programme_manager"],
        period=period,
        file_name="r.csv",
        data=to_csv(return_rows(world.home_la, period)),
        local_authority=world.home_la,
    )
    ret = result.returns[0]
    if warning:
        ret.values.filter(indicator__code="REF_RATE").update(warning="up 40% on last quarter")
    if status in ("submitted", "approved"):
        services.return_submit(actor=world.users["performance_lead"], return_id=ret.pk)
    if status == "approved":
        services.return_approve(actor=world.users["programme_manager"], return_id=ret.pk)
    return {"la_slug": world.home_la.slug, "period_slug": period.slug}


def _not_started(world):
    return {"la_slug": world.home_la.slug, "period_slug": _quarter(world).slug}


def _region_rule(world):
    from benchmarking.services import validation_rules as rule_services

    kwargs = _region_quarter(world)
    rule = rule_services.validation_rule_create(
        actor=SYSTEM,
        region=world.region,
        left="CPP_RATE",
        left_part="numerator",
        comparison="le",
        right="CIN_RATE",
        right_part="numerator",
        message="Plans within children in need",
    )
    return {"region_slug": kwargs["region_slug"], "pk": rule.pk}


def _region_range(world):
    from decimal import Decimal

    from benchmarking.services import validation_rules as rule_services

    kwargs = _region_quarter(world)
    expected = rule_services.expected_range_create(
        actor=SYSTEM, region=world.region, code="CLA_RATE", kind="absolute", maximum=Decimal("50")
    )
    return {"region_slug": kwargs["region_slug"], "pk": expected.pk}


def _approved(world):
    return _draft(world, status="approved")


def _with_warning(world):
    return {**_draft(world, warning=True), "code": "REF_RATE"}


CASES = [
    UrlCase("benchmarking:index", expect(200)),
    UrlCase("benchmarking:indicator_list", expect(200)),
    UrlCase(
        "benchmarking:indicator_detail",
        expect(200),
        kwargs=lambda w: (services.indicators_load(actor=SYSTEM), {"code": "REF_RATE"})[1],
    ),
    UrlCase("benchmarking:published_import", only({"admin": 200})),
    UrlCase(
        "benchmarking:published_import",
        only({"admin": 400}),
        method="post",
        data={},
        label="post without a file",
    ),
    UrlCase(
        "benchmarking:window_edit", only(MANAGERS), kwargs=lambda w: {"region_slug": w.region.slug}
    ),
    UrlCase(
        "benchmarking:window_edit",
        only({"admin": 400, "programme_manager": 400}),
        kwargs=lambda w: {"region_slug": w.region.slug},
        method="post",
        data={"fiscal_year": "2026"},
        label="post incomplete",
    ),
    UrlCase(
        "benchmarking:indicator_create",
        only(MANAGERS),
        kwargs=lambda w: {"region_slug": w.region.slug},
    ),
    UrlCase(
        "benchmarking:indicator_create",
        only({"admin": 400, "programme_manager": 400}),
        kwargs=lambda w: {"region_slug": w.region.slug},
        method="post",
        data={"code": ""},
        label="post incomplete",
    ),
    UrlCase("benchmarking:completeness", only(IN_REGION), kwargs=_region_quarter),
    UrlCase(
        "benchmarking:completeness_export",
        only(IN_REGION),
        kwargs=lambda w: {**_region_quarter(w), "fmt": "xlsx"},
    ),
    UrlCase(
        "benchmarking:completeness",
        only({"admin": 200, "outsider": 200}),
        kwargs=_other_region_quarter,
        label="other region",
    ),
    UrlCase("benchmarking:bulk_upload", only(MANAGERS), kwargs=_region_quarter),
    UrlCase(
        "benchmarking:approval_setting",
        only(MANAGERS),
        kwargs=lambda w: {"region_slug": _region_quarter(w)["region_slug"]},
    ),
    UrlCase(
        "benchmarking:validation_rules",
        only(MANAGERS),
        kwargs=lambda w: {"region_slug": _region_quarter(w)["region_slug"]},
    ),
    UrlCase(
        "benchmarking:validation_rule_new",
        only({"admin": 400, "programme_manager": 400}),
        kwargs=lambda w: {"region_slug": _region_quarter(w)["region_slug"]},
        method="post",
        data={"rule-left": "NOPE", "action": "preview"},
        label="post incomplete",
    ),
    UrlCase(
        "benchmarking:expected_range_new",
        only({"admin": 400, "programme_manager": 400}),
        kwargs=lambda w: {"region_slug": _region_quarter(w)["region_slug"]},
        method="post",
        data={"range-code": "NOPE", "action": "save"},
        label="post incomplete",
    ),
    # Switching a rule or range off: "Are you sure?" on GET (issue 14), as the POST for others.
    UrlCase("benchmarking:validation_rule_off", only(MANAGERS), kwargs=_region_rule),
    UrlCase(
        "benchmarking:validation_rule_off",
        only({"admin": 302, "programme_manager": 302}),
        kwargs=_region_rule,
        method="post",
    ),
    UrlCase("benchmarking:expected_range_off", only(MANAGERS), kwargs=_region_range),
    UrlCase(
        "benchmarking:expected_range_off",
        only({"admin": 302, "programme_manager": 302}),
        kwargs=_region_range,
        method="post",
    ),
    UrlCase(
        "benchmarking:validation_rule_off",
        only({"admin": 404, "programme_manager": 404}),
        kwargs=lambda w: {"region_slug": _region_quarter(w)["region_slug"], "pk": 999999},
        method="post",
        label="no such rule",
    ),
    UrlCase(
        "benchmarking:expected_range_off",
        only({"admin": 404, "programme_manager": 404}),
        kwargs=lambda w: {"region_slug": _region_quarter(w)["region_slug"], "pk": 999999},
        method="post",
        label="no such range",
    ),
    UrlCase(
        "benchmarking:reporting_rate",
        only(IN_REGION),
        kwargs=lambda w: {"region_slug": _region_quarter(w)["region_slug"]},
    ),
    UrlCase(
        "benchmarking:reporting_rate_export",
        only(IN_REGION),
        kwargs=lambda w: {"region_slug": _region_quarter(w)["region_slug"], "fmt": "xlsx"},
    ),
    # A refused file's full list of problems: only for its uploader, so 404 for a token
    # nobody was given (tests/benchmarking/uploads/test_bad_files.py downloads a real one).
    UrlCase("benchmarking:upload_issues", expect(404), kwargs={"token": "not-a-token"}),
    UrlCase(
        "benchmarking:upload_check",
        expect(404, programme_manager=200),
        kwargs=_pm_upload_check,
    ),
    UrlCase(
        "benchmarking:bulk_upload",
        only({"admin": 400, "programme_manager": 400}),
        kwargs=_region_quarter,
        method="post",
        data={"nothing": "1"},
        label="post without a file",
    ),
    UrlCase(
        "benchmarking:bulk_template",
        only(MANAGERS),
        kwargs=lambda w: {**_region_quarter(w), "fmt": "csv"},
    ),
    UrlCase(
        "benchmarking:return_detail",
        seen_by(HOME_LA, hidden=DRAFT_HIDDEN),
        kwargs=_draft,
        label="draft",
    ),
    UrlCase(
        "benchmarking:return_detail",
        seen_by(HOME_LA, hidden=DRAFT_HIDDEN),
        kwargs=_not_started,
        label="not started",
    ),
    UrlCase(
        "benchmarking:return_detail",
        seen_by({**HOME_LA, "peer_dcs": 200}, hidden=APPROVED_HIDDEN),
        kwargs=_approved,
        label="approved",
    ),
    UrlCase("benchmarking:return_history", seen_by(HOME_LA, hidden=DRAFT_HIDDEN), kwargs=_draft),
    UrlCase(
        "benchmarking:return_entry",
        seen_by(EDITORS, hidden=DRAFT_HIDDEN),
        kwargs=_draft,
        label="draft",
    ),
    UrlCase(
        "benchmarking:return_entry",
        seen_by(EDITORS, hidden=DRAFT_HIDDEN),
        kwargs=_not_started,
        label="not started",
    ),
    UrlCase(
        "benchmarking:return_entry",
        seen_by(EDITORS, hidden=APPROVED_HIDDEN),
        kwargs=_approved,
        label="approved (read-only)",
    ),
    UrlCase(
        "benchmarking:return_entry",
        seen_by(
            {"admin": 400, "programme_manager": 400, "performance_lead": 400},
            hidden=APPROVED_HIDDEN,
        ),
        kwargs=_approved,
        method="post",
        data={"action": "save"},
        label="post on an approved return",
    ),
    UrlCase(
        "benchmarking:return_entry_row",
        seen_by(EDITORS, hidden=DRAFT_HIDDEN),
        kwargs=lambda w: {**_not_started(w), "code": "CLA_RATE"},
        method="post",
        data={"CLA_RATE-numerator": "abc", "CLA_RATE-version": "new"},
        label="a bad value (the row again, with the error)",
    ),
    UrlCase(
        "benchmarking:return_template",
        seen_by(EDITORS, hidden=DRAFT_HIDDEN),
        kwargs=lambda w: {**_not_started(w), "fmt": "xlsx"},
    ),
    UrlCase(
        "benchmarking:return_upload",
        seen_by(
            {"admin": 400, "programme_manager": 400, "performance_lead": 400},
            hidden=DRAFT_HIDDEN,
        ),
        kwargs=_not_started,
        method="post",
        data={"nothing": "1"},
    ),
    UrlCase(
        "benchmarking:return_submit",
        seen_by(
            {"admin": 302, "programme_manager": 302, "performance_lead": 302},
            hidden=DRAFT_HIDDEN,
        ),
        kwargs=_draft,
        method="post",
    ),
    UrlCase(
        "benchmarking:return_approve",
        seen_by({"admin": 302, "programme_manager": 302}, hidden=DRAFT_HIDDEN),
        kwargs=lambda w: _draft(w, status="submitted"),
        method="post",
    ),
    UrlCase(
        "benchmarking:return_la_approve",
        seen_by({"admin": 400, "dcs": 400}, hidden=DRAFT_HIDDEN),
        kwargs=lambda w: _draft(w, status="submitted"),
        method="post",
        label="region approves alone (400)",
    ),
    UrlCase(
        "benchmarking:return_lock",
        seen_by({"admin": 302, "programme_manager": 302}, hidden=APPROVED_HIDDEN),
        kwargs=_approved,
        method="post",
    ),
    UrlCase(
        "benchmarking:return_reopen",
        seen_by({"admin": 302, "programme_manager": 302}, hidden=APPROVED_HIDDEN),
        kwargs=_approved,
        method="post",
        data={"reason": "Q1 referrals recounted"},
    ),
    UrlCase(
        "benchmarking:value_comment",
        seen_by(
            {"admin": 302, "programme_manager": 302, "performance_lead": 302},
            hidden=DRAFT_HIDDEN,
        ),
        kwargs=_with_warning,
        method="post",
        data={"comment": "A new front door team"},
    ),
]


# The analyst and staff personas where they differ from the defaults above (tests/world.py):
# the analyst holds the regional grant from a member's seat in peer_la; staff hold no role.
CASES = with_personas(
    CASES,
    {
        "GET benchmarking:bulk_template": {"analyst": 200},
        "GET benchmarking:bulk_upload": {"analyst": 200},
        "GET benchmarking:completeness": {"analyst": 200},
        "GET benchmarking:reporting_rate": {"analyst": 200},
        "POST benchmarking:return_la_approve[region approves alone (400)]": {"staff": 404},
        "GET benchmarking:reporting_rate_export": {"analyst": 200},
        "GET benchmarking:completeness_export": {"analyst": 200},
        "GET benchmarking:return_detail[approved]": {"analyst": 200, "staff": 404},
        "GET benchmarking:return_detail[draft]": {"analyst": 200, "staff": 404},
        "GET benchmarking:return_detail[not started]": {"analyst": 200, "staff": 404},
        "GET benchmarking:return_history": {"analyst": 200, "staff": 404},
        "GET benchmarking:return_entry[draft]": {"analyst": 200, "staff": 404},
        "GET benchmarking:return_entry[not started]": {"analyst": 200, "staff": 404},
        "GET benchmarking:return_entry[approved (read-only)]": {"analyst": 200, "staff": 404},
        "POST benchmarking:return_entry[post on an approved return]": {
            "analyst": 400,
            "staff": 404,
        },
        "POST benchmarking:return_entry_row[a bad value (the row again, with the error)]": {
            "analyst": 200,
            "staff": 404,
        },
        "GET benchmarking:return_template": {"analyst": 200, "staff": 404},
        "POST benchmarking:bulk_upload[post without a file]": {"analyst": 400},
        "POST benchmarking:return_approve": {"analyst": 302, "staff": 404},
        "POST benchmarking:return_lock": {"analyst": 302, "staff": 404},
        "POST benchmarking:return_reopen": {"staff": 404},
        "POST benchmarking:return_submit": {"analyst": 302, "staff": 404},
        "POST benchmarking:return_upload": {"analyst": 400, "staff": 404},
        "POST benchmarking:value_comment": {"analyst": 302, "staff": 404},
    },
)

# The "Are you sure?" page of each action (GET), answering as its POST (issue 14).
CASES += confirm_twins(
    CASES,
    {
        "benchmarking:return_lock",
        "benchmarking:return_reopen",
    },
)
