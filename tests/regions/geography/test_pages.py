from django.urls import reverse

from regions.models import Role
from tests.helpers import assert_query_count_flat
from tests.regions.factories import (
    LocalAuthorityFactory,
    MembershipFactory,
    StatisticalNeighbourFactory,
)


def test_la_list_filters_by_region_type_and_name(world, client_for):
    LocalAuthorityFactory(name="Torbay", slug="torbay", region=world.region, la_type="UA")
    LocalAuthorityFactory(name="Kent", slug="kent", region=world.other_region, la_type="SC")
    client = client_for(world.users["member"])
    url = reverse("regions:la_list")

    by_region = client.get(url, {"region": world.region.pk}).content.decode()
    assert "Torbay" in by_region and "Somerset" in by_region and "Kent" not in by_region

    by_type = client.get(url, {"la_type": "SC"}).content.decode()
    assert "Kent" in by_type and "Torbay" not in by_type

    by_name = client.get(url, {"name": "tor"}).content.decode()
    assert "Torbay" in by_name and "Somerset" not in by_name
    assert "1 local authority" in by_name


def test_la_page_shows_neighbours_in_rank_order_with_closeness(world, client_for):
    second = LocalAuthorityFactory(name="Wiltshire", slug="wiltshire", region=world.region)
    StatisticalNeighbourFactory(
        local_authority=world.home_la, neighbour=second, rank=2, closeness="close"
    )
    StatisticalNeighbourFactory(
        local_authority=world.home_la, neighbour=world.other_la, rank=1, closeness="extremely_close"
    )
    html = (
        client_for(world.users["outsider"]).get(world.home_la.get_absolute_url()).content.decode()
    )
    assert html.index("Bracknell Forest") < html.index("Wiltshire")
    assert "Extremely close" in html


def test_la_page_shows_people_to_its_region_only(world, client_for):
    url = world.home_la.get_absolute_url()
    inside = client_for(world.users["peer_dcs"]).get(url).content.decode()
    assert "dcs@example.org" in inside and "Dan Clarke" in inside
    outside = client_for(world.users["outsider"]).get(url).content.decode()
    assert "dcs@example.org" not in outside and "Dan Clarke" not in outside
    assert "Somerset" in outside


def test_region_page_shows_dcs_and_lead_per_la_to_its_members_only(world, client_for):
    url = world.region.get_absolute_url()
    inside = client_for(world.users["member"]).get(url).content.decode()
    assert "Dan Clarke" in inside and "Pat Lewis" in inside and "Priya Mandal" in inside
    outside = client_for(world.users["outsider"]).get(url).content.decode()
    assert "Dan Clarke" not in outside and "Priya Mandal" not in outside
    assert "Somerset" in outside and "Devon" in outside


def test_only_the_regions_programme_manager_sees_invite_and_pending_invitations(world, client_for):
    url = world.region.get_absolute_url()
    pm_page = client_for(world.users["programme_manager"]).get(url).content.decode()
    assert "Invite someone" in pm_page and "Invitations not yet accepted" in pm_page
    dcs_page = client_for(world.users["dcs"]).get(url).content.decode()
    assert "Invite someone" not in dcs_page and "Invitations not yet accepted" not in dcs_page


def test_navigation_by_role(world, client_for):
    admin_nav = client_for(world.users["admin"]).get(reverse("dashboard")).content.decode()
    assert ">Admin<" in admin_nav
    dcs_nav = client_for(world.users["dcs"]).get(reverse("dashboard")).content.decode()
    assert ">Admin<" not in dcs_nav and ">Local authorities<" in dcs_nav


def test_programme_manager_dashboard_lists_las_missing_a_dcs_or_lead(world, client_for):
    html = client_for(world.users["programme_manager"]).get(reverse("dashboard")).content.decode()
    assert "Devon has no performance lead" in html
    assert "Somerset has no" not in html
    assert "Bracknell Forest" not in html


def test_dashboard_tells_a_user_with_no_role_what_to_do(db, client_for):
    from tests.accounts.factories import UserFactory

    html = client_for(UserFactory()).get(reverse("dashboard")).content.decode()
    assert "programme manager to invite you" in html


def test_la_list_table_is_cached_by_its_content_so_an_edit_shows_at_once(world, client_for):
    """The body is kept under its rows' stamp (regions.selectors.geography.la_list_rows)."""
    from regions.models import LocalAuthority, Region

    client = client_for(world.users["dcs"])
    url = reverse("regions:la_list")
    assert "Somerset" in client.get(url).content.decode()
    LocalAuthority.objects.filter(pk=world.home_la.pk).update(name="Somerset Council")
    Region.objects.filter(pk=world.region.pk).update(name="South West England")
    page = client.get(url).content.decode()
    assert "Somerset Council" in page and "South West England" in page
    filtered = client.get(url, {"region": world.other_region.pk}).content.decode()
    assert "Bracknell Forest" in filtered and "Somerset" not in filtered


# --- query counts: flat as the data grows ----------------------------------------------------


def test_la_list_query_count_is_flat(world, client_for):
    client = client_for(world.users["dcs"])

    def grow(n):
        from regions.models import LocalAuthority

        for _ in range(n - LocalAuthority.objects.count()):
            LocalAuthorityFactory(region=world.region)

    # Warm: the frame and the body's stamp (the count, the page and the filter's regions are
    # read only when the body is rendered).
    assert_query_count_flat(client, reverse("regions:la_list"), grow, small=15, large=150, budget=3)


def test_la_page_query_count_is_flat(world, client_for):
    client = client_for(world.users["peer_dcs"])

    def grow(n):
        from regions.models import StatisticalNeighbour

        existing = StatisticalNeighbour.objects.filter(local_authority=world.home_la).count()
        for rank in range(existing + 1, min(n, 10) + 1):
            StatisticalNeighbourFactory(
                local_authority=world.home_la, neighbour=LocalAuthorityFactory(), rank=rank
            )
        for _ in range(n * 3):
            MembershipFactory(role=Role.MEMBER, local_authority=world.home_la)

    assert_query_count_flat(
        # 10 before the LA page became a hub (issue 17): its panels read priorities and
        # funding (2), returns (1), self-assessments and triads (2), upcoming events (1).
        client,
        world.home_la.get_absolute_url(),
        grow,
        small=1,
        large=10,
        budget=16,
    )


def test_region_page_query_count_is_flat(world, client_for):
    client = client_for(world.users["programme_manager"])

    def grow(n):
        for _ in range(n):
            la = LocalAuthorityFactory(region=world.region)
            MembershipFactory(role=Role.DCS, local_authority=la)
            MembershipFactory(role=Role.PERFORMANCE_LEAD, local_authority=la)

    assert_query_count_flat(
        client, world.region.get_absolute_url(), grow, small=3, large=30, budget=4
    )


def test_dashboard_query_count_is_flat(world, client_for):
    client = client_for(world.users["programme_manager"])

    def grow(n):
        for _ in range(n):
            LocalAuthorityFactory(region=world.region)

    # The budget covers every module's dashboard section, not just regions'.
    assert_query_count_flat(client, reverse("dashboard"), grow, small=3, large=30, budget=10)


def test_only_the_closest_navigation_entry_is_marked_current(world, client_for):
    # Reports live under /benchmarking/reports/, inside Data returns' /benchmarking/.
    response = client_for(world.users["dcs"]).get(reverse("benchmarking_reports:home"), follow=True)
    html = response.content.decode()
    main_nav = html[html.index('aria-label="Main"') : html.index("</nav>")]
    assert main_nav.count('aria-current="page"') == 1
    assert (
        'aria-current="page"><strong class="govuk-service-navigation__active-fallback">Reports<'
        in main_nav
    )


def test_the_administrators_dashboard_does_not_send_them_to_a_programme_manager(world, client_for):
    html = client_for(world.users["admin"]).get(reverse("dashboard")).content.decode()
    assert "programme manager to invite you" not in html
    assert "You are an administrator" in html
    assert 'href="/admin/">Go to the admin</a>' in html


def test_the_la_list_sorts_and_is_paginated(world, client_for):
    from tests.regions.factories import LocalAuthorityFactory

    for n in range(55):
        LocalAuthorityFactory(name=f"Zed Borough {n:02d}", region=world.region)
    client = client_for(world.users["dcs"])
    first = client.get(reverse("regions:la_list")).content.decode()
    assert "58 local authorities" in first
    assert "Showing 1 to 50 of 58" in first
    assert 'aria-label="Page 2"' in first
    assert first.index(">Bracknell Forest<") < first.index(">Devon<")
    reverse_sorted = client.get(reverse("regions:la_list") + "?sort=-name").content.decode()
    assert "Zed Borough 54" in reverse_sorted and "Bracknell Forest" not in reverse_sorted
    second = client.get(reverse("regions:la_list") + "?sort=-name&page=2").content.decode()
    assert ">Bracknell Forest<" in second
    assert "sort=-name&amp;page=1" in second, "the page links keep the sort"
