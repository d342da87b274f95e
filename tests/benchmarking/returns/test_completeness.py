import datetime

from django.urls import reverse
from django.utils import timezone

from benchmarking import services, tasks
from benchmarking.models import Return
from regions.models import LocalAuthority
from sli_portal.dashboard import sections_for
from tests.benchmarking.factories import return_rows, to_csv
from tests.benchmarking.factories import upload_return as _upload
from tests.helpers import assert_query_count_flat
from tests.regions.factories import LocalAuthorityFactory


def test_grid_shows_each_la_status_and_whether_it_was_late(world, quarter, client_for):
    _upload(world, quarter, world.home_la)
    ret = Return.objects.get(local_authority=world.home_la)
    services.return_submit(actor=world.users["performance_lead"], return_id=ret.pk)
    # Devon submitted after the due date.
    _upload(world, quarter, world.peer_la)
    late = Return.objects.get(local_authority=world.peer_la)
    services.return_submit(actor=world.users["programme_manager"], return_id=late.pk)
    Return.objects.filter(pk=late.pk).update(
        submitted_at=timezone.now() + datetime.timedelta(days=30)
    )
    LocalAuthorityFactory(region=world.region, name="Dorset")
    response = client_for(world.users["dcs"]).get(
        reverse(
            "benchmarking:completeness",
            kwargs={"region_slug": world.region.slug, "period_slug": quarter.slug},
        )
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "0 approved, 2 submitted, 0 in draft,\n  1 not started; 1 late." in text
    somerset = text[text.index(">Somerset<") :][:400]
    assert "Submitted" in somerset
    assert "On time" in somerset
    devon = text[text.index(">Devon<") :][:400]
    assert "Late" in devon
    assert "Not started" in text[text.index(">Dorset<") :][:300]


def test_completeness_grid_query_count_is_flat_from_10_to_153_las(world, quarter, client_for):
    region = world.region

    def grow(n):
        existing = LocalAuthority.objects.filter(region=region).count()
        for _ in range(n - existing):
            la = LocalAuthorityFactory(region=region)
            Return.objects.create(local_authority=la, period=quarter)

    client = client_for(world.users["programme_manager"])
    url = reverse(
        "benchmarking:completeness",
        kwargs={"region_slug": region.slug, "period_slug": quarter.slug},
    )
    assert_query_count_flat(client, url, grow, small=10, large=153, budget=10)


def test_return_page_query_count_is_flat_as_history_grows(world, quarter, client_for):
    client = client_for(world.users["performance_lead"])
    url = reverse(
        "benchmarking:return_detail",
        kwargs={"la_slug": world.home_la.slug, "period_slug": quarter.slug},
    )
    uploads = {"n": 0}

    def grow(n):
        while uploads["n"] < n:
            uploads["n"] += 1
            services.return_upload(
                actor=world.users["performance_lead"],
                period=quarter,
                file_name=f"r{uploads['n']}.csv",
                data=to_csv(return_rows(world.home_la, quarter, scale=1 + uploads["n"] / 100)),
                local_authority=world.home_la,
            )

    assert_query_count_flat(client, url, grow, small=1, large=4, budget=16)


def test_dashboard_asks_the_lead_for_the_return_and_the_manager_to_approve(world, quarter):
    [lead_section] = sections_for(world.users["performance_lead"])[-1:]
    assert any(
        item.text == f"Somerset: {quarter.label} return" and item.badge == "Due"
        for item in lead_section.items
    )
    _upload(world, quarter, world.home_la)
    services.return_submit(
        actor=world.users["performance_lead"],
        return_id=Return.objects.get(local_authority=world.home_la).pk,
    )
    pm_items = [i.text for s in sections_for(world.users["programme_manager"]) for i in s.items]
    assert f"South West {quarter.label}: 1 returns to approve" in pm_items
    assert not any(
        "return" in s.title.lower() for s in sections_for(world.users["outsider"]) if s.items
    )


def test_approved_returns_lock_after_the_lock_date(world, quarter):
    _upload(world, quarter, world.home_la)
    ret = Return.objects.get(local_authority=world.home_la)
    services.return_submit(actor=world.users["performance_lead"], return_id=ret.pk)
    services.return_approve(actor=world.users["programme_manager"], return_id=ret.pk)
    assert tasks.lock_due_returns.delay().get() == 0
    quarter.windows.filter(region=world.region).update(
        opens_on=timezone.localdate() - datetime.timedelta(days=60),
        due_on=timezone.localdate() - datetime.timedelta(days=30),
        locks_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert tasks.lock_due_returns.delay().get() == 1
    ret.refresh_from_db()
    assert ret.status == "locked"


def test_demo_builder_is_idempotent_and_builds_eight_quarters(db, monkeypatch):
    from benchmarking.domain.published import published_files_default
    from benchmarking.models import Value
    from benchmarking.seed import demo as benchmarking_demo
    from regions.seed import demo as regions_demo
    from sli_portal import demo

    # The shipped files minus the biggest ones keep this test fast; the import has its own.
    shipped = published_files_default()
    monkeypatch.setattr(
        benchmarking_demo,
        "published_files_default",
        lambda: [f for f in shipped if not f[0].startswith(("la_care_leavers", "b1_", "d5_"))],
    )

    context = regions_demo.build_people()
    for builder in demo.builders():
        builder(context)
    returns = Return.objects.filter(source="return")
    assert returns.values("period").distinct().count() == 8
    assert set(returns.values_list("status", flat=True)) == {
        "draft",
        "submitted",
        "approved",
        "locked",
    }
    count = Value.objects.count()
    for builder in demo.builders():
        builder(context)
    assert Value.objects.count() == count


def _completeness_url(world, quarter):
    return reverse(
        "benchmarking:completeness",
        kwargs={"region_slug": world.region.slug, "period_slug": quarter.slug},
    )


def test_a_warm_completeness_grid_asks_four_questions_from_10_to_153_las(
    world, quarter, client_for
):
    """The frame's user row, the region, the quarter and the stamp of the cached body."""
    region = world.region

    def grow(n):
        existing = LocalAuthority.objects.filter(region=region).count()
        for _ in range(n - existing):
            la = LocalAuthorityFactory(region=region)
            Return.objects.create(local_authority=la, period=quarter)

    client = client_for(world.users["programme_manager"])
    small, large = assert_query_count_flat(
        client, _completeness_url(world, quarter), grow, small=10, large=153, budget=4
    )
    assert small == large == 4


def test_the_grid_shows_a_submission_and_a_bare_update_on_the_next_request(
    world, quarter, client_for
):
    client = client_for(world.users["programme_manager"])
    url = _completeness_url(world, quarter)
    _upload(world, quarter, world.home_la)
    ret = Return.objects.get(local_authority=world.home_la)
    assert "0 approved, 0 submitted, 1 in draft" in client.get(url).content.decode()
    assert "0 approved, 0 submitted, 1 in draft" in client.get(url).content.decode()  # cached
    services.return_submit(actor=world.users["performance_lead"], return_id=ret.pk)
    assert "0 approved, 1 submitted, 0 in draft" in client.get(url).content.decode()
    Return.objects.filter(pk=ret.pk).update(status="approved")
    assert "1 approved, 0 submitted, 0 in draft" in client.get(url).content.decode()
    LocalAuthority.objects.filter(pk=world.home_la.pk).update(name="Somerset Council")
    assert ">Somerset Council<" in client.get(url).content.decode()


def test_each_viewer_gets_their_own_grid(world, quarter):
    """The programme manager may set the window, a region member may not, whoever's page was
    cached first."""
    from django.test import Client

    url = _completeness_url(world, quarter)
    for persona in ("programme_manager", "member", "programme_manager", "member"):
        client = Client()
        client.force_login(world.users[persona])
        html = client.get(url).content.decode()
        assert ("Set a return window" in html) is (persona == "programme_manager"), persona
