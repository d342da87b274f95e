"""Administrators maintain indicators, rules and windows here. Returns and values are read-only:
they change only through the services (upload, submit, approve, reopen), which keep history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sli_portal.admin import ReadOnlyAdminMixin

from .models import (
    ApprovalSetting,
    ChaseEmail,
    ExpectedRange,
    Indicator,
    Period,
    Return,
    ReturnWindow,
    Upload,
    ValidationRule,
    Value,
)


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = (
        "code",
        "short_name",
        "unit",
        "polarity",
        "theme",
        "is_core",
        "region",
        "is_active",
    )
    list_filter = ("theme", "is_core", "unit", "polarity", "is_active", "region")
    search_fields = ("code", "name", "short_name")


@admin.register(ValidationRule)
class ValidationRuleAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "region",
        "left_indicator",
        "comparison",
        "right_indicator",
        "is_active",
    )
    list_filter = ("is_active", "region")
    list_select_related = ("region", "left_indicator", "right_indicator")


@admin.register(ExpectedRange)
class ExpectedRangeAdmin(SimpleHistoryAdmin):
    """A region's expected range for an indicator (programme managers edit them on the rules
    page, with a preview; here for administrators, with their history)."""

    list_display = ("indicator", "region", "kind", "minimum", "maximum", "is_active")
    list_filter = ("kind", "is_active", "region")
    list_select_related = ("indicator", "region")


@admin.register(ApprovalSetting)
class ApprovalSettingAdmin(SimpleHistoryAdmin):
    list_display = ("region", "dcs_approval")
    list_select_related = ("region",)


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "fiscal_year", "quarter", "start", "end")
    list_filter = ("kind",)


@admin.register(ReturnWindow)
class ReturnWindowAdmin(admin.ModelAdmin):
    list_display = ("region", "period", "opens_on", "due_on", "locks_on")
    list_filter = ("region",)
    list_select_related = ("region", "period")


@admin.register(Return)
class ReturnAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("local_authority", "period", "source", "status", "submitted_at", "approved_at")
    list_filter = ("source", "status", "local_authority__region")
    list_select_related = ("local_authority", "period")
    search_fields = ("local_authority__name",)


@admin.register(Value)
class ValueAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("return_obj", "indicator", "value", "numerator", "denominator", "suppression")
    list_filter = ("indicator", "return_obj__source")
    list_select_related = ("return_obj__local_authority", "return_obj__period", "indicator")
    search_fields = ("return_obj__local_authority__name", "indicator__code")


@admin.register(Upload)
class UploadAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "file_name",
        "uploaded_by",
        "local_authority",
        "region",
        "period",
        "rows",
        "values_changed",
        "created_at",
    )
    list_select_related = ("uploaded_by", "local_authority", "region", "period")


@admin.register(ChaseEmail)
class ChaseEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("local_authority", "period", "occasion", "status", "sent_at")
    list_select_related = ("local_authority", "period")
