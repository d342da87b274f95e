"""What every indicator definition in the catalogue is built from (catalogue.py and
catalogue_outcomes.py): the ONS population denominator, the flow period, the unit ranges and one
indicator's fields."""

from decimal import Decimal

POP = "Children aged 0-17 (ONS mid-year estimate)"
YEAR = "Year to 31 March (rolling 12 months to the quarter end for returns)"

PCT = {"unit": "percent", "valid_min": Decimal(0), "valid_max": Decimal(100)}
RATE = {"unit": "rate_10k", "valid_min": Decimal(0), "valid_max": Decimal(10000)}


def _i(code, short_name, name, definition, theme, order, polarity, **extra):
    return {
        "code": code,
        "short_name": short_name,
        "name": name,
        "definition": definition,
        "theme": theme,
        "display_order": order,
        "polarity": polarity,
        **extra,
    }
