"""执法文书 (enforcement documents) and 工作活动 (meetings, 约谈, training …)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import EditConflictError, UserError
from app.models.safety import (
    SafetyActivity,
    SafetyDocument,
    SafetyDocumentHazard,
    SafetyHazard,
    SafetyProject,
)
from app.services.safety.constants import DOCUMENT_KINDS
from app.services.safety.forms import (
    FieldError,
    FormErrors,
    check_choice,
    check_in_range,
    check_not_before,
    check_text,
)
from app.services.versions import check_version

DOCUMENT_LABELS = {
    "kind": "文书类型",
    "number": "文号",
    "issued_on": "下发日期",
    "project_id": "项目",
    "deadline": "整改期限",
    "closed_on": "办结日期",
    "note": "备注",
}
ACTIVITY_LABELS = {
    "kind": "活动类型",
    "held_on": "日期",
    "title": "名称/主题",
    "participants": "参加人数",
    "note": "备注",
}


@dataclass
class DocumentForm:
    kind: str
    issued_on: date
    number: str = ""
    project_id: int | None = None
    deadline: date | None = None
    closed_on: date | None = None
    note: str = ""
    hazard_ids: list[int] = field(default_factory=list)
    version: int | None = None  # as loaded; a save from an older copy is refused


def validate_document(form: DocumentForm, today: date) -> list[FieldError]:
    errors: list[FieldError] = []
    check_choice(errors, form.kind, DOCUMENT_KINDS, "kind", "文书类型")
    for key in ("issued_on", "deadline", "closed_on"):
        check_in_range(errors, getattr(form, key), key, DOCUMENT_LABELS[key])
    check_text(errors, form.number, "number", "文号", required=False, limit=60)
    check_not_before(errors, form.deadline, form.issued_on, "deadline", "整改期限不能早于下发日期")
    check_not_before(errors, form.closed_on, form.issued_on, "closed_on", "办结日期不能早于下发日期")
    if form.closed_on is not None and form.closed_on > today:
        errors.append(FieldError("closed_on", "办结日期不能晚于今天"))
    if form.hazard_ids and form.project_id is None:
        errors.append(FieldError("project_id", "关联了隐患的文书请选择项目"))
    return errors


def _check_links(session: Session, unit_id: int, form: DocumentForm, exclude: int | None) -> None:
    errors: list[FieldError] = []
    if form.project_id is not None:
        project = session.get(SafetyProject, form.project_id)
        if project is None or project.unit_id != unit_id:
            errors.append(FieldError("project_id", "所选项目不存在（可能已被删除）"))
    if form.hazard_ids:
        rows = session.execute(
            select(SafetyHazard.id, SafetyHazard.project_id).where(
                SafetyHazard.unit_id == unit_id, SafetyHazard.id.in_(form.hazard_ids)
            )
        ).all()
        if len(rows) != len(set(form.hazard_ids)):
            errors.append(FieldError("hazard_ids", "有关联的隐患不存在（可能已被删除）"))
        elif any(project_id != form.project_id for _id, project_id in rows):
            errors.append(FieldError("hazard_ids", "关联的隐患应属于所选项目"))
    number = form.number.strip()
    if number:
        query = select(SafetyDocument.id).where(
            SafetyDocument.unit_id == unit_id,
            SafetyDocument.kind == form.kind,
            SafetyDocument.number == number,
        )
        if exclude is not None:
            query = query.where(SafetyDocument.id != exclude)
        if session.scalar(query) is not None:
            errors.append(FieldError("number", f"文号“{number}”已被另一份{form.kind}使用"))
    if errors:
        raise FormErrors(errors)


def _apply_document(session: Session, document: SafetyDocument, form: DocumentForm) -> None:
    document.kind = form.kind
    document.number = form.number.strip()
    document.issued_on = form.issued_on
    document.project_id = form.project_id
    document.deadline = form.deadline
    document.closed_on = form.closed_on
    document.note = form.note.strip()
    session.flush()
    session.execute(delete(SafetyDocumentHazard).where(SafetyDocumentHazard.document_id == document.id))
    session.add_all(
        SafetyDocumentHazard(document_id=document.id, hazard_id=h) for h in dict.fromkeys(form.hazard_ids)
    )


def save_document(
    db: Database, unit_id: int, form: DocumentForm, document_id: int | None = None, today: date | None = None
) -> int:
    """Create (document_id None) or update a document in one transaction; returns its id."""
    errors = validate_document(form, today or date.today())
    if errors:
        raise FormErrors(errors)
    with db.transaction() as session:
        _check_links(session, unit_id, form, document_id)
        if document_id is None:
            document = SafetyDocument(unit_id=unit_id)
            session.add(document)
        else:
            document = session.get(SafetyDocument, document_id)
            if document is None:
                raise EditConflictError("文书记录不存在（可能已在别处被删除）")
            check_version(document, form.version, _document_what(document))
        _apply_document(session, document, form)
        return document.id


def load_document(session: Session, document_id: int) -> DocumentForm:
    document = session.get(SafetyDocument, document_id)
    if document is None:
        raise UserError("文书记录不存在（可能已被删除）")
    hazard_ids = list(
        session.scalars(
            select(SafetyDocumentHazard.hazard_id).where(SafetyDocumentHazard.document_id == document_id)
        )
    )
    return DocumentForm(
        kind=document.kind,
        issued_on=document.issued_on,
        number=document.number,
        project_id=document.project_id,
        deadline=document.deadline,
        closed_on=document.closed_on,
        note=document.note,
        hazard_ids=hazard_ids,
        version=document.version,
    )


def _document_what(document: SafetyDocument) -> str:
    return f"执法文书“{document.number or document.kind}”"


def delete_document(db: Database, document_id: int, version: int | None) -> None:
    with db.transaction() as session:
        document = session.get(SafetyDocument, document_id)
        if document is not None:
            check_version(document, version, _document_what(document), deleting=True)
            session.delete(document)


@dataclass
class ActivityForm:
    kind: str
    held_on: date
    title: str = ""
    participants: int | None = None
    note: str = ""
    version: int | None = None  # as loaded; a save from an older copy is refused


def validate_activity(form: ActivityForm) -> list[FieldError]:
    errors: list[FieldError] = []
    check_text(errors, form.kind, "kind", "活动类型", required=True, limit=30)
    check_in_range(errors, form.held_on, "held_on", "日期")
    check_text(errors, form.title, "title", "名称/主题", required=False, limit=200)
    if form.participants is not None and not 0 <= form.participants <= 100000:
        errors.append(FieldError("participants", "参加人数应为0至100000之间的整数"))
    return errors


def save_activity(db: Database, unit_id: int, form: ActivityForm, activity_id: int | None = None) -> int:
    errors = validate_activity(form)
    if errors:
        raise FormErrors(errors)
    with db.transaction() as session:
        if activity_id is None:
            activity = SafetyActivity(unit_id=unit_id)
            session.add(activity)
        else:
            activity = session.get(SafetyActivity, activity_id)
            if activity is None:
                raise EditConflictError("活动记录不存在（可能已在别处被删除）")
            check_version(activity, form.version, _activity_what(activity))
        activity.kind = form.kind.strip()
        activity.held_on = form.held_on
        activity.title = form.title.strip()
        activity.participants = form.participants
        activity.note = form.note.strip()
        session.flush()
        return activity.id


def load_activity(session: Session, activity_id: int) -> ActivityForm:
    activity = session.get(SafetyActivity, activity_id)
    if activity is None:
        raise UserError("活动记录不存在（可能已被删除）")
    return ActivityForm(
        activity.kind,
        activity.held_on,
        activity.title,
        activity.participants,
        activity.note,
        activity.version,
    )


def _activity_what(activity: SafetyActivity) -> str:
    return f"活动记录“{activity.title or activity.kind}”"


def delete_activity(db: Database, activity_id: int, version: int | None) -> None:
    with db.transaction() as session:
        activity = session.get(SafetyActivity, activity_id)
        if activity is not None:
            check_version(activity, version, _activity_what(activity), deleting=True)
            session.delete(activity)
