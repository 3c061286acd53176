"""The safety page's lists: lazy SQL models (QueryTableModel) with the module's filters.

Each model keeps only the row count and the rows scrolled into view; `set_filter` rebuilds the
query, and filtering and sorting run in the database (indexes in models/safety.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import String, case, cast, func, literal, select
from sqlalchemy.orm import aliased

from app import clock
from app.db import Database
from app.models.safety import (
    SafetyActivity,
    SafetyDocument,
    SafetyHazard,
    SafetyInspection,
    SafetyInspectionProject,
    SafetyProject,
    SafetyProjectStatus,
)
from app.services.safety.constants import FINISHED_STATUSES, OPEN_HAZARD_STATUSES, UNFINISHED_STATUSES
from app.services.safety.lists import (
    ActivityFilter,
    DocumentFilter,
    HazardFilter,
    HazardSummary,
    InspectionFilter,
    ProjectFilter,
    activity_conditions,
    document_conditions,
    hazard_select,
    hazard_summary,
    inspection_conditions,
    overdue_flag,
    project_conditions,
)
from ui.models.query_table_model import ALIGN_CENTER, ALIGN_RIGHT, QueryColumn, QueryTableModel

OVERDUE_COLOUR = "#c62828"
Today = Callable[[], date]


def _day(value: date | None) -> str:
    return "" if value is None else f"{value:%Y-%m-%d}"


def _amount(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


class _FilteredModel(QueryTableModel):
    """A QueryTableModel whose query is rebuilt from a filter object."""

    def __init__(self, db: Database, unit_id: int, columns: list[QueryColumn], key: Any, **kw: Any) -> None:
        super().__init__(db, columns, key, **kw)
        self.unit_id = unit_id

    def build(self, f: Any):  # pragma: no cover - overridden
        raise NotImplementedError

    def set_filter(self, f: Any) -> None:
        self.filter = f
        self.set_query(self.build(f))

    def fetched(self) -> int:
        """How many rows have been read from the database so far (for tests and benchmarks)."""
        return self.rowCount()


class HazardListModel(_FilteredModel):
    """隐患: newest first; an open hazard past its deadline is red and says 逾期."""

    def __init__(self, db: Database, unit_id: int, parent: Any = None, today: Today = clock.today) -> None:
        self.today = today
        self.filter = HazardFilter()
        self.summary = HazardSummary(0, 0, 0)
        overdue = overdue_flag(today()).label("overdue")
        status = case(
            (overdue_flag(today()) == 1, SafetyHazard.status + literal("（逾期）")), else_=SafetyHazard.status
        )
        columns = [
            QueryColumn("检查日期", SafetyHazard.found_on, _day, ALIGN_CENTER, width=92),
            QueryColumn("项目名称", SafetyProject.name, width=200),
            QueryColumn("隐患描述", SafetyHazard.description, width=260, stretch=True),
            QueryColumn("类别", SafetyHazard.category, align=ALIGN_CENTER, width=72),
            QueryColumn("等级", SafetyHazard.level, align=ALIGN_CENTER, width=48),
            QueryColumn("整改期限", SafetyHazard.deadline, _day, ALIGN_CENTER, width=92),
            QueryColumn("整改完成日期", SafetyHazard.rectified_on, _day, ALIGN_CENTER, width=100),
            QueryColumn("复查人", SafetyHazard.reviewer, align=ALIGN_CENTER, width=64),
            QueryColumn("状态", status, align=ALIGN_CENTER, width=110, extra=[overdue]),
        ]
        super().__init__(
            db,
            unit_id,
            columns,
            SafetyHazard.id,
            parent=parent,
            row_colour=lambda row: OVERDUE_COLOUR if row.overdue else None,
            row_tooltip=self._tooltip,
        )

    def _tooltip(self, row: Any) -> str | None:
        if row.overdue:
            days = (self.today() - row.deadline).days
            return f"已超过整改期限{days}天仍未整改"
        return None

    def build(self, f: HazardFilter):
        today = self.today()
        # The overdue expressions depend on today: rebuild them (the app may run past midnight).
        self.columns[-1].extra = [overdue_flag(today).label("overdue")]
        self.columns[-1].expr = case(
            (overdue_flag(today) == 1, SafetyHazard.status + literal("（逾期）")), else_=SafetyHazard.status
        )
        return hazard_select(self.selectables(), self.unit_id, f, today)

    def count_rows(self, session: Any) -> int:
        """The count and the summary under the list (open, overdue) in one pass over the hazards."""
        self.summary = hazard_summary(session, self.unit_id, self.filter, self.today())
        return self.summary.total

    def clear(self) -> None:
        self.summary = HazardSummary(0, 0, 0)
        super().clear()

    def is_overdue_row(self, row: int) -> bool:
        data = self.row_data(row)
        return bool(data is not None and data.overdue)


class ProjectListModel(_FilteredModel):
    def __init__(self, db: Database, unit_id: int, parent: Any = None) -> None:
        self.filter = ProjectFilter()
        columns = [
            QueryColumn("项目名称", SafetyProject.name, width=220, stretch=True),
            QueryColumn("工程类别", SafetyProject.kind, align=ALIGN_CENTER, width=90),
            QueryColumn("当前状态", SafetyProject.status, align=ALIGN_CENTER, width=90),
            QueryColumn("状态日期", SafetyProject.status_since, _day, ALIGN_CENTER, width=92),
            QueryColumn("建筑面积（m²）", SafetyProject.area, _amount, ALIGN_RIGHT, width=110),
            QueryColumn("工程造价（万元）", SafetyProject.cost, _amount, ALIGN_RIGHT, width=110),
            QueryColumn("施工单位", SafetyProject.contractor, width=180),
            QueryColumn("建设单位", SafetyProject.developer, width=180),
            QueryColumn("施工许可证号", SafetyProject.permit_no, width=150),
        ]
        super().__init__(db, unit_id, columns, SafetyProject.id, parent=parent)
        # Until the user sorts: unfinished projects first (在建, 停工, 未开工), then by name.
        stages = {status: i for i, status in enumerate((*UNFINISHED_STATUSES, *FINISHED_STATUSES))}
        stage = case(stages, value=SafetyProject.status, else_=9)
        self._order = [stage, SafetyProject.name]

    def build(self, f: ProjectFilter):
        return select(*self.selectables()).where(*project_conditions(self.unit_id, f))


class InspectionListModel(_FilteredModel):
    def __init__(self, db: Database, unit_id: int, parent: Any = None) -> None:
        self.filter = InspectionFilter()
        link = aliased(SafetyInspectionProject)
        project = aliased(SafetyProject)
        count = (
            select(func.count())
            .select_from(link)
            .where(link.inspection_id == SafetyInspection.id)
            .scalar_subquery()
        )
        first = (
            select(func.min(project.name))
            .select_from(link)
            .join(project, project.id == link.project_id)
            .where(link.inspection_id == SafetyInspection.id)
            .scalar_subquery()
        )
        projects = func.coalesce(first, "") + case(
            (count > 1, literal("等") + cast(count, String) + literal("个项目")), else_=literal("")
        )
        hazards = (
            select(func.count())
            .select_from(SafetyHazard)
            .where(SafetyHazard.inspection_id == SafetyInspection.id)
            .scalar_subquery()
        )
        still_open = (
            select(func.count())
            .select_from(SafetyHazard)
            .where(
                SafetyHazard.inspection_id == SafetyInspection.id,
                SafetyHazard.status.in_(OPEN_HAZARD_STATUSES),
            )
            .scalar_subquery()
        )
        columns = [
            QueryColumn("检查日期", SafetyInspection.checked_on, _day, ALIGN_CENTER, width=92),
            QueryColumn("检查类型", SafetyInspection.kind, align=ALIGN_CENTER, width=100),
            QueryColumn("专项名称/轮次", SafetyInspection.campaign, width=220),
            QueryColumn("受检项目", projects, width=240, stretch=True),
            QueryColumn("发现隐患", hazards, align=ALIGN_CENTER, width=70),
            QueryColumn("未整改", still_open, align=ALIGN_CENTER, width=60),
            QueryColumn("检查人员", SafetyInspection.inspectors, width=140),
        ]
        super().__init__(db, unit_id, columns, SafetyInspection.id, parent=parent)

    def build(self, f: InspectionFilter):
        return select(*self.selectables()).where(*inspection_conditions(self.unit_id, f))


class DocumentListModel(_FilteredModel):
    def __init__(self, db: Database, unit_id: int, parent: Any = None, today: Today = clock.today) -> None:
        self.filter = DocumentFilter()
        self.today = today
        columns = [
            QueryColumn("下发日期", SafetyDocument.issued_on, _day, ALIGN_CENTER, width=92),
            QueryColumn("文书类型", SafetyDocument.kind, align=ALIGN_CENTER, width=120),
            QueryColumn("文号", SafetyDocument.number, width=170),
            QueryColumn("项目名称", SafetyProject.name, width=220),
            QueryColumn("整改期限", SafetyDocument.deadline, _day, ALIGN_CENTER, width=92),
            QueryColumn("办结日期", SafetyDocument.closed_on, _day, ALIGN_CENTER, width=92),
            QueryColumn("办理状态", SafetyDocument.kind, align=ALIGN_CENTER, width=90, sortable=False),
            QueryColumn("备注", SafetyDocument.note, width=160, stretch=True),
        ]
        super().__init__(
            db,
            unit_id,
            columns,
            SafetyDocument.id,
            parent=parent,
            row_colour=lambda row: OVERDUE_COLOUR if row.doc_overdue else None,
        )

    def build(self, f: DocumentFilter):
        today = self.today()
        state = case(
            (SafetyDocument.closed_on.is_not(None), literal("已办结")),
            (SafetyDocument.deadline < today, literal("逾期未办结")),
            else_=literal("办理中"),
        )
        flag = case(
            ((SafetyDocument.closed_on.is_(None)) & (SafetyDocument.deadline < today), 1), else_=0
        ).label("doc_overdue")
        self.columns[6].expr = state
        self.columns[6].extra = [flag]
        return (
            select(*self.selectables())
            .select_from(SafetyDocument)
            .outerjoin(SafetyProject, SafetyProject.id == SafetyDocument.project_id)
            .where(*document_conditions(self.unit_id, f))
        )


class ActivityListModel(_FilteredModel):
    def __init__(self, db: Database, unit_id: int, parent: Any = None) -> None:
        self.filter = ActivityFilter()
        columns = [
            QueryColumn("日期", SafetyActivity.held_on, _day, ALIGN_CENTER, width=92),
            QueryColumn("类型", SafetyActivity.kind, align=ALIGN_CENTER, width=150),
            QueryColumn("名称/主题", SafetyActivity.title, width=280, stretch=True),
            QueryColumn("参加人数", SafetyActivity.participants, align=ALIGN_CENTER, width=70),
            QueryColumn("备注", SafetyActivity.note, width=200),
        ]
        super().__init__(db, unit_id, columns, SafetyActivity.id, parent=parent)

    def build(self, f: ActivityFilter):
        return select(*self.selectables()).where(*activity_conditions(self.unit_id, f))


class StatusHistoryModel(QueryTableModel):
    """A project's status changes, oldest first."""

    def __init__(self, db: Database, parent: Any = None) -> None:
        columns = [
            QueryColumn("状态", SafetyProjectStatus.status, align=ALIGN_CENTER, width=100, sortable=False),
            QueryColumn("起始日期", SafetyProjectStatus.since, _day, ALIGN_CENTER, width=100, sortable=False),
            QueryColumn("说明", SafetyProjectStatus.note, width=240, sortable=False, stretch=True),
        ]
        super().__init__(db, columns, SafetyProjectStatus.id, parent=parent)
        self._order = [SafetyProjectStatus.since.asc()]

    def show_project(self, project_id: int | None) -> None:
        self.set_query(
            select(*self.selectables()).where(
                SafetyProjectStatus.project_id == (project_id if project_id else -1)
            )
        )
