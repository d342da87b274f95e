"""Page bodies kept in the cache under their rows' stamp and the viewer (sli_portal.fragments,
`{% page_cache %}`): a change made through a service shows on the very next request, a change
made any other way too, a viewer never gets another's body, each request carries its own CSRF
token, and a body that reads rows its stamp does not cover is never kept."""

import logging
import re

import pytest
from django.db import transaction
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from events.models import Allocation
from events.services.delegates import delegate_register
from regions.models import LocalAuthority, OfstedInspection, Role
from regions.services.people import membership_grant
from regions.services.priorities import priority_update
from sli_portal import fragments
from tests.accounts.factories import UserFactory
from tests.events.factories import EventFactory
from tests.helpers import count_queries
from tests.regions.factories import (
    LocalAuthorityFactory,
    PlanFactory,
    PriorityFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

TOKEN_IN_FORM = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_IN_HEADERS = re.compile(r'"X-CSRFToken": "([^"]+)"')


def _event(world):
    return EventFactory(
        region=world.region,
        status="published",
        starts_at=timezone.now() + timezone.timedelta(days=30),
        ends_at=timezone.now() + timezone.timedelta(days=30, hours=6),
    )


def _get(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_registration_made_through_the_service_shows_on_the_next_request(world, client):
    event = _event(world)
    url = reverse("events:registrations", kwargs={"pk": event.pk})
    client.force_login(world.users["programme_manager"])
    assert "Priya Newcomer" not in _get(client, url)
    assert "Priya Newcomer" not in _get(client, url)  # now from the cache
    delegate_register(
        actor=world.users["dcs"],
        event=event,
        local_authority=world.home_la,
        full_name="Priya Newcomer",
        email="priya@example.org",
    )
    assert "Priya Newcomer" in _get(client, url)


def test_a_change_made_past_the_services_shows_too(world, client):
    """Any write (the admin, a script) gives the rows a new version: no signal to forget."""
    event = _event(world)
    url = reverse("events:registrations", kwargs={"pk": event.pk})
    client.force_login(world.users["programme_manager"])
    _get(client, url)
    LocalAuthority.objects.filter(pk=world.home_la.pk).update(name="Renamed Shire")
    assert "Renamed Shire" in _get(client, url)
    # Twice in one transaction (a row rewritten by the transaction that wrote it) still shows.
    with transaction.atomic():
        LocalAuthority.objects.filter(pk=world.home_la.pk).update(name="Twice Renamed")
        assert "Twice Renamed" in _get(client, url)
        LocalAuthority.objects.filter(pk=world.home_la.pk).update(name="Thrice Renamed")
        assert "Thrice Renamed" in _get(client, url)


def test_la_page_shows_a_new_person_and_inspection_on_the_next_request(world, client):
    la = world.home_la
    client.force_login(world.users["dcs"])
    url = la.get_absolute_url()
    _get(client, url)
    newcomer = UserFactory(full_name="Nia Newcomer")
    membership_grant(
        actor=world.users["admin"], user=newcomer, role=Role.MEMBER, local_authority=la
    )
    assert "Nia Newcomer" in _get(client, url)
    User.objects.filter(pk=newcomer.pk).update(full_name="Nia Renamed")
    assert "Nia Renamed" in _get(client, url)
    OfstedInspection.objects.create(
        local_authority=la,
        inspection_date=timezone.now().date(),
        publication_date=timezone.now().date(),
        inspection_type="ILACS",
        overall_effectiveness="outstanding",
        source_file="test.csv",
    )
    assert "Outstanding" in _get(client, url)


def test_each_viewer_gets_their_own_body(world):
    """The programme manager may end roles on the LA page, the DCS may not: each keeps seeing
    what they may, whoever's body was cached first."""
    url = world.home_la.get_absolute_url()
    pages = {}
    for persona in ("programme_manager", "dcs", "programme_manager", "dcs"):
        client = Client()
        client.force_login(world.users[persona])
        pages[persona] = _get(client, url)
        expected = persona == "programme_manager"
        assert ("End role" in pages[persona]) is expected, persona


def test_cached_forms_carry_each_requests_own_csrf_token(world):
    event = _event(world)
    delegate_register(
        actor=world.users["dcs"],
        event=event,
        local_authority=world.home_la,
        full_name="Checked Person",
        email="checked@example.org",
    )
    url = reverse("events:registrations", kwargs={"pk": event.pk})
    seen = set()
    for _ in range(2):
        client = Client(enforce_csrf_checks=True)
        client.force_login(world.users["programme_manager"])
        html = _get(client, url)
        assert "csrfhole" not in html
        tokens = set(TOKEN_IN_FORM.findall(html)) | set(TOKEN_IN_HEADERS.findall(html))
        assert len(tokens) == 1  # the check-in forms hold this request's token
        seen |= tokens
    assert len(seen) == 2


@pytest.mark.uncovered_fragment
def test_a_body_reading_rows_its_stamp_does_not_cover_is_not_kept(world, caplog):
    """The safety net for later changes to a page: render every time, log an error."""
    request = RequestFactory().get("/")
    request.user = world.users["dcs"]
    calls = []

    def count_users():
        calls.append(1)
        return User.objects.count()

    template = Template("{% load frame %}{% page_cache body %}{{ users }}{% endpage_cache %}")
    for _ in range(2):
        body = fragments.Fragment(request, "test", [LocalAuthority.objects.all()])
        context = {"body": body, "users": fragments.lazy(count_users), "csrf_token": "t"}
        with caplog.at_level(logging.ERROR, logger="sli_portal.fragments"):
            template.render(Context(context))
    assert len(calls) == 2
    assert "accounts_user" in caplog.text and "not cached" in caplog.text
    # Covered, it is kept: rendered once.
    calls.clear()
    for _ in range(2):
        body = fragments.Fragment(request, "test", [User.objects.all()])
        context = {"body": body, "users": fragments.lazy(count_users), "csrf_token": "t"}
        template.render(Context(context))
    assert len(calls) == 1


def test_the_stamp_changes_with_every_kind_of_write(world):
    extra = LocalAuthorityFactory(region=world.region)
    las = LocalAuthority.objects.filter(region=world.region)
    first = fragments.rows_stamp([las])
    assert fragments.rows_stamp([las]) == first
    la = LocalAuthority.objects.get(pk=extra.pk)
    la.save()  # rewritten, unchanged values: a new version still
    second = fragments.rows_stamp([las])
    assert second != first
    la.delete()
    assert fragments.rows_stamp([las]) != second


def test_dashboard_counts_a_new_registration_on_the_next_request(world, client):
    """The DCS's "Event places" section (events' provider) from the cache, then fresh."""
    event = _event(world)
    Allocation.objects.create(event=event, local_authority=world.home_la, places=3)
    client.force_login(world.users["dcs"])
    assert f"{event.title}: 0 of 3 places used" in _get(client, "/")
    assert f"{event.title}: 0 of 3 places used" in _get(client, "/")
    delegate_register(
        actor=world.users["dcs"],
        event=event,
        local_authority=world.home_la,
        full_name="Dina Delegate",
        email="dina@example.org",
    )
    assert f"{event.title}: 1 of 3 places used" in _get(client, "/")


def test_dashboard_queries_stay_flat_on_a_warm_cache(world, client):
    """Two data sizes, the same count: the frame's user row and the stamp."""
    client.force_login(world.users["programme_manager"])
    small = count_queries(client, "/")
    for _ in range(5):
        event = _event(world)
        Allocation.objects.create(event=event, local_authority=world.home_la, places=3)
    large = count_queries(client, "/")
    assert small == large <= 3


def test_plan_page_shows_a_priority_changed_through_the_service_on_the_next_request(world, client):
    priority = PriorityFactory(
        theme=ThemeFactory(plan=PlanFactory(region=world.region)),
        title="Tackle neglect together",
    )
    url = reverse("regions:plan_detail", kwargs={"pk": priority.plan_id})
    client.force_login(world.users["programme_manager"])
    assert "Tackle neglect together" in _get(client, url)
    assert "Tackle neglect together" in _get(client, url)
    priority_update(
        actor=world.users["programme_manager"], priority=priority, title="Neglect, sooner"
    )
    html = _get(client, url)
    assert "Neglect, sooner" in html and "Tackle neglect together" not in html


def test_la_page_body_reads_the_la_after_its_stamp(world, client, monkeypatch):
    """A rename committed between the page's LA fetch and its body's stamp is shown, and not
    kept stale under the newer stamp."""
    from tests.fragment_race import write_just_before_the_stamp

    la = world.home_la
    client.force_login(world.users["dcs"])
    write_just_before_the_stamp(
        monkeypatch,
        lambda: LocalAuthority.objects.filter(pk=la.pk).update(name="Renamed Mid-Request"),
    )
    for _ in range(2):
        assert '<h1 class="govuk-heading-l">Renamed Mid-Request</h1>' in _get(
            client, la.get_absolute_url()
        )
