"""Filters of the big lists (hazards, projects, inspections, documents, activities) as SQL
conditions, so that filtering happens in the database whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select

from app.models.safety import (
    SafetyActivity,
    SafetyDocument,
    SafetyHazard,
    SafetyInspection,
    SafetyInspectionProject,
    SafetyProject,
)
from app.services.id_filter import id_in
from app.services.safety.constants import OPEN_HAZARD_STATUSES, RECTIFIED, UNFINISHED_STATUSES
from app.services.safety.periods import Period

ALL = ""
# Hazard status filters beyond the three statuses themselves.
OPEN, OVERDUE = "未整改", "逾期未整改"
HAZARD_STATUS_FILTERS = (ALL, OPEN, OVERDUE, *("待整改", "整改中", RECTIFIED))
UNFINISHED = "未完工"


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _search(text: str, *columns: Any) -> Any | None:
    text = text.strip()
    if not text:
        return None
    return or_(*(column.ilike(_like(text), escape="\\") for column in columns))


@dataclass
class HazardFilter:
    """What the hazard list shows. `period` None = all years; `project_id` narrows to a project."""

    period: Period | None = None
    status: str = ALL  # ALL, OPEN, OVERDUE or one of the statuses
    level: str = ALL
    category: str = ALL
    text: str = ""  # in the description, measures, project name or responsible party
    project_id: int | None = None
    inspection_id: int | None = None
    ids: tuple[int, ...] | None = None  # exactly these hazards (the 工作台's choice)


def hazard_conditions(unit_id: int, f: HazardFilter, today: date) -> list[Any]:
    conditions: list[Any] = [SafetyHazard.unit_id == unit_id]
    if f.ids is not None:
        conditions.append(id_in(SafetyHazard.id, f.ids))
    if f.period is not None:
        conditions.append(SafetyHazard.found_on.between(f.period.start, f.period.end))
    if f.status == OPEN:
        conditions.append(SafetyHazard.status.in_(OPEN_HAZARD_STATUSES))
    elif f.status == OVERDUE:
        conditions += [SafetyHazard.status.in_(OPEN_HAZARD_STATUSES), SafetyHazard.deadline < today]
    elif f.status:
        conditions.append(SafetyHazard.status == f.status)
    if f.level:
        conditions.append(SafetyHazard.level == f.level)
    if f.category:
        conditions.append(SafetyHazard.category == f.category)
    if f.project_id is not None:
        conditions.append(SafetyHazard.project_id == f.project_id)
    if f.inspection_id is not None:
        conditions.append(SafetyHazard.inspection_id == f.inspection_id)
    search = _search(
        f.text, SafetyHazard.description, SafetyHazard.measures, SafetyHazard.responsible, SafetyProject.name
    )
    if search is not None:
        conditions.append(search)
    return conditions


def hazard_select(columns: list[Any], unit_id: int, f: HazardFilter, today: date):
    """SELECT `columns` (any of hazard, project, inspection) for the hazards the filter keeps."""
    return (
        select(*columns)
        .select_from(SafetyHazard)
        .join(SafetyProject, SafetyProject.id == SafetyHazard.project_id)
        .join(SafetyInspection, SafetyInspection.id == SafetyHazard.inspection_id)
        .where(*hazard_conditions(unit_id, f, today))
    )


@dataclass
class ProjectFilter:
    kind: str = ALL
    status: str = ALL  # ALL, UNFINISHED or one of the statuses (the current status)
    text: str = ""  # name, location, 建设/施工/监理单位, 施工许可证号


def project_conditions(unit_id: int, f: ProjectFilter) -> list[Any]:
    conditions: list[Any] = [SafetyProject.unit_id == unit_id]
    if f.kind:
        conditions.append(SafetyProject.kind == f.kind)
    if f.status == UNFINISHED:
        conditions.append(SafetyProject.status.in_(UNFINISHED_STATUSES))
    elif f.status:
        conditions.append(SafetyProject.status == f.status)
    search = _search(
        f.text,
        SafetyProject.name,
        SafetyProject.location,
        SafetyProject.developer,
        SafetyProject.contractor,
        SafetyProject.supervision_firm,
        SafetyProject.permit_no,
    )
    if search is not None:
        conditions.append(search)
    return conditions


@dataclass
class InspectionFilter:
    period: Period | None = None
    kind: str = ALL
    text: str = ""  # campaign, inspectors, summary, or a project's name
    project_id: int | None = None


def inspection_conditions(unit_id: int, f: InspectionFilter) -> list[Any]:
    conditions: list[Any] = [SafetyInspection.unit_id == unit_id]
    if f.period is not None:
        conditions.append(SafetyInspection.checked_on.between(f.period.start, f.period.end))
    if f.kind:
        conditions.append(SafetyInspection.kind == f.kind)
    covers = (
        select(SafetyInspectionProject.inspection_id)
        .join(SafetyProject, SafetyProject.id == SafetyInspectionProject.project_id)
        .where(SafetyInspectionProject.inspection_id == SafetyInspection.id)
    )
    if f.project_id is not None:
        conditions.append(exists(covers.where(SafetyInspectionProject.project_id == f.project_id)))
    text = f.text.strip()
    if text:
        by_project = exists(covers.where(SafetyProject.name.ilike(_like(text), escape="\\")))
        conditions.append(
            or_(
                _search(
                    text, SafetyInspection.campaign, SafetyInspection.inspectors, SafetyInspection.summary
                ),
                by_project,
            )
        )
    return conditions


@dataclass
class DocumentFilter:
    period: Period | None = None
    kind: str = ALL
    text: str = ""  # 文号, note or project name
    project_id: int | None = None
    open_only: bool = False


def document_conditions(unit_id: int, f: DocumentFilter) -> list[Any]:
    conditions: list[Any] = [SafetyDocument.unit_id == unit_id]
    if f.period is not None:
        conditions.append(SafetyDocument.issued_on.between(f.period.start, f.period.end))
    if f.kind:
        conditions.append(SafetyDocument.kind == f.kind)
    if f.project_id is not None:
        conditions.append(SafetyDocument.project_id == f.project_id)
    if f.open_only:
        conditions.append(SafetyDocument.closed_on.is_(None))
    search = _search(f.text, SafetyDocument.number, SafetyDocument.note, SafetyProject.name)
    if search is not None:
        conditions.append(search)
    return conditions


@dataclass
class ActivityFilter:
    period: Period | None = None
    kind: str = ALL
    text: str = ""


def activity_conditions(unit_id: int, f: ActivityFilter) -> list[Any]:
    conditions: list[Any] = [SafetyActivity.unit_id == unit_id]
    if f.period is not None:
        conditions.append(SafetyActivity.held_on.between(f.period.start, f.period.end))
    if f.kind:
        conditions.append(SafetyActivity.kind == f.kind)
    search = _search(f.text, SafetyActivity.title, SafetyActivity.note)
    if search is not None:
        conditions.append(search)
    return conditions


def overdue_flag(today: date) -> Any:
    """A SQL boolean-ish expression (1/0): the hazard is open and past its deadline."""
    from sqlalchemy import case

    return case(
        (and_(SafetyHazard.status.in_(OPEN_HAZARD_STATUSES), SafetyHazard.deadline < today), 1), else_=0
    )


@dataclass(frozen=True)
class HazardSummary:
    total: int
    open: int
    overdue: int


def hazard_summary(session, unit_id: int, f: HazardFilter, today: date) -> HazardSummary:
    """How many hazards the filter keeps, how many of them are open, and how many overdue.

    One pass over the hazards alone (the project is joined only for a search, which looks in
    its name): unless a search asks for the texts, ix_safety_hazard_unit_found holds every
    column read, so 200,000 hazards are counted without visiting a row."""
    is_open = SafetyHazard.status.in_(OPEN_HAZARD_STATUSES)
    query = select(
        func.count(),
        func.coalesce(func.sum(case((is_open, 1), else_=0)), 0),
        func.coalesce(func.sum(overdue_flag(today)), 0),
    ).select_from(SafetyHazard)
    if f.text.strip():
        query = query.join(SafetyProject, SafetyProject.id == SafetyHazard.project_id)
    total, still_open, overdue = session.execute(query.where(*hazard_conditions(unit_id, f, today))).one()
    return HazardSummary(int(total), int(still_open), int(overdue))
