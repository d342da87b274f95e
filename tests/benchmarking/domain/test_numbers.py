"""The one number reader, as uploads, DfE files and report inputs use it."""

from decimal import Decimal as D

import pytest

from benchmarking.domain.cells import parse_cell
from benchmarking.domain.numbers import NotANumber, number_or_none, numbers_differ, parse_number
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
