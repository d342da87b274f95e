"""Published-only indicators added by issue 13 (see ``catalogue.py`` for the conventions):
section 47 enquiries and ICPC timeliness (CIN table C4), health assessments of children looked
after (outcomes file) and new placements more than 20 miles from home (new placements file)."""

from .catalogue_parts import PCT, POP, RATE, YEAR, _i

C4 = "DfE Children in need, table C4 (section 47 enquiries and ICPCs)"
OUTCOMES = "DfE Outcomes for children looked after, health assessments"
NEWPL = "DfE Children looked after in England, new placements in the year"


OUTCOME_INDICATORS = [
    _i(
        "S47_RATE",
        "Section 47 enquiries rate",
        "Section 47 enquiries per 10,000 children",
        "Section 47 enquiries started in the year per 10,000 children aged 0-17 (DfE table C4 "
        "over the ONS mid-year estimate, as LAIT).",
        "child_protection",
        80,
        "none",
        **RATE,
        numerator_label="Section 47 enquiries started",
        denominator_label=POP,
        reference_date=YEAR,
        source=f"{C4}; ONS population",
        lait_measure="Section_47",
    ),
    _i(
        "ICPC_15D_PCT",
        "ICPCs within 15 working days",
        "Initial child protection conferences within 15 working days (%)",
        "Initial child protection conferences held in the year within 15 working days of the "
        "strategy discussion that started the section 47 enquiry (DfE table C4: 0-10 and 11-15 "
        "working days, of all ICPCs with a duration).",
        "child_protection",
        81,
        "high",
        **PCT,
        numerator_label="ICPCs within 15 working days",
        denominator_label="ICPCs with a recorded duration",
        reference_date=YEAR,
        source=C4,
    ),
    _i(
        "CLA_HEALTH_PCT",
        "Health assessments up to date",
        "Children looked after whose annual health assessment was up to date (%)",
        "Children looked after continuously for 12 months or more at 31 March who had their "
        "annual health assessment.",
        "looked_after",
        80,
        "high",
        **PCT,
        decimal_places=0,
        numerator_label="Had their annual health assessment",
        denominator_label="Children looked after 12 months or more",
        reference_date=YEAR,
        source=OUTCOMES,
        lait_measure="LACHealth%",
    ),
    _i(
        "CLA_PLACED_20MI_PCT",
        "New placements over 20 miles away",
        "New placements more than 20 miles from home (%)",
        "Placements starting in the year more than 20 miles from the child's home, inside or "
        "outside the LA boundary, of all new placements (distance not recorded counts in the "
        "total).",
        "looked_after",
        81,
        "low",
        **PCT,
        decimal_places=0,
        numerator_label="New placements more than 20 miles from home",
        denominator_label="New placements in the year",
        reference_date=YEAR,
        source=NEWPL,
    ),
]
