"""Decimal arithmetic shared by every module: rounding, ratios, and the way figures are written."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from app.services.parsing import MAX_NUMBER_TEXT, NUMBER_TEXT, tidy_number_text

CENT = Decimal("0.01")
_LARGEST = Decimal("1e15")
RATE_QUANTUM = Decimal("0.0001")  # a fraction with 4 places is a percentage with 2


def to_decimal(value: object) -> Decimal | None:
    """Parse what a clerk types or a cell holds: '951.90', '1,234.5', ' 12 ', 951.9 → Decimal; None for
    anything else, or beyond ±1e15. Forms and imports use app.services.parsing, which has the limits
    of each kind of field; this is for figures that only need to be numbers."""
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value)) if math.isfinite(value) else Decimal("NaN")
    else:
        text = tidy_number_text(str(value)).removesuffix("万元")
        # Decimal() alone would take "NaN", "Infinity", "1e999" and other scripts' digits.
        if not text or len(text) > MAX_NUMBER_TEXT or not NUMBER_TEXT.fullmatch(text):
            return None
        number = Decimal(text)
    # Beyond this, money() and ratio() would exceed Decimal's 28 digits and raise.
    return number if number.is_finite() and abs(number) <= _LARGEST else None


def money(value: Decimal | int | None) -> Decimal | None:
    """万元 with two decimals, rounded half up."""
    if value is None:
        return None
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def ratio(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    """part / whole as a fraction rounded to 4 places (2 as a percentage); None if whole is 0/None."""
    if part is None or whole is None or Decimal(whole) == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(RATE_QUANTUM, rounding=ROUND_HALF_UP)


def format_money(value: Decimal | None, blank: str = "") -> str:
    """951.9 → '951.90'."""
    return blank if value is None else f"{money(value):,.2f}".replace(",", "")


def format_rate(value: Decimal | None, blank: str = "") -> str:
    """0.9672 → '96.72%'."""
    if value is None:
        return blank
    return f"{(Decimal(value) * 100).quantize(CENT, rounding=ROUND_HALF_UP)}%"


def format_score(value: Decimal | None, blank: str = "") -> str:
    """Scores as the seeds write them: 10, 0.5, 99.5 (no trailing zeros)."""
    if value is None:
        return blank
    text = f"{Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
