from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sli_portal.admin import ReadOnlyAdminMixin

from .models import (
    Action,
    FundingContribution,
    Invitation,
    LocalAuthority,
    Membership,
    OptInEmail,
    Plan,
    Priority,
    ProgressUpdate,
    PublicProfile,
    Region,
    RegionalGroup,
    StatisticalNeighbour,
    Subscriber,
    Tag,
    Theme,
    Update,
    UpdateEmail,
    Vote,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "slug")
    search_fields = ("name", "code")
    prepopulated_fields = {"slug": ("name",)}


class NeighbourInline(admin.TabularInline):
    model = StatisticalNeighbour
    fk_name = "local_authority"
    extra = 0
    autocomplete_fields = ("neighbour",)
    ordering = ("model_year", "rank")


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ("name", "gss_code", "dfe_code", "la_type", "region", "is_active")
    list_filter = ("region", "la_type", "is_active")
    search_fields = ("name", "gss_code", "dfe_code")
    list_select_related = ("region",)
    inlines = [NeighbourInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "region", "local_authority", "position")
    list_filter = ("role", "region", "position")
    search_fields = ("user__email", "user__full_name", "local_authority__name")
    autocomplete_fields = ("user", "local_authority")
    list_select_related = ("user", "region", "local_authority")


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Invitations are made, resent and withdrawn on the region's people page (which checks the
    role, emails the link and records who invited): here they are only shown."""

    list_display = (
        "email",
        "role",
        "region",
        "local_authority",
        "created_at",
        "status",
        "sent_at",
        "accepted_at",
    )
    list_filter = ("role", "status")
    search_fields = ("email", "full_name")
    readonly_fields = (
        "status",
        "attempts",
        "sent_at",
        "skipped_reason",
        "accepted_at",
        "accepted_by",
        "created_at",
    )
    list_select_related = ("region", "local_authority")


# --- plans (edited in the portal; the admin is for support and corrections) ----------------


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ("title", "region", "start_year", "end_year", "status", "is_current")
    list_filter = ("region", "status", "is_current")
    search_fields = ("title",)


@admin.register(Theme, Priority, Action, ProgressUpdate, FundingContribution)
class PlanPartAdmin(SimpleHistoryAdmin):
    pass


@admin.register(RegionalGroup, Vote)
class PlanGroupVoteAdmin(admin.ModelAdmin):
    pass


# --- regional updates -------------------------------------------------------------------------


@admin.register(Update)
class UpdateAdmin(SimpleHistoryAdmin):
    """Written, published and sent on the region's updates pages (which compose, sanitise and
    check who may): here they are shown with their history."""

    list_display = ("title", "region", "status", "publish_date", "is_public")
    list_filter = ("status", "region")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PublicProfile)
class PublicProfileAdmin(SimpleHistoryAdmin):
    list_display = ("region", "is_enabled", "noindex", "show_contact")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")


@admin.register(Subscriber)
class SubscriberAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("email", "region", "confirmed_at", "unsubscribed_at")
    list_filter = ("region",)


@admin.register(UpdateEmail, OptInEmail)
class UpdateOutboxAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Outbox rows of the email edition and of subscription confirmations: shown, never edited."""

    list_display = ("__str__", "status", "created_at", "sent_at", "skipped_reason")
    list_filter = ("status",)
