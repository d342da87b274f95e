"""The one number reader, as uploads, DfE files and report inputs use it."""

from decimal import Decimal as D

import pytest

from benchmarking.domain.cells import parse_cell
from benchmarking.domain.numbers import (
    NotANumber,
    decimal_places,
    number_or_none,
    numbers_differ,
    parse_number,
)
from benchmarking.domain.published import _ratio_record


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", D(12)),
        (" 1,234.5 ", D("1234.5")),
        ("1\u00a0234", D(1234)),
        ("22.5%", D("22.5")),
        ("22.5 %", D("22.5")),
        ("-3", D(-3)),
        ("1e3", D(1000)),
        (7, D(7)),
        (2.5, D("2.5")),
        (D("4.20"), D("4.20")),
    ],
)
def test_numbers_are_read_the_same_way_everywhere(text, expected):
    assert parse_number(text) == expected
    assert number_or_none(text) == expected


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_blank_is_no_number(blank):
    assert parse_number(blank) is None


@pytest.mark.parametrize("text", ["abc", "%", "1.2.3", "NaN", "Infinity", "c", "..", float("nan")])
def test_text_that_is_not_a_finite_number_is_refused_or_read_as_none(text):
    with pytest.raises(NotANumber):
        parse_number(text)
    assert number_or_none(text) is None


def test_published_files_and_report_cells_read_percent_signs_as_uploads_do():
    record = _ratio_record(
        {"dfe_code": "1", "gss_code": "E1", "la_name": "A", "fiscal_year": 2024},
        "REREF_PCT",
        "22%",
        "1,100",
        "5,000",
        100,
    )
    assert (record.value, record.numerator, record.denominator) == (D(22), D(1100), D(5000))
    assert parse_cell("22.5%").value == D("22.5")
    assert parse_cell("c").suppressed == "c"


def test_stored_and_new_numbers_differ_by_value_not_by_precision():
    assert not numbers_differ(D("1.50"), D("1.5"))
    assert numbers_differ(D("1.5"), D("1.6"))
    assert numbers_differ(None, D(0))
    assert not numbers_differ("", "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12,500", D(12500)),
        ("1,234,567", D(1234567)),
        ("-1,234.25", D("-1234.25")),
        ("1\u202f234", D(1234)),
        (".5", D("0.5")),
    ],
)
def test_a_thousands_separator_is_read_only_where_it_is_one(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("12,5", "a comma is not a decimal point"),
        ("1,2345", "a comma is not a decimal point"),
        ("1,23,456", "commas may only separate thousands"),
        ("12,500,5", "commas may only separate thousands"),
        ("\u0661\u0662", "only the digits 0 to 9"),  # Arabic-Indic 12
        ("\uff11\uff12", "only the digits 0 to 9"),  # full-width 12
        ("\u09e7\u09e8", "only the digits 0 to 9"),  # Bengali 12
        ("1_000", ""),
        (",", "commas may only separate thousands"),
    ],
)
def test_a_decimal_comma_and_other_scripts_digits_are_refused_with_the_reason(text, reason):
    with pytest.raises(NotANumber) as refused:
        parse_number(text)
    assert refused.value.reason.startswith(reason) if reason else not refused.value.reason
    assert parse_cell(text).value is None


def test_decimal_places_ignore_trailing_zeros():
    assert decimal_places(D("1.50")) == 1
    assert decimal_places(D("700.12345")) == 5
    assert decimal_places(D("1e3")) == 0
