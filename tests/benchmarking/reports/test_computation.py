"""The benchmarking arithmetic, against hand-worked examples and published DfE 2025 figures."""

import csv
from decimal import Decimal as D
from pathlib import Path

import pytest

from benchmarking.domain.computation import (
    MISSING,
    Band,
    Cell,
    Direction,
    Flag,
    IndicatorSpec,
    Judgement,
    Polarity,
    SummaryInput,
    aggregate,
    band_for,
    change,
    compute_indicator,
    exception_flag,
    format_value,
    neighbour_average,
    parse_cell,
    quantile_type7,
    quartiles,
    ranks,
    round_half_up,
    summarise,
)

DATA = Path(__file__).parent / "data"

HIGH = IndicatorSpec("eet", Polarity.HIGH, decimal_places=0, multiplier=D(100))
LOW = IndicatorSpec("rereferrals", Polarity.LOW, decimal_places=1, multiplier=D(100))
NONE = IndicatorSpec("cla_rate", Polarity.NONE, decimal_places=0, multiplier=D(10000))


def cells(**values):
    return {k: (v if isinstance(v, Cell) else Cell(value=D(str(v)))) for k, v in values.items()}


# --- quantile type 7 (values checked with R: quantile(c(...))) --------------------------------


def test_quantile_type7_matches_r_default():
    xs = [D(v) for v in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)]
    # R: quantile(1:10) -> 1.00 3.25 5.50 7.75 10.00
    assert [quantile_type7(xs, p) for p in ("0", "0.25", "0.5", "0.75", "1")] == [
        D(1),
        D("3.25"),
        D("5.5"),
        D("7.75"),
        D(10),
    ]
    # R: quantile(c(15, 20, 35, 40, 50), 0.4) -> 29 ; h = 4 * 0.4 = 1.6 -> 20 + 0.6 * 15
    assert quantile_type7([D(50), D(15), D(40), D(35), D(20)], "0.4") == D(29)


def test_quantile_of_one_value_is_that_value_and_of_none_is_an_error():
    assert quantile_type7([D(7)], "0.25") == D(7)
    with pytest.raises(ValueError, match="no values"):
        quantile_type7([], "0.5")


# --- bands -------------------------------------------------------------------------------------


def test_low_is_good_band_a_is_the_lowest_quartile_right_closed():
    qs = quartiles([D(v) for v in (10, 20, 30, 40, 50)])  # Q1=20, Q2=30, Q3=40
    assert (qs.q1, qs.q2, qs.q3) == (D(20), D(30), D(40))
    assert [band_for(LOW, D(v), qs) for v in (10, 20, 21, 30, 40, 41, 50)] == [
        Band.A,
        Band.A,  # on the cut: belongs to the lower interval, as in LAIT
        Band.B,
        Band.B,
        Band.C,
        Band.D,
        Band.D,
    ]


def test_high_is_good_band_a_is_the_highest_quartile():
    qs = quartiles([D(v) for v in (10, 20, 30, 40, 50)])
    assert [band_for(HIGH, D(v), qs) for v in (10, 20, 25, 35, 45, 50)] == [
        Band.D,
        Band.D,
        Band.C,
        Band.B,
        Band.A,
        Band.A,
    ]


def test_no_judgement_and_no_quartile_indicators_get_no_band():
    qs = quartiles([D(v) for v in (10, 20, 30, 40, 50)])
    assert band_for(NONE, D(10), qs) is None
    no_quartile = IndicatorSpec("x", Polarity.LOW, no_quartile=True)
    assert band_for(no_quartile, D(10), qs) is None


def test_tied_values_share_a_band_and_a_rank():
    values = {"a": D(5), "b": D(5), "c": D(5), "d": D(9), "e": D(1)}
    qs = quartiles(values.values())  # sorted 1,5,5,5,9 -> Q1=Q2=Q3=5
    bands = {k: band_for(HIGH, v, qs) for k, v in values.items()}
    assert bands == {"a": Band.D, "b": Band.D, "c": Band.D, "d": Band.A, "e": Band.D}
    assert ranks(HIGH, values) == {"d": 1, "a": 2, "b": 2, "c": 2, "e": 5}
    assert ranks(LOW, values) == {"e": 1, "a": 2, "b": 2, "c": 2, "d": 5}


def test_all_values_equal_gives_no_band_because_there_is_nothing_to_compare():
    assert quartiles([D(3), D(3), D(3)]) is None
    assert band_for(LOW, D(3), quartiles([D(3), D(3)])) is None


def test_missing_and_suppressed_values_are_left_out_never_zero():
    data = cells(a=10, b=20, c=30, d=40, e=Cell(suppressed="c"), f=MISSING)
    result = compute_indicator(LOW, shown=list(data), region_cells=data, england_cells=data)
    # quartiles over 4 values only: 10, 20, 30, 40
    assert result.quartiles.n == 4
    assert result.quartiles.q0 == D(10)
    assert result.las["e"].band is None
    assert result.las["e"].rank is None
    assert result.las["f"].band is None
    assert result.las["a"].rank == 1
    assert result.las["a"].rank_of == 4
    assert format_value(data["e"], 1) == "c: suppressed (confidential)"
    assert format_value(data["f"], 1) == "no data"
    assert format_value(Cell(value=D(0)), 1) == "0.0"


# --- aggregates --------------------------------------------------------------------------------


def test_region_figure_is_summed_numerators_over_summed_denominators_not_a_mean_of_rates():
    data = {
        "big": Cell(value=D(10), numerator=D(100), denominator=D(1000)),
        "small": Cell(value=D(50), numerator=D(5), denominator=D(10)),
    }
    result = aggregate(LOW, data.values())
    assert result.method == "ratio"
    assert result.value == D(105) / D(1010) * 100  # 10.4%, not the mean 30%
    assert round_half_up(result.value, 1) == D("10.4")


def test_suppressed_la_is_left_out_of_both_sums():
    data = [
        Cell(value=D(10), numerator=D(1), denominator=D(10)),
        Cell(suppressed="c"),
        Cell(value=D(20), numerator=D(2), denominator=D(10)),
    ]
    result = aggregate(LOW, data)
    assert result.value == D(15)
    assert (result.included, result.excluded) == (2, 1)


def test_indicator_without_numerator_is_a_documented_mean_and_a_count_is_a_sum():
    caseload = IndicatorSpec("caseload", Polarity.LOW)
    data = [Cell(value=D(15)), Cell(value=D(18)), MISSING]
    assert aggregate(caseload, data).value == D("16.5")
    assert aggregate(caseload, data).method == "mean"
    count = IndicatorSpec("referrals", Polarity.NONE, is_count=True)
    assert aggregate(count, data).value == D(33)
    assert aggregate(count, [MISSING]).value is None


def test_neighbour_average_skips_missing_and_suppressed_neighbours():
    data = cells(n1=10, n2=20, n3=Cell(suppressed="x"), n4=MISSING)
    assert neighbour_average(["n1", "n2", "n3", "n4", "gone"], data) == D(15)
    assert neighbour_average(["n3", "n4"], data) is None


# --- exception flags ---------------------------------------------------------------------------


def test_exception_flags_follow_polarity():
    values = [D(v) for v in range(1, 11)]  # P20 = 2.8, P80 = 8.2
    assert exception_flag(HIGH, D(9), values) is Flag.TOP
    assert exception_flag(HIGH, D(2), values) is Flag.BOTTOM
    assert exception_flag(LOW, D(9), values) is Flag.BOTTOM
    assert exception_flag(LOW, D(1), values) is Flag.TOP
    assert exception_flag(LOW, D(5), values) is None
    assert exception_flag(NONE, D(1), values) is None
    assert exception_flag(LOW, None, values) is None


# --- change ------------------------------------------------------------------------------------


def test_change_against_same_quarter_last_year_is_judged_by_polarity():
    up = change(LOW, Cell(value=D("22.64")), Cell(value=D("20.0")))
    assert (up.direction, up.judgement, up.delta) == (Direction.UP, Judgement.WORSE, D("2.6"))
    assert up.describe(1) == "up 2.6 on a year earlier (worse)"
    assert change(HIGH, Cell(value=D(60)), Cell(value=D(50))).judgement is Judgement.BETTER
    assert change(NONE, Cell(value=D(60)), Cell(value=D(50))).judgement is Judgement.NEUTRAL
    # a change invisible at display precision is no change
    assert change(LOW, Cell(value=D("20.01")), Cell(value=D("20.04"))).direction is Direction.SAME
    assert change(LOW, Cell(value=D(1)), MISSING) is None
    assert change(LOW, Cell(suppressed="c"), Cell(value=D(1))) is None


def test_parse_cell_reads_dfe_suppression_codes():
    assert parse_cell("c").status == "suppressed"
    assert parse_cell(" x ").suppressed == "x"
    assert parse_cell("").status == "missing"
    assert parse_cell("1,234", "10", "20") == Cell(
        value=D(1234), numerator=D(10), denominator=D(20)
    )


def test_summary_names_strengths_concerns_and_movement():
    better = change(HIGH, Cell(value=D(60)), Cell(value=D(50)))
    text = summarise(
        [
            SummaryInput("Care leavers in EET", Band.A, Flag.TOP, better),
            SummaryInput("Re-referrals", Band.D, None, None),
            SummaryInput("CLA rate", None, None, None),
        ]
    )
    assert text == [
        "Strengths (best quartile or top 20%): Care leavers in EET.",
        "Outliers to look at (worst quartile or bottom 20%): Re-referrals.",
        "Improved on a year earlier: Care leavers in EET.",
    ]


def test_compute_indicator_with_england_scope_bands_against_all_las():
    region = cells(a=10, b=20)
    england = {**region, **cells(x=1, y=2, z=3, w=4, v=5)}
    by_region = compute_indicator(LOW, shown=["a", "b"], region_cells=region, england_cells=england)
    by_england = compute_indicator(
        LOW, shown=["a", "b"], region_cells=region, england_cells=england, scope="england"
    )
    assert by_region.las["a"].band is Band.A
    assert by_england.las["a"].band is Band.D
    assert (by_england.las["a"].rank, by_england.las["a"].rank_of) == (6, 7)


# --- published DfE 2025 figures ----------------------------------------------------------------


def published(filename, num, den, value_col, year="2025"):
    """(LA cells by region, published figures by region name / 'England')."""
    las, figures = {}, {}
    with (DATA / filename).open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["time_period"] != year:
                continue
            if row["geographic_level"] == "Local authority":
                cell = parse_cell(row[value_col], row[num], row[den])
                if parse_cell(row[num]).status != "value":
                    cell = Cell(suppressed=row[num])
                las.setdefault(row["region_name"], []).append(cell)
            elif row["geographic_level"] == "National":
                figures["England"] = row[value_col]
            else:
                figures[row["region_name"]] = row[value_col]
    return las, figures


def places_of(text):
    return len(text.split(".")[1]) if "." in text else 0


@pytest.mark.parametrize(
    ("filename", "num", "den", "value_col", "spec", "regions"),
    [
        (
            "cla_rate_2024_2025.csv",
            "children_count",
            "population_estimate",
            "rate_per_10000",
            IndicatorSpec("cla_rate", Polarity.NONE, 0, D(10000)),
            ["South West", "North East", "London"],
        ),
        (
            "rereferrals_2024_2025.csv",
            "rereferral_count",
            "referral_count",
            "rereferral_percent",
            IndicatorSpec("rereferrals", Polarity.LOW, 1, D(100)),
            ["South West", "North East", "South East"],
        ),
        (
            "cpp_subsequent_2024_2025.csv",
            "CPP_subsequent",
            "CPP_start",
            "CPP_subsequent_percent",
            IndicatorSpec("cpp_second", Polarity.LOW, 1, D(100)),
            ["South West", "North East", "East Midlands"],
        ),
    ],
)
def test_england_and_region_figures_match_dfe_2025_publication(
    filename, num, den, value_col, spec, regions
):
    las, figures = published(filename, num, den, value_col)
    all_las = [c for region_cells in las.values() for c in region_cells]
    england = aggregate(spec, all_las)
    assert england.method == "ratio"
    published_england = figures["England"]
    assert round_half_up(england.value, places_of(published_england)) == D(published_england)
    for name in regions:
        region_cells = las["Inner London"] + las["Outer London"] if name == "London" else las[name]
        figure = aggregate(spec, region_cells)
        expected = figures[name]
        # DfE drops trailing zeros (East Midlands 26 for 26.0): compare at the indicator's places
        assert round_half_up(figure.value, max(places_of(expected), spec.decimal_places)) == D(
            expected
        ).quantize(D(1).scaleb(-max(places_of(expected), spec.decimal_places))), name


def test_published_cla_rates_england_67_and_south_west_62():
    spec = IndicatorSpec("cla_rate", Polarity.NONE, 0, D(10000))
    las, _ = published(
        "cla_rate_2024_2025.csv", "children_count", "population_estimate", "rate_per_10000"
    )
    all_las = [c for region_cells in las.values() for c in region_cells]
    assert round_half_up(aggregate(spec, all_las).value, 0) == D(67)
    assert round_half_up(aggregate(spec, las["South West"]).value, 0) == D(62)
    # Isles of Scilly is 'z' (not applicable): left out, not counted as a zero rate
    assert aggregate(spec, las["South West"]).excluded == 1
