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
    user = request.user
    # The body is kept per version of its rows and per viewer (sli_portal.fragments): on a warm
    # cache none of the values below is computed. The body reads the region again after the
    # stamp: never older than the stamp it is kept under.
    context = {
        "region": region,
        "page_region": fragments.lazy(lambda: Region.objects.get(pk=region.pk)),
        "body": fragments.Fragment(
            request,
            "regions:region_detail",
            lambda: people_selectors.region_page_rows(region),
            rows_key=(region.pk,),
        ),
        "local_authorities": fragments.lazy(
            lambda: people_selectors.region_las_with_leads(region=region, user=user)
        ),
        "programme_managers": fragments.lazy(
            lambda: people_selectors.region_programme_managers(region=region, user=user)
        ),
        "invitations": fragments.lazy(
            lambda: people_selectors.region_invitations(region=region, user=user)
        ),
        "can_see_people": fragments.lazy(lambda: can(user, "regions.view_people", region)),
        "can_invite": fragments.lazy(lambda: can(user, "regions.invite_people", region)),
    }
    return render(request, "regions/region_detail.html", context)


LA_PAGE_SIZE = 50


@login_required
def la_list(request):
    """Every LA, filtered, sorted and paginated (England has 153)."""
    # The body (the filter's form, the count, the table) is kept per version of the LAs and
    # regions, per viewer and per address (filter, sort and page: sli_portal.fragments): on a
    # warm cache nothing below is read.
    la_filter = LocalAuthorityFilter(request.GET, queryset=selectors.la_list())
    listing = fragments.lazy(
        lambda: filter_page(request, la_filter, default="name", per_page=LA_PAGE_SIZE)
    )
    context = {
        "body": fragments.Fragment(request, "regions:la_list", selectors.la_list_rows, rows_key=()),
        "filter": la_filter,
        "listing": listing,
        "page_obj": fragments.lazy(lambda: listing().page),
    }
    return render(request, "regions/la_list.html", context)


@login_required
def la_detail(request, slug):
    try:
        la = selectors.la_detail(slug=slug)
    except LocalAuthority.DoesNotExist:
        raise Http404("No such local authority.") from None
    user = request.user
    # The body is kept per version of its rows and per viewer (sli_portal.fragments): on a warm
    # cache none of the values below is computed. The body reads the LA again after the stamp
    # (`page_la`), so it is never older than the stamp it is kept under; `la` is for the title.
    page_la = fragments.lazy(lambda: selectors.la_detail(slug=slug))
    context = {
        "la": la,
        "page_la": page_la,
        "body": fragments.Fragment(
            request,
            "regions:la_detail",
            lambda: selectors.la_page_rows(la),
            rows_key=(la.pk, la.region_id),
        ),
        "neighbours": fragments.lazy(lambda: selectors.la_neighbours(la)),
        "people": fragments.lazy(lambda: people_selectors.la_people(user=user, la=page_la())),
        "ofsted_inspections": fragments.lazy(lambda: ofsted_selectors.la_inspections(la)),
        # Issue 17: the LA page as a hub; each app adds its panel (regions/panels.py).
        "la_panels": fragments.lazy(lambda: panels.la_panels(request, page_la())),
        "can_end_roles": fragments.lazy(lambda: can(user, "regions.end_membership", page_la())),
    }
    return render(request, "regions/la_detail.html", context)
