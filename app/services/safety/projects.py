"""工程项目: create, edit and delete supervised projects; record their status over time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import EditConflictError, UserError
from app.models.safety import (
    SafetyDocument,
    SafetyHazard,
    SafetyInspectionProject,
    SafetyProject,
    SafetyProjectStatus,
)
from app.services.parsing import MONEY_MAX, attempt, parse_decimal
from app.services.safety.constants import PROJECT_KINDS, PROJECT_STATUSES
from app.services.safety.forms import FieldError, FormErrors, check_choice, check_in_range, check_text
from app.services.versions import check_version

LABELS = {
    "name": "项目名称",
    "kind": "工程类别",
    "location": "建设地点",
    "developer": "建设单位",
    "contractor": "施工单位",
    "supervision_firm": "监理单位",
    "area": "建筑面积",
    "cost": "工程造价",
    "permit_no": "施工许可证号",
    "status": "状态",
    "status_since": "状态日期",
    "note": "备注",
}
MAX_AREA = Decimal("100000000")  # m²
MAX_COST = Decimal("100000000")  # 万元


@dataclass
class ProjectForm:
    name: str = ""
    kind: str = PROJECT_KINDS[0]
    location: str = ""
    developer: str = ""
    contractor: str = ""
    supervision_firm: str = ""
    area: Decimal | None = None  # m²
    cost: Decimal | None = None  # 万元
    permit_no: str = ""
    note: str = ""
    version: int | None = None  # as loaded; a save from an older copy is refused


def validate_project(form: ProjectForm) -> list[FieldError]:
    errors: list[FieldError] = []
    check_text(errors, form.name, "name", "项目名称", required=True, limit=200)
    check_choice(errors, form.kind, PROJECT_KINDS, "kind", "工程类别")
    for key in ("location", "developer", "contractor", "supervision_firm"):
        check_text(errors, getattr(form, key), key, LABELS[key], required=False, limit=200)
    check_text(errors, form.permit_no, "permit_no", "施工许可证号", required=False, limit=60)
    for key, limit, unit in (("area", MAX_AREA, "平方米"), ("cost", MAX_COST, "万元")):
        value = getattr(form, key)
        # NaN, Infinity or a 40-digit Decimal would raise in a bare comparison or quantize.
        number_error = attempt(parse_decimal, value, LABELS[key], maximum=MONEY_MAX, places=2)[1]
        if number_error:
            errors.append(FieldError(key, number_error))
        elif value is not None and value >= limit:
            errors.append(FieldError(key, f"{LABELS[key]}数值过大（单位为{unit}），请核对"))
    return errors


def _apply(project: SafetyProject, form: ProjectForm) -> None:
    for key in (
        "name",
        "kind",
        "location",
        "developer",
        "contractor",
        "supervision_firm",
        "permit_no",
        "note",
    ):
        value = getattr(form, key)
        setattr(project, key, value.strip() if isinstance(value, str) else value)
    project.area = form.area
    project.cost = form.cost


def _duplicate(session: Session, unit_id: int, name: str, exclude: int | None) -> bool:
    query = select(SafetyProject.id).where(
        SafetyProject.unit_id == unit_id, SafetyProject.name == name.strip()
    )
    if exclude is not None:
        query = query.where(SafetyProject.id != exclude)
    return session.scalar(query) is not None


def create_project(db: Database, unit_id: int, form: ProjectForm, status: str, since: date) -> int:
    """A new project with its first status; returns its id."""
    errors = validate_project(form)
    check_choice(errors, status, PROJECT_STATUSES, "status", "状态")
    check_in_range(errors, since, "status_since", "状态起始日期")
    if errors:
        raise FormErrors(errors)
    with db.transaction() as session:
        if _duplicate(session, unit_id, form.name, None):
            raise FormErrors([FieldError("name", f"已有同名项目“{form.name.strip()}”")])
        project = SafetyProject(unit_id=unit_id, status=status, status_since=since)
        _apply(project, form)
        project.statuses.append(SafetyProjectStatus(status=status, since=since, note=""))
        session.add(project)
        session.flush()
        return project.id


def update_project(db: Database, project_id: int, form: ProjectForm) -> None:
    errors = validate_project(form)
    if errors:
        raise FormErrors(errors)
    with db.transaction() as session:
        project = _get(session, project_id)
        check_version(project, form.version, _what(project))
        if _duplicate(session, project.unit_id, form.name, project_id):
            raise FormErrors([FieldError("name", f"已有同名项目“{form.name.strip()}”")])
        _apply(project, form)


def load_project(session: Session, project_id: int) -> ProjectForm:
    project = _get(session, project_id)
    return ProjectForm(
        name=project.name,
        kind=project.kind,
        location=project.location,
        developer=project.developer,
        contractor=project.contractor,
        supervision_firm=project.supervision_firm,
        area=project.area,
        cost=project.cost,
        permit_no=project.permit_no,
        note=project.note,
        version=project.version,
    )


def _get(session: Session, project_id: int) -> SafetyProject:
    project = session.get(SafetyProject, project_id)
    if project is None:
        raise EditConflictError("项目不存在（可能已在别处被删除）")
    return project


def _what(project: SafetyProject) -> str:
    return f"项目“{project.name}”"


def _sync_current(project: SafetyProject) -> None:
    latest = max(project.statuses, key=lambda s: s.since)
    project.status, project.status_since = latest.status, latest.since


@dataclass(frozen=True)
class StatusEntry:
    id: int
    status: str
    since: date
    note: str


def status_history(session: Session, project_id: int) -> list[StatusEntry]:
    rows = session.scalars(
        select(SafetyProjectStatus)
        .where(SafetyProjectStatus.project_id == project_id)
        .order_by(SafetyProjectStatus.since)
    )
    return [StatusEntry(r.id, r.status, r.since, r.note) for r in rows]


def change_status(db: Database, project_id: int, status: str, since: date, note: str = "") -> None:
    """Record that from `since` on the project is `status` (replacing a change on the same day)."""
    errors: list[FieldError] = []
    check_choice(errors, status, PROJECT_STATUSES, "status", "状态")
    check_text(errors, note, "note", "说明", required=False, limit=200)
    check_in_range(errors, since, "since", "起始日期")
    if errors:
        raise FormErrors(errors)
    with db.transaction() as session:
        project = _get(session, project_id)
        same_day = next((s for s in project.statuses if s.since == since), None)
        if same_day is not None:
            same_day.status, same_day.note = status, note.strip()
        else:
            project.statuses.append(SafetyProjectStatus(status=status, since=since, note=note.strip()))
        session.flush()
        _sync_current(project)


def delete_status(db: Database, status_id: int) -> None:
    with db.transaction() as session:
        entry = session.get(SafetyProjectStatus, status_id)
        if entry is None:
            return
        project = entry.project
        if len(project.statuses) == 1:
            raise UserError("项目至少要有一条状态记录")
        project.statuses.remove(entry)
        session.flush()
        _sync_current(project)


def delete_project(db: Database, project_id: int, version: int | None) -> None:
    """Delete a project that no inspection, hazard or document refers to (refused if it was changed
    since the user's copy, `version`, was loaded)."""
    with db.transaction() as session:
        project = _get(session, project_id)
        check_version(project, version, _what(project), deleting=True)
        uses = [
            ("检查记录", SafetyInspectionProject.project_id),
            ("隐患", SafetyHazard.project_id),
            ("执法文书", SafetyDocument.project_id),
        ]
        for label, column in uses:
            count = session.scalar(select(func.count()).where(column == project_id))
            if count:
                raise UserError(f"项目“{project.name}”已有{count}条{label}，不能删除。请先删除相关记录。")
        session.delete(project)


@dataclass(frozen=True)
class ProjectChoice:
    id: int
    name: str
    kind: str
    status: str


def project_choices(session: Session, unit_id: int) -> list[ProjectChoice]:
    """Every project of the unit for pickers, unfinished ones first, then by name."""
    rows = session.execute(
        select(SafetyProject.id, SafetyProject.name, SafetyProject.kind, SafetyProject.status)
        .where(SafetyProject.unit_id == unit_id)
        .order_by(SafetyProject.name)
    )
    choices = [ProjectChoice(*row) for row in rows]
    finished = ("竣工验收", "竣工验收备案")
    return sorted(choices, key=lambda c: c.status in finished)


def status_on(history: list[tuple[date, str]], day: date) -> str | None:
    """The status in force on `day`, from (since, status) pairs; None before the first."""
    current = None
    for since, status in sorted(history):
        if since > day:
            break
        current = status
    return current
