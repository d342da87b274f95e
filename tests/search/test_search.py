"""The header's search: terms planted in every region, searched as every persona; no hit is a
page the searcher cannot open, and each finds what their role lets them see. Typos in names,
returns by LA and quarter, and the query count flat at two data sizes."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from benchmarking.models import Return, Status
from events.models import EventStatus
from peer_challenge.models import Finding
from regions.models import Membership, PlanStatus, Role, Update, UpdateStatus
from sli_portal import search
from tests.accounts.factories import UserFactory
from tests.benchmarking.factories import open_quarter
from tests.events.factories import EventFactory
from tests.helpers import assert_query_count_flat
from tests.peer_challenge.factories import annual_cycle
from tests.regions.factories import (
    ActionFactory,
    GroupFactory,
    LocalAuthorityFactory,
    MembershipFactory,
    PlanFactory,
    PriorityFactory,
    ThemeFactory,
)
from tests.world import PERSONAS

pytestmark = pytest.mark.django_db

TERM = "Kestrel"


def _plant(world, region, la, tag):
    """One of everything searchable in `region`, each named with TERM and the region's tag."""
    plan = PlanFactory(region=region, is_current=True, status=PlanStatus.AGREED)
    priority = PriorityFactory(
        theme=ThemeFactory(plan=plan), title=f"{TERM} priority {tag}", description="neglect"
    )
    ActionFactory(priority=priority, title=f"Map the {TERM} services {tag}")
    GroupFactory(region=region, name=f"{TERM} group {tag}", remit="performance")
    EventFactory(region=region, title=f"{TERM} summit {tag}")
    EventFactory(region=region, title=f"{TERM} draft {tag}", status=EventStatus.DRAFT)
    cycle = annual_cycle(world, region=region, title=f"Cycle {tag}")
    Finding.objects.create(
        cycle=cycle, kind="theme", text=f"{TERM} finding {tag}", created_by=world.users["admin"]
    )
    person = UserFactory(full_name=f"Kim {TERM} {tag}", email=f"kim.{tag}@example.org")
    MembershipFactory(user=person, role=Role.MEMBER, local_authority=la)
    _updates(region, tag)
    period = open_quarter(region)
    Return.objects.get_or_create(
        local_authority=la, period=period, defaults={"status": Status.DRAFT}
    )
    return period


def _updates(region, tag):
    """A published public update, a published one for signed-in people only, and a draft."""

    def update(title, *, published=True, public=True, body=""):
        Update.objects.create(
            region=region,
            title=title,
            summary="News from the region",
            body=body,
            is_public=public,
            status=UpdateStatus.PUBLISHED if published else UpdateStatus.DRAFT,
            publish_date=timezone.localdate() if published else None,
            published_at=timezone.now() if published else None,
        )

    update(f"{TERM} update {tag}", body="## Summit\n\nThe safeguarding summit in Taunton.")
    update(f"{TERM} members update {tag}", public=False)
    update(f"{TERM} draft update {tag}", published=False)


def _planted_world(world):
    _plant(world, world.region, world.home_la, "south-west")
    _plant(world, world.other_region, world.other_la, "south-east")
    LocalAuthorityFactory(name=f"{TERM}ton", slug="kestrelton", region=world.other_region)


def _hits(user, query):
    return {(g.label, h.title): h.url for g in search.search(user, query) for h in g.hits}


def _page(client, query):
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def _page_hits(client, query) -> set[str]:
    """The result links of the search page (those inside its results' sections)."""
    sections = re.findall(
        r"<section aria-labelledby=\"search-group-.*?</section>", _page(client, query), re.S
    )
    return {
        html.unescape(url) for section in sections for url in re.findall(r'href="([^"]+)"', section)
    }


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_no_search_hit_is_a_page_the_searcher_cannot_open(world, client, persona):
    _planted_world(world)
    user = world.user(persona)
    client.force_login(user)
    found = {**_hits(user, TERM), **_hits(user, "Somerset 2026 Q1"), **_hits(user, "Bracknell")}
    # The page shows exactly these (rendered, then from its cache), for this searcher only.
    for _ in range(2):
        assert _page_hits(client, TERM) == {url for (_, _), url in _hits(user, TERM).items()}
    for (label, title), url in found.items():
        status = client.get(url.split("#")[0]).status_code
        assert status == 200, f"{persona} found {label} “{title}” but {url} answers {status}"
    titles = {re.sub(r"^\d+\. ", "", title) for _, title in found}  # "3. " numbers priorities
    updates = {title for label, title in found if label == "Regional updates"}
    _check_updates(persona, updates)
    titles -= updates
    in_home = {t for t in titles if t.endswith("south-west")}
    in_other = {t for t in titles if t.endswith("south-east")}
    assert "Kestrelton" in titles  # LAs are reference data: everyone finds them
    if persona in ("staff",):
        assert in_home == in_other == set()
    elif persona == "outsider":
        assert in_home == set()
        assert f"{TERM} summit south-east" in in_other
        assert f"{TERM} draft south-east" not in in_other  # a draft: organisers only
    elif persona == "partner":  # the region's plan and events, nothing else of it
        assert in_other == set()
        assert in_home == {
            f"{TERM} priority south-west",
            f"Map the {TERM} services south-west",
            f"{TERM} summit south-west",
        }
    elif persona == "admin":
        assert f"{TERM} draft south-west" in in_home and f"{TERM} finding south-east" in in_other
    else:
        assert in_other == set()
        assert {
            f"{TERM} priority south-west",
            f"Map the {TERM} services south-west",
            f"{TERM} group south-west",
            f"{TERM} summit south-west",
            f"{TERM} finding south-west",
            f"Kim {TERM} south-west",
        } <= in_home
        drafts = f"{TERM} draft south-west" in in_home
        assert drafts == (persona == "programme_manager")


def _check_updates(persona, updates):
    """Published public updates are for every signed-in person (as their page is); published
    ones for the region's people and partners only; drafts for the region's programme manager
    (and administrators)."""
    public = {f"{TERM} update south-west", f"{TERM} update south-east"}
    home_members, other_members = (
        f"{TERM} members update south-west",
        f"{TERM} members update south-east",
    )
    home_draft, other_draft = f"{TERM} draft update south-west", f"{TERM} draft update south-east"
    assert public <= updates
    expected = set(public)
    if persona == "admin":
        expected |= {home_members, other_members, home_draft, other_draft}
    elif persona == "outsider":
        expected.add(other_members)
    elif persona == "programme_manager":
        expected |= {home_members, home_draft}
    elif persona != "staff":  # the region's LA people, and its partner
        expected.add(home_members)
    assert updates == expected


def test_updates_are_found_by_words_of_their_body(world):
    _planted_world(world)
    hits = _hits(world.users["member"], "safeguarded")  # by stem, in the body only
    assert {title for label, title in hits if label == "Regional updates"} == {
        f"{TERM} update south-east",
        f"{TERM} update south-west",
    }


def test_returns_are_found_by_la_and_quarter_only_by_who_may_open_them(world):
    _planted_world(world)
    somerset_q1 = ("Returns", "Somerset 2026-27 Q1")
    assert somerset_q1 in _hits(world.users["performance_lead"], "Somerset Q1")
    assert somerset_q1 in _hits(world.users["programme_manager"], "somerset 2026")
    assert somerset_q1 not in _hits(world.users["peer_dcs"], "Somerset Q1")  # a draft of another LA
    assert somerset_q1 not in _hits(world.users["outsider"], "Somerset Q1")
    assert somerset_q1 not in _hits(world.users["performance_lead"], "Somerset Q2")


def test_a_typo_in_a_name_still_finds_it(world):
    _planted_world(world)
    assert ("Local authorities", "Somerset") in _hits(world.users["member"], "Somerest")
    assert ("People", "Dan Clarke") in _hits(world.users["programme_manager"], "Dan Clerke")


def test_full_text_matches_words_in_descriptions_by_stem(world):
    _planted_world(world)
    hits = _hits(world.users["member"], "neglected")
    assert any(label == "Priorities" for label, _ in hits)


def test_a_query_too_short_is_explained(world, client):
    client.force_login(world.users["member"])
    response = client.get(reverse("search"), {"q": " a "})
    assert response.status_code == 200
    assert "Enter at least 2 characters to search for." in response.content.decode()


def test_search_page_query_count_is_flat(world, client):
    client.force_login(world.users["programme_manager"])
    made = [0]
    plan = PlanFactory(region=world.region, is_current=True)
    theme = ThemeFactory(plan=plan)

    def grow(n):
        for i in range(made[0], n):
            priority = PriorityFactory(theme=theme, title=f"{TERM} priority {i}")
            ActionFactory(priority=priority, title=f"{TERM} action {i}")
            EventFactory(region=world.region, title=f"{TERM} event {i}", starts_at=timezone.now())
        made[0] = n

    # Warm: the frame and the results' stamp (the results come from the cache).
    assert_query_count_flat(
        client, reverse("search") + f"?q={TERM}", grow, small=3, large=30, budget=3
    )


def test_a_new_match_shows_on_the_next_search(world, client):
    """The results are cached per searcher and query: any write to what they read shows at
    once (a new event, a renamed priority, a cancelled membership)."""
    client.force_login(world.users["programme_manager"])
    plan = PlanFactory(region=world.region, is_current=True)
    priority = PriorityFactory(theme=ThemeFactory(plan=plan), title=f"{TERM} priority one")
    assert "1 result for" in _page(client, TERM)
    assert "1 result for" in _page(client, TERM)  # from the cache
    EventFactory(region=world.region, title=f"{TERM} summit")
    page = _page(client, TERM)
    assert "2 results for" in page and f"{TERM} summit" in page
    priority.title = "Renamed"
    priority.save()
    page = _page(client, TERM)
    assert "1 result for" in page and f"{TERM} priority one" not in page
    person = UserFactory(full_name=f"Kim {TERM}")
    membership = MembershipFactory(user=person, role=Role.MEMBER, local_authority=world.home_la)
    assert f"Kim {TERM}" in _page(client, TERM)
    membership.delete()
    assert f"Kim {TERM}" not in _page(client, TERM)


def test_a_searcher_never_sees_another_searchers_results(world, client):
    """The same query by two people of different regions: each sees their own region's hits,
    whoever searched first (the cached results are per searcher)."""
    _planted_world(world)
    url_home, url_other = (
        {url for (label, title), url in _hits(world.users[p], TERM).items() if label == "Groups"}
        for p in ("programme_manager", "outsider")
    )
    assert url_home and url_other and not url_home & url_other
    for persona, mine, theirs in (
        ("programme_manager", url_home, url_other),
        ("outsider", url_other, url_home),
        ("programme_manager", url_home, url_other),
    ):
        client.force_login(world.users[persona])
        shown = _page_hits(client, TERM)
        assert mine <= shown and not theirs & shown, persona


def test_losing_a_role_drops_its_results_at_once(world, client):
    """The scope is part of the cache key: a member whose role ends no longer finds the
    region's groups on the very next search."""
    _planted_world(world)
    member = world.users["member"]
    client.force_login(member)
    assert f"{TERM} group south-west" in _page(client, TERM)
    Membership.objects.filter(user=member).delete()  # replaces their scope token
    assert f"{TERM} group south-west" not in _page(client, TERM)


def test_a_new_search_reads_each_kind_once_whatever_the_data(world):
    """On a miss (a query nobody has searched, or the cache down) the search costs one query
    per kind at most, with a little or much more to find."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from regions.models import Priority

    _planted_world(world)
    user = world.users["programme_manager"]
    search.search(user, TERM)  # the scope cached, as on any page after the first

    def count():
        with CaptureQueriesContext(connection) as captured:
            found = search.search(user, TERM)
        assert {"People", "Events", "Priorities", "Groups"} <= {g.label for g in found}
        return len(captured)

    small = count()
    theme = Priority.objects.filter(plan__region=world.region).first().theme
    for n in range(12):
        person = UserFactory(full_name=f"Kim {TERM} {n}")
        MembershipFactory(user=person, role=Role.MEMBER, local_authority=world.home_la)
        MembershipFactory(user=person, role=Role.MEMBER, local_authority=world.peer_la)
        EventFactory(region=world.region, title=f"{TERM} event {n}")
        priority = PriorityFactory(theme=theme, title=f"{TERM} priority {n}")
        ActionFactory(priority=priority, title=f"{TERM} action {n}")
        GroupFactory(region=world.region, name=f"{TERM} group {n}")
    assert small == count() <= len(search._kinds)
