"""检查 and 隐患: an inspection with the hazards found in it, entered and saved as one unit of
work; hazards edited, rectified (整改销号) and counted as overdue afterwards."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import EditConflictError, UserError
from app.models.safety import SafetyHazard, SafetyInspection, SafetyInspectionProject, SafetyProject
from app.services.safety.categories import HazardCategory, categories, resolve
from app.services.safety.constants import (
    HAZARD_LEVELS,
    HAZARD_STATUSES,
    INSPECTION_KINDS,
    NAMED_KINDS,
    OPEN_HAZARD_STATUSES,
    ORDINARY,
    PENDING,
    RECTIFIED,
)
from app.services.safety.forms import (
    FieldError,
    FormErrors,
    check_choice,
    check_in_range,
    check_not_before,
    check_text,
)
from app.services.versions import check_version

INSPECTION_LABELS = {
    "checked_on": "检查日期",
    "kind": "检查类型",
    "campaign": "专项名称",
    "inspectors": "检查人员",
    "summary": "检查情况",
    "projects": "受检项目",
}
HAZARD_LABELS = {
    "project_id": "项目",
    "description": "隐患描述",
    "category": "隐患类别",
    "level": "隐患等级",
    "measures": "整改措施",
    "responsible": "责任单位/人",
    "deadline": "整改期限",
    "rectified_on": "整改完成日期",
    "reviewer": "复查人",
    "status": "整改状态",
}


@dataclass
class InspectionDraft:
    checked_on: date
    kind: str
    project_ids: list[int]
    campaign: str = ""
    inspectors: str = ""
    summary: str = ""
    version: int | None = None  # as loaded; a save from an older copy is refused


@dataclass
class HazardDraft:
    project_id: int | None
    description: str
    category: str
    deadline: date | None
    level: str = ORDINARY
    measures: str = ""
    responsible: str = ""
    status: str = PENDING
    rectified_on: date | None = None
    reviewer: str = ""
    version: int | None = None  # as loaded; a save from an older copy is refused


def validate_inspection(draft: InspectionDraft) -> list[FieldError]:
    errors: list[FieldError] = []
    check_in_range(errors, draft.checked_on, "checked_on", "检查日期")
    check_choice(errors, draft.kind, INSPECTION_KINDS, "kind", "检查类型")
    if draft.kind in NAMED_KINDS:
        what = "检测轮次名称" if draft.kind == "起重机械检测" else "专项检查名称"
        check_text(errors, draft.campaign, "campaign", what, required=True, limit=200)
    else:
        check_text(errors, draft.campaign, "campaign", "专项名称", required=False, limit=200)
    check_text(errors, draft.inspectors, "inspectors", "检查人员", required=False, limit=200)
    if not draft.project_ids:
        errors.append(FieldError("projects", "请选择至少一个受检项目"))
    elif len(set(draft.project_ids)) != len(draft.project_ids):
        errors.append(FieldError("projects", "受检项目有重复"))
    return errors


def validate_hazard(
    hazard: HazardDraft,
    found_on: date,
    project_ids: list[int],
    row: int | None,
    today: date,
    *,
    known: list[HazardCategory] | None = None,
    kept_category: str = "",
) -> list[FieldError]:
    """Problems of one hazard; with `row` the messages start "第N条隐患：" so the clerk finds it.
    With `known` (the unit's 隐患类别 list) the category must be one of its names, or
    `kept_category` (what an edited hazard already had: old data stays as it was)."""
    prefix = f"第{row + 1}条隐患：" if row is not None else ""
    errors: list[FieldError] = []
    if hazard.project_id is None:
        errors.append(FieldError("project_id", f"{prefix}请选择项目", row))
    elif hazard.project_id not in project_ids:
        errors.append(FieldError("project_id", f"{prefix}所选项目不在本次检查的受检项目中", row))
    check_text(
        errors,
        hazard.description,
        "description",
        "隐患描述",
        required=True,
        limit=2000,
        prefix=prefix,
        row=row,
    )
    check_text(
        errors, hazard.category, "category", "隐患类别", required=True, limit=20, prefix=prefix, row=row
    )
    category = hazard.category.strip()
    names = {item.name for item in known} if known is not None else None
    if names is not None and category and category != kept_category and category not in names:
        errors.append(
            FieldError(
                "category",
                f"{prefix}隐患类别“{category}”不在本单位的隐患类别列表中，请从列表中选择"
                "（可在“隐患类别…”中添加）",
                row,
            )
        )
    check_choice(errors, hazard.level, HAZARD_LEVELS, "level", "隐患等级", prefix, row)
    check_text(
        errors, hazard.measures, "measures", "整改措施", required=False, limit=2000, prefix=prefix, row=row
    )
    check_text(
        errors,
        hazard.responsible,
        "responsible",
        "责任单位/人",
        required=False,
        limit=200,
        prefix=prefix,
        row=row,
    )
    check_text(
        errors, hazard.reviewer, "reviewer", "复查人", required=False, limit=50, prefix=prefix, row=row
    )
    check_choice(errors, hazard.status, HAZARD_STATUSES, "status", "整改状态", prefix, row)
    check_in_range(errors, hazard.deadline, "deadline", "整改期限", prefix, row)
    check_in_range(errors, hazard.rectified_on, "rectified_on", "整改完成日期", prefix, row)
    if hazard.deadline is None:
        errors.append(FieldError("deadline", f"{prefix}请填写整改期限", row))
    else:
        check_not_before(
            errors,
            hazard.deadline,
            found_on,
            "deadline",
            f"{prefix}整改期限不能早于检查日期（{found_on}）",
            row,
        )
    if hazard.status == RECTIFIED:
        if hazard.rectified_on is None:
            errors.append(FieldError("rectified_on", f"{prefix}已整改的隐患请填写整改完成日期", row))
        else:
            check_not_before(
                errors,
                hazard.rectified_on,
                found_on,
                "rectified_on",
                f"{prefix}整改完成日期不能早于检查日期（{found_on}）",
                row,
            )
            if hazard.rectified_on > today:
                errors.append(FieldError("rectified_on", f"{prefix}整改完成日期不能晚于今天", row))
    elif hazard.rectified_on is not None:
        errors.append(
            FieldError("rectified_on", f"{prefix}状态为“{hazard.status}”的隐患不应有整改完成日期", row)
        )
    return errors


# A 整改期限 further than this from the inspection is allowed, but worth a second look.
DEADLINE_WARN_DAYS = 90


def hazard_warnings(hazard: HazardDraft, found_on: date, row: int | None = None) -> list[FieldError]:
    """Worth a second look, but not a reason to refuse the save."""
    prefix = f"第{row + 1}条隐患：" if row is not None else ""
    warnings: list[FieldError] = []
    if hazard.deadline is not None and hazard.deadline > found_on + timedelta(days=DEADLINE_WARN_DAYS):
        days = (hazard.deadline - found_on).days
        warnings.append(
            FieldError(
                "deadline",
                f"{prefix}整改期限在检查日期{days}天之后（超过{DEADLINE_WARN_DAYS}天），请核对",
                row,
            )
        )
    return warnings


def canonical_hazard(hazard: HazardDraft, known: list[HazardCategory]) -> HazardDraft:
    """The hazard with its category as the list names it (a synonym becomes its entry's name)."""
    category = resolve(known, hazard.category)
    return replace(hazard, category=category) if category and category != hazard.category else hazard


def _check_projects(session: Session, unit_id: int, project_ids: list[int]) -> None:
    found = set(
        session.scalars(
            select(SafetyProject.id).where(
                SafetyProject.unit_id == unit_id, SafetyProject.id.in_(project_ids)
            )
        )
    )
    if found != set(project_ids):
        raise FormErrors([FieldError("projects", "有受检项目不存在（可能已被删除），请重新选择")])


def _hazard_values(hazard: HazardDraft) -> dict:
    return {
        "project_id": hazard.project_id,
        "description": hazard.description.strip(),
        "category": hazard.category.strip(),
        "level": hazard.level,
        "measures": hazard.measures.strip(),
        "responsible": hazard.responsible.strip(),
        "deadline": hazard.deadline,
        "status": hazard.status,
        "rectified_on": hazard.rectified_on if hazard.status == RECTIFIED else None,
        "reviewer": hazard.reviewer.strip(),
    }


def create_inspection(
    db: Database,
    unit_id: int,
    draft: InspectionDraft,
    hazards: list[HazardDraft],
    today: date | None = None,
) -> int:
    """Save an inspection with its hazards in one transaction; refuses (FormErrors, listing every
    problem by row and field) anything invalid, saving nothing."""
    today = today or date.today()
    with db.session() as session:
        known = categories(session, unit_id)
    hazards = [canonical_hazard(h, known) for h in hazards]
    errors = validate_inspection(draft)
    for row, hazard in enumerate(hazards):
        errors.extend(validate_hazard(hazard, draft.checked_on, draft.project_ids, row, today, known=known))
    if errors:
        raise FormErrors(errors)
    with db.transaction() as session:
        _check_projects(session, unit_id, draft.project_ids)
        inspection = SafetyInspection(
            unit_id=unit_id,
            checked_on=draft.checked_on,
            kind=draft.kind,
            campaign=draft.campaign.strip(),
            inspectors=draft.inspectors.strip(),
            summary=draft.summary.strip(),
        )
        session.add(inspection)
        session.flush()
        session.add_all(
            SafetyInspectionProject(inspection_id=inspection.id, project_id=pid) for pid in draft.project_ids
        )
        session.add_all(
            SafetyHazard(
                unit_id=unit_id, inspection_id=inspection.id, found_on=draft.checked_on, **_hazard_values(h)
            )
            for h in hazards
        )
        session.flush()
        return inspection.id


def load_inspection(session: Session, inspection_id: int) -> InspectionDraft:
    inspection = session.get(SafetyInspection, inspection_id)
    if inspection is None:
        raise UserError("检查记录不存在（可能已被删除）")
    project_ids = list(
        session.scalars(
            select(SafetyInspectionProject.project_id).where(
                SafetyInspectionProject.inspection_id == inspection_id
            )
        )
    )
    return InspectionDraft(
        checked_on=inspection.checked_on,
        kind=inspection.kind,
        project_ids=project_ids,
        campaign=inspection.campaign,
        inspectors=inspection.inspectors,
        summary=inspection.summary,
        version=inspection.version,
    )


def update_inspection(db: Database, inspection_id: int, draft: InspectionDraft) -> None:
    """Change an inspection's own fields; its hazards follow its date (found_on)."""
    errors = validate_inspection(draft)
    if errors:
        raise FormErrors(errors)
    with db.transaction() as session:
        inspection = session.get(SafetyInspection, inspection_id)
        if inspection is None:
            raise EditConflictError("检查记录不存在（可能已在别处被删除）")
        check_version(inspection, draft.version, _inspection_what(inspection))
        _check_projects(session, inspection.unit_id, draft.project_ids)
        used = set(
            session.scalars(
                select(SafetyHazard.project_id).where(SafetyHazard.inspection_id == inspection_id)
            )
        )
        missing = used - set(draft.project_ids)
        if missing:
            raise FormErrors(
                [FieldError("projects", "有项目已记录了本次检查发现的隐患，不能从受检项目中移除")]
            )
        late = session.scalar(
            select(func.min(SafetyHazard.deadline)).where(SafetyHazard.inspection_id == inspection_id)
        )
        if late is not None and late < draft.checked_on:
            raise FormErrors([FieldError("checked_on", f"检查日期不能晚于本次检查隐患的整改期限（{late}）")])
        first_fix = session.scalar(
            select(func.min(SafetyHazard.rectified_on)).where(SafetyHazard.inspection_id == inspection_id)
        )
        if first_fix is not None and first_fix < draft.checked_on:
            raise FormErrors([FieldError("checked_on", f"检查日期不能晚于隐患的整改完成日期（{first_fix}）")])
        inspection.checked_on = draft.checked_on
        inspection.kind = draft.kind
        inspection.campaign = draft.campaign.strip()
        inspection.inspectors = draft.inspectors.strip()
        inspection.summary = draft.summary.strip()
        session.execute(
            delete(SafetyInspectionProject).where(SafetyInspectionProject.inspection_id == inspection_id)
        )
        session.add_all(
            SafetyInspectionProject(inspection_id=inspection_id, project_id=pid) for pid in draft.project_ids
        )
        session.execute(
            update(SafetyHazard)
            .where(SafetyHazard.inspection_id == inspection_id)
            .values(found_on=draft.checked_on)
        )


def add_hazards(
    db: Database, inspection_id: int, hazards: list[HazardDraft], today: date | None = None
) -> list[int]:
    """Add hazards to an existing inspection (one transaction)."""
    today = today or date.today()
    with db.transaction() as session:
        draft = load_inspection(session, inspection_id)
        unit_id = session.get(SafetyInspection, inspection_id).unit_id  # type: ignore[union-attr]
        known = categories(session, unit_id)
        hazards = [canonical_hazard(h, known) for h in hazards]
        errors = [
            e
            for row, h in enumerate(hazards)
            for e in validate_hazard(h, draft.checked_on, draft.project_ids, row, today, known=known)
        ]
        if errors:
            raise FormErrors(errors)
        rows = [
            SafetyHazard(
                unit_id=unit_id, inspection_id=inspection_id, found_on=draft.checked_on, **_hazard_values(h)
            )
            for h in hazards
        ]
        session.add_all(rows)
        session.flush()
        return [r.id for r in rows]


def _inspection_what(inspection: SafetyInspection) -> str:
    day = inspection.checked_on
    return f"{day.year}年{day.month}月{day.day}日的检查记录"


def delete_inspection(db: Database, inspection_id: int, version: int | None) -> None:
    """Delete an inspection and the hazards found in it (refused if the inspection was changed since
    the user's copy, `version`, was loaded)."""
    with db.transaction() as session:
        inspection = session.get(SafetyInspection, inspection_id)
        if inspection is not None:
            check_version(inspection, version, _inspection_what(inspection), deleting=True)
            session.execute(delete(SafetyHazard).where(SafetyHazard.inspection_id == inspection_id))
            session.delete(inspection)


# -- hazards ------------------------------------------------------------------------------------------


@dataclass
class HazardRecord:
    """A hazard as its edit dialog shows it, with the inspection it came from."""

    id: int
    inspection_id: int
    found_on: date
    project_ids: list[int]
    draft: HazardDraft = field(repr=False)


def load_hazard(session: Session, hazard_id: int) -> HazardRecord:
    hazard = session.get(SafetyHazard, hazard_id)
    if hazard is None:
        raise EditConflictError("隐患记录不存在（可能已在别处被删除）")
    project_ids = list(
        session.scalars(
            select(SafetyInspectionProject.project_id).where(
                SafetyInspectionProject.inspection_id == hazard.inspection_id
            )
        )
    )
    draft = HazardDraft(
        project_id=hazard.project_id,
        description=hazard.description,
        category=hazard.category,
        deadline=hazard.deadline,
        level=hazard.level,
        measures=hazard.measures,
        responsible=hazard.responsible,
        status=hazard.status,
        rectified_on=hazard.rectified_on,
        reviewer=hazard.reviewer,
        version=hazard.version,
    )
    return HazardRecord(hazard.id, hazard.inspection_id, hazard.found_on, project_ids, draft)


def update_hazard(db: Database, hazard_id: int, draft: HazardDraft, today: date | None = None) -> None:
    today = today or date.today()
    with db.transaction() as session:
        record = load_hazard(session, hazard_id)
        hazard = session.get(SafetyHazard, hazard_id)
        assert hazard is not None
        known = categories(session, hazard.unit_id)
        draft = canonical_hazard(draft, known)
        errors = validate_hazard(
            draft,
            record.found_on,
            record.project_ids,
            None,
            today,
            known=known,
            kept_category=hazard.category,
        )
        if errors:
            raise FormErrors(errors)
        check_version(hazard, draft.version, _hazard_what(hazard))
        for key, value in _hazard_values(draft).items():
            setattr(hazard, key, value)


def rectify_hazard(
    db: Database,
    hazard_id: int,
    rectified_on: date,
    reviewer: str,
    today: date | None = None,
    *,
    version: int | None = None,
) -> None:
    """整改销号: the hazard was put right on `rectified_on`, checked by `reviewer`. With `version`
    (the copy the user looked at), a hazard changed elsewhere since is refused."""
    with db.transaction() as session:
        record = load_hazard(session, hazard_id)
        draft = record.draft
        draft.status, draft.rectified_on, draft.reviewer = RECTIFIED, rectified_on, reviewer
        errors = validate_hazard(draft, record.found_on, record.project_ids, None, today or date.today())
        if errors:
            raise FormErrors(errors)
        hazard = session.get(SafetyHazard, hazard_id)
        assert hazard is not None
        if version is not None:
            check_version(hazard, version, _hazard_what(hazard))
        hazard.status, hazard.rectified_on, hazard.reviewer = RECTIFIED, rectified_on, reviewer.strip()


def _hazard_what(hazard: SafetyHazard) -> str:
    text = hazard.description if len(hazard.description) <= 20 else hazard.description[:20] + "…"
    return f"隐患“{text}”"


def delete_hazard(db: Database, hazard_id: int, version: int | None) -> None:
    with db.transaction() as session:
        hazard = session.get(SafetyHazard, hazard_id)
        if hazard is not None:
            check_version(hazard, version, _hazard_what(hazard), deleting=True)
            session.delete(hazard)


def overdue_condition(today: date):
    """SQL: a hazard not yet rectified whose 整改期限 has passed."""
    return SafetyHazard.status.in_(OPEN_HAZARD_STATUSES) & (SafetyHazard.deadline < today)


def is_overdue(status: str, deadline: date | None, today: date) -> bool:
    return status in OPEN_HAZARD_STATUSES and deadline is not None and deadline < today


def overdue_count(session: Session, unit_id: int, _year: int | None = None, today: date | None = None) -> int:
    """Hazards of the unit past their deadline and not rectified, as of today (all years: an
    overdue hazard from last year still needs attention). The navigation badge."""
    today = today or date.today()
    return (
        session.scalar(
            select(func.count())
            .select_from(SafetyHazard)
            .where(SafetyHazard.unit_id == unit_id, overdue_condition(today))
        )
        or 0
    )
