"""Periods that statistics are asked for: a year, a quarter, a month, or any range of days."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date

from app.dates import cn_date
from app.errors import UserError

QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise UserError(f"统计期间的结束日期（{self.end}）早于开始日期（{self.start}）")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise UserError("季度应为1至4")
        first = 3 * quarter - 2
        return cls(date(year, first, 1), date(year, first + 2, monthrange(year, first + 2)[1]))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(date(year, month, 1), date(year, month, monthrange(year, month)[1]))

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def same_period_last_year(self) -> Period:
        """同比: the same dates one year earlier (29 February becomes 28 February)."""
        return Period(_year_earlier(self.start), _year_earlier(self.end))

    def is_whole_year(self) -> bool:
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31) and (
            self.start.year == self.end.year
        )

    def quarter_number(self) -> int | None:
        for q in range(1, 5):
            if Period.quarter(self.start.year, q) == self:
                return q
        return None

    def label(self) -> str:
        """ "2023年度", "2023年第一季度", "2023年3月", or "2023年1月1日至3月16日"."""
        if self.is_whole_year():
            return f"{self.start.year}年度"
        quarter = self.quarter_number()
        if quarter is not None:
            return f"{self.start.year}年{QUARTER_NAMES[quarter - 1]}"
        if Period.month(self.start.year, self.start.month) == self:
            return f"{self.start.year}年{self.start.month}月"
        end = f"{self.end.month}月{self.end.day}日"
        if self.end.year != self.start.year:
            end = f"{self.end.year}年{end}"
        return f"{format_day(self.start)}至{end}"


def _year_earlier(day: date) -> date:
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def format_day(day: date | None) -> str:
    """2023-03-16 → "2023年3月16日" (no leading zeros, as GB/T 9704 writes dates)."""
    return "" if day is None else cn_date(day)
