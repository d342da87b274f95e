"""Issue 13: the portal's England and regional figures are DfE's own, LAs through time, joint
rows and DfE's suppression codes (over the shipped DfE files)."""

from decimal import Decimal

import pytest

from benchmarking import services
from benchmarking.domain.published import published_files_default
from benchmarking.models import IndicatorSet, Period, PublishedFigure, Value
from benchmarking.selectors import reports as selectors
from benchmarking.selectors.published_agreement import agreement, agreement_lines
from regions.models import LocalAuthority, Region
from regions.services.geography import reference_data_load
from sli_portal.access import SYSTEM


@pytest.fixture
def imported(db):
    reference_data_load(actor=SYSTEM)
    services.indicators_load(actor=SYSTEM)
    files = published_files_default()
    services.published_data_import(actor=SYSTEM, files=files)
    return files


def _rug(region_name, fiscal_year, scope="england"):
    region = Region.objects.get(name=region_name)
    period = Period.objects.get(kind="year", fiscal_year=fiscal_year)
    inputs = selectors.load_inputs(
        region, period, scope=scope, indicator_set=IndicatorSet.ALL.value
    )
    return selectors.rug(inputs)


def _row(rug, code):
    return next(row for row in rug.rows if row.indicator.code == code)


def test_england_and_regional_figures_equal_dfe_rows_for_every_indicator_and_year(imported):
    pairs = agreement(imported)
    # 26 indicators x their years x (England + 9 regions); before issue 13, 1,240 of the
    # 1,940 pairs of the 22 indicators then fed agreed
    assert len(pairs) == 2300
    assert [p for p in pairs if not p.agrees] == []
    assert agreement_lines(pairs)[-1].split() == ["TOTAL", "2300", "/", "2300"]
    # the examples: South East referral rate 2023-24, East Midlands vacancy rate 2021
    assert _row(_rug("South East", 2023), "REF_RATE").region == "605.8"
    vacancy = _row(_rug("East Midlands", 2021), "SW_VACANCY_PCT")
    assert vacancy.region == "13.8"
    assert vacancy.region_source == "East Midlands: DfE csww_indicators_2017_to_2025.csv, line 657"


def test_a_reorganised_la_is_shown_and_banded_in_its_own_years(imported):
    rug = _rug("North West", 2020)  # 2020-21: Cumbria, not Cumberland / Westmorland
    names = [c.name for c in rug.columns]
    assert "Cumbria" in names and "Cumberland" not in names
    cumbria = names.index("Cumbria")
    reref = _row(rug, "REREF_PCT")
    cell = reref.cells[cumbria]
    assert (cell.text, cell.band, cell.rank, cell.rank_of) == ("21.7", "C", 89, 149)
    # the year's England distribution counts every LA that existed then and has a value
    assert (
        Value.objects.filter(
            indicator__code="REREF_PCT",
            return_obj__period__fiscal_year=2020,
            value__isnull=False,
        ).count()
        == 149
    )
    later = [c.name for c in _rug("North West", 2024).columns]
    assert "Cumbria" not in later and "Cumberland" in later
    northants = LocalAuthority.objects.get(dfe_code="928")
    assert northants.existed_in_year(2020) and not northants.existed_in_year(2021)


def test_joint_workforce_rows_give_each_la_the_joint_value_marked_joint(imported):
    values = Value.objects.filter(
        indicator__code="SW_VACANCY_PCT",
        return_obj__period__fiscal_year=2024,
        return_obj__local_authority__dfe_code__in=["314", "318"],
    )
    assert values.count() == 2
    assert len({v.value for v in values}) == 1
    assert all(v.comment.startswith("Joint figure: DfE publishes one row for") for v in values)


def test_dfe_suppression_codes_are_kept_and_a_suppressed_denominator_gives_no_value(imported):
    scilly = Value.objects.get(
        indicator__code="CPP_SUBSEQUENT_PCT",
        return_obj__period__fiscal_year=2024,
        return_obj__local_authority__name="Isles of Scilly",
    )
    assert (scilly.value, scilly.suppression) == (None, "c")
    sunderland = Value.objects.get(
        indicator__code="SW_AGENCY_PCT",
        return_obj__period__fiscal_year=2025,
        return_obj__local_authority__name="Sunderland",
    )
    assert (sunderland.value, sunderland.suppression) == (None, "low")
    rug = _rug("North East", 2025)
    cell = _row(rug, "SW_AGENCY_PCT").cells[[c.name for c in rug.columns].index("Sunderland")]
    assert (cell.text, cell.band) == ("low: rounds to 0 but is not 0", None)
    england = PublishedFigure.objects.get(
        indicator__code="SW_AGENCY_PCT", period__fiscal_year=2025, region=None
    )
    assert england.value == Decimal("13.0")


def test_new_indicators_read_dfes_files_as_dfe_and_lait_compute_them(imported):
    def england(code):
        figure = PublishedFigure.objects.get(
            indicator__code=code, period__fiscal_year=2024, region=None
        )
        return figure.value.quantize(Decimal(1).scaleb(-figure.indicator.decimal_places))

    # 2024-25: 230,590 section 47s over 12,183,016 children; ICPCs (6,240 + 52,430) / 72,090;
    # 52,580 of 58,530 health assessments; (4,310 + 14,560) of 90,930 new placements
    assert england("S47_RATE") == Decimal("189.3")
    assert england("ICPC_15D_PCT") == Decimal("81.4")
    assert england("CLA_HEALTH_PCT") == Decimal("90")
    assert england("CLA_PLACED_20MI_PCT") == Decimal("21")
    rug = _rug("South West", 2024)
    codes = {row.indicator.code for row in rug.rows}
    assert {"S47_RATE", "ICPC_15D_PCT", "CLA_HEALTH_PCT", "CLA_PLACED_20MI_PCT"} <= codes
    cpp = _row(rug, "CPP_2YRS_PCT").indicator
    assert cpp.name.startswith("Children on a child protection plan at 31 March")
