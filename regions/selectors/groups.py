"""Reads for regional groups: the region's list and a group's page."""

from django.db.models import Count, Prefetch, QuerySet

from ..models import GroupAccountEntry, GroupAnnualAccount, Priority, Region, RegionalGroup


def groups_for_region(*, region: Region) -> QuerySet[RegionalGroup]:
    """The region's groups with their sponsor and member count (the page sorts and pages it)."""
    return (
        RegionalGroup.objects.filter(region=region)
        .select_related("sponsor")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("name")
    )


def group_for_page(*, pk: int) -> RegionalGroup:
    return (
        RegionalGroup.objects.select_related("region", "sponsor")
        .prefetch_related(
            "members",
            Prefetch(
                "priorities",
                queryset=Priority.objects.select_related("plan").order_by("plan", "number"),
            ),
            Prefetch(
                "accounts",
                queryset=GroupAnnualAccount.objects.select_related("submitted_by").prefetch_related(
                    Prefetch(
                        "entries", queryset=GroupAccountEntry.objects.select_related("priority")
                    )
                ),
            ),
        )
        .get(pk=pk)
    )
