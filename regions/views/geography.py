"""Pages for geography: regions and local authorities (public reference data), with their
people for those who may see them."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from sli_portal.access import can

from ..filters import LocalAuthorityFilter
from ..models import LocalAuthority, Region
from ..selectors import geography as selectors
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
    page_obj = Paginator(la_filter.qs, LA_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "regions/la_list.html", {"filter": la_filter, "page_obj": page_obj})


@login_required
def la_detail(request, slug):
    try:
        la = selectors.la_detail(slug=slug)
    except LocalAuthority.DoesNotExist:
        raise Http404("No such local authority.") from None
    context = {"la": la, "people": people_selectors.la_people(user=request.user, la=la)}
    return render(request, "regions/la_detail.html", context)
