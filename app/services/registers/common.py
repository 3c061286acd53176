"""What both registers (信访, 巡察整改) share: deadlines relative to a `today`, state machines with
dated transitions, list filters turned into SQL, and the way dates and rates are written.

Everything takes `today` as an argument (tests pass a fixed one; the GUI passes date.today()).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, or_

from app.dates import cn_date
from app.errors import UserError
from app.services.calc import format_rate

# "Due this week": the deadline falls within the next seven days, today included. A calendar
# week (to Sunday) would hide on a Friday what falls due on Monday.
DUE_SOON_DAYS = 7

OVERDUE = "overdue"
DUE_SOON = "due_soon"
OPEN = "open"  # a deadline further away
DONE = "done"  # nothing pending
NO_DEADLINE = "none"

DUE_FILTERS = {
    "": "全部",
    "open": "未办结",
    DUE_SOON: "本周到期（7日内）",
    OVERDUE: "已超期",
}


def due_soon_end(today: date) -> date:
    """The last day that still counts as "due this week"."""
    return today + timedelta(days=DUE_SOON_DAYS - 1)


def deadline_state(due: date | None, today: date, *, pending: bool = True) -> str:
    if not pending:
        return DONE
    if due is None:
        return NO_DEADLINE
    if due < today:
        return OVERDUE
    if due <= due_soon_end(today):
        return DUE_SOON
    return OPEN


def describe_deadline(due: date | None, today: date, *, pending: bool = True) -> str:
    """ "2023-05-06（还剩12天）", "今天到期", "已超期5天" — for the form and the list's tooltip."""
    if due is None:
        return "—"
    text = format_date(due)
    if not pending:
        return text
    days = (due - today).days
    if days < 0:
        return f"{text}（已超期{-days}天）"
    if days == 0:
        return f"{text}（今天到期）"
    return f"{text}（还剩{days}天）"


def format_date(value: date | None, blank: str = "") -> str:
    return blank if value is None else value.isoformat()


def format_date_cn(value: date | None, blank: str = "") -> str:
    """2023年1月20日 (公文 style: Arabic numerals, no leading zeros)."""
    return blank if value is None else cn_date(value)


def format_period_cn(start: date | None, end: date | None) -> str:
    """2022年11月28日至2022年12月30日."""
    if start is None and end is None:
        return ""
    return f"{format_date_cn(start, '—')}至{format_date_cn(end, '—')}"


def format_rate_prose(value: Decimal | None, blank: str = "") -> str:
    """A rate as reports write it: 100%, 98.94% (two decimals, trailing zeros dropped)."""
    text = format_rate(value, blank)
    if text.endswith(".00%"):
        return text[:-4] + "%"
    return text


def format_change(current: int, previous: int | None, *, prefix: str = "同比") -> str:
    """同比上升20.3% / 同比下降51.2% / 与上年同期持平 (one decimal, as seed 004 writes it)."""
    if previous is None or previous == 0:
        return ""
    change = (Decimal(current - previous) / Decimal(previous) * 100).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    if change == 0:
        return "与上年同期持平"
    word = "上升" if change > 0 else "下降"
    return f"{prefix}{word}{abs(change)}%"


def change_ratio(current: int, previous: int | None) -> Decimal | None:
    """(current − previous) / previous as a fraction with 4 places; None without a base."""
    if previous is None or previous == 0:
        return None
    return (Decimal(current - previous) / Decimal(previous)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )


def same_day_a_year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def as_of_for_year(year: int, today: date | None = None) -> date:
    """The day a year's figures are counted at: today, or 31 December for a past year."""
    today = today or date.today()
    return min(today, date(year, 12, 31))


# -- states ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StateMachine:
    """The allowed state changes of a register; each change is made by a service action that
    records its date (受理日期, 办结日期, 完成日期, 销号日期 …)."""

    transitions: dict[str, tuple[str, ...]]

    def allowed(self, current: str) -> tuple[str, ...]:
        return self.transitions.get(current, ())

    def check(self, current: str, target: str) -> None:
        if target not in self.allowed(current):
            raise UserError(f"当前状态为“{current}”，不能改为“{target}”")


# -- list filters --------------------------------------------------------------------------------


@dataclass
class RegisterFilter:
    """What a register list shows. Turned into SQL conditions by each register's service."""

    text: str = ""  # words, all of which must appear in one of the searched columns
    status: str = ""  # one state, or "" for all
    due: str = ""  # "", "open", DUE_SOON, OVERDUE (see DUE_FILTERS)
    start: date | None = None  # on the register's main date (收到日期), inclusive
    end: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # register-specific ("channel": "来访")


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_condition(columns: Sequence[Any], text: str) -> ColumnElement[bool] | None:
    """Every word of `text` must occur (case-insensitively) in at least one of `columns`."""
    words = [w for w in text.split() if w]
    if not words:
        return None
    clauses = [
        or_(*(column.ilike(f"%{escape_like(word)}%", escape="\\") for column in columns)) for word in words
    ]
    return and_(*clauses)


def date_range_conditions(column: Any, start: date | None, end: date | None) -> list[ColumnElement[bool]]:
    conditions = []
    if start is not None:
        conditions.append(column >= start)
    if end is not None:
        conditions.append(column <= end)
    return conditions


def due_conditions(due_column: Any, due: str, today: date) -> list[ColumnElement[bool]]:
    """For a column that holds the pending deadline (NULL when nothing is pending)."""
    if due == OVERDUE:
        return [due_column.is_not(None), due_column < today]
    if due == DUE_SOON:
        return [due_column.is_not(None), due_column >= today, due_column <= due_soon_end(today)]
    return []


def ordered_unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value and value not in seen:
            seen[value] = None
    return list(seen)


_CN_ORDINALS = "一二三四五六七八九十"


def cn_ordinal(n: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三 (for 一是…二是… and （一）)."""
    if n <= 0:
        return str(n)
    if n <= 10:
        return _CN_ORDINALS[n - 1]
    if n < 20:
        return "十" + _CN_ORDINALS[n - 11]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _CN_ORDINALS[tens - 1] + "十" + (_CN_ORDINALS[ones - 1] if ones else "")
    return str(n)


_MEASURE_PREFIX = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十0-9]+[）)]|[一二三四五六七八九十]+、|[0-9]+[、．.](?!\d))\s*"
)


def clean_measure(text: str) -> str:
    """A measure as stored: "一是建立台账；" → "建立台账" (numbering is added when it is written out)."""
    return _MEASURE_PREFIX.sub("", text.strip()).rstrip("；;。.， ").strip()


def measure_lines(measures: Sequence[str]) -> list[str]:
    """["制定…", "开展…"] → ["一是制定…；", "二是开展…。"] (as seed 001 writes them)."""
    texts = [clean_measure(t) for t in measures if clean_measure(t)]
    lines = []
    for index, text in enumerate(texts, start=1):
        prefix = f"{cn_ordinal(index)}是"
        lines.append(f"{prefix}{text}{'。' if index == len(texts) else '；'}")
    return lines


def numbered_measures(measures: Sequence[str]) -> str:
    """The measures as one paragraph: "一是制定…；二是开展…。"."""
    return "".join(measure_lines(measures))
