from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sli_portal.admin import ReadOnlyAdminMixin

from .models import Delegate, Event, ExternalDate, Notice


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["title", "region", "kind", "starts_at", "status"]
    list_filter = ["region", "kind", "status"]
    search_fields = ["title"]


@admin.register(Delegate)
class DelegateAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "event", "local_authority", "status"]
    list_filter = ["status"]
    search_fields = ["full_name", "email"]
    raw_id_fields = ["event", "user", "registered_by"]


@admin.register(ExternalDate)
class ExternalDateAdmin(admin.ModelAdmin):
    list_display = ["title", "date", "region"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["kind", "email", "occasion", "status", "sent_at", "skipped_reason"]
    list_filter = ["kind", "status"]
