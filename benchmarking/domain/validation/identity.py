"""Which LA, period and indicator a row is for."""

from typing import Any

from .rows import Context, Issue, Row


def period_key(text: str) -> str:
    return "".join(text.lower().split()).replace("_", "").replace("/", "-")


def check_la(row: Row, context: Context) -> tuple[Any, list[Issue]]:
    """The LA the row names, if the file may contain it."""
    text = row.cells["la_code"]
    la = context.las.get(text.upper()) if text else None
    if not text:
        return None, [row.issue("la_code", "the LA code is missing.")]
    if la is not None:
        return la, []
    single = context.single_la
    if single is not None:
        message = (
            f"'{text}' is not {single.name} ({single.gss_code}); this return is for "
            f"{single.name} only."
        )
    else:
        message = f"'{text}' is not an LA of this region."
    return None, [row.issue("la_code", message)]


def check_period(row: Row, context: Context) -> list[Issue]:
    text = row.cells["period"]
    wanted = {period_key(context.period.label), period_key(context.period.slug)}
    if period_key(text) in wanted:
        return []
    label = context.period.label
    return [
        row.issue(
            "period",
            f"'{text}' is not this return's period; it must be {label}."
            if text
            else f"the period is missing; it must be {label}.",
        )
    ]


def check_indicator(row: Row, context: Context) -> tuple[Any, list[Issue]]:
    """The indicator the row names, if the return asks for it."""
    code = row.cells["indicator_code"].upper()
    indicator = context.indicators.get(code)
    if indicator is not None:
        return indicator, []
    if not code:
        message = "the indicator code is missing."
    elif code in context.known_codes:
        message = f"{code} is published data only; it is not part of the quarterly return."
    else:
        message = f"'{row.cells['indicator_code']}' is not a known indicator."
    return None, [row.issue("indicator_code", message)]
