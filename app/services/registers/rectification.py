"""The 巡察整改 register: a 巡察 with its 方面, the problems of its feedback with their measures,
owners and deadlines, dated state changes through to 销号, evidence files, and progress figures.

States: 未启动 → 整改中 → 已完成 (完成日期) or 长期坚持 (the stage's work done, to be kept up);
either of the last two can be 销号 (销号日期). 完成率 = (已完成 + 长期坚持) ÷ problems, the way the
public notices count "完成整改".
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, selectinload

from app.db import Database
from app.errors import EditConflictError, UserError, describe_os_error
from app.exports.atomic import safe_filename
from app.models.registers import (
    PROBLEM_DONE,
    PROBLEM_IN_PROGRESS,
    PROBLEM_LONG_TERM,
    PROBLEM_NOT_STARTED,
    PROBLEM_STATES,
    Inspection,
    InspectionAspect,
    RectificationAttachment,
    RectificationMeasure,
    RectificationProblem,
)
from app.services.calc import ratio
from app.services.parsing import COUNT_MAX, check_date
from app.services.registers.common import (
    DUE_SOON,
    OVERDUE,
    RegisterFilter,
    StateMachine,
    clean_measure,
    due_soon_end,
    search_condition,
)
from app.services.versions import check_version, deleted_message

PAGE_KEY = "rectification"
DONE_STATES = (PROBLEM_DONE, PROBLEM_LONG_TERM)
OPEN_STATES = (PROBLEM_NOT_STARTED, PROBLEM_IN_PROGRESS)
ATTACHMENTS_FOLDER = "attachments"
MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024

STATES = StateMachine(
    {
        PROBLEM_NOT_STARTED: (PROBLEM_IN_PROGRESS, PROBLEM_DONE, PROBLEM_LONG_TERM),
        PROBLEM_IN_PROGRESS: (PROBLEM_DONE, PROBLEM_LONG_TERM),
        # Corrections: a problem marked done by mistake goes back to 整改中.
        PROBLEM_DONE: (PROBLEM_IN_PROGRESS,),
        PROBLEM_LONG_TERM: (PROBLEM_IN_PROGRESS, PROBLEM_DONE),
    }
)

INSPECTION_LABELS = {
    "name": "巡察名称",
    "team": "巡察组",
    "start_on": "巡察开始日期",
    "end_on": "巡察结束日期",
    "feedback_on": "反馈日期",
    "aspects": "方面",
}
PROBLEM_LABELS = {
    "number": "序号",
    "aspect_id": "方面",
    "description": "问题描述",
    "measures": "整改措施",
    "leader": "责任领导",
    "lead_unit": "牵头单位",
    "department": "责任科室",
    "due_on": "整改时限",
    "status": "状态",
    "completed_on": "完成日期",
    "closed_on": "销号日期",
    "evidence": "佐证材料",
}


# -- 巡察 ------------------------------------------------------------------------------------------


@dataclass
class AspectData:
    title: str
    id: int | None = None


@dataclass
class InspectionData:
    id: int | None = None
    version: int | None = None  # as loaded; a save from an older copy is refused
    name: str = ""
    team: str = ""
    start_on: date | None = None
    end_on: date | None = None
    feedback_on: date | None = None
    note: str = ""
    aspects: list[AspectData] = field(default_factory=list)


@dataclass(frozen=True)
class InspectionItem:
    id: int
    name: str
    feedback_on: date | None

    def label(self) -> str:
        when = f"（{self.feedback_on.year}年{self.feedback_on.month}月反馈）" if self.feedback_on else ""
        return f"{self.name}{when}"


def list_inspections(session: Session, unit_id: int) -> list[InspectionItem]:
    """The unit's 巡察, latest feedback first."""
    rows = session.execute(
        select(Inspection.id, Inspection.name, Inspection.feedback_on)
        .where(Inspection.unit_id == unit_id)
        .order_by(Inspection.feedback_on.desc().nulls_first(), Inspection.id.desc())
    ).all()
    return [InspectionItem(*row) for row in rows]


def latest_inspection_id(session: Session, unit_id: int) -> int | None:
    items = list_inspections(session, unit_id)
    return items[0].id if items else None


def validate_inspection(data: InspectionData) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = "请填写巡察名称"
    elif len(data.name.strip()) > 200:
        errors["name"] = "巡察名称过长（最多200字）"
    if len(data.team.strip()) > 100:
        errors["team"] = "巡察组名称过长（最多100字）"
    if data.start_on and data.end_on and data.end_on < data.start_on:
        errors["end_on"] = "巡察结束日期不能早于开始日期"
    if data.feedback_on and data.end_on and data.feedback_on < data.end_on:
        errors["feedback_on"] = "反馈日期不能早于巡察结束日期"
    for key in ("start_on", "end_on", "feedback_on"):
        date_error = check_date(getattr(data, key), INSPECTION_LABELS[key])
        if date_error:  # said instead of a comparison: this date cannot be stored at all
            errors[key] = date_error
    titles = [a.title.strip() for a in data.aspects]
    if any(not t for t in titles):
        errors["aspects"] = "方面的名称不能为空"
    elif len(set(titles)) != len(titles):
        errors["aspects"] = "方面的名称重复"
    return errors


def load_inspection(session: Session, inspection_id: int) -> InspectionData:
    row = session.get(Inspection, inspection_id, options=[selectinload(Inspection.aspects)])
    if row is None:
        raise UserError("该巡察已被删除")
    return InspectionData(
        id=row.id,
        version=row.version,
        name=row.name,
        team=row.team,
        start_on=row.start_on,
        end_on=row.end_on,
        feedback_on=row.feedback_on,
        note=row.note,
        aspects=[AspectData(a.title, a.id) for a in row.aspects],
    )


def save_inspection(db: Database, unit_id: int, data: InspectionData) -> int:
    """Insert or update a 巡察 and its 方面 (kept by id; a removed 方面 leaves its problems ungrouped)."""
    errors = validate_inspection(data)
    if errors:
        key = next(iter(errors))
        raise UserError(f"{INSPECTION_LABELS[key]}：{errors[key]}")
    with db.transaction() as session:
        if data.id is None:
            row = Inspection(unit_id=unit_id)
            session.add(row)
        else:
            row = session.get(Inspection, data.id, options=[selectinload(Inspection.aspects)])
            if row is None or row.unit_id != unit_id:
                raise EditConflictError(deleted_message(f"巡察“{data.name.strip()}”"))
            check_version(row, data.version, f"巡察“{row.name}”")
        row.name = data.name.strip()
        row.team = data.team.strip()
        row.start_on, row.end_on, row.feedback_on = data.start_on, data.end_on, data.feedback_on
        row.note = data.note.strip()
        existing = {a.id: a for a in row.aspects}
        kept: list[InspectionAspect] = []
        for aspect in data.aspects:
            target = existing.pop(aspect.id, None) if aspect.id is not None else None
            if target is None:
                target = InspectionAspect()
            target.title = aspect.title.strip()
            kept.append(target)
        row.aspects[:] = kept
        row.aspects.reorder()
        session.flush()
        return row.id


def delete_inspection(db: Database, inspection_id: int, version: int | None) -> None:
    """Delete a 巡察 with its problems, and then their evidence files (refused if the 巡察 was
    changed since the user's copy, `version`, was loaded)."""
    with db.transaction() as session:
        row = session.get(Inspection, inspection_id)
        if row is None:
            return
        check_version(row, version, f"巡察“{row.name}”", deleting=True)
        stored = session.scalars(
            select(RectificationAttachment.stored_path)
            .join(RectificationProblem)
            .where(RectificationProblem.inspection_id == inspection_id)
        ).all()
        session.delete(row)
    for path in stored:
        _remove_file(path)


# -- problems ------------------------------------------------------------------------------------


@dataclass
class ProblemData:
    id: int | None = None
    version: int | None = None  # as loaded; a save from an older copy is refused
    inspection_id: int | None = None
    aspect_id: int | None = None
    number: int = 1
    description: str = ""
    measures: list[str] = field(default_factory=list)
    leader: str = ""
    lead_unit: str = ""
    department: str = ""
    due_on: date | None = None
    status: str = PROBLEM_NOT_STARTED
    completed_on: date | None = None
    closed_on: date | None = None
    evidence: str = ""


def validate_problem(data: ProblemData) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.number is None or data.number < 1:
        errors["number"] = "序号应为正整数"
    elif data.number > COUNT_MAX:
        errors["number"] = "序号数值过大，请核对"
    if not data.description.strip():
        errors["description"] = "请填写问题描述"
    if data.status not in PROBLEM_STATES:
        errors["status"] = "状态无效"
    if data.status in DONE_STATES and data.completed_on is None:
        errors["completed_on"] = f"状态为“{data.status}”时必须填写完成日期"
    if data.closed_on is not None:
        if data.status not in DONE_STATES:
            errors["closed_on"] = "只有已完成或长期坚持的问题可以销号"
        elif data.completed_on and data.closed_on < data.completed_on:
            errors["closed_on"] = "销号日期不能早于完成日期"
    if len(data.leader.strip()) > 50:
        errors["leader"] = "责任领导过长（最多50字）"
    if len(data.lead_unit.strip()) > 100:
        errors["lead_unit"] = "牵头单位过长（最多100字）"
    if len(data.department.strip()) > 100:
        errors["department"] = "责任科室过长（最多100字）"
    for key in ("due_on", "completed_on", "closed_on"):
        date_error = check_date(getattr(data, key), PROBLEM_LABELS[key])
        if date_error:  # said instead of a comparison: this date cannot be stored at all
            errors[key] = date_error
    return errors


def problem_warnings(data: ProblemData, today: date) -> dict[str, str]:
    warnings: dict[str, str] = {}
    if not [m for m in data.measures if m.strip()]:
        warnings["measures"] = "尚未填写整改措施（任务清单）"
    if not data.leader.strip():
        warnings["leader"] = "尚未明确责任领导（责任清单）"
    if data.due_on is None:
        warnings["due_on"] = "尚未明确整改时限（时间清单）"
    elif data.status in OPEN_STATES and data.due_on < today:
        warnings["due_on"] = f"已超过整改时限{(today - data.due_on).days}天"
    if data.closed_on is not None and not data.evidence.strip():
        warnings["evidence"] = "已销号但没有佐证材料说明"
    if data.completed_on and data.completed_on > today:
        warnings["completed_on"] = "完成日期晚于今天，请核对"
    return warnings


def next_problem_number(session: Session, inspection_id: int) -> int:
    current = session.scalar(
        select(func.max(RectificationProblem.number)).where(
            RectificationProblem.inspection_id == inspection_id
        )
    )
    return (current or 0) + 1


def new_problem(session: Session, inspection_id: int, aspect_id: int | None = None) -> ProblemData:
    """A blank problem in `aspect_id`; without one, in the 巡察's only 方面 when it has just one."""
    if aspect_id is None:
        aspects = session.scalars(
            select(InspectionAspect.id).where(InspectionAspect.inspection_id == inspection_id).limit(2)
        ).all()
        aspect_id = aspects[0] if len(aspects) == 1 else None
    return ProblemData(
        inspection_id=inspection_id, aspect_id=aspect_id, number=next_problem_number(session, inspection_id)
    )


def load_problem(session: Session, problem_id: int) -> ProblemData:
    row = session.get(RectificationProblem, problem_id, options=[selectinload(RectificationProblem.measures)])
    if row is None:
        raise UserError("该问题已被删除")
    return ProblemData(
        id=row.id,
        version=row.version,
        inspection_id=row.inspection_id,
        aspect_id=row.aspect_id,
        number=row.number,
        description=row.description,
        measures=[m.text for m in row.measures],
        leader=row.leader,
        lead_unit=row.lead_unit,
        department=row.department,
        due_on=row.due_on,
        status=row.status,
        completed_on=row.completed_on,
        closed_on=row.closed_on,
        evidence=row.evidence,
    )


def _raise_first(errors: dict[str, str]) -> None:
    if errors:
        key = next(iter(errors))
        raise UserError(f"{PROBLEM_LABELS.get(key, key)}：{errors[key]}")


def _apply(row: RectificationProblem, data: ProblemData) -> None:
    row.aspect_id = data.aspect_id
    row.number = data.number
    row.description = data.description.strip()
    row.leader = data.leader.strip()
    row.lead_unit = data.lead_unit.strip()
    row.department = data.department.strip()
    row.due_on = data.due_on
    row.status = data.status
    row.completed_on = data.completed_on
    row.closed_on = data.closed_on
    row.evidence = data.evidence.strip()
    texts = [clean_measure(t) for t in data.measures if clean_measure(t)]
    if [m.text for m in row.measures] != texts:
        row.measures.clear()
        row.measures.extend(RectificationMeasure(text=text) for text in texts)


def save_problem(db: Database, data: ProblemData) -> int:
    """Insert or update a problem and its measures in one transaction. The state changes only
    through the actions below; its dates may be corrected here."""
    with db.transaction() as session:
        inspection = session.get(Inspection, data.inspection_id) if data.inspection_id else None
        if inspection is None:
            raise UserError("该巡察已被删除")
        if data.aspect_id is not None:
            aspect = session.get(InspectionAspect, data.aspect_id)
            if aspect is None or aspect.inspection_id != inspection.id:
                raise UserError("方面：所选方面不属于该巡察")
        if data.id is None:
            row = RectificationProblem(inspection_id=inspection.id)
        else:
            row = session.get(RectificationProblem, data.id)
            if row is None or row.inspection_id != inspection.id:
                raise EditConflictError(deleted_message(f"问题{data.number}"))
            check_version(row, data.version, _what(row))
            data = replace(data, status=row.status)
        _raise_first(validate_problem(data))
        if data.id is None:
            session.add(row)
        _apply(row, data)
        session.flush()
        return row.id


def _what(row: RectificationProblem) -> str:
    return f"整改问题{row.number}"


def delete_problem(db: Database, problem_id: int, version: int | None) -> None:
    with db.transaction() as session:
        row = session.get(RectificationProblem, problem_id)
        if row is None:
            return
        check_version(row, version, _what(row), deleting=True)
        stored = [a.stored_path for a in row.attachments]
        session.delete(row)
    for path in stored:
        _remove_file(path)


def _change(db: Database, problem_id: int, target: str, edit, version: int | None = None) -> ProblemData:
    """A state change in one transaction; with `version` (the form's copy), a problem changed
    elsewhere since is refused."""
    with db.transaction() as session:
        row = session.get(RectificationProblem, problem_id)
        if row is None:
            raise EditConflictError("该问题已在别处被删除")
        if version is not None:
            check_version(row, version, _what(row))
        if target:
            STATES.check(row.status, target)
        data = load_problem(session, problem_id)
        if target:
            data.status = target
        edit(data)
        _raise_first(validate_problem(data))
        row.status, row.completed_on, row.closed_on = data.status, data.completed_on, data.closed_on
        row.evidence = data.evidence.strip()
        return data


def start(db: Database, problem_id: int, *, version: int | None = None) -> ProblemData:
    """开始整改 (未启动 → 整改中)."""
    return _change(db, problem_id, PROBLEM_IN_PROGRESS, lambda d: None, version)


def complete(
    db: Database, problem_id: int, on: date, evidence: str | None = None, *, version: int | None = None
) -> ProblemData:
    """完成整改, on the given date (with an optional evidence note)."""

    def edit(d: ProblemData) -> None:
        d.completed_on = on
        if evidence is not None and evidence.strip():
            d.evidence = evidence.strip()

    return _change(db, problem_id, PROBLEM_DONE, edit, version)


def keep_up(
    db: Database, problem_id: int, on: date, evidence: str | None = None, *, version: int | None = None
) -> ProblemData:
    """长期坚持: the stage's work done on `on`, to be kept up."""

    def edit(d: ProblemData) -> None:
        d.completed_on = d.completed_on or on
        if evidence is not None and evidence.strip():
            d.evidence = evidence.strip()

    return _change(db, problem_id, PROBLEM_LONG_TERM, edit, version)


def close_off(db: Database, problem_id: int, on: date, *, version: int | None = None) -> ProblemData:
    """销号: a finished problem is struck off the list."""

    def edit(d: ProblemData) -> None:
        if d.status not in DONE_STATES:
            raise UserError("只有已完成或长期坚持的问题可以销号")
        if d.closed_on is not None:
            raise UserError("该问题已销号")
        d.closed_on = on

    return _change(db, problem_id, "", edit, version)


def reopen(db: Database, problem_id: int, *, version: int | None = None) -> ProblemData:
    """Back to 整改中 (a 完成/销号 entered by mistake): the dates are cleared."""

    def edit(d: ProblemData) -> None:
        d.completed_on = None
        d.closed_on = None

    return _change(db, problem_id, PROBLEM_IN_PROGRESS, edit, version)


def cancel_close_off(db: Database, problem_id: int, *, version: int | None = None) -> ProblemData:
    def edit(d: ProblemData) -> None:
        d.closed_on = None

    return _change(db, problem_id, "", edit, version)


# -- evidence files ------------------------------------------------------------------------------


def _make_private(copied: Path) -> None:
    """0600 for the copy, 0700 for its folders, like the data file, whatever the umask."""
    from app.protection.modes import private_dir, private_file

    private_file(copied)
    folder = copied.parent
    while True:
        private_dir(folder)
        if folder == attachments_root() or folder == folder.parent:
            break
        folder = folder.parent


def attachments_root() -> Path:
    from app.paths import data_dir

    return data_dir() / ATTACHMENTS_FOLDER


def attachment_path(stored_path: str) -> Path:
    return attachments_root() / stored_path


@dataclass(frozen=True)
class AttachmentItem:
    id: int
    file_name: str
    size: int
    path: Path

    @property
    def exists(self) -> bool:
        return self.path.is_file()


def list_attachments(session: Session, problem_id: int) -> list[AttachmentItem]:
    rows = session.execute(
        select(
            RectificationAttachment.id,
            RectificationAttachment.file_name,
            RectificationAttachment.size,
            RectificationAttachment.stored_path,
        )
        .where(RectificationAttachment.problem_id == problem_id)
        .order_by(RectificationAttachment.id)
    ).all()
    return [AttachmentItem(i, name, size, attachment_path(stored)) for i, name, size, stored in rows]


def add_attachment(db: Database, problem_id: int, source: Path) -> AttachmentItem:
    """Copy `source` into <data folder>/attachments/rectification/<problem>/ and record it.
    The copy is made first and removed again if the record cannot be written."""
    source = Path(source)
    if not source.is_file():
        raise UserError(f"找不到文件“{source}”")
    size = source.stat().st_size
    if size > MAX_ATTACHMENT_BYTES:
        raise UserError(f"文件“{source.name}”超过{MAX_ATTACHMENT_BYTES // 1024 // 1024}MB，请压缩后再添加")
    with db.session() as session:
        if session.get(RectificationProblem, problem_id) is None:
            raise UserError("该问题已被删除")
    folder = Path("rectification") / str(problem_id)
    name = safe_filename(source.name)
    target = attachments_root() / folder / name
    stem, suffix, n = target.stem, target.suffix, 1
    while target.exists():
        n += 1
        target = target.with_name(f"{stem}（{n}）{suffix}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        _make_private(target)
    except OSError as exc:
        raise UserError(describe_os_error(exc, target)) from exc
    stored = (folder / target.name).as_posix()
    try:
        with db.transaction() as session:
            row = RectificationAttachment(
                problem_id=problem_id, file_name=source.name, stored_path=stored, size=size
            )
            session.add(row)
            session.flush()
            attachment_id = row.id
    except Exception:
        target.unlink(missing_ok=True)
        raise
    return AttachmentItem(attachment_id, source.name, size, target)


def remove_attachment(db: Database, attachment_id: int) -> None:
    with db.transaction() as session:
        row = session.get(RectificationAttachment, attachment_id)
        if row is None:
            return
        stored = row.stored_path
        session.delete(row)
    _remove_file(stored)


def _remove_file(stored_path: str) -> None:
    path = attachment_path(stored_path)
    try:
        path.unlink(missing_ok=True)
        if path.parent.is_dir() and not any(path.parent.iterdir()):
            path.parent.rmdir()
    except OSError:
        pass  # an open or locked file stays; the record is gone, which is what the user asked


# -- lists and counts ----------------------------------------------------------------------------

SEARCH_COLUMNS = (
    RectificationProblem.description,
    RectificationProblem.leader,
    RectificationProblem.lead_unit,
    RectificationProblem.department,
    RectificationProblem.evidence,
)


def problem_conditions(inspection_id: int, flt: RegisterFilter, today: date) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [RectificationProblem.inspection_id == inspection_id]
    if flt.status:
        conditions.append(RectificationProblem.status == flt.status)
    if flt.due == "open":
        conditions.append(RectificationProblem.status.in_(OPEN_STATES))
    elif flt.due == OVERDUE:
        conditions += [RectificationProblem.status.in_(OPEN_STATES), RectificationProblem.due_on < today]
    elif flt.due == DUE_SOON:
        conditions += [
            RectificationProblem.status.in_(OPEN_STATES),
            RectificationProblem.due_on >= today,
            RectificationProblem.due_on <= due_soon_end(today),
        ]
    aspect = flt.extra.get("aspect_id")
    if aspect:
        conditions.append(RectificationProblem.aspect_id == aspect)
    if flt.extra.get("closed") is True:
        conditions.append(RectificationProblem.closed_on.is_not(None))
    found = search_condition(SEARCH_COLUMNS, flt.text)
    if found is not None:
        conditions.append(found)
    return conditions


def count_problems(session: Session, inspection_id: int, flt: RegisterFilter, today: date) -> int:
    where = problem_conditions(inspection_id, flt, today)
    return session.scalar(select(func.count()).select_from(RectificationProblem).where(*where)) or 0


def rectification_badge(session: Session, unit_id: int, _year: int, today: date | None = None) -> int:
    """Navigation badge: open problems past their 整改时限 or due within 7 days (every 巡察)."""
    today = today or date.today()
    return (
        session.scalar(
            select(func.count())
            .select_from(RectificationProblem)
            .join(Inspection)
            .where(
                Inspection.unit_id == unit_id,
                RectificationProblem.status.in_(OPEN_STATES),
                RectificationProblem.due_on <= due_soon_end(today),
            )
        )
        or 0
    )


# -- progress --------------------------------------------------------------------------------------


@dataclass
class ProblemSummary:
    id: int
    number: int
    aspect: str
    description: str
    measures: list[str]
    leader: str
    lead_unit: str
    department: str
    due_on: date | None
    status: str
    completed_on: date | None
    closed_on: date | None
    evidence: str
    attachments: int
    overdue: bool


@dataclass
class AspectProgress:
    title: str
    total: int
    by_state: dict[str, int]
    problems: list[ProblemSummary]

    @property
    def done(self) -> int:
        return sum(self.by_state.get(s, 0) for s in DONE_STATES)


@dataclass
class RectificationProgress:
    inspection_id: int
    name: str
    team: str
    start_on: date | None
    end_on: date | None
    feedback_on: date | None
    as_of: date
    aspects: list[AspectProgress]  # in order; problems without a 方面 come last under "未分组"
    problems: list[ProblemSummary]  # in order of 方面, then 序号
    by_state: dict[str, int]  # every state, zero included
    total: int
    done: int  # 已完成 + 长期坚持
    closed: int  # 已销号
    completion_rate: Decimal | None  # done ÷ total
    overdue: list[ProblemSummary]

    @property
    def aspect_count(self) -> int:
        return sum(1 for a in self.aspects if a.title != UNGROUPED)

    def count(self, state: str) -> int:
        return self.by_state.get(state, 0)


UNGROUPED = "未分组"


def rectification_progress(
    session: Session, inspection_id: int, today: date | None = None
) -> RectificationProgress:
    """The progress of one 巡察 as of `today` (default: today)."""
    today = today or date.today()
    inspection = session.get(Inspection, inspection_id, options=[selectinload(Inspection.aspects)])
    if inspection is None:
        raise UserError("该巡察已被删除")
    attachment_counts = dict(
        session.execute(
            select(RectificationAttachment.problem_id, func.count())
            .join(RectificationProblem)
            .where(RectificationProblem.inspection_id == inspection_id)
            .group_by(RectificationAttachment.problem_id)
        ).all()
    )
    rows = session.scalars(
        select(RectificationProblem)
        .where(RectificationProblem.inspection_id == inspection_id)
        .options(selectinload(RectificationProblem.measures))
        .order_by(RectificationProblem.number, RectificationProblem.id)
    ).all()
    titles = {a.id: a.title for a in inspection.aspects}
    order = [a.id for a in inspection.aspects]
    groups: dict[int | None, list[ProblemSummary]] = {key: [] for key in order}
    for row in rows:
        summary = ProblemSummary(
            id=row.id,
            number=row.number,
            aspect=titles.get(row.aspect_id, UNGROUPED) if row.aspect_id is not None else UNGROUPED,
            description=row.description,
            measures=[m.text for m in row.measures],
            leader=row.leader,
            lead_unit=row.lead_unit,
            department=row.department,
            due_on=row.due_on,
            status=row.status,
            completed_on=row.completed_on,
            closed_on=row.closed_on,
            evidence=row.evidence,
            attachments=attachment_counts.get(row.id, 0),
            overdue=row.status in OPEN_STATES and row.due_on is not None and row.due_on < today,
        )
        key = row.aspect_id if row.aspect_id in titles else None
        groups.setdefault(key, []).append(summary)
    aspects = []
    for key, problems in groups.items():
        if key is None and not problems:
            continue
        by_state = {s: sum(1 for p in problems if p.status == s) for s in PROBLEM_STATES}
        aspects.append(AspectProgress(titles.get(key, UNGROUPED), len(problems), by_state, problems))
    problems = [p for a in aspects for p in a.problems]
    by_state = {s: sum(1 for p in problems if p.status == s) for s in PROBLEM_STATES}
    done = sum(by_state[s] for s in DONE_STATES)
    return RectificationProgress(
        inspection_id=inspection.id,
        name=inspection.name,
        team=inspection.team,
        start_on=inspection.start_on,
        end_on=inspection.end_on,
        feedback_on=inspection.feedback_on,
        as_of=today,
        aspects=aspects,
        problems=problems,
        by_state=by_state,
        total=len(problems),
        done=done,
        closed=sum(1 for p in problems if p.closed_on is not None),
        completion_rate=ratio(done, len(problems)),
        overdue=[p for p in problems if p.overdue],
    )


@dataclass(frozen=True)
class ProgressCounts:
    """The counts of `RectificationProgress`, computed in SQL (for the page, at any size)."""

    aspect_count: int
    total: int
    by_state: dict[str, int]
    done: int
    closed: int
    overdue: int
    completion_rate: Decimal | None
    by_aspect: list[tuple[str, dict[str, int]]] = field(default_factory=list)  # (方面, state → count)

    def count(self, state: str) -> int:
        return self.by_state.get(state, 0)


def progress_counts(session: Session, inspection_id: int, today: date) -> ProgressCounts:
    where = RectificationProblem.inspection_id == inspection_id
    by_state = {s: 0 for s in PROBLEM_STATES}
    for state, count in session.execute(
        select(RectificationProblem.status, func.count()).where(where).group_by(RectificationProblem.status)
    ):
        by_state[state] = count
    total = sum(by_state.values())
    closed = session.scalar(
        select(func.count())
        .select_from(RectificationProblem)
        .where(where, RectificationProblem.closed_on.is_not(None))
    )
    overdue = count_problems(session, inspection_id, RegisterFilter(due=OVERDUE), today)
    aspects = session.scalar(
        select(func.count())
        .select_from(InspectionAspect)
        .where(InspectionAspect.inspection_id == inspection_id)
    )
    done = sum(by_state[s] for s in DONE_STATES)
    titles = dict(
        session.execute(
            select(InspectionAspect.id, InspectionAspect.title)
            .where(InspectionAspect.inspection_id == inspection_id)
            .order_by(InspectionAspect.position)
        ).all()
    )
    grouped: dict[int | None, dict[str, int]] = {key: {} for key in titles}
    for aspect_id, state, count in session.execute(
        select(RectificationProblem.aspect_id, RectificationProblem.status, func.count())
        .where(where)
        .group_by(RectificationProblem.aspect_id, RectificationProblem.status)
    ):
        grouped.setdefault(aspect_id if aspect_id in titles else None, {})[state] = count
    by_aspect = [(titles.get(key, UNGROUPED), counts) for key, counts in grouped.items() if key or counts]
    return ProgressCounts(
        aspects or 0, total, by_state, done, closed or 0, overdue, ratio(done, total), by_aspect
    )


def inspections_active_in(session: Session, unit_id: int, year: int) -> list[int]:
    """巡察 whose rectification concerns `year`: fed back by the end of the year and not all
    struck off before it began (what the year's package exports)."""
    start = date(year, 1, 1)
    end = date(year, 12, 31)
    result = []
    for item in list_inspections(session, unit_id):
        if item.feedback_on is not None and item.feedback_on > end:
            continue
        closed_before = session.scalar(
            select(func.count())
            .select_from(RectificationProblem)
            .where(
                RectificationProblem.inspection_id == item.id,
                RectificationProblem.closed_on.is_not(None),
                RectificationProblem.closed_on < start,
            )
        )
        total = session.scalar(
            select(func.count())
            .select_from(RectificationProblem)
            .where(RectificationProblem.inspection_id == item.id)
        )
        if total and closed_before == total:
            continue
        if item.feedback_on is None and not total:
            continue
        result.append(item.id)
    return result
