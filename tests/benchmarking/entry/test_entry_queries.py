"""The entry page and a cell save ask the database the same number of questions whether the
LA has one quarter of data or many, and the region one LA or many."""

import pytest
from django.urls import reverse

from benchmarking.domain.validation import COLUMNS
from benchmarking.models import Value
from benchmarking.selectors.entry import value_version
from tests.benchmarking.factories import open_quarter, return_rows, to_csv
from tests.regions.factories import LocalAuthorityFactory

# The first GET: its body rendered, the return read again after the stamp (a warm one:
# test_entry_page_body.py).
PAGE_QUERIES = 7
SAVE_QUERIES = 17


def _grow(world, size):
    """`size` earlier submitted quarters of the home LA, and `size` more LAs with returns."""
    from benchmarking import services

    pm = world.users["programme_manager"]
    for n in range(size):
        period = open_quarter(world.region, fiscal_year=2024 + n // 4, quarter=n % 4 + 1)
        services.return_upload(
            actor=pm,
            period=period,
            file_name="r.csv",
            data=to_csv(return_rows(world.home_la, period, scale=1 + n / 50)),
            local_authority=world.home_la,
        )
        ret = world.home_la.returns.get(period=period)
        ret.values.exclude(warning="").update(comment="Checked")
        services.return_submit(actor=pm, return_id=ret.pk)
    for _ in range(size):
        la = LocalAuthorityFactory(region=world.region)
        period = open_quarter(world.region)
        services.return_upload(
            actor=pm,
            period=period,
            file_name="r.csv",
            data=to_csv(return_rows(la, period)),
            local_authority=la,
        )


@pytest.mark.parametrize("size", [1, 6])
def test_entry_page_and_cell_save_queries_are_flat(
    size, world, quarter, client_for, django_assert_max_num_queries
):
    _grow(world, size)
    client = client_for(world.users["performance_lead"])
    kwargs = {"la_slug": world.home_la.slug, "period_slug": quarter.slug}
    client.post(
        reverse("benchmarking:return_entry", kwargs=kwargs),
        {f"{code}-{k}": v for code, k, v in _full(world, quarter)} | {"action": "save"},
    )
    with django_assert_max_num_queries(PAGE_QUERIES):
        page = client.get(reverse("benchmarking:return_entry", kwargs=kwargs))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("data-entry-row") == 18
    current = Value.objects.get(
        return_obj__period=quarter,
        return_obj__local_authority=world.home_la,
        indicator__code="CLA_RATE",
    )
    with django_assert_max_num_queries(SAVE_QUERIES):
        response = client.post(
            reverse("benchmarking:return_entry_row", kwargs={**kwargs, "code": "CLA_RATE"}),
            {
                "CLA_RATE-numerator": "710",
                "CLA_RATE-denominator": "100000",
                "CLA_RATE-version": value_version(current),
            },
            HTTP_HX_REQUEST="true",
        )
    assert "Saved" in response.content.decode()


def _full(world, quarter):
    rows = return_rows(world.home_la, quarter)
    for row in rows[1:]:
        code = row[COLUMNS.index("indicator_code")]
        yield code, "numerator", row[COLUMNS.index("numerator")]
        yield code, "denominator", row[COLUMNS.index("denominator")]
        yield code, "version", "new"
