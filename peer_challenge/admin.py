from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sli_portal.admin import ReadOnlyAdminMixin

from .models import Challenge, Cycle, Finding, ModeratorAssignment, Notice, SelfAssessment


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ("title", "region", "kind", "year", "status")
    list_filter = ("kind", "status", "region")


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ("local_authority", "cycle", "status")
    list_filter = ("status", "cycle__region")


@admin.register(ModeratorAssignment)
class ModeratorAssignmentAdmin(admin.ModelAdmin):
    list_display = ("self_assessment", "moderator", "moderator_la", "comments_released_at")


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ("cycle", "kind", "status")


@admin.register(Challenge)
class ChallengeAdmin(SimpleHistoryAdmin):
    list_display = ("cycle", "home_la", "status", "date")


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("occasion", "recipient", "self_assessment", "status", "sent_at")
    list_filter = ("occasion", "status")
