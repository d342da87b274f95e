"""The organisers' delegate list: sorted by any column, a page at a time, the sort kept."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.events.factories import DelegateFactory
from tests.regions.factories import LocalAuthorityFactory

pytestmark = pytest.mark.django_db


def _names(html: str) -> list[str]:
    body = html.split('aria-label="Delegates"', 1)[1]
    return re.findall(r'<td class="govuk-table__cell">([^<]+)<br><span class="govuk-body-s">', body)


@pytest.fixture
def crowd(world, summit):
    other = LocalAuthorityFactory(region=world.region, name="Aardvark Borough")
    now = timezone.now()
    for n in range(60):
        delegate = DelegateFactory(
            event=summit,
            local_authority=other if n % 2 else world.home_la,
            full_name=f"Person {n:02d}",
            job_title=f"Job {59 - n:02d}",
            checked_in_at=now if n < 3 else None,
        )
        # registered_at is set on creation: moved after it (Person 59 registered first)
        type(delegate).objects.filter(pk=delegate.pk).update(
            registered_at=now - timezone.timedelta(minutes=n)
        )
    return summit


def test_page_two_shows_the_next_delegates_and_keeps_the_sort(programme_manager, crowd, client_for):
    url = reverse("events:registrations", args=[crowd.pk])
    client = client_for(programme_manager)
    first = client.get(url + "?sort=name").content.decode()
    second = client.get(url + "?sort=name&page=2").content.decode()
    assert _names(first) == [f"Person {n:02d}" for n in range(50)]
    assert _names(second) == [f"Person {n:02d}" for n in range(50, 60)]
    assert "sort=name&amp;page=2" in first, "the page links keep the sort"
    assert "Showing 51 to 60 of 60" in second


@pytest.mark.parametrize(
    ("sort", "expected_first"),
    [
        ("la", "Person 01"),  # Aardvark Borough first, then by name
        ("-la", "Person 58"),  # Somerset first, names from Z to A
        ("name", "Person 00"),
        ("-name", "Person 59"),
        ("job", "Person 59"),  # "Job 00"
        ("-job", "Person 00"),
        ("registered", "Person 59"),  # the earliest
        ("-registered", "Person 00"),
        ("-attendance", "Person 00"),  # checked in first... ties broken by id, newest first
    ],
)
def test_sorting_by_each_column_orders_what_the_organiser_sees(
    programme_manager, crowd, client_for, sort, expected_first
):
    url = reverse("events:registrations", args=[crowd.pk]) + f"?sort={sort}"
    html = client_for(programme_manager).get(url).content.decode()
    names = _names(html)
    if sort == "-attendance":
        assert set(names[:3]) == {"Person 00", "Person 01", "Person 02"}
    else:
        assert names[0] == expected_first
    key = sort.removeprefix("-")
    direction = "descending" if sort.startswith("-") else "ascending"
    assert re.search(
        rf'aria-sort="{direction}"><a class="govuk-link portal-sort__link" href="\?sort={"" if sort.startswith("-") else "-"}{key}"',
        html,
    )


@pytest.mark.parametrize(
    "query", ["?page=abc", "?page=99", "?sort=bogus", "?sort=-", "?page=-4&sort=x"]
)
def test_bad_page_or_sort_values_give_the_first_page_in_the_default_order(
    programme_manager, crowd, client_for, query
):
    url = reverse("events:registrations", args=[crowd.pk])
    response = client_for(programme_manager).get(url + query)
    assert response.status_code == 200
    names = _names(response.content.decode())
    assert names[0] == "Person 01" and len(names) == 50  # by LA: Aardvark Borough first
