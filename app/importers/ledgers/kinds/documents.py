"""执法文书登记: one row is one enforcement document (app.models.safety.SafetyDocument).

- 文书类型 is a fixed vocabulary (整改通知书 → 隐患整改通知书, 停工令 → 停工整改通知书 …). A ledger
  of one kind only ("隐患整改通知书登记台账") may have no such column: the kind is then the one
  the sheet title or the file name names.
- 项目 is matched by name (values.name_key); a name that matches nothing creates a project after
  confirmation (pending_additions "工程项目"), or is a row problem with options.strict_values.
  A document may have no project.
- 整改期限 is a date or a number of days from the 下发日期 ("7天", "3日内", "5个工作日").
- Rows obey app.services.safety.records.validate_document, as typed documents do.
- Duplicates: the same 文书类型 and 文号 (brackets and spaces ignored: 〔2023〕 = [2023]); without a
  文号, the same 文书类型, 下发日期 and 项目. Updating sets the fields the ledger fills (a blank cell
  keeps the record's value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.importers.ledgers.kinds.bulk import insert_ids
from app.importers.ledgers.kinds.choices import VALUE_FIELDS, value_choices
from app.importers.ledgers.kinds.project_match import (
    PROJECTS_LABEL,
    ProjectIndex,
    create_missing_projects,
    load_project_index,
)
from app.importers.ledgers.kinds.vocabulary import (
    DOCUMENT_KIND_SPELLINGS,
    DOCUMENT_KIND_WORDS,
    read_fixed,
    value_map,
)
from app.importers.ledgers.model import Counts, FieldSpec, ImportOptions, ParsedRow, SourceRow, plain_date
from app.importers.ledgers.values import name_key, read_date, read_text
from app.models.base import station_name
from app.models.safety import SafetyDocument
from app.services.parsing import ParseError
from app.services.safety.records import DocumentForm, validate_document

RECORD = "执法文书"
PROJECT_RECORD = "项目"

FIELDS = (
    FieldSpec(
        "kind",
        "文书类型",
        (
            "文书类型",
            "文书名称",
            "文书种类",
            "文书类别",
            "文书",
            "类型",
            "执法文书",
            "文书名称/类型",
            "处理方式",
        ),
    ),
    FieldSpec(
        "number",
        "文号",
        ("文号", "文书编号", "文书号", "编号", "通知书编号", "通知书文号", "发文字号", "字号", "文书文号"),
    ),
    FieldSpec(
        "issued_on",
        "下发日期",
        (
            "下发日期",
            "签发日期",
            "下达日期",
            "发文日期",
            "下发时间",
            "签发时间",
            "下达时间",
            "开具日期",
            "送达日期",
            "发出日期",
            "日期",
        ),
        required=True,
    ),
    FieldSpec(
        "project",
        "项目名称",
        (
            "项目名称",
            "工程名称",
            "项目",
            "工程项目",
            "被检查项目",
            "受检项目",
            "涉及项目",
            "所属项目",
            "工程项目名称",
        ),
    ),
    FieldSpec(
        "deadline",
        "整改期限",
        (
            "整改期限",
            "整改时限",
            "限期",
            "期限",
            "要求完成日期",
            "整改截止日期",
            "限改日期",
            "回复期限",
            "整改期限日期",
        ),
    ),
    FieldSpec(
        "closed_on",
        "办结日期",
        (
            "办结日期",
            "回复日期",
            "销案日期",
            "闭合日期",
            "回复时间",
            "复查日期",
            "销号日期",
            "整改回复日期",
            "整改完成日期",
            "完成日期",
            "闭合时间",
            "办结时间",
        ),
    ),
    FieldSpec("note", "备注", ("备注", "说明", "主要内容", "事由", "主要问题", "处理结果", "内容摘要")),
)
LABELS = {spec.key: spec.label for spec in FIELDS}
# The columns an update may set (the 文书类型 is part of the key).
UPDATABLE = ("number", "issued_on", "project_id", "deadline", "closed_on", "note")
# What validate_document calls a field → this kind's field key.
FORM_KEYS = {"project_id": "project", "hazard_ids": "project"}

_DAYS = re.compile(r"(?:限期|期限)?\s*(\d{1,3})\s*(个工作日|工作日|天|日)\s*(?:内|以内)?(?:整改|完成|回复)?")


def kind_in_text(text: str) -> str | None:
    """The 文书类型 a title or file name names ("2023年停工整改通知书登记台账"), longest spelling first."""
    spellings = sorted(
        ((s, canonical) for canonical, names in DOCUMENT_KIND_SPELLINGS.items() for s in (canonical, *names)),
        key=lambda pair: -len(pair[0]),
    )
    for spelling, canonical in spellings:
        if len(spelling) >= 3 and spelling in text:
            return canonical
    return None


def _add_working_days(start: date, days: int) -> date:
    day = start
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def read_deadline(value: Any, issued_on: date | None, *, default_year: int) -> date | None:
    """A 整改期限: a date, or "7天"/"3日内"/"5个工作日" counted from the 下发日期."""
    if isinstance(value, str):
        match = _DAYS.fullmatch(value.strip())
        if match:
            if issued_on is None:
                raise ParseError(f"整改期限“{value.strip()}”需要下发日期才能推算")
            days = int(match.group(1))
            if "工作日" in match.group(2):
                return _add_working_days(issued_on, days)
            return issued_on + timedelta(days=days)
    return read_date(value, "整改期限", default_year=default_year)


@dataclass
class DocumentsContext:
    unit_id: int
    index: ProjectIndex
    today: date
    file_kind: str | None  # the kind the file name names


def _duplicate_key(kind: str, number: str, issued_on: date, project: int | str | None) -> tuple[Any, ...]:
    if number:
        return ("number", kind, name_key(number))
    return ("day", kind, issued_on, project)


class DocumentsKind:
    key = "documents"
    label = "执法文书登记"
    record_label = RECORD
    fields = FIELDS
    value_fields = VALUE_FIELDS["documents"]

    def value_choices(self, session: Any, unit_id: int) -> dict[str, list[str]]:
        return value_choices("documents", session, unit_id)

    def prepare(
        self, session: Session, unit_id: int, options: ImportOptions, file_name: str
    ) -> DocumentsContext:
        index = load_project_index(session, unit_id)
        return DocumentsContext(unit_id, index, clock.today(), kind_in_text(Path(file_name).stem))

    def needs(self, mapped: set[str], options: ImportOptions, title: str, file_name: str) -> list[str]:
        if "kind" in mapped or kind_in_text(title) or kind_in_text(Path(file_name).stem):
            return []
        return [
            "没有对应“文书类型”的列，标题和文件名也未写明文书类型：请在列对应中指定文书类型列，"
            "或将文件名改为如“隐患整改通知书登记台账.xlsx”"
        ]

    def parse(self, row: SourceRow, ctx: DocumentsContext, options: ImportOptions) -> ParsedRow:
        parsed = ParsedRow(row)
        values = parsed.values
        year = row.title_year or options.year

        def attempt(key: str, read: Any) -> Any:
            if key not in row.cells or key in row.uncomputed:
                return None  # the plan reports an uncomputed formula
            try:
                return read(row.cells[key])
            except ParseError as exc:
                parsed.problems.append(row.problem(key, str(exc)))
                return None

        if "kind" in row.cells:
            kind = attempt(
                "kind",
                lambda v: read_fixed(
                    v, "文书类型", DOCUMENT_KIND_SPELLINGS, DOCUMENT_KIND_WORDS, value_map(options, "kind")
                ),
            )
            failed = _failed(parsed, row, "kind") or "kind" in row.uncomputed
        else:
            kind, failed = kind_in_text(row.title) or ctx.file_kind, False
        if kind is None and not failed:
            parsed.problems.append(row.problem("kind", "缺少文书类型"))
        values["kind"] = kind
        values["number"] = attempt("number", lambda v: read_text(v, "文号", 100_000)) or ""
        issued = attempt("issued_on", lambda v: read_date(v, "下发日期", default_year=year))
        if issued is None and "issued_on" not in row.uncomputed and not _failed(parsed, row, "issued_on"):
            parsed.problems.append(row.problem("issued_on", "缺少下发日期"))
        values["issued_on"] = issued
        values["closed_on"] = attempt("closed_on", lambda v: read_date(v, "办结日期", default_year=year))
        values["deadline"] = attempt("deadline", lambda v: read_deadline(v, issued, default_year=year))
        values["note"] = attempt("note", lambda v: read_text(v, "备注", 100_000)) or ""
        project = attempt("project", lambda v: read_text(v, "项目名称", 200)) or ""
        values["project_id"] = ctx.index.find(project) if project else None
        values["project_name"] = project
        similar = ctx.index.ambiguous(project)
        if similar:
            names = "、".join(similar)
            parsed.problems.append(
                row.problem("project", f"项目“{project}”与多个项目相近（{names}），请填写项目全称")
            )
        elif project and values["project_id"] is None and options.strict_values:
            parsed.problems.append(row.problem("project", f"项目“{project}”不在本单位的项目清单中"))
        elif project and values["project_id"] is None:
            parsed.notes.append(f"项目“{project}”不在项目清单中，导入时将新建")
        values["filled"] = {
            key for key in row.cells if row.cells[key] is not None and key not in row.uncomputed
        }
        if kind is not None and issued is not None:
            form = DocumentForm(
                kind=kind,
                issued_on=issued,
                number=values["number"],
                deadline=values["deadline"],
                closed_on=values["closed_on"],
                note=values["note"],
            )
            for error in validate_document(form, ctx.today):
                parsed.problems.append(row.problem(FORM_KEYS.get(error.field, error.field), error.message))
        _shown(parsed)
        return parsed

    def find_duplicates(self, session: Session, ctx: DocumentsContext, rows: list[ParsedRow]) -> None:
        existing: dict[tuple[Any, ...], int] = {}
        query = select(
            SafetyDocument.id,
            SafetyDocument.kind,
            SafetyDocument.number,
            SafetyDocument.issued_on,
            SafetyDocument.project_id,
        ).where(SafetyDocument.unit_id == ctx.unit_id)
        for doc_id, kind, number, issued_on, project_id in session.execute(query.order_by(SafetyDocument.id)):
            existing.setdefault(_duplicate_key(kind, number, issued_on, project_id), doc_id)
        seen: dict[tuple[Any, ...], ParsedRow] = {}
        for row in rows:
            values = row.values
            project: int | str | None = values["project_id"]
            if project is None and values["project_name"]:
                project = "new:" + name_key(values["project_name"])
            key = _duplicate_key(values["kind"], values["number"], values["issued_on"], project)
            first = seen.get(key)
            if first is not None:
                where = f"第{first.source.row}行"
                if first.source.sheet != row.source.sheet:
                    where = f"工作表“{first.source.sheet}”{where}"
                what = f"文号“{values['number']}”" if values["number"] else "同类型、同日期、同项目的文书"
                row.problems.append(
                    row.source.problem("number" if values["number"] else None, f"{what}与{where}重复")
                )
                continue
            seen[key] = row
            row.duplicate_of = existing.get(key)

    def pending_additions(self, ctx: DocumentsContext, rows: list[ParsedRow]) -> dict[str, list[str]]:
        names = _missing_projects(rows)
        return {PROJECTS_LABEL: list(names.values())} if names else {}

    def write(
        self,
        session: Session,
        unit_id: int,
        ctx: DocumentsContext,
        rows: list[ParsedRow],
        on_duplicate: str,
        recorder: Any,
    ) -> Counts:
        counts = Counts()
        missing = _missing_projects(rows)
        if missing:
            first: dict[str, date] = {}
            for row in rows:
                key = name_key(row.values["project_name"])
                if row.values["project_id"] is None and key in missing:
                    first[key] = min(first.get(key, row.values["issued_on"]), row.values["issued_on"])
                    ctx.index.note_missing(row.values["project_name"])
            created = create_missing_projects(
                session, unit_id, ctx.index, recorder, on=ctx.today, first_dates=first
            )
            counts.add("created", PROJECT_RECORD, len(created))
            for row in rows:
                if row.values["project_id"] is None and row.values["project_name"]:
                    row.values["project_id"] = ctx.index.find(row.values["project_name"])
        new = [row for row in rows if row.duplicate_of is None]
        old = [row for row in rows if row.duplicate_of is not None]
        if new:
            _create(session, unit_id, new, recorder)
            counts.add("created", RECORD, len(new))
        if old and on_duplicate == "update":
            updated = _update(session, old, recorder)
            counts.add("updated", RECORD, updated)
            if len(old) - updated:
                counts.add("skipped", RECORD, len(old) - updated)
        elif old:
            counts.add("skipped", RECORD, len(old))
        return counts


def _failed(parsed: ParsedRow, row: SourceRow, key: str) -> bool:
    column = row.columns.get(key, (None,))[0]
    return column is not None and any(p.column == column for p in parsed.problems)


def _missing_projects(rows: list[ParsedRow]) -> dict[str, str]:
    """name_key → first spelling of the projects the rows name that are not in the unit's list."""
    names: dict[str, str] = {}
    for row in rows:
        name = row.values["project_name"]
        if name and row.values["project_id"] is None:
            names.setdefault(name_key(name), name)
    return names


def _shown(parsed: ParsedRow) -> None:
    values = parsed.values
    for key in ("kind", "number", "note"):
        if values.get(key):
            parsed.shown[key] = values[key]
    if values.get("project_name"):
        parsed.shown["project"] = values["project_name"]
    for key in ("issued_on", "deadline", "closed_on"):
        if values.get(key) is not None:
            parsed.shown[key] = plain_date(values[key])


def _create(session: Session, unit_id: int, rows: list[ParsedRow], recorder: Any) -> None:
    now = datetime.now().replace(microsecond=0)
    station = station_name()
    records = [
        {
            "unit_id": unit_id,
            "kind": row.values["kind"],
            "number": row.values["number"],
            "issued_on": row.values["issued_on"],
            "project_id": row.values["project_id"],
            "deadline": row.values["deadline"],
            "closed_on": row.values["closed_on"],
            "note": row.values["note"],
            "version": 1,
            "changed_by": station,
            "changed_at": now,
        }
        for row in rows
    ]
    recorder.created("safety_document", insert_ids(session, SafetyDocument, records))


def _update(session: Session, rows: list[ParsedRow], recorder: Any) -> int:
    """Update the documents `rows` repeat; returns how many changed (the others were as the ledger)."""
    documents = {
        d.id: d
        for d in session.scalars(
            select(SafetyDocument).where(SafetyDocument.id.in_([row.duplicate_of for row in rows]))
        )
    }
    changed = 0
    for row in rows:
        document = documents[row.duplicate_of]
        filled = row.values["filled"]
        before: dict[str, Any] = {}
        for key in UPDATABLE:
            source_key = "project" if key == "project_id" else key
            value = row.values[key]
            if key == "number" and name_key(value) == name_key(document.number):
                continue  # the same 文号 in other brackets: the stored spelling stays
            if source_key in filled and value not in (None, "") and getattr(document, key) != value:
                before[key] = getattr(document, key)
                setattr(document, key, value)
        if before:
            session.flush()
            recorder.updated("safety_document", document.id, before)
            changed += 1
    return changed


KIND = DocumentsKind()
