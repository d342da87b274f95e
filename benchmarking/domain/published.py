"""Reading DfE "Explore education statistics" tidy files into indicator values.

Pure parsing: a CSV's rows in, ``Record``s and ``Skip``s out. Which measures a file holds is
recognised from its columns, so any file of the same format (a later release) works. Writing is
``services.published.published_data_import``.

Conventions (see ``data/README.md``): ``time_period`` Y is the year to 31 March Y (financial
year Y-1), except the workforce census (30 September Y, financial year Y) and the ONS mid-year
estimate (30 June Y, financial year Y). Rates per 10,000 use the population of the same
financial year, i.e. the mid-year estimate of the year before ``time_period``, as DfE does.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .numbers import number_or_none as number
from .published_outcomes import _c4, _outcome_groups
from .published_records import (  # noqa: F401 (re-exported: the parser's vocabulary)
    ENGLAND_CODE,
    LA_LEVEL,
    NATIONAL_LEVEL,
    REGIONAL_LEVEL,
    SUPPRESSION_CODES,
    WORKING_DAYS,
    Record,
    Skip,
    UnknownFormat,
    _rate_from_count,
    _ratio_record,
    code_of,
)


def _march_year(row) -> int:
    return int(row["time_period"]) - 1


def _same_year(row) -> int:
    return int(row["time_period"])


def _c1(row, base):
    yield _rate_from_count(base, "REF_RATE", row["referral_count"])
    yield _ratio_record(
        base,
        "REREF_PCT",
        row["rereferral_percent"],
        row["rereferral_count"],
        row["referral_count"],
        100,
    )
    yield _ratio_record(
        base,
        "NFA_PCT",
        row["no_further_action_percent"],
        row["no_further_action_count"],
        row["referral_count"],
        100,
    )


def _b1(row, base):
    yield _rate_from_count(base, "CIN_RATE", row["At31_episodes"])


def _d3(row, base):
    yield _ratio_record(
        base,
        "CPP_SUBSEQUENT_PCT",
        row["CPP_subsequent_percent"],
        row["CPP_subsequent"],
        row["CPP_start"],
        100,
    )


def _d5(row, base):
    yield _rate_from_count(base, "CPP_RATE", row["CPP_At31"])
    yield _ratio_record(
        base,
        "CPP_2YRS_PCT",
        row["2_years_or_more_percent"],
        row["2_years_or_more"],
        row["CPP_At31"],
        100,
    )


CLA_POPULATIONS = {
    "Children looked after on 31 March each year": "CLA_RATE",
    "Children starting to be looked after each year": "CLA_START_RATE",
    "Children ceasing to be looked after each year": "CLA_CEASE_RATE",
}


def _cla(row, base):
    indicator = CLA_POPULATIONS.get(row["population_type"].strip())
    if indicator:
        yield _ratio_record(
            base,
            indicator,
            row["rate_per_10000"],
            row["children_count"],
            row["population_estimate"],
            10000,
            dps=0,
        )


def _population(row, base):
    if row["age_group"].strip() == "Children aged 0 to 17 years":
        yield _count_record(base, "POP_0_17", row["population_estimate"])


def _count_record(base, indicator, text):
    value = number(text)
    if value is not None:
        return Record(**base, indicator=indicator, value=value)
    code = code_of(text)
    if code:
        return Record(**base, indicator=indicator, suppression=code)
    return Skip("blank value", f"{indicator} {base['la_name']} {base['fiscal_year']}")


def _csww(row, base):
    inpost = number(row["inpost_fte"])
    vacancy = number(row["vacancy_fte"])
    agency = number(row["agency_fte"])
    days_lost = number(row["working_days_lost_fte"])

    def plus(a, b):
        return str(a + b) if a is not None and b is not None else ""

    def text(a):
        return str(a) if a is not None else ""

    yield _ratio_record(
        base,
        "SW_VACANCY_PCT",
        row["vacancy_rate_fte"],
        row["vacancy_fte"],
        plus(vacancy, inpost),
        100,
    )
    yield _ratio_record(
        base, "SW_AGENCY_PCT", row["agency_rate_fte"], row["agency_fte"], plus(agency, inpost), 100
    )
    yield _ratio_record(
        base,
        "SW_TURNOVER_PCT",
        row["turnover_rate_fte"],
        row["leavers_fte"],
        row["inpost_fte"],
        100,
    )
    yield _ratio_record(
        base, "SW_CASELOAD", row["caseload_fte"], row["cases"], row["case_holders_fte"], 1
    )
    available = text(inpost * WORKING_DAYS) if inpost is not None else ""
    yield _ratio_record(
        base,
        "SW_ABSENCE_PCT",
        row["absence_rate_fte"],
        text(days_lost) if days_lost is not None else "",
        available,
        100,
    )


# (cla_group, numerator breakdown) -> indicator; denominators are the "Total children" rows.
STABILITY = {
    ("CLA on 31 March", "With 3 or more placements during the year"): "CLA_3PLUS_PCT",
    (
        "Children looked after continuously for at least 2.5 years on 31 March aged under 16 years",
        "Living with the same carer for at least 2 years",
    ): "CLA_LONG_STABLE_PCT",
}
CARE_LEAVERS = {
    ("19 to 21 years", "Total in education, employment or training"): ("CL_EET_PCT", "Total"),
    ("17 to 18 years", "Total in education, employment or training"): (
        "CL_EET_17_18_PCT",
        "Total",
    ),
    ("19 to 21 years", "Accommodation considered suitable"): ("CL_ACCOM_PCT", "Suitability total"),
    ("17 to 18 years", "Accommodation considered suitable"): (
        "CL_ACCOM_17_18_PCT",
        "Suitability total",
    ),
}


@dataclass(frozen=True)
class Format:
    name: str
    signature: frozenset[str]
    year: Callable
    rows: Callable | None = None
    # For "long" files: a function grouping rows into records
    grouped: Callable | None = None


def _stability_groups(rows_by_key):
    for (base_key, group), rows in rows_by_key.items():
        base = {**dict(base_key), "line": rows.get("__line__", 0)}
        for (cla_group, breakdown), indicator in STABILITY.items():
            if group != cla_group or breakdown not in rows:
                continue
            num = rows[breakdown]
            total = rows.get("Total children", {})
            yield _ratio_record(
                base,
                indicator,
                num["children_percent"],
                num["children_count"],
                total.get("children_count", ""),
                100,
                dps=0,
            )


def _care_leaver_groups(rows_by_key):
    for (base_key, age), rows in rows_by_key.items():
        base = {**dict(base_key), "line": rows.get("__line__", 0)}
        for (leaver_age, breakdown), (indicator, total_name) in CARE_LEAVERS.items():
            if age != leaver_age or breakdown not in rows:
                continue
            num = rows[breakdown]
            total = rows.get(total_name, {})
            yield _ratio_record(
                base,
                indicator,
                num["care_leaver_percent"],
                num["care_leaver_count"],
                total.get("care_leaver_count", ""),
                100,
                dps=0,
            )


FORMATS = [
    Format(
        "ONS population", frozenset({"age_group", "population_estimate"}), _same_year, _population
    ),
    Format(
        "CIN referrals (C1)", frozenset({"referral_count", "rereferral_count"}), _march_year, _c1
    ),
    Format("CIN (B1)", frozenset({"At31_episodes"}), _march_year, _b1),
    Format("Section 47s and ICPCs (C4)", frozenset({"Section47", "ICPC"}), _march_year, _c4),
    Format(
        "CLA outcomes and new placements",
        frozenset({"characteristic", "breakdown", "children_count"}),
        _march_year,
        grouped=("characteristic", "breakdown", _outcome_groups),
    ),
    Format("CPP subsequent (D3)", frozenset({"CPP_start", "CPP_subsequent"}), _march_year, _d3),
    Format("CPP duration (D5)", frozenset({"CPP_At31", "2_years_or_more"}), _march_year, _d5),
    Format(
        "CLA numbers and rates",
        frozenset({"population_type", "children_count", "rate_per_10000"}),
        _march_year,
        _cla,
    ),
    Format(
        "CLA placement stability",
        frozenset({"cla_group", "placement_stability", "children_count"}),
        _march_year,
        grouped=("cla_group", "placement_stability", _stability_groups),
    ),
    Format(
        "Care leavers",
        frozenset({"care_leaver_age", "breakdown", "care_leaver_count"}),
        _march_year,
        grouped=("care_leaver_age", "breakdown", _care_leaver_groups),
    ),
    Format(
        "Social work workforce", frozenset({"vacancy_rate_fte", "caseload_fte"}), _same_year, _csww
    ),
]
REQUIRED = frozenset({"time_period", "geographic_level", "old_la_code", "new_la_code", "la_name"})


def detect_format(columns: Iterable[str]) -> Format:
    columns = {c.strip().lstrip("\ufeff") for c in columns if c}
    missing = REQUIRED - columns
    if missing:
        raise UnknownFormat(
            "This is not a DfE statistics file: it has no "
            + ", ".join(sorted(missing))
            + " column."
        )
    for fmt in FORMATS:
        if fmt.signature <= columns:
            return fmt
    raise UnknownFormat(
        "No indicator in this file is known: the columns match none of the DfE files the "
        "portal reads (children in need B1, C1, C4, D3, D5; looked after; placement "
        "stability; outcomes; new placements; care leavers; workforce; ONS population)."
    )


def _base(row, level: str, fiscal_year: int, line: int) -> dict:
    if level == LA_LEVEL:
        name = row.get("la_name")
    elif level == REGIONAL_LEVEL:
        name = row.get("region_name")
    else:
        name = "England"
    return {
        "dfe_code": (row.get("old_la_code") or "").strip() if level == LA_LEVEL else "",
        "gss_code": (row.get("new_la_code") or "").strip() if level == LA_LEVEL else "",
        "la_name": (name or "").strip(),
        "fiscal_year": fiscal_year,
        "level": level,
        "region_code": (row.get("region_code") or "").strip() if level == REGIONAL_LEVEL else "",
        "line": line,
    }


def parse_rows(rows: Iterable[dict], fmt: Format):
    """Yield Records and Skips for one file's rows (dicts with stripped keys): LA rows and
    DfE's own national and regional rows (``Record.level``)."""
    grouped: dict = {}
    for line, row in enumerate(rows, start=2):
        level = (row.get("geographic_level") or "").strip()
        if level not in (LA_LEVEL, NATIONAL_LEVEL, REGIONAL_LEVEL):
            yield Skip(f"{level or 'blank'} geographic level (not read)", f"line {line}")
            continue
        try:
            fiscal_year = fmt.year(row)
        except (TypeError, ValueError):
            yield Skip("time_period is not a year", f"line {line}")
            continue
        base = _base(row, level, fiscal_year, line)
        if fmt.grouped:
            group_col, breakdown_col, _ = fmt.grouped
            key_base = {k: v for k, v in base.items() if k != "line"}
            key = (tuple(key_base.items()), row[group_col].strip())
            rows_of = grouped.setdefault(key, {})
            rows_of[row[breakdown_col].strip()] = row
            rows_of.setdefault("__line__", line)
        else:
            yield from fmt.rows(row, base)
    if fmt.grouped:
        yield from fmt.grouped[2](grouped)


# --- the files shipped in benchmarking/data ----------------------------------------------------

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def published_paths(path: Path) -> list[Path]:
    """The DfE files in a folder (or the one file given)."""
    if path.is_dir():
        return sorted(
            p
            for p in path.glob("*.csv")
            if _looks_published(p.open(encoding="utf-8-sig").readline())
        )
    return [path]


def published_files_default() -> list[tuple[str, str]]:
    """(name, text) of every DfE file shipped with the portal."""
    return [(path.name, path.read_text(encoding="utf-8-sig")) for path in published_paths(DATA_DIR)]


def _looks_published(header: str) -> bool:
    columns = [c.strip() for c in header.split(",")]
    try:
        detect_format(columns)
    except UnknownFormat:
        return False
    return True
