"""Each check of a return file on its own (validate_table runs them in order)."""

from dataclasses import dataclass
from decimal import Decimal as D

from benchmarking.domain.validation import COLUMNS, Context, Row, validate_table
from benchmarking.domain.validation.cross_field import check_required, check_rules
from benchmarking.domain.validation.identity import check_indicator, check_la, check_period
from benchmarking.domain.validation.numbers import (
    check_suppression,
    check_value,
    read_numbers,
    value_problem,
)
from benchmarking.domain.validation.rows import (
    REASON_MAX_CHARS,
    STORED_PLACES,
    SUPPRESSION_CODES,
)
from benchmarking.domain.validation.structure import check_header
from benchmarking.models import Suppression, Value


@dataclass(frozen=True)
class LA:
    pk: int
    name: str
    gss_code: str


@dataclass(frozen=True)
class Spec:
    code: str
    unit: str = "percent"
    short_name: str = ""
    is_required: bool = True
    is_ratio: bool = True
    multiplier: D = D(100)
    decimal_places: int = 1
    valid_min: D | None = D(0)
    valid_max: D | None = D(100)
    numerator_label: str = "re-referrals"
    denominator_label: str = "referrals"

    def get_unit_display(self):
        return {"percent": "Percentage", "count": "Count"}[self.unit]


@dataclass(frozen=True)
class Quarter:
    label: str = "2026-27 Q1"
    slug: str = "2026-q1"


@dataclass(frozen=True)
class Part:
    code: str


@dataclass(frozen=True)
class Rule:
    left_indicator: Part
    left_part: str
    comparison: str
    right_indicator: Part
    right_part: str
    message: str


SOMERSET = LA(1, "Somerset", "E06000066")
REREF = Spec("REREF_PCT")
REFS = Spec("REF_COUNT", unit="count", is_ratio=False, multiplier=None, valid_max=None)
CONTEXT = Context(
    period=Quarter(),
    las={"E06000066": SOMERSET},
    indicators={"REREF_PCT": REREF, "REF_COUNT": REFS},
    known_codes={"REREF_PCT", "REF_COUNT", "POP_0_17"},
)
POSITION = {name: index for index, name in enumerate(COLUMNS)}


def row(**cells) -> Row:
    given = dict.fromkeys(COLUMNS, "")
    given.update(la_code="E06000066", period="2026-27 Q1", indicator_code="REREF_PCT")
    given.update(cells)
    return Row(number=5, cells=given, position=POSITION)


def test_the_validation_knows_the_models_suppression_codes_and_reason_length():
    assert [code for code, _ in Suppression.choices if code] == SUPPRESSION_CODES
    assert Value._meta.get_field("suppression_reason").max_length == REASON_MAX_CHARS
    for name in ("value", "numerator", "denominator"):
        assert Value._meta.get_field(name).decimal_places == STORED_PLACES


def test_header_must_name_the_template_columns_once():
    assert check_header([])[1][0].message == "The file has no rows: use the template."
    position, issues = check_header([COLUMNS])
    assert not issues and position["value"] == COLUMNS.index("value")
    _, issues = check_header([[*COLUMNS, "value"]])
    assert str(issues[0]) == "The header repeats the column 'value'"
    _, issues = check_header([["la_code"]])
    assert "missing 'period'" in str(issues[0])


def test_identity_checks_name_the_row_and_cell():
    la, issues = check_la(row(la_code="E09999999"), CONTEXT)
    assert la is None
    assert str(issues[0]) == "Row 5, column A (la_code): 'E09999999' is not an LA of this region."
    assert check_period(row(period="2026/27 q1"), CONTEXT) == []
    [issue] = check_period(row(period="2025-26 Q4"), CONTEXT)
    assert issue.message == "'2025-26 Q4' is not this return's period; it must be 2026-27 Q1."
    _, [issue] = check_indicator(row(indicator_code="pop_0_17"), CONTEXT)
    assert (
        issue.message == "POP_0_17 is published data only; it is not part of the quarterly return."
    )


def test_numbers_check_reads_each_number_column():
    numbers, issues = read_numbers(row(value="12%", numerator="x1", denominator="1" + "0" * 12))
    assert numbers == {"value": D(12), "numerator": None, "denominator": None}
    assert [i.column for i in issues] == ["numerator", "denominator"]
    assert issues[1].message.endswith("is too large for this return.")
    [issue] = check_suppression(row(suppression="q"))
    assert (
        issue.message == "'q' is not a suppression code; use c, x, z, u, k, low, or leave it empty."
    )


def test_value_check_computes_a_ratio_or_says_why_not():
    cells = row(numerator="1100", denominator="5000")
    item, issues = check_value(cells, SOMERSET, REREF, read_numbers(cells)[0])
    assert not issues and item.value == D("22.0")
    cells = row(value="30", numerator="1100", denominator="5000")
    _, [issue] = check_value(cells, SOMERSET, REREF, read_numbers(cells)[0])
    assert issue.message == "REREF_PCT: the value 30 does not match numerator / denominator (22)."
    cells = row(suppression="c", suppression_reason="")
    _, [issue] = check_value(cells, SOMERSET, REREF, read_numbers(cells)[0])
    assert issue.column == "suppression_reason"
    assert value_problem(REFS, D("2.5")) == "REF_COUNT is a count: 2.5 must be a whole number."


def test_cross_field_checks_need_every_required_row_and_keep_the_rules():
    item, _ = check_value(
        row(numerator="1100", denominator="5000"),
        SOMERSET,
        REREF,
        {"value": None, "numerator": D(1100), "denominator": D(5000)},
    )
    given = {"REREF_PCT": item}
    [missing] = check_required(SOMERSET, given, CONTEXT)
    assert missing.message.startswith("Somerset: there is no row for REF_COUNT")
    refs, _ = check_value(
        row(indicator_code="REF_COUNT", value="1000"),
        SOMERSET,
        REFS,
        {"value": D(1000), "numerator": None, "denominator": None},
    )
    given["REF_COUNT"] = refs
    rule = Rule(Part("REREF_PCT"), "numerator", "le", Part("REF_COUNT"), "value", "too many")
    [broken] = check_rules(SOMERSET, given, Context(**{**CONTEXT.__dict__, "rules": [rule]}))
    assert str(broken) == "Row 5, numerator: Somerset: too many (1100 against 1000 on row 5)"


def test_validate_table_stops_at_row_errors_before_checking_across_rows():
    rows = [COLUMNS, [row(value="abc").cells[c] for c in COLUMNS]]
    result = validate_table(rows, CONTEXT)
    assert [str(e) for e in result.errors] == ["Row 2, column K (value): 'abc' is not a number."]
    assert result.rows == 1 and result.values == []
