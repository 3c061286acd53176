"""工作台: what needs doing today and the year at a glance, for the home page.

`workbench(session, unit_id, year, today)` is the fast part (SQL aggregation only): the to-do
lines of deadlines and budget execution, and the charts. `year_check_lines(...)` (in
app.services.workbench_model, with the types) runs the F7 checks (seconds on a big unit) for the
lines that come from them: report sections still empty and the year's check errors. The page
shows the first at once and the second when it arrives.

Every chart figure is one the exports quote: 信访 by month from `petition_totals` and by channel
from `petition_stats`, 执行率 from `build_tables`. 隐患 found and rectified by month and 隐患 by
category are counted with `period_statistics`' definitions (found in the month or year; rectified
in the month, whenever found) in a GROUP BY each, without the rest of the year's statistics —
period_statistics a month at a time would be 24 passes; tests compare them month by month and
category by category with `period_statistics`.
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.registers import PETITION_CLOSED, Inspection, Petition, RectificationProblem
from app.models.safety import SafetyHazard, SafetyProject
from app.services.budget.compute import build_tables
from app.services.budget.data import budget_year_row
from app.services.calc import format_rate
from app.services.registers.common import due_soon_end
from app.services.registers.petition_stats import petition_stats, petition_totals
from app.services.registers.rectification import OPEN_STATES
from app.services.safety.constants import OPEN_HAZARD_STATUSES
from app.services.safety.stats import has_records
from app.services.workbench_model import (
    BUDGET,
    BUDGET_RATES,
    CHECKS,
    FIRST_ITEMS,
    HAZARD_CATEGORIES,
    HAZARD_MONTHS,
    HAZARDS,
    MONTHS,
    PAGE_OF,
    PETITION_CHANNELS,
    PETITION_MONTHS,
    PETITIONS,
    RECTIFICATION,
    REPORTS,
    Chart,
    CheckLines,
    Series,
    TodoLine,
    Workbench,
    check_lines,
    deadline_detail,
    short_text,
    time_elapsed,
    year_check_lines,
)

# -- to-do lines ------------------------------------------------------------------------------------


def _deadline_line(
    kind: str, title: str, unit: str, due: list[tuple[int, date]], labels: list[str], today: date
) -> TodoLine:
    """A to-do line of records with a deadline: `due` (id, deadline) in deadline order, passed or
    within 7 days; `labels` the first few of them."""
    overdue = sum(1 for _id, day in due if day < today)
    return TodoLine(
        kind,
        title,
        len(due),
        deadline_detail(overdue, len(due) - overdue, unit),
        tuple(short_text(label) for label in labels),
        tuple(i for i, _d in due),
        urgent=overdue > 0,
    )


def _hazard_line(session: Session, unit_id: int, today: date) -> TodoLine:

    due = (
        SafetyHazard.unit_id == unit_id,
        SafetyHazard.status.in_(OPEN_HAZARD_STATUSES),
        SafetyHazard.deadline <= due_soon_end(today),
    )
    rows = session.execute(
        select(SafetyHazard.id, SafetyHazard.deadline)
        .where(*due)
        .order_by(SafetyHazard.deadline, SafetyHazard.id)
    ).all()
    first = session.execute(
        select(SafetyProject.name, SafetyHazard.description)
        .join(SafetyProject, SafetyProject.id == SafetyHazard.project_id)
        .where(*due)
        .order_by(SafetyHazard.deadline, SafetyHazard.id)
        .limit(FIRST_ITEMS)
    ).all()
    labels = [f"{name}：{text}" for name, text in first]
    return _deadline_line(HAZARDS, "隐患整改", "条", [(i, d) for i, d in rows], labels, today)


def _petition_line(session: Session, unit_id: int, today: date) -> TodoLine:

    due = (
        Petition.unit_id == unit_id,
        Petition.next_due.is_not(None),
        Petition.next_due <= due_soon_end(today),
    )
    order = (Petition.next_due, Petition.id)
    rows = session.execute(select(Petition.id, Petition.next_due).where(*due).order_by(*order)).all()
    first = session.execute(
        select(Petition.number, Petition.summary).where(*due).order_by(*order).limit(FIRST_ITEMS)
    )
    labels = [f"{number} {summary}" for number, summary in first]
    return _deadline_line(PETITIONS, "信访办理期限", "件", [(i, d) for i, d in rows], labels, today)


def _rectification_line(session: Session, unit_id: int, today: date) -> TodoLine:

    rows = session.execute(
        select(RectificationProblem.id, RectificationProblem.due_on, RectificationProblem.description)
        .join(Inspection, Inspection.id == RectificationProblem.inspection_id)
        .where(
            Inspection.unit_id == unit_id,
            RectificationProblem.status.in_(OPEN_STATES),
            RectificationProblem.due_on <= due_soon_end(today),
        )
        .order_by(RectificationProblem.due_on, RectificationProblem.id)
    ).all()
    labels = [text for _i, _d, text in rows[:FIRST_ITEMS]]
    return _deadline_line(RECTIFICATION, "巡察整改措施", "项", [(i, d) for i, d, _t in rows], labels, today)


def _budget_line(tables, elapsed: Decimal) -> TodoLine:
    lagging = [
        p
        for p in (tables.projects if tables else ())
        if p.id is not None and p.funds.full and (p.funds.rate or Decimal(0)) < elapsed
    ]
    return TodoLine(
        BUDGET,
        "预算执行进度",
        len(lagging),
        f"执行率低于时间进度 {format_rate(elapsed)}" if lagging else "",
        tuple(
            short_text(f"{p.name} {format_rate(p.funds.rate or Decimal(0))}") for p in lagging[:FIRST_ITEMS]
        ),
        tuple(p.id for p in lagging if p.id is not None),
    )


# -- charts -----------------------------------------------------------------------------------------


def hazards_by_month(session: Session, unit_id: int, year: int) -> tuple[list[int], list[int]]:
    """(found, rectified) per month of `year`, as `period_statistics` counts a month's
    hazards_found (found in it) and hazards_rectified (rectified in it, whenever found)."""

    start, end = date(year, 1, 1), date(year, 12, 31)
    found, rectified = [0] * 12, [0] * 12
    # Grouped by day, not by a month expression: the days come in index order with no sort
    # (0.02 s for 200,000 hazards against 0.13 s for strftime('%m')); ≤ 366 rows are added up here.
    for column, target in ((SafetyHazard.found_on, found), (SafetyHazard.rectified_on, rectified)):
        for day, count in session.execute(
            select(column, func.count())
            .where(SafetyHazard.unit_id == unit_id, column.between(start, end))
            .group_by(column)
        ):
            target[day.month - 1] += int(count)
    return found, rectified


def hazards_by_category(session: Session, unit_id: int, year: int) -> list[tuple[str, int]]:
    """(category, hazards found in `year`), most first: `period_statistics`' hazards_by_category
    without the rest of the year's statistics (inspections, projects …) the chart does not show."""
    rows = session.execute(
        select(SafetyHazard.category, func.count())
        .where(
            SafetyHazard.unit_id == unit_id,
            SafetyHazard.found_on.between(date(year, 1, 1), date(year, 12, 31)),
        )
        .group_by(SafetyHazard.category)
    ).all()
    return [(category, int(count)) for category, count in sorted(rows, key=lambda row: -row[1])]


def _hazard_charts(session: Session, unit_id: int, year: int) -> tuple[Chart, Chart, bool]:
    found, rectified = hazards_by_month(session, unit_id, year)
    found_before, rectified_before = hazards_by_month(session, unit_id, year - 1)
    months = Chart(
        HAZARD_MONTHS,
        "隐患排查与整改（按月）",
        MONTHS,
        (
            Series(f"{year}年排查", tuple(found)),
            Series(f"{year}年整改", tuple(rectified)),
            Series(f"{year - 1}年排查", tuple(found_before)),
            Series(f"{year - 1}年整改", tuple(rectified_before)),
        ),
        "条",
        keys=tuple(range(1, 13)),
    )
    categories = hazards_by_category(session, unit_id, year)
    by_category = Chart(
        HAZARD_CATEGORIES,
        f"{year}年隐患类别",
        tuple(c for c, _n in categories),
        (Series("排查隐患", tuple(n for _c, n in categories)),),
        "条",
        keys=tuple(c for c, _n in categories),
    )
    start, end = date(year, 1, 1), date(year, 12, 31)
    return months, by_category, bool(categories) or has_records(session, unit_id, start, end)


def _petition_charts(session: Session, unit_id: int, year: int, today: date) -> tuple[Chart, Chart]:

    totals = [
        petition_totals(session, unit_id, date(year, m, 1), date(year, m, calendar.monthrange(year, m)[1]))
        for m in range(1, 13)
    ]
    months = Chart(
        PETITION_MONTHS,
        f"{year}年信访（按收到月份）",
        MONTHS,
        (Series("收到", tuple(t.total for t in totals)), Series("办结", tuple(t.closed for t in totals))),
        "件",
        keys=tuple(range(1, 13)),
    )
    stats = petition_stats(
        session, unit_id, date(year, 1, 1), date(year, 12, 31), as_of=today, with_previous=False
    )
    channels = [c for c in stats.by_channel if c.count]
    by_channel = Chart(
        PETITION_CHANNELS,
        f"{year}年信访渠道",
        tuple(c.label or "（未填）" for c in channels),
        (Series("件数", tuple(c.count for c in channels)),),
        "件",
        keys=tuple(c.label for c in channels),
    )
    return months, by_channel


def _budget_chart(tables, elapsed: Decimal, year: int) -> Chart:
    projects = [p for p in (tables.projects if tables else ()) if p.id is not None]
    return Chart(
        BUDGET_RATES,
        f"{year}年项目预算执行率",
        tuple(p.name for p in projects),
        (Series("执行率", tuple(p.funds.rate or Decimal(0) for p in projects)),),
        "%",
        keys=tuple(p.id for p in projects),
        reference=elapsed,
        reference_label=f"时间进度 {format_rate(elapsed)}",
    )


def _budget_tables(session: Session, unit_id: int, year: int):

    if budget_year_row(session, unit_id, year) is None:
        return None
    return build_tables(session, unit_id, year)


def workbench(session: Session, unit_id: int, year: int, today: date) -> Workbench:
    """The to-do lines of deadlines and budget execution, and the year's charts."""
    elapsed = time_elapsed(year, today)
    tables = _budget_tables(session, unit_id, year)
    hazard_months, hazard_categories, safety_records = _hazard_charts(session, unit_id, year)
    petition_months, petition_channels = _petition_charts(session, unit_id, year, today)
    todos = (
        _hazard_line(session, unit_id, today),
        _petition_line(session, unit_id, today),
        _rectification_line(session, unit_id, today),
        _budget_line(tables, elapsed),
    )
    charts = (
        hazard_months,
        hazard_categories,
        petition_months,
        petition_channels,
        _budget_chart(tables, elapsed, year),
    )
    has_records = bool(
        safety_records
        or any(t.count for t in todos)
        or not petition_months.is_empty
        or (tables is not None and tables.projects)
    )
    return Workbench(unit_id, year, today, elapsed, todos, charts, has_records)


# -- what a chart's bar stands for ----------------------------------------------------------------


def chart_records(
    session: Session, unit_id: int, year: int, chart_key: str, series: int, key: object
) -> tuple[str, list[int]]:
    """(kind, ids) of the records behind one bar: the hazards found (series 0/2) or rectified
    (1/3) in a month of this year (0/1) or last (2/3); the year's hazards of a category; the
    petitions received in a month (series 1: of them, those closed) or of a channel; a project."""

    if chart_key == HAZARD_MONTHS:
        assert isinstance(key, int)
        which = year if series in (0, 1) else year - 1
        column = SafetyHazard.found_on if series in (0, 2) else SafetyHazard.rectified_on
        start, end = date(which, key, 1), date(which, key, calendar.monthrange(which, key)[1])
        where = [SafetyHazard.unit_id == unit_id, column.between(start, end)]
        return HAZARDS, list(session.scalars(select(SafetyHazard.id).where(*where)))
    if chart_key == HAZARD_CATEGORIES:
        where = [
            SafetyHazard.unit_id == unit_id,
            SafetyHazard.found_on.between(date(year, 1, 1), date(year, 12, 31)),
            SafetyHazard.category == key,
        ]
        return HAZARDS, list(session.scalars(select(SafetyHazard.id).where(*where)))
    if chart_key in (PETITION_MONTHS, PETITION_CHANNELS):
        where = [Petition.unit_id == unit_id]
        if chart_key == PETITION_MONTHS:
            assert isinstance(key, int)
            last = calendar.monthrange(year, key)[1]
            where += [
                Petition.received_on >= date(year, key, 1),
                Petition.received_on <= date(year, key, last),
            ]
            if series == 1:
                where.append(Petition.status == PETITION_CLOSED)
        else:
            where += [
                Petition.received_on >= date(year, 1, 1),
                Petition.received_on <= date(year, 12, 31),
                Petition.channel == key,
            ]
        return PETITIONS, list(session.scalars(select(Petition.id).where(*where)))
    if chart_key == BUDGET_RATES:
        return BUDGET, [int(key)]  # type: ignore[call-overload]
    raise ValueError(chart_key)


__all__ = [
    "BUDGET",
    "BUDGET_RATES",
    "CHECKS",
    "HAZARDS",
    "HAZARD_CATEGORIES",
    "HAZARD_MONTHS",
    "PAGE_OF",
    "PETITIONS",
    "PETITION_CHANNELS",
    "PETITION_MONTHS",
    "RECTIFICATION",
    "REPORTS",
    "Chart",
    "CheckLines",
    "Series",
    "TodoLine",
    "Workbench",
    "chart_records",
    "check_lines",
    "hazards_by_category",
    "hazards_by_month",
    "time_elapsed",
    "workbench",
    "year_check_lines",
]
