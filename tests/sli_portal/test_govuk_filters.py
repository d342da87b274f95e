"""GOV.UK style dates, times, numbers and plurals (sli_portal/templatetags/govuk.py)."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from sli_portal.templatetags import govuk

LONDON = ZoneInfo("Europe/London")


def render(source: str, **context) -> str:
    return Template("{% load govuk %}" + source).render(Context(context))


def test_govuk_date_has_no_leading_zero_and_the_month_in_full():
    assert govuk.govuk_date(datetime.date(2026, 12, 8)) == "8 December 2026"
    assert render("{{ d|govuk_date }}", d=datetime.date(2026, 8, 23)) == "23 August 2026"


def test_govuk_date_short_abbreviates_the_month_as_gov_uk_does():
    assert govuk.govuk_date_short(datetime.date(2026, 12, 8)) == "8 Dec 2026"
    assert govuk.govuk_date_short(datetime.date(2026, 9, 1)) == "1 Sept 2026"
    assert govuk.govuk_date_short(datetime.date(2026, 6, 30)) == "30 Jun 2026"


def test_datetimes_show_in_uk_time_on_the_24_hour_clock():
    # 13:30 UTC in summer is 14:30 in London; in winter the same.
    summer = datetime.datetime(2026, 6, 14, 13, 30, tzinfo=datetime.UTC)
    winter = datetime.datetime(2026, 12, 8, 14, 30, tzinfo=datetime.UTC)
    assert govuk.govuk_time(summer) == "14:30"
    assert govuk.govuk_time(winter) == "14:30"
    assert govuk.govuk_datetime(summer) == "14 June 2026 at 14:30"
    # Just before midnight UTC on 31 May is already 1 June in London.
    late = datetime.datetime(2026, 5, 31, 23, 30, tzinfo=datetime.UTC)
    assert govuk.govuk_date(late) == "1 June 2026"
    assert govuk.govuk_time(datetime.datetime(2026, 1, 1, 9, 5, tzinfo=LONDON)) == "09:05"


def test_empty_dates_render_as_nothing():
    assert (
        render("[{{ d|govuk_date }}|{{ d|govuk_datetime }}|{{ d|govuk_time }}]", d=None) == "[||]"
    )


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("25000.00"), None, "25,000"),
        (Decimal("15.5000"), None, "15.5"),
        (1234567, None, "1,234,567"),
        (0, None, "0"),
        (Decimal("-1234.50"), None, "-1,234.5"),
        (12.345, 1, "12.3"),
        (Decimal("12.35"), 1, "12.4"),
        (Decimal("2.0001"), 2, "2"),
        (None, None, ""),
        ("n/a", None, "n/a"),
    ],
)
def test_number_has_thousands_separators_and_no_trailing_zeros(value, places, expected):
    assert govuk.number(value, places) == expected


def test_number_in_a_template_with_decimal_places():
    assert render("{{ v|number:2 }}", v=Decimal("1234.5678")) == "1,234.57"


def test_plural_picks_the_word_for_the_count():
    words = "local authority,local authorities"
    assert govuk.plural(1, words) == "1 local authority"
    assert govuk.plural(3, words) == "3 local authorities"
    assert govuk.plural(0, words) == "0 local authorities"
    assert govuk.plural(1500, "delegate,delegates") == "1,500 delegates"
    assert render('{{ n|plural:"place,places" }}', n=[1, 2]) == "2 places"
