from django.urls import path

from .views import (
    approvals,
    common,
    entry,
    indicators,
    regions,
    reporting,
    returns,
    validation_rules,
)
from .views import exceptions as exception_views
from .views import priority_links as priority_views
from .views import reports as report_views

app_name = "benchmarking"

RETURN = "benchmarking/returns/<slug:la_slug>/<slug:period_slug>/"
REGION = "benchmarking/regions/<slug:region_slug>/"

urlpatterns = [
    path(
        "benchmarking/priorities/<int:pk>/indicators/",
        priority_views.priority_indicator_link,
        name="priority_indicator_link",
    ),
    path(
        "benchmarking/priorities/<int:pk>/indicators/<slug:code>/unlink/",
        priority_views.priority_indicator_unlink,
        name="priority_indicator_unlink",
    ),
    path("benchmarking/", regions.index, name="index"),
    path("benchmarking/indicators/", indicators.indicator_list, name="indicator_list"),
    path(
        "benchmarking/indicators/<slug:code>/", indicators.indicator_detail, name="indicator_detail"
    ),
    path("benchmarking/published/import/", indicators.published_import, name="published_import"),
    path(REGION + "windows/", regions.window_edit, name="window_edit"),
    path(REGION + "indicators/new/", indicators.indicator_create, name="indicator_create"),
    path(REGION + "reporting-rate/", reporting.reporting_rate, name="reporting_rate"),
    path(REGION + "approval/", approvals.approval_setting, name="approval_setting"),
    path(REGION + "rules/", validation_rules.validation_rules, name="validation_rules"),
    path(REGION + "rules/new/", validation_rules.validation_rule_new, name="validation_rule_new"),
    path(
        REGION + "rules/<int:pk>/off/",
        validation_rules.validation_rule_off,
        name="validation_rule_off",
    ),
    path(REGION + "ranges/new/", validation_rules.expected_range_new, name="expected_range_new"),
    path(
        REGION + "ranges/<int:pk>/off/",
        validation_rules.expected_range_off,
        name="expected_range_off",
    ),
    path(
        REGION + "reporting-rate.<str:fmt>",
        reporting.reporting_rate_export,
        name="reporting_rate_export",
    ),
    path(REGION + "<slug:period_slug>/", regions.completeness, name="completeness"),
    path(
        REGION + "<slug:period_slug>/returns.<str:fmt>",
        regions.completeness_export,
        name="completeness_export",
    ),
    path(REGION + "<slug:period_slug>/upload/", regions.bulk_upload, name="bulk_upload"),
    path("benchmarking/uploads/<int:pk>/", regions.upload_check, name="upload_check"),
    path(
        REGION + "<slug:period_slug>/template.<str:fmt>",
        regions.bulk_template,
        name="bulk_template",
    ),
    path(RETURN, returns.return_detail, name="return_detail"),
    path(RETURN + "history/", returns.return_history, name="return_history"),
    path(RETURN + "entry/", entry.return_entry, name="return_entry"),
    path(RETURN + "entry/<slug:code>/", entry.return_entry_row, name="return_entry_row"),
    path(RETURN + "template.<str:fmt>", returns.return_template, name="return_template"),
    path(RETURN + "upload/", returns.return_upload, name="return_upload"),
    path(RETURN + "submit/", returns.return_submit, name="return_submit"),
    path(RETURN + "approve/", returns.return_approve, name="return_approve"),
    path(RETURN + "la-approve/", approvals.return_la_approve, name="return_la_approve"),
    path(RETURN + "lock/", returns.return_lock, name="return_lock"),
    path(RETURN + "reopen/", returns.return_reopen, name="return_reopen"),
    path(RETURN + "values/<slug:code>/comment/", returns.value_comment, name="value_comment"),
    path(
        "benchmarking/upload-problems/<str:token>.csv", common.upload_issues, name="upload_issues"
    ),
]


# --- Reports: their own namespace "benchmarking_reports", which sli_portal/urls.py includes at
# benchmarking/reports/ as include((reports_urlpatterns, "benchmarking_reports")).
reports_urlpatterns = [
    path("", report_views.reports_home, name="home"),
    path("<slug:region_slug>/rug/", report_views.rug_page, name="rug"),
    path("<slug:region_slug>/rug/export/", report_views.rug_export, name="rug_export"),
    path(
        "<slug:region_slug>/datapacks/export/",
        report_views.region_pack_export,
        name="region_pack_export",
    ),
    path("<slug:region_slug>/exceptions/", exception_views.exceptions_page, name="exceptions"),
    path(
        "<slug:region_slug>/exceptions.<str:fmt>",
        exception_views.exceptions_export,
        name="exceptions_export",
    ),
    path("la/<slug:la_slug>/datapack/", report_views.datapack_page, name="datapack"),
    path(
        "la/<slug:la_slug>/datapack/export/", report_views.datapack_export, name="datapack_export"
    ),
    path(
        "la/<slug:la_slug>/narratives/<slug:period_slug>/<slug:indicator_code>/",
        report_views.narrative_edit,
        name="narrative_edit",
    ),
    path("builds/<int:build_id>/", report_views.build_status, name="build_status"),
    path("builds/<int:build_id>/download/", report_views.build_download, name="build_download"),
    path("builds/<int:build_id>/retry/", report_views.build_retry, name="build_retry"),
]
