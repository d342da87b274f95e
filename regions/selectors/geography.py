"""Reads for geography: regions, LAs and their statistical neighbours (public reference data)."""

from django.db.models import Count, Q, QuerySet

from ..models import LocalAuthority, Region, StatisticalNeighbour


def region_list() -> QuerySet[Region]:
    return Region.objects.annotate(
        la_count=Count("local_authorities", filter=Q(local_authorities__is_active=True))
    ).order_by("name")


def la_list() -> QuerySet[LocalAuthority]:
    return LocalAuthority.objects.filter(is_active=True).select_related("region").order_by("name")


def la_list_rows() -> list[QuerySet]:
    """Every row the LA list's body reads (sli_portal.fragments: its stamp), unevaluated: the
    LAs and the regions (the table and the filter's choices)."""
    return [LocalAuthority.objects.all(), Region.objects.all()]


def la_detail(*, slug: str) -> LocalAuthority:
    """The LA with its region (the page's frame; its body reads the rest, lazily)."""
    return LocalAuthority.objects.select_related("region").get(slug=slug)


def la_neighbours(la: LocalAuthority) -> list[StatisticalNeighbour]:
    """The LA's 2025 statistical neighbours, nearest first, with their regions."""
    return list(
        StatisticalNeighbour.objects.filter(local_authority=la, model_year=2025)
        .select_related("neighbour__region")
        .order_by("rank")
    )


def la_page_rows(la: LocalAuthority) -> list[QuerySet]:
    """Every row the LA page's body reads (sli_portal.fragments: its stamp), unevaluated: the
    LAs and regions (names, neighbours, lifetimes), the LA's neighbour links, people and Ofsted
    inspections, and what each app's panel reads (regions.panels)."""
    from accounts.models import User

    from ..models import Membership, OfstedInspection
    from ..panels import la_panel_rows

    memberships = Membership.objects.filter(local_authority=la)
    return [
        LocalAuthority.objects.all(),
        LocalAuthority.predecessors.through.objects.all(),  # lifetimes: successors, predecessors
        Region.objects.all(),
        StatisticalNeighbour.objects.filter(local_authority=la),
        memberships,
        User.objects.filter(pk__in=memberships.values("user_id")),
        OfstedInspection.objects.filter(local_authority=la),
        *la_panel_rows(la),
    ]
