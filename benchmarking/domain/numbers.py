"""The one reader of numbers in DfE published files, return uploads and report inputs.

Accepted: the ASCII digits 0-9 with an optional sign, one decimal point (a full stop) and an
exponent; commas (or non-breaking spaces, Excel's separator in some locales) only between
groups of three digits before the decimal point (``12,500``, ``1,234,567.5``); spaces around;
and a trailing ``%`` (``22.5%`` is 22.5, as a percentage indicator stores it). Blank text is no
number (``None``). Anything else is refused with the reason: a decimal comma (``12,5``), other
scripts' digits (Arabic-Indic, full-width), ``NaN`` or infinity.
"""

import math
import re
from decimal import Decimal, InvalidOperation


class NotANumber(ValueError):
    """The text is not blank and not a number; `reason` says why, when there is more to say
    than "not a number" (e.g. a decimal comma)."""

    def __init__(self, text: str, reason: str = ""):
        super().__init__(text)
        self.reason = reason


_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?", re.ASCII)
_SEPARATORS = ("\u00a0", "\u202f")  # Excel's thousands separators in some locales


def parse_number(raw: object) -> Decimal | None:
    """The number in `raw` (text, int, float or Decimal); None when blank. Raises NotANumber
    for text that is not a finite number written with ASCII digits."""
    if raw is None:
        return None
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise NotANumber(str(raw))
        return raw
    if isinstance(raw, bool):
        raise NotANumber(str(raw))
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise NotANumber(str(raw))
        return Decimal(str(raw))
    text = str(raw)
    cleaned = text.strip()
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1].strip()
    if not cleaned:
        if text.strip():  # a lone "%"
            raise NotANumber(text)
        return None
    for separator in _SEPARATORS:
        cleaned = cleaned.replace(separator, ",")
    return _decimal(text, _ungrouped(text, cleaned))


def _ungrouped(text: str, cleaned: str) -> str:
    """`cleaned` without its thousands separators, refusing commas that are not one."""
    if "," not in cleaned:
        return cleaned
    if _GROUPED.fullmatch(cleaned):
        return cleaned.replace(",", "")
    if re.fullmatch(r"[+-]?[0-9]+,[0-9]+", cleaned, re.ASCII):
        raise NotANumber(
            text,
            "a comma is not a decimal point: write decimals with a full stop (12.5) and use "
            "commas only between thousands (12,500).",
        )
    raise NotANumber(
        text, "commas may only separate thousands (12,500 or 1,234,567), not other digits."
    )


def _decimal(text: str, cleaned: str) -> Decimal:
    if not _NUMBER.fullmatch(cleaned):
        if any(char.isdigit() and not char.isascii() for char in cleaned):
            raise NotANumber(text, "only the digits 0 to 9 are accepted.")
        raise NotANumber(text)
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise NotANumber(text) from None
    if not number.is_finite():
        raise NotANumber(text)
    return number


def decimal_places(number: Decimal) -> int:
    """How many decimal places `number` is written with, trailing zeros aside (1.50 has 1)."""
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def number_or_none(raw: object) -> Decimal | None:
    """`parse_number`, with anything that is not a number read as no number (published files
    mark missing figures with codes such as ``c`` or ``..``, handled by the caller)."""
    try:
        return parse_number(raw)
    except NotANumber:
        return None


def numbers_differ(old: object, new: object) -> bool:
    """True if a stored field and a new one differ; Decimals by value (1.50 == 1.5)."""
    if isinstance(old, Decimal) and isinstance(new, Decimal):
        return old.compare(new) != 0
    return old != new
