"""The entry form's body kept in the cache (sli_portal.fragments, `{% page_cache %}`): a warm GET
asks the database three questions whatever the size of the data, a value saved through the
service or written past it shows on the next GET, each viewer gets their own page, and a POST's
page (typed values, errors) is never served from nor kept in the cache."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from benchmarking import services
from benchmarking.models import Value
from benchmarking.selectors.entry import value_version
from tests.benchmarking.factories import upload, value_of
from tests.helpers import count_queries

from .test_entry_queries import _grow

pytestmark = pytest.mark.django_db

WARM_QUERIES = 3  # the frame's user row, the return (with its LA, region, quarter), the stamp


def _page(world, period):
    kwargs = {"la_slug": world.home_la.slug, "period_slug": period.slug}
    return reverse("benchmarking:return_entry", kwargs=kwargs)


def _get(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _cell(html: str, cell_id: str) -> str:
    """The text of the input `cell_id` (value="...")."""
    start = html.index(f'id="{cell_id}"')
    tag = html[html.rfind("<", 0, start) : html.index(">", start)]
    return tag.split('value="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("size", [1, 6])
def test_a_warm_entry_page_asks_three_questions_whatever_the_size(size, world, quarter):
    _grow(world, size)
    upload(world, quarter)
    client = Client()
    client.force_login(world.users["performance_lead"])
    assert count_queries(client, _page(world, quarter)) == WARM_QUERIES


def test_a_value_saved_through_the_service_or_past_it_shows_on_the_next_get(world, quarter):
    upload(world, quarter)
    client = Client()
    client.force_login(world.users["performance_lead"])
    url = _page(world, quarter)
    assert _cell(_get(client, url), "CLA_RATE-numerator") == "700"
    assert _cell(_get(client, url), "CLA_RATE-numerator") == "700"  # from the cache
    value = value_of(world.home_la, quarter, "CLA_RATE")
    services.value_enter(
        actor=world.users["programme_manager"],
        local_authority=world.home_la,
        period=quarter,
        code="CLA_RATE",
        cells={"numerator": "712", "denominator": format(value.denominator.normalize(), "f")},
        version=value_version(value),
    )
    assert _cell(_get(client, url), "CLA_RATE-numerator") == "712"
    # A bare UPDATE (a shell, a script): the row's new version changes the stamp.
    Value.objects.filter(pk=value.pk).update(numerator=Decimal("713"))
    assert _cell(_get(client, url), "CLA_RATE-numerator") == "713"


def test_each_viewer_gets_their_own_page(world, quarter):
    """The LA's performance lead and the region's programme manager may both type (each with
    their own CSRF token); the LA's DCS may not (403) and another region's person may not see it
    (404), whoever's page was cached first."""
    upload(world, quarter)
    url = _page(world, quarter)
    tokens = set()
    for persona in ("performance_lead", "programme_manager", "performance_lead"):
        client = Client()
        client.force_login(world.users[persona])
        html = _get(client, url)
        assert 'id="CLA_RATE-numerator"' in html and "csrfhole" not in html
        tokens.add(html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0])
    assert len(tokens) == 3
    for persona, status in (("dcs", 403), ("outsider", 404)):
        client = Client()
        client.force_login(world.users[persona])
        assert client.get(url).status_code == status, persona


def test_a_post_with_errors_shows_the_errors_and_the_typed_values_not_a_cached_page(world, quarter):
    upload(world, quarter)
    client = Client()
    client.force_login(world.users["performance_lead"])
    url = _page(world, quarter)
    _get(client, url)
    _get(client, url)  # the page is in the cache now
    value = value_of(world.home_la, quarter, "CLA_RATE")
    response = client.post(
        url,
        {
            "CLA_RATE-numerator": "12,5",
            "CLA_RATE-denominator": "100000",
            "CLA_RATE-version": value_version(value),
            "action": "save",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "&#x27;12,5&#x27; is not a number" in html
    assert _cell(html, "CLA_RATE-numerator") == "12,5"
    # The next GET is the saved return again: no error, the saved figure.
    again = _get(client, url)
    assert "There is a problem" not in again
    assert _cell(again, "CLA_RATE-numerator") == "700"
    # And the POST's page was not kept: a second identical POST shows its own errors too.
    second = client.post(
        url,
        {
            "CLA_RATE-numerator": "abc",
            "CLA_RATE-denominator": "100000",
            "CLA_RATE-version": value_version(value),
            "action": "save",
        },
    )
    assert second.status_code == 400
    assert _cell(second.content.decode(), "CLA_RATE-numerator") == "abc"


def test_a_submit_committed_after_the_return_is_fetched_is_not_kept_as_a_draft(
    world, quarter, monkeypatch
):
    """The body reads the return after its stamp: a return submitted between the page's fetch
    and the stamp shows read-only at once, and stays so (not a stale editable form)."""
    from benchmarking.models import Return, Status
    from tests.fragment_race import write_just_before_the_stamp

    upload(world, quarter)
    client = Client()
    client.force_login(world.users["performance_lead"])
    url = _page(world, quarter)
    write_just_before_the_stamp(
        monkeypatch,
        lambda: Return.objects.filter(local_authority=world.home_la, period=quarter).update(
            status=Status.SUBMITTED, submitted_at=timezone.now()
        ),
    )
    for _ in range(2):
        html = _get(client, url)
        assert 'id="read-only"' in html
        assert "its values are shown read-only" in html
