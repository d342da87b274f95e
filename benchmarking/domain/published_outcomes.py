"""Parsers of the DfE files added by issue 13: CIN table C4 (section 47 enquiries, ICPCs), the
outcomes of children looked after (health assessments) and new placements (distance)."""

from decimal import Decimal

from .numbers import number_or_none as number
from .published_records import Record, Skip, _rate_from_count, _ratio_record, code_of


def _c4(row, base):
    """Section 47 enquiries (rate per 10,000 from the count) and ICPCs within 15 working days
    of the strategy discussion: (0-10 + 11-15 days) / all ICPCs with a duration."""
    yield _rate_from_count(base, "S47_RATE", row["Section47"])
    quick = [row["Duration_0-10_days"], row["Duration_11-15_days"]]
    bands = [*quick, row["Duration_16-20_days"], row["Duration_21+_days"]]
    codes = [code_of(text) for text in bands if number(text) is None]
    if codes:
        yield Record(**base, indicator="ICPC_15D_PCT", suppression=codes[0] or "x")
        return
    within = sum((number(t) for t in quick), Decimal(0))  # type: ignore[misc]
    total = sum((number(t) for t in bands), Decimal(0))  # type: ignore[misc]
    if not total:
        yield Skip(
            "no ICPC in the year (no percentage of none)",
            f"{base['la_name']} {base['fiscal_year']}",
        )
        return
    yield _ratio_record(base, "ICPC_15D_PCT", None, str(within), str(total), 100)


HEALTH = "Health assessments: Children looked after all ages"
PLACEMENTS = "Location of new placements during the year"
FAR = (
    "Placed inside LA boundary more than 20 miles from home",
    "Placed outside LA boundary more than 20 miles from home",
)


def _outcome_groups(rows_by_key):
    """Health assessments up to date (outcomes file); new placements more than 20 miles from
    home (new placements file: inside + outside the LA boundary, of all new placements)."""
    for (base_key, characteristic), rows in rows_by_key.items():
        base = {**dict(base_key), "line": rows.get("__line__", 0)}
        if characteristic == HEALTH and "Had their annual health assessment" in rows:
            num = rows["Had their annual health assessment"]
            total = rows.get("Total all ages", {})
            yield _ratio_record(
                base,
                "CLA_HEALTH_PCT",
                num["children_percent"],
                num["children_count"],
                total.get("children_count", ""),
                100,
                dps=0,
            )
        elif characteristic == PLACEMENTS and all(b in rows for b in FAR):
            counts = [rows[b]["children_count"] for b in FAR]
            total = rows.get("Total new placements", {}).get("children_count", "")
            codes = [code_of(c) for c in counts if number(c) is None]
            if codes:
                yield Record(**base, indicator="CLA_PLACED_20MI_PCT", suppression=codes[0] or "x")
                continue
            far = sum((number(c) for c in counts), Decimal(0))  # type: ignore[misc]
            yield _ratio_record(base, "CLA_PLACED_20MI_PCT", None, str(far), total, 100, dps=0)
