"""The exception report as a sortable, paginated list."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _url(world, query=""):
    base = reverse("benchmarking_reports:exceptions", kwargs={"region_slug": world.region.slug})
    return base + "?period=2025-q1&scope=region" + query


def _rows(html: str) -> list[list[str]]:
    body = html.split('aria-label="Flagged figures"', 1)[1].split("</tbody>", 1)[0]
    rows = []
    for row in body.split('<tr class="govuk-table__row">')[1:]:
        cells = re.findall(r'<td class="govuk-table__cell[^"]*">(.*?)</td>', row, re.S)
        if cells:
            rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows


@pytest.mark.parametrize(
    ("sort", "column", "key"),
    [
        ("la", 0, str.casefold),
        ("indicator", 1, str.casefold),
        ("flag", 3, lambda text: "Top" in text),
        ("narrative", 4, lambda text: "Missing" not in text),
    ],
)
def test_sorting_by_each_column_orders_the_flags(client_for, world, reports, sort, column, key):
    client = client_for(world.users["programme_manager"])
    for direction in ("", "-"):
        html = client.get(_url(world, f"&sort={direction}{sort}")).content.decode()
        rows = _rows(html)
        assert len(rows) > 1
        values = [key(row[column]) for row in rows]
        assert values == sorted(values, reverse=direction == "-"), (sort, direction, values)
        state = "descending" if direction else "ascending"
        assert f'aria-sort="{state}"' in html


def test_sorting_by_value_orders_the_numbers(client_for, world, reports):
    client = client_for(world.users["programme_manager"])
    response = client.get(_url(world, "&sort=-value"))
    values = [r.flag.cell.value for r in response.context["listing"].rows]
    present = [v for v in values if v is not None]
    assert present == sorted(present, reverse=True)


def test_the_options_form_keeps_the_sort_and_bad_values_give_the_default(
    client_for, world, reports
):
    client = client_for(world.users["programme_manager"])
    html = client.get(_url(world, "&sort=-indicator")).content.decode()
    assert '<input type="hidden" name="sort" value="-indicator">' in html
    for query in ("&sort=bogus", "&page=zzz", "&page=40"):
        response = client.get(_url(world, query))
        assert response.status_code == 200
        assert response.context["listing"].sort == "la"
        assert response.context["listing"].page.number == 1
