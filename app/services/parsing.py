"""The one set of parsers for every value that enters through a form, a paste or an import.

Each parser takes what was typed or what a cell holds (text, int, float, Decimal, date) and returns
the value, None for a blank, or raises `ParseError` (a UserError) whose message names the field in
Chinese. The limits are explicit so that nothing out of range reaches the arithmetic or the
database: money ≤ 1e12 万元 with two decimals, counts ≤ 1e9, dates 1949-01-01 … 2100-12-31.

Text is read as a clerk types it: full-width digits and punctuation, spaces, thousands separators
("1,234.5", "1，234.5") and a unit ("万元") are forgiven; exponents, NaN/Infinity, circled or
superscript digits and other scripts' digits are not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import TypeVar

from app.errors import UserError

MONEY_MAX = Decimal("1000000000000")  # 万元
MONEY_PLACES = 2
SCORE_MAX = Decimal(100)  # 分值 and 得分 of one table never exceed its 总分
COUNT_MAX = 1_000_000_000
DATE_MIN = date(1949, 1, 1)
DATE_MAX = date(2100, 12, 31)
MAX_NUMBER_TEXT = 40  # characters of a tidied number: room for any value within the limits

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，＋－％", "0123456789.,+-%")
_SPACES = re.compile(r"\s+")
NUMBER_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)
_DIGITS = re.compile(r"\d+", re.ASCII)
_DATE_PATTERNS = (
    re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?", re.ASCII),
    re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII),
)
# Excel keeps 15 significant digits: 0.1+0.2 typed as a formula is 0.3 in the cell, not 0.30000000000000004.
_FLOAT_DIGITS = ".15g"

_PLACES = ("零", "一", "两", "三", "四")
T = TypeVar("T")


class ParseError(UserError):
    """A value that cannot be accepted; `str(exc)` names the field and says why."""


def _shown(value: object) -> str:
    text = str(value).strip()
    return text if len(text) <= 20 else text[:20] + "…"


def tidy_number_text(text: str) -> str:
    """ "１，２34.5 万元" → "1234.5万元": full-width folded, spaces and thousands separators removed."""
    return _SPACES.sub("", text.translate(_FULLWIDTH)).replace(",", "")


def parse_decimal(
    value: object,
    label: str,
    *,
    maximum: Decimal,
    places: int,
    minimum: Decimal = Decimal(0),
    round_places: bool = False,
    suffixes: tuple[str, ...] = (),
) -> Decimal | None:
    """A number within [minimum, maximum] with at most `places` decimals (rounded half up to them
    with `round_places`, as a cell formatted to two decimals shows them); blank → None."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ParseError(f"{label}应为数字")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ParseError(f"{label}应为数字")
        number = Decimal(format(value, _FLOAT_DIGITS))
    else:
        text = tidy_number_text(str(value))
        for suffix in suffixes:
            text = text.removesuffix(suffix)
        if not text:
            return None
        if len(text) > MAX_NUMBER_TEXT or not NUMBER_TEXT.fullmatch(text):
            raise ParseError(f"{label}“{_shown(value)}”不是数字")
        number = Decimal(text)
    if not number.is_finite():
        raise ParseError(f"{label}应为数字")
    if number < minimum:
        raise ParseError(f"{label}不能为负数" if minimum == 0 else f"{label}不能小于{minimum}")
    if number > maximum:
        raise ParseError(f"{label}数值过大（最大为{maximum:,f}），请核对")
    with localcontext() as ctx:
        ctx.prec = 60  # ample for |x| ≤ maximum at these places; the checks above bound the size
        rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded != number and not round_places:
        raise ParseError(f"{label}应为整数" if places == 0 else f"{label}最多保留{_PLACES[places]}位小数")
    return rounded.copy_abs() if rounded == 0 else rounded  # "-0" is 0.00, not -0.00


def parse_money(value: object, label: str, *, round_places: bool = False) -> Decimal | None:
    """An amount in 万元: 0 … 1e12 with two decimals; "951.90", "1,234.5", "5万元" are read."""
    return parse_decimal(
        value,
        label,
        maximum=MONEY_MAX,
        places=MONEY_PLACES,
        round_places=round_places,
        suffixes=("万元",),
    )


def parse_score(value: object, label: str, *, round_places: bool = False) -> Decimal | None:
    """分值 or 得分: 0 … 100 with two decimals; "10分" is read."""
    return parse_decimal(
        value, label, maximum=SCORE_MAX, places=2, round_places=round_places, suffixes=("分",)
    )


def parse_count(value: object, label: str, *, maximum: int = COUNT_MAX, minimum: int = 0) -> int | None:
    """A whole number of people, bodies, times …: ASCII (or full-width) digits only, ≤ `maximum`."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ParseError(f"{label}应为不小于{minimum}的整数")
    if isinstance(value, int):
        number = value
    elif isinstance(value, (float, Decimal)):
        decimal = parse_decimal(value, label, maximum=Decimal(maximum), places=0, minimum=Decimal(minimum))
        return None if decimal is None else int(decimal)
    else:
        text = tidy_number_text(str(value))
        if not text:
            return None
        if len(text) > MAX_NUMBER_TEXT or not _DIGITS.fullmatch(text.removeprefix("+")):
            raise ParseError(f"{label}应为不小于{minimum}的整数")
        number = int(text)
    if number < minimum:
        raise ParseError(f"{label}应为不小于{minimum}的整数")
    if number > maximum:
        raise ParseError(f"{label}数值过大（最大为{maximum}），请核对")
    return number


def check_date(value: date | None, label: str) -> str | None:
    """Why `value` cannot be stored (outside 1949-01-01 … 2100-12-31), or None."""
    if value is None:
        return None
    if not DATE_MIN <= value <= DATE_MAX:
        return f"{label}应在{DATE_MIN.year}年至{DATE_MAX.year}年之间，当前为{value.isoformat()}"
    return None


def parse_date(value: object, label: str = "日期") -> date | None:
    """2023-05-06, 2023.5.6, 2023/5/6, 20230506, 2023年5月6日, or a date cell; blank → None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        error = check_date(value, label)
        if error:
            raise ParseError(error)
        return value
    text = _SPACES.sub("", str(value).translate(_FULLWIDTH))
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                parsed = date(year, month, day)
            except ValueError:
                raise ParseError(f"{label}“{_shown(value)}”不存在，请核对") from None
            error = check_date(parsed, label)
            if error:
                raise ParseError(error)
            return parsed
    raise ParseError(f"{label}格式应为 2023-05-06")


def check_text(text: str, label: str, limit: int) -> str | None:
    """Why `text` is too long to store (more than `limit` characters), or None."""
    if len(text) > limit:
        return f"{label}过长（最多{limit}字，当前{len(text)}字）"
    return None


def attempt(parse: Callable[..., T], *args: object, **kwargs: object) -> tuple[T | None, str | None]:
    """(value, None) or (None, message): for forms that show the message under the field."""
    try:
        return parse(*args, **kwargs), None
    except ParseError as exc:
        return None, str(exc)
