"""Dates as Chinese text, built from the numbers: never through strftime or a format spec.

On Windows CPython hands a strftime format (also a date's format spec in an f-string or in
`format(d, spec)`) to the C runtime in the ANSI code page; on an English-locale PC a Chinese
character cannot be encoded there and the export dies with UnicodeEncodeError.
tests/unit/test_date_formats.py keeps such formats out of app/, ui/ and main.py.

Also the rule for the date a form suggests, and the warning for a date outside the working year.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from app import clock


def cn_date(value: date) -> str:
    """2024年1月2日: Arabic numerals without leading zeros, as 公文 (GB/T 9704) write dates."""
    return f"{value.year}年{value.month}月{value.day}日"


# -- dates inside the working year ---------------------------------------------------------------
# A clerk who enters the 2024 year in 2026 is recording 2024's events: a date field that starts at
# today's date would put them in the wrong year. Documents about a year (成文日期, 填报日期) are
# usually signed early in the next one, so they may fall in either.


def in_year(value: date, year: int, *, next_year_too: bool = False) -> bool:
    return value.year == year or (next_year_too and value.year == year + 1)


def default_date(
    year: int, today: date, last_used: date | None = None, *, next_year_too: bool = False
) -> date:
    """Today if it is inside the working year, else the last date used (inside it), else the year's
    last day for a past year or its first day for a future one."""
    if in_year(today, year, next_year_too=next_year_too):
        return today
    if last_used is not None and in_year(last_used, year, next_year_too=next_year_too):
        return last_used
    return date(year, 12, 31) if today.year > year else date(year, 1, 1)


def year_warning(value: date | None, year: int, *, next_year_too: bool = False) -> str:
    """A warning (not an error) for a date outside the working year; "" when it is inside or empty."""
    if value is None or in_year(value, year, next_year_too=next_year_too):
        return ""
    if next_year_too:
        return f"日期不在 {year} 年度或次年内，请核对"
    return f"日期不在 {year} 年度内，请核对"


class DateDefaults:
    """The dates one page suggests: `default_date` with the last date used on the page in this
    session (per year), so that a clerk entering last year's records goes on from where they were."""

    def __init__(self, today: Callable[[], date] | None = None, *, next_year_too: bool = False) -> None:
        self.today = today or clock.today
        self.next_year_too = next_year_too
        self._last: dict[int, date] = {}

    def default(self, year: int) -> date:
        return default_date(year, self.today(), self._last.get(year), next_year_too=self.next_year_too)

    def used(self, *values: date | None) -> None:
        """Remember dates the clerk saved (each under the year it belongs to)."""
        for value in values:
            if value is not None:
                self._last[value.year] = value
                if self.next_year_too:
                    self._last[value.year - 1] = value

    def warning(self, value: date | None, year: int) -> str:
        return year_warning(value, year, next_year_too=self.next_year_too)

    def warnings(self, values: dict[str, object], year: int) -> dict[str, str]:
        """Field → warning for the dates among `values` that lie outside the year."""
        found = {key: self.warning(v, year) for key, v in values.items() if isinstance(v, date)}
        return {key: text for key, text in found.items() if text}

    def for_year(self, year: int) -> WorkingYear:
        return WorkingYear(self, year)


class WorkingYear:
    """A page's DateDefaults bound to the year in view: what one dialog needs."""

    def __init__(self, dates: DateDefaults, year: int) -> None:
        self.dates, self.year = dates, year

    @classmethod
    def current(cls, today: Callable[[], date] | None = None) -> WorkingYear:
        """For a dialog opened without a page's year: today's year, so today is the default."""
        dates = DateDefaults(today)
        return cls(dates, dates.today().year)

    def default(self, earliest: date | None = None) -> date:
        """The default date, not before `earliest` (the date the new one follows)."""
        day = self.dates.default(self.year)
        return max(day, earliest) if earliest is not None else day

    def warning(self, value: date | None) -> str:
        return self.dates.warning(value, self.year)

    def used(self, *values: date | None) -> None:
        self.dates.used(*values)
