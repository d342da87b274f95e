"""The records the DfE file parser yields (``published.py``), and how one value is read."""

from dataclasses import dataclass
from decimal import Decimal

from .numbers import number_or_none as number

SUPPRESSION_CODES = {
    "c": "Suppressed in the published file (confidential)",
    "x": "Not available in the published file",
    "z": "Not applicable in the published file",
    "u": "Low reliability in the published file",
    "k": "Fewer than 0.5 in the published file",
    "low": "Low: rounds to 0 but is not 0 in the published file",
}

LA_LEVEL = "Local authority"
NATIONAL_LEVEL = "National"
REGIONAL_LEVEL = "Regional"
ENGLAND_CODE = "E92000001"
WORKING_DAYS = Decimal(253)


@dataclass(frozen=True)
class Record:
    dfe_code: str
    gss_code: str
    la_name: str
    fiscal_year: int
    indicator: str
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    suppression: str = ""
    # Rates per 10,000 read from a count: the population is looked up at import time.
    needs_population: bool = False
    # "Local authority", or DfE's own "National" / "Regional" row (region_code E12/E13...)
    level: str = LA_LEVEL
    region_code: str = ""
    line: int = 0

    @property
    def is_la(self) -> bool:
        return self.level == LA_LEVEL

    @property
    def area_code(self) -> str:
        """The LA's DfE number, the region's ONS code, or England's."""
        if self.level == NATIONAL_LEVEL:
            return ENGLAND_CODE
        return self.region_code if self.level == REGIONAL_LEVEL else self.dfe_code


@dataclass(frozen=True)
class Skip:
    reason: str
    detail: str = ""


class UnknownFormat(ValueError):
    pass


def code_of(text: str) -> str:
    text = (text or "").strip().lower()
    return text if text in SUPPRESSION_CODES else ""


def _ratio_record(base, indicator, value_text, num_text, den_text, multiplier, *, dps=1):
    """A record from a published value (or one computed from numerator/denominator).

    A value whose denominator DfE suppressed has no value (Isles of Scilly's 0% of a
    suppressed number of plans is not 0%): it is stored with the denominator's code."""
    if code_of(den_text):
        return Record(**base, indicator=indicator, suppression=code_of(den_text))
    numerator, denominator = number(num_text), number(den_text)
    if denominator is not None and denominator <= 0:
        numerator = denominator = None
    if numerator is None or denominator is None:
        numerator = denominator = None
    value = number(value_text) if value_text is not None else None
    if value is None and numerator is not None:
        value = round(numerator / denominator * multiplier, dps)
    if value is not None:
        return Record(
            **base, indicator=indicator, value=value, numerator=numerator, denominator=denominator
        )
    code = code_of(value_text) or code_of(num_text) or code_of(den_text)
    if code:
        return Record(**base, indicator=indicator, suppression=code)
    return Skip("blank value", f"{indicator} {base['la_name']} {base['fiscal_year']}")


def _rate_from_count(base, indicator, count_text):
    count = number(count_text)
    if count is not None:
        return Record(**base, indicator=indicator, numerator=count, needs_population=True)
    code = code_of(count_text)
    if code:
        return Record(**base, indicator=indicator, suppression=code)
    return Skip("blank value", f"{indicator} {base['la_name']} {base['fiscal_year']}")
