"""The one reader of numbers in DfE published files, return uploads and report inputs.

Accepted: digits with an optional sign and decimal point or exponent, thousands separators
(``1,234``), non-breaking spaces anywhere (Excel's thousands separator in some locales),
spaces around, and a trailing ``%`` (``22.5%`` is 22.5, as a percentage indicator stores it).
Blank text is no number (``None``); anything else that is not a finite number is refused.
"""

import math
from decimal import Decimal, InvalidOperation


class NotANumber(ValueError):
    """The text is not blank and not a number."""


def parse_number(raw: object) -> Decimal | None:
    """The number in `raw` (text, int, float or Decimal); None when blank. Raises NotANumber
    for text that is not a finite number."""
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
    cleaned = text.replace(",", "").replace("\u00a0", "").strip()
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1].strip()
    if not cleaned:
        if text.strip():  # a lone "%" or ","
            raise NotANumber(text)
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise NotANumber(text) from None
    if not number.is_finite():
        raise NotANumber(text)
    return number


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
