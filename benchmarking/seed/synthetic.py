"""Synthetic DfE-format published files for load tests and `make bench`: for every LA and each
year, a population row, a referrals row (C1) and a workforce row (CSWW), in the real column
layout, so `services.published_data_import` reads them like DfE's own files.

153 LAs x 76 years give ~100,000 values. The figures are made up but pass every check.
"""

import csv
import io

BASE = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
]
WORKFORCE = [
    "inpost_fte",
    "leavers_fte",
    "turnover_rate_fte",
    "agency_fte",
    "agency_rate_fte",
    "vacancy_fte",
    "vacancy_rate_fte",
    "case_holders_fte",
    "cases",
    "caseload_fte",
    "working_days_lost_fte",
    "absence_rate_fte",
]
C1 = [
    "category",
    "referral_count",
    "rereferral_count",
    "rereferral_percent",
    "no_further_action_count",
    "no_further_action_percent",
]


def synthetic_file(las, years, header, row) -> str:
    """One CSV: a row per year and LA; ``row(index)`` gives the cells after the LA columns."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for year in years:
        for index, la in enumerate(las):
            writer.writerow(
                [
                    year,
                    "Reporting year",
                    "Local authority",
                    "E92000001",
                    "England",
                    "",
                    "",
                    la.dfe_code,
                    la.gss_code,
                    la.name,
                    *row(index),
                ]
            )
    return out.getvalue()


def synthetic_published_files(las, years) -> list[tuple[str, str]]:
    """(name, text) files for ``services.published_data_import``."""
    return [
        (
            "pop.csv",
            synthetic_file(
                las,
                years,
                [*BASE, "age_group", "population_estimate"],
                lambda i: ["Children aged 0 to 17 years", 50_000 + i],
            ),
        ),
        (
            "c1.csv",
            synthetic_file(las, years, [*BASE, *C1], lambda i: ["R", 2000 + i, 400, 20, 100, 5]),
        ),
        (
            "csww.csv",
            synthetic_file(
                las,
                years,
                [*BASE, *WORKFORCE],
                lambda i: [300, 30, 10, 30, 9.1, 40, 11.8, 200, 3000, 15, 2277, 3],
            ),
        ),
    ]
