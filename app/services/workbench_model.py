"""工作台 — what the home page shows: the kinds of to-do lines, the charts' shapes, the share of the
year gone by, and the lines made from the F7 checks. Light on imports: the page imports it on the
GUI thread, while the figures (app.services.workbench) are computed in a background task."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.findings import Finding
from app.services.calc import ratio

HAZARDS, PETITIONS, RECTIFICATION, BUDGET, REPORTS, CHECKS = (
    "hazards",
    "petitions",
    "rectification",
    "budget",
    "reports",
    "checks",
)
PAGE_OF = {
    HAZARDS: "safety",
    PETITIONS: "petitions",
    RECTIFICATION: "rectification",
    BUDGET: "budget",
    REPORTS: "reports",
    CHECKS: "",
}
FIRST_ITEMS = 3
ITEM_CHARS = 28
MONTHS = tuple(f"{m}月" for m in range(1, 13))

# chart keys
HAZARD_MONTHS, HAZARD_CATEGORIES, PETITION_MONTHS, PETITION_CHANNELS, BUDGET_RATES = (
    "hazard_months",
    "hazard_categories",
    "petition_months",
    "petition_channels",
    "budget_rates",
)


@dataclass(frozen=True)
class TodoLine:
    kind: str  # HAZARDS, PETITIONS … (also the kind `Page.show_records` gets)
    label: str
    count: int
    detail: str = ""  # "逾期 19 条，7日内到期 2 条"
    items: tuple[str, ...] = ()  # the first few, as the list names them
    ids: tuple[int, ...] = ()  # every record counted (report lines: none; see `targets`)
    urgent: bool = False  # something is already overdue
    targets: tuple[str, ...] = ()  # report lines: the reports page's "report|scope|section" keys

    @property
    def page(self) -> str:
        return PAGE_OF[self.kind]


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[Decimal | int, ...]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str  # "条", "件", "%" (values of a "%" chart are fractions: 0.9672)
    keys: tuple[object, ...] = ()  # per category: what a click filters on (month, category, id …)
    reference: Decimal | None = None  # the budget chart: time elapsed, a fraction
    reference_label: str = ""

    def value(self, series: int, index: int) -> Decimal | int:
        return self.series[series].values[index]

    @property
    def is_empty(self) -> bool:
        return not any(v for s in self.series for v in s.values)


@dataclass(frozen=True)
class Workbench:
    unit_id: int
    year: int
    today: date
    elapsed: Decimal  # share of the year gone by (1 for a past year)
    todos: tuple[TodoLine, ...] = ()
    charts: tuple[Chart, ...] = ()
    has_records: bool = False  # anything recorded for the year (else the page's empty state)

    def todo(self, kind: str) -> TodoLine | None:
        return next((t for t in self.todos if t.kind == kind), None)

    def chart(self, key: str) -> Chart:
        return next(c for c in self.charts if c.key == key)


@dataclass(frozen=True)
class CheckLines:
    unit_id: int
    year: int
    todos: tuple[TodoLine, ...] = ()
    findings: tuple[Finding, ...] = field(default=(), compare=False)


# -- the year ---------------------------------------------------------------------------------------


def time_elapsed(year: int, today: date) -> Decimal:
    """The share of `year` gone by as of `today` (day of year ÷ days in the year); 1 for a past
    year, 0 for one not begun."""
    if year < today.year:
        return Decimal(1)
    if year > today.year:
        return Decimal(0)
    days = 366 if calendar.isleap(year) else 365
    return ratio(today.timetuple().tm_yday, days) or Decimal(0)


def short_text(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= ITEM_CHARS else text[: ITEM_CHARS - 1] + "…"


def deadline_detail(overdue: int, soon: int, word: str) -> str:
    parts = []
    if overdue:
        parts.append(f"已逾期 {overdue} {word}")
    if soon:
        parts.append(f"7日内到期 {soon} {word}")
    return "，".join(parts)


# -- lines from the checks ------------------------------------------------------------------------

EMPTY_SECTION = "尚未填写"


def check_lines(findings: list[Finding], unit_id: int, year: int) -> CheckLines:
    """The report sections still empty and the check errors, from the F7 findings of the year."""
    from app.services.reports.checks import PAGE_KEY as REPORTS_PAGE

    empty = [
        f
        for f in findings
        if f.target is not None and f.target.page == REPORTS_PAGE and f.message == EMPTY_SECTION
    ]
    errors = [f for f in findings if f.is_error]
    sections = TodoLine(
        REPORTS,
        "报告尚未填写的章节",
        len(empty),
        items=tuple(short_text(f"{f.table.removeprefix('报告：')} › {f.row}") for f in empty[:FIRST_ITEMS]),
        targets=tuple(f.target.record for f in empty if f.target is not None),
    )
    error_line = TodoLine(
        CHECKS,
        "校验错误",
        len(errors),
        f"另有警告 {len(findings) - len(errors)} 项" if findings else "",
        tuple(short_text(f"{f.location()}：{f.message}") for f in errors[:FIRST_ITEMS]),
        urgent=bool(errors),
    )
    return CheckLines(unit_id, year, (sections, error_line), tuple(findings))


def year_check_lines(db, unit_id: int, year: int, registry=None) -> CheckLines:
    """Run the F7 checks of the year (app.checks.run_checks) and make their lines."""
    from app.checks import run_checks

    return check_lines(run_checks(db, unit_id, year, registry), unit_id, year)
