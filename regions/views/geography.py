"""Pages for geography: regions and local authorities (public reference data), with their
people for those who may see them."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from sli_portal import fragments
from sli_portal.access import can
from sli_portal.listing import filter_page

from .. import panels
from ..filters import LocalAuthorityFilter
from ..models import LocalAuthority, Region
from ..selectors import geography as selectors
from ..selectors import ofsted as ofsted_selectors
from ..selectors import people as people_selectors


@login_required
def region_list(request):
    return render(request, "regions/region_list.html", {"regions": selectors.region_list()})


@login_required
def region_detail(request, slug):
    region = get_object_or_404(Region, slug=slug)
    context = {
        "region": region,
        "local_authorities": people_selectors.region_las_with_leads(
            region=region, user=request.user
        ),
        "programme_managers": people_selectors.region_programme_managers(
            region=region, user=request.user
        ),
        "invitations": people_selectors.region_invitations(region=region, user=request.user),
        "can_see_people": can(request.user, "regions.view_people", region),
        "can_invite": can(request.user, "regions.invite_people", region),
    }
    return render(request, "regions/region_detail.html", context)


LA_PAGE_SIZE = 50


@login_required
def la_list(request):
    """Every LA, filtered, sorted and paginated (England has 153)."""
    la_filter = LocalAuthorityFilter(request.GET, queryset=selectors.la_list())
    listing = filter_page(request, la_filter, default="name", per_page=LA_PAGE_SIZE)
    page_obj = listing.page
    # The table is the same for every viewer: rendered once per content (the page's rows'
    # stamp) and kept in the cache; the rows are read every time, so an edit shows at once.
    stamp = selectors.la_rows_stamp(page_obj.object_list)
    context = {"filter": la_filter, "listing": listing, "page_obj": page_obj, "table_stamp": stamp}
    return render(request, "regions/la_list.html", context)


@login_required
def la_detail(request, slug):
    try:
        la = selectors.la_detail(slug=slug)
    except LocalAuthority.DoesNotExist:
        raise Http404("No such local authority.") from None
    user = request.user
    # The body is kept per version of its rows and per viewer (sli_portal.fragments): on a warm
    # cache none of the values below is computed.
    context = {
        "la": la,
        "body": fragments.Fragment(
            request,
            "regions:la_detail",
            lambda: selectors.la_page_rows(la),
            rows_key=(la.pk, la.region_id),
        ),
        "neighbours": fragments.lazy(lambda: selectors.la_neighbours(la)),
        "people": fragments.lazy(lambda: people_selectors.la_people(user=user, la=la)),
        "ofsted_inspections": fragments.lazy(lambda: ofsted_selectors.la_inspections(la)),
        # Issue 17: the LA page as a hub; each app adds its panel (regions/panels.py).
        "la_panels": fragments.lazy(lambda: panels.la_panels(request, la)),
        "can_end_roles": fragments.lazy(lambda: can(user, "regions.end_membership", la)),
    }
    return render(request, "regions/la_detail.html", context)
