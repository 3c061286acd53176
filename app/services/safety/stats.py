"""Statistics of safety supervision for a period: every count and sum the reports quote.

`period_statistics(session, unit_id, start, end)` returns a plain `SafetyStats`; reports and the
GUI read it, `stats_table` lays it out as rows with 同比. The definitions (what counts as
"supervised", "inspected", "rectified" in a period) are written once, here:

- 监管项目 (supervised in the period): its first status is on or before the period's end, and it
  was not already 竣工验收/竣工验收备案 the day before the period began.
- 竣工验收项目: projects whose first 竣工验收 (or 竣工验收备案) status falls in the period.
- 期末状态: the status in force on the period's last day.
- 检查次数: project·visits (an inspection of 3 projects counts 3); 受检项目: distinct projects.
- 专项检查次数: distinct named campaigns of the 专项 kinds; 起重机械检测: distinct rounds.
- 排查隐患: found in the period; 消除隐患: rectified in the period (whenever found);
  隐患整改率 = found in the period and rectified by its end / found in the period.
- 期末逾期: found by the end, not rectified by the end, deadline before the end.
- 文书 and 活动: by the date issued / held.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from app.models.safety import (
    SafetyActivity,
    SafetyDocument,
    SafetyHazard,
    SafetyInspection,
    SafetyInspectionProject,
    SafetyProject,
    SafetyProjectStatus,
)
from app.services.calc import ratio
from app.services.safety.constants import (
    CAMPAIGN_KINDS,
    CRANE,
    FINISHED_STATUSES,
    HOUSING,
    MAJOR,
    MUNICIPAL,
    PROJECT_KINDS,
    PROJECT_STATUSES,
    UNFINISHED_STATUSES,
)
from app.services.safety.periods import Period
from app.services.safety.workload import WorkloadFigure, figures_for_period

CENT = Decimal("0.01")
TEN_THOUSAND = Decimal(10000)


@dataclass
class KindStats:
    """The supervised projects of one kind (房屋建筑, 市政基础设施 …) in the period."""

    kind: str
    supervised: int = 0
    area_m2: Decimal = Decimal("0.00")
    cost_wan: Decimal = Decimal("0.00")  # 万元
    without_area: int = 0  # supervised projects whose area is not filled in (the sum is partial)
    without_cost: int = 0
    completed: int = 0  # reached 竣工验收 in the period
    status_at_end: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PROJECT_STATUSES, 0))

    @property
    def area_wan_m2(self) -> Decimal:
        """万平方米 with two decimals (285.17)."""
        return (self.area_m2 / TEN_THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def cost_yi(self) -> Decimal:
        """亿元 with two decimals (51.53)."""
        return (self.cost_wan / TEN_THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def unfinished_at_end(self) -> int:
        return sum(self.status_at_end[s] for s in UNFINISHED_STATUSES)


@dataclass
class SafetyStats:
    unit_id: int
    start: date
    end: date
    kinds: dict[str, KindStats] = field(default_factory=dict)
    # inspections
    inspections: int = 0  # inspection records
    checks: int = 0  # project·visits
    projects_inspected: int = 0
    inspections_by_kind: dict[str, int] = field(default_factory=dict)
    checks_by_kind: dict[str, int] = field(default_factory=dict)
    campaigns: list[tuple[str, str]] = field(default_factory=list)  # (kind, name) of 专项 campaigns
    crane_rounds: int = 0
    # hazards
    hazards_found: int = 0
    hazards_major: int = 0
    hazards_found_rectified: int = 0  # found in the period and rectified by its end
    hazards_rectified: int = 0  # rectified in the period, whenever found
    hazards_open_at_end: int = 0
    hazards_overdue_at_end: int = 0
    hazards_by_category: dict[str, int] = field(default_factory=dict)
    # documents and activities
    documents_by_kind: dict[str, int] = field(default_factory=dict)
    documents_closed: int = 0
    documents_overdue_at_end: int = 0
    activities_by_kind: dict[str, int] = field(default_factory=dict)
    participants_by_kind: dict[str, int] = field(default_factory=dict)
    # 工作量统计, keyed by catalogue key
    workload: dict[str, WorkloadFigure] = field(default_factory=dict)

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)

    def kind(self, kind: str) -> KindStats:
        return self.kinds.get(kind) or KindStats(kind)

    @property
    def housing(self) -> KindStats:
        return self.kind(HOUSING)

    @property
    def municipal(self) -> KindStats:
        return self.kind(MUNICIPAL)

    @property
    def supervised(self) -> int:
        return sum(k.supervised for k in self.kinds.values())

    @property
    def completed(self) -> int:
        return sum(k.completed for k in self.kinds.values())

    def status_at_end(self, status: str, kinds: tuple[str, ...] = (HOUSING, MUNICIPAL)) -> int:
        return sum(self.kind(k).status_at_end[status] for k in kinds)

    def unfinished_at_end(self, kinds: tuple[str, ...] = (HOUSING, MUNICIPAL)) -> int:
        """在建房屋和市政项目 at the period's end (在建 + 停工 + 未开工)."""
        return sum(self.kind(k).unfinished_at_end for k in kinds)

    @property
    def special_checks(self) -> int:
        """专项检查次数: distinct campaigns."""
        return len(self.campaigns)

    @property
    def rectification_rate(self) -> Decimal | None:
        """隐患整改率 as a fraction (0.9909); None when no hazard was found."""
        return ratio(self.hazards_found_rectified, self.hazards_found)

    def documents(self, kind: str) -> int:
        return self.documents_by_kind.get(kind, 0)

    def activities(self, kind: str) -> int:
        return self.activities_by_kind.get(kind, 0)

    def work(self, key: str) -> Decimal | None:
        figure = self.workload.get(key)
        return figure.value if figure else None

    @property
    def has_records(self) -> bool:
        """Whether work was recorded in the period (inspections, documents, activities, 工作量统计).
        Projects alone do not count: a project begun years ago says nothing about whether the
        unit kept its records in the app back then, so 同比 against such a period is left out."""
        return bool(
            self.inspections
            or self.documents_by_kind
            or self.activities_by_kind
            or any(f.value is not None for f in self.workload.values())
        )


def has_records(session: Session, unit_id: int, start: date, end: date) -> bool:
    """Cheaply: was any work recorded in the period (the test of SafetyStats.has_records)?"""
    from app.models.safety import SafetyWorkloadValue

    probes = [
        select(SafetyInspection.id).where(
            SafetyInspection.unit_id == unit_id, SafetyInspection.checked_on.between(start, end)
        ),
        select(SafetyDocument.id).where(
            SafetyDocument.unit_id == unit_id, SafetyDocument.issued_on.between(start, end)
        ),
        select(SafetyActivity.id).where(
            SafetyActivity.unit_id == unit_id, SafetyActivity.held_on.between(start, end)
        ),
        select(SafetyWorkloadValue.id).where(
            SafetyWorkloadValue.unit_id == unit_id,
            SafetyWorkloadValue.period_start >= start,
            SafetyWorkloadValue.period_end <= end,
        ),
    ]
    return any(session.scalar(probe.limit(1)) is not None for probe in probes)


def period_statistics(session: Session, unit_id: int, start: date, end: date) -> SafetyStats:
    """Everything the reports quote about supervision work in [start, end] (both days included)."""
    from app.services.run_cache import cached

    return cached(
        ("safety.period", unit_id, start, end), lambda: _period_statistics(session, unit_id, start, end)
    )


def _period_statistics(session: Session, unit_id: int, start: date, end: date) -> SafetyStats:
    period = Period(start, end)
    stats = SafetyStats(unit_id, period.start, period.end)
    _projects(session, stats)
    _inspections(session, stats)
    _hazards(session, stats)
    _documents(session, stats)
    _activities(session, stats)
    stats.workload = figures_for_period(session, unit_id, start, end)
    return stats


ProjectHistory = tuple[str, Decimal | None, Decimal | None, list[tuple[date, str]]]


def _project_histories(session: Session, unit_id: int) -> list[ProjectHistory]:
    """(kind, area, cost, status changes by date) of every project of the unit: the same for
    every period, so read once per run."""
    from app.services.run_cache import cached

    return cached(("safety.project_histories", unit_id), lambda: _read_project_histories(session, unit_id))


def _read_project_histories(session: Session, unit_id: int) -> list[ProjectHistory]:
    projects = session.execute(
        select(SafetyProject.id, SafetyProject.kind, SafetyProject.area, SafetyProject.cost).where(
            SafetyProject.unit_id == unit_id
        )
    ).all()
    history: dict[int, list[tuple[date, str]]] = defaultdict(list)
    rows = session.execute(
        select(SafetyProjectStatus.project_id, SafetyProjectStatus.since, SafetyProjectStatus.status)
        .join(SafetyProject, SafetyProject.id == SafetyProjectStatus.project_id)
        .where(SafetyProject.unit_id == unit_id)
        .order_by(SafetyProjectStatus.project_id, SafetyProjectStatus.since)
    )
    for project_id, since, status in rows:
        history[project_id].append((since, status))
    return [(kind, area, cost, history.get(project_id, [])) for project_id, kind, area, cost in projects]


def _projects(session: Session, stats: SafetyStats) -> None:
    day_before = stats.start - timedelta(days=1)
    kinds = {kind: KindStats(kind) for kind in PROJECT_KINDS}
    for kind, area, cost, changes in _project_histories(session, stats.unit_id):
        if not changes or changes[0][0] > stats.end:
            continue
        before = _status_on(changes, day_before)
        if before in FINISHED_STATUSES:
            continue
        entry = kinds.setdefault(kind, KindStats(kind))
        entry.supervised += 1
        if area is None:
            entry.without_area += 1
        else:
            entry.area_m2 += area
        if cost is None:
            entry.without_cost += 1
        else:
            entry.cost_wan += cost
        finished_on = next((since for since, status in changes if status in FINISHED_STATUSES), None)
        if finished_on is not None and stats.start <= finished_on <= stats.end:
            entry.completed += 1
        at_end = _status_on(changes, stats.end)
        if at_end is not None:
            entry.status_at_end[at_end] = entry.status_at_end.get(at_end, 0) + 1
    stats.kinds = kinds


def _status_on(changes: list[tuple[date, str]], day: date) -> str | None:
    current = None
    for since, status in changes:
        if since > day:
            break
        current = status
    return current


def _in_period(column, stats: SafetyStats):
    return column.between(stats.start, stats.end)


def _inspections(session: Session, stats: SafetyStats) -> None:
    in_period = and_(
        SafetyInspection.unit_id == stats.unit_id, _in_period(SafetyInspection.checked_on, stats)
    )
    # Inspections by kind, the 专项 campaigns and the crane rounds, in one pass over the index
    # (unit_id, checked_on, kind, campaign).
    groups = session.execute(
        select(
            SafetyInspection.kind,
            SafetyInspection.campaign,
            func.count(),
            func.min(SafetyInspection.checked_on),
        )
        .where(in_period)
        .group_by(SafetyInspection.kind, SafetyInspection.campaign)
    ).all()
    campaigns = []
    for kind, campaign, count, first in groups:
        stats.inspections_by_kind[kind] = stats.inspections_by_kind.get(kind, 0) + count
        if kind in CAMPAIGN_KINDS:
            campaigns.append((first, kind, campaign))
        elif kind == CRANE and campaign is not None:
            stats.crane_rounds += 1
    stats.inspections = sum(stats.inspections_by_kind.values())
    stats.campaigns = [(kind, name) for _first, kind, name in sorted(campaigns, key=lambda c: c[0])]
    # Project·visits by kind and the projects visited, in one pass.
    visits = session.execute(
        select(SafetyInspection.kind, SafetyInspectionProject.project_id, func.count())
        .join(SafetyInspectionProject, SafetyInspectionProject.inspection_id == SafetyInspection.id)
        .where(in_period)
        .group_by(SafetyInspection.kind, SafetyInspectionProject.project_id)
    ).all()
    projects = set()
    for kind, project_id, count in visits:
        stats.checks_by_kind[kind] = stats.checks_by_kind.get(kind, 0) + count
        projects.add(project_id)
    stats.checks = sum(stats.checks_by_kind.values())
    stats.projects_inspected = len(projects)


def _hazards(session: Session, stats: SafetyStats) -> None:
    unit = SafetyHazard.unit_id == stats.unit_id
    found = _in_period(SafetyHazard.found_on, stats)
    fixed_by_end = SafetyHazard.rectified_on.is_not(None) & (SafetyHazard.rectified_on <= stats.end)
    # Found in the period: by category, with the major ones and those rectified by the end, in
    # one pass (every column is in ix_safety_hazard_unit_found: no row is visited).
    by_category = session.execute(
        select(
            SafetyHazard.category,
            func.count(),
            func.coalesce(func.sum(case((SafetyHazard.level == MAJOR, 1), else_=0)), 0),
            func.coalesce(func.sum(case((fixed_by_end, 1), else_=0)), 0),
        )
        .where(unit, found)
        .group_by(SafetyHazard.category)
    ).all()
    for category, count, major, rectified in sorted(by_category, key=lambda row: -row[1]):
        stats.hazards_by_category[category] = count
        stats.hazards_found += count
        stats.hazards_major += int(major)
        stats.hazards_found_rectified += int(rectified)
    stats.hazards_rectified = (
        session.scalar(
            select(func.count())
            .select_from(SafetyHazard)
            .where(unit, _in_period(SafetyHazard.rectified_on, stats))
        )
        or 0
    )
    open_at_end = and_(
        unit,
        SafetyHazard.found_on <= stats.end,
        or_(SafetyHazard.rectified_on.is_(None), SafetyHazard.rectified_on > stats.end),
    )
    row = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((SafetyHazard.deadline < stats.end, 1), else_=0)), 0),
        ).where(open_at_end)
    ).one()
    stats.hazards_open_at_end, stats.hazards_overdue_at_end = (int(v) for v in row)


def _documents(session: Session, stats: SafetyStats) -> None:
    unit = SafetyDocument.unit_id == stats.unit_id
    for kind, count in session.execute(
        select(SafetyDocument.kind, func.count())
        .where(unit, _in_period(SafetyDocument.issued_on, stats))
        .group_by(SafetyDocument.kind)
    ):
        stats.documents_by_kind[kind] = count
    stats.documents_closed = (
        session.scalar(
            select(func.count())
            .select_from(SafetyDocument)
            .where(unit, _in_period(SafetyDocument.closed_on, stats))
        )
        or 0
    )
    stats.documents_overdue_at_end = (
        session.scalar(
            select(func.count())
            .select_from(SafetyDocument)
            .where(
                unit,
                SafetyDocument.issued_on <= stats.end,
                SafetyDocument.deadline < stats.end,
                or_(SafetyDocument.closed_on.is_(None), SafetyDocument.closed_on > stats.end),
            )
        )
        or 0
    )


def _activities(session: Session, stats: SafetyStats) -> None:
    for kind, count, people in session.execute(
        select(SafetyActivity.kind, func.count(), func.coalesce(func.sum(SafetyActivity.participants), 0))
        .where(SafetyActivity.unit_id == stats.unit_id, _in_period(SafetyActivity.held_on, stats))
        .group_by(SafetyActivity.kind)
    ):
        stats.activities_by_kind[kind] = count
        stats.participants_by_kind[kind] = int(people)


# -- 同比 ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """The change of one figure against the same period last year."""

    current: Decimal | int | None
    previous: Decimal | int | None
    is_rate: bool = False  # rates change by 百分点, not by a percentage of themselves

    @property
    def ratio(self) -> Decimal | None:
        """(current − previous) / previous as a fraction; None when it cannot be computed."""
        if self.is_rate or self.current is None or self.previous is None or self.previous == 0:
            return None
        return (Decimal(self.current) - Decimal(self.previous)) / Decimal(self.previous)

    @property
    def points(self) -> Decimal | None:
        """For rates: the difference in percentage points (0.9909 − 0.9770 → 1.39)."""
        if not self.is_rate or self.current is None or self.previous is None:
            return None
        return ((Decimal(self.current) - Decimal(self.previous)) * 100).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def text(self) -> str:
        """ "同比增长12.5%", "同比下降51.2%" (one decimal, as the seeds write it), "与上年同期持平";
        rates: "同比提高1.39个百分点"; "" when there is nothing to compare."""
        if self.is_rate:
            points = self.points
            if points is None:
                return ""
            if points == 0:
                return "与上年同期持平"
            return f"同比{'提高' if points > 0 else '降低'}{abs(points)}个百分点"
        change = self.ratio
        if change is None:
            return ""
        percent = (abs(change) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if percent == 0:
            return "与上年同期持平"
        return f"同比{'增长' if change > 0 else '下降'}{percent}%"


def same_period_last_year(session: Session, unit_id: int, start: date, end: date) -> SafetyStats | None:
    """The statistics of the same dates one year earlier, or None when nothing was recorded then."""
    earlier = Period(start, end).same_period_last_year()
    stats = period_statistics(session, unit_id, earlier.start, earlier.end)
    return stats if stats.has_records else None


def change(current: Decimal | int | None, previous: Decimal | int | None, *, is_rate: bool = False) -> Change:
    return Change(current, previous, is_rate)


__all__ = [
    "Change",
    "KindStats",
    "SafetyStats",
    "change",
    "period_statistics",
    "same_period_last_year",
]
