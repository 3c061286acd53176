"""工程项目清单: one row is one supervised project (app.models.safety.SafetyProject).

Status and its date, as a careful clerk expects them:
- 状态 is the 项目状态/形象进度 column; when blank (or not in the ledger) it follows from the dates:
  a 竣工日期 → 竣工验收, a 开工日期 → 在建 (未开工 while that date is after today), else 在建
  (with a note).
- The status holds from the 状态日期 column; without one, 在建 holds from the 开工日期 and
  竣工验收/竣工验收备案 from the 竣工日期; else (未开工, 停工, no dates) from 1 January of the
  ledger's year (the title's, else the working year; never after today) or from the 开工日期
  when that is later, with a note.
- A project that was built before reaching its status (停工, 竣工 …) and whose 开工日期 is given
  gets the 在建 step in its history too, so the statistics of earlier periods see it in 在建.
- A project already present (same name, or the same name up to brackets, spaces and a trailing
  项目/工程) is a duplicate. Updating it sets the fields the ledger fills (a blank cell keeps the
  record's value; the name keeps its spelling) and, when the status differs from the one in force,
  records the change as 状态变更 does (a change on the same day replaces that day's entry), from
  the date above when it is after the record's current 状态日期, else from today. A status the
  row does not give (no 状态 column or cell, and no dates) leaves the record's status alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app import clock
from app.importers.ledgers.kinds.bulk import insert_ids
from app.importers.ledgers.kinds.choices import VALUE_FIELDS, value_choices
from app.importers.ledgers.kinds.project_match import ProjectIndex, load_project_index
from app.importers.ledgers.kinds.vocabulary import (
    PROJECT_KIND_SPELLINGS,
    PROJECT_KIND_WORDS,
    PROJECT_STATUS_SPELLINGS,
    PROJECT_STATUS_WORDS,
    read_fixed,
    value_map,
)
from app.importers.ledgers.model import (
    Counts,
    FieldSpec,
    ImportOptions,
    ParsedRow,
    SourceRow,
    plain_date,
)
from app.importers.ledgers.values import name_key, read_area_m2, read_date, read_money_wan, read_text
from app.models.base import station_name
from app.models.safety import SafetyProject, SafetyProjectStatus
from app.services.parsing import ParseError
from app.services.safety.constants import BUILDING, COMPLETED, FILED, HOUSING, NOT_STARTED
from app.services.safety.forms import FieldError, check_in_range
from app.services.safety.projects import ProjectForm, validate_project

RECORD = "项目"
TEXT_FIELDS = ("name", "location", "developer", "contractor", "supervision_firm", "permit_no", "note")
# The columns an update may set (the name is the key and keeps the record's spelling).
UPDATABLE = (
    "kind",
    "location",
    "developer",
    "contractor",
    "supervision_firm",
    "area",
    "cost",
    "permit_no",
    "note",
)

FIELDS = (
    FieldSpec(
        "name",
        "项目名称",
        (
            "项目名称",
            "工程名称",
            "项目",
            "工程项目",
            "工程项目名称",
            "项目全称",
            "工程名称（全称）",
            "单位工程名称",
        ),
        required=True,
    ),
    FieldSpec(
        "kind",
        "工程类别",
        (
            "工程类别",
            "项目类型",
            "工程类型",
            "项目类别",
            "工程性质",
            "项目性质",
            "类别",
            "项目分类",
            "工程分类",
        ),
    ),
    FieldSpec(
        "location",
        "建设地点",
        ("建设地点", "工程地点", "项目地址", "工程地址", "项目地点", "建设地址", "地点", "地址", "项目位置"),
    ),
    FieldSpec("developer", "建设单位", ("建设单位", "业主单位", "建设单位名称", "建设方", "业主")),
    FieldSpec(
        "contractor",
        "施工单位",
        (
            "施工单位",
            "施工总承包单位",
            "总承包单位",
            "总包单位",
            "承建单位",
            "施工方",
            "施工企业",
            "施工单位名称",
        ),
    ),
    FieldSpec(
        "supervision_firm", "监理单位", ("监理单位", "工程监理单位", "监理方", "监理企业", "监理单位名称")
    ),
    FieldSpec("area", "建筑面积", ("建筑面积", "面积", "总建筑面积", "建设规模", "建筑规模")),
    FieldSpec(
        "cost",
        "工程造价",
        (
            "工程造价",
            "合同价",
            "合同价款",
            "合同金额",
            "中标价",
            "造价",
            "总投资",
            "投资额",
            "工程投资",
            "项目总投资",
        ),
    ),
    FieldSpec(
        "permit_no",
        "施工许可证号",
        ("施工许可证号", "施工许可证编号", "许可证号", "许可证编号", "施工许可编号", "施工许可证"),
    ),
    FieldSpec(
        "status",
        "项目状态",
        ("项目状态", "形象进度", "状态", "施工状态", "工程状态", "目前状态", "当前状态", "工程进度", "进度"),
    ),
    FieldSpec(
        "status_since", "状态日期", ("状态日期", "状态变更日期", "状态起始日期", "变更日期", "停工日期")
    ),
    FieldSpec("started_on", "开工日期", ("开工日期", "开工时间", "实际开工日期", "开工")),
    FieldSpec(
        "completed_on",
        "竣工日期",
        ("竣工日期", "竣工验收日期", "竣工时间", "竣工验收时间", "验收日期", "完工日期", "完工时间"),
    ),
    FieldSpec("note", "备注", ("备注", "说明", "其他")),
)
LABELS = {spec.key: spec.label for spec in FIELDS}

# A bare number under a header that names its unit ("建筑面积（万㎡）", "总投资（元）").
_NUMBER = re.compile(r"[\d,，.\s]+")
_AREA_UNITS = (("万平方米", "万㎡"), ("万㎡", "万㎡"), ("万m", "万㎡"), ("万平", "万㎡"))
_COST_UNITS = (("亿元", "亿元"), ("万元", "万元"), ("千元", "千元"), ("元", "元"))


def _header_unit(header: str, units: tuple[tuple[str, str], ...]) -> str:
    for word, unit in units:
        if word in header.lower():
            return unit
    return ""


def _with_unit(value: Any, header: str, units: tuple[tuple[str, str], ...]) -> Any:
    unit = _header_unit(header, units)
    if not unit or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) or (
        isinstance(value, str) and _NUMBER.fullmatch(value.strip() or "x")
    ):
        return read_text(value, "", 100) + unit
    return value


@dataclass
class ProjectsContext:
    index: ProjectIndex
    today: date


class ProjectsKind:
    key = "projects"
    label = "工程项目清单"
    record_label = RECORD
    fields = FIELDS
    value_fields = VALUE_FIELDS["projects"]

    def value_choices(self, session: Any, unit_id: int) -> dict[str, list[str]]:
        return value_choices("projects", session, unit_id)

    def prepare(
        self, session: Session, unit_id: int, options: ImportOptions, file_name: str
    ) -> ProjectsContext:
        return ProjectsContext(load_project_index(session, unit_id), clock.today())

    def needs(self, mapped: set[str], options: ImportOptions, title: str, file_name: str) -> list[str]:
        return []

    def parse(self, row: SourceRow, ctx: ProjectsContext, options: ImportOptions) -> ParsedRow:
        parsed = ParsedRow(row)
        values = parsed.values
        year = row.title_year or options.year

        def attempt(key: str, read: Any) -> Any:
            if key not in row.cells:
                return None
            if key in row.uncomputed:
                return None  # the plan reports it
            try:
                return read(row.cells[key])
            except ParseError as exc:
                parsed.problems.append(row.problem(key, str(exc)))
                return None

        for key in TEXT_FIELDS:
            text = attempt(key, lambda v, k=key: read_text(v, LABELS[k], 100_000))
            if text:
                values[key] = text
        if "name" not in values and "name" not in row.uncomputed:
            parsed.problems.append(row.problem("name", "缺少项目名称"))
        kind = attempt(
            "kind",
            lambda v: read_fixed(
                v, "工程类别", PROJECT_KIND_SPELLINGS, PROJECT_KIND_WORDS, value_map(options, "kind")
            ),
        )
        if kind:
            values["kind"] = kind
        elif "kind" in row.cells and not _failed(parsed, row, "kind") and "kind" not in row.uncomputed:
            parsed.notes.append(f"未填写工程类别，按“{HOUSING}”导入")
        header = row.columns.get("area", (0, ""))[1]
        area = attempt("area", lambda v: read_area_m2(_with_unit(v, header, _AREA_UNITS), "建筑面积"))
        cost_header = row.columns.get("cost", (0, ""))[1]
        cost = attempt("cost", lambda v: read_money_wan(_with_unit(v, cost_header, _COST_UNITS), "工程造价"))
        if area is not None:
            values["area"] = area
        if cost is not None:
            values["cost"] = cost
        dates = {
            key: attempt(key, lambda v, k=key: read_date(v, LABELS[k], default_year=year))
            for key in ("status_since", "started_on", "completed_on")
        }
        status = attempt(
            "status",
            lambda v: read_fixed(
                v, "项目状态", PROJECT_STATUS_SPELLINGS, PROJECT_STATUS_WORDS, value_map(options, "status")
            ),
        )
        started, completed = dates["started_on"], dates["completed_on"]
        if started and completed and completed < started:
            parsed.problems.append(row.problem("completed_on", "竣工日期不能早于开工日期"))
        from_ledger = status is not None
        if status is None:
            if completed:
                status = COMPLETED
            elif started:
                status = NOT_STARTED if started > ctx.today else BUILDING
            else:
                status = BUILDING
                if not _failed(parsed, row, "status"):
                    parsed.notes.append("未填写项目状态，按“在建”导入")
        since = dates["status_since"] or _since_from_dates(status, started, completed)
        values["status"] = status
        values["status_from_ledger"] = from_ledger or bool(started or completed)
        values["since_given"] = since
        if since is None:
            # Not before the project started: then the status holds from its 开工日期.
            since = max(min(date(year, 1, 1), ctx.today), started or date.min)
            values["fallback_since"] = True
        values["since"] = since
        history = []
        if started and status not in (BUILDING, NOT_STARTED) and started < since:
            history.append((BUILDING, started))
        history.append((status, since))
        values["history"] = history
        self._validate(parsed)
        _shown(parsed)
        return parsed

    def _validate(self, parsed: ParsedRow) -> None:
        values, source = parsed.values, parsed.source
        form = ProjectForm(
            name=values.get("name", "") or "x",  # a missing name is reported already
            kind=values.get("kind", HOUSING),
            **{
                k: values.get(k, "")
                for k in ("location", "developer", "contractor", "supervision_firm", "permit_no")
            },
            area=values.get("area"),
            cost=values.get("cost"),
            note=values.get("note", ""),
        )
        errors: list[FieldError] = validate_project(form)
        check_in_range(errors, values["since"], "status_since", "状态日期")
        for error in errors:
            parsed.problems.append(source.problem(error.field, error.message))

    def find_duplicates(self, session: Session, ctx: ProjectsContext, rows: list[ParsedRow]) -> None:
        seen: dict[str, ParsedRow] = {}
        for row in rows:
            name = row.values.get("name", "")
            key = name_key(name)
            first = seen.get(key)
            if first is not None:
                where = f"第{first.source.row}行"
                if first.source.sheet != row.source.sheet:
                    where = f"工作表“{first.source.sheet}”{where}"
                row.problems.append(row.source.problem("name", f"项目“{name}”与{where}重复"))
                continue
            seen[key] = row
            row.duplicate_of = ctx.index.find(name)

    def pending_additions(self, ctx: ProjectsContext, rows: list[ParsedRow]) -> dict[str, list[str]]:
        return {}

    def write(
        self,
        session: Session,
        unit_id: int,
        ctx: ProjectsContext,
        rows: list[ParsedRow],
        on_duplicate: str,
        recorder: Any,
    ) -> Counts:
        counts = Counts()
        new = [row for row in rows if row.duplicate_of is None]
        old = [row for row in rows if row.duplicate_of is not None]
        if new:
            _create(session, unit_id, new, recorder)
            counts.add("created", RECORD, len(new))
        if old and on_duplicate == "update":
            updated = _update(session, old, recorder, ctx.today)
            counts.add("updated", RECORD, updated)
            if len(old) - updated:
                counts.add("skipped", RECORD, len(old) - updated)
        elif old:
            counts.add("skipped", RECORD, len(old))
        return counts


def _failed(parsed: ParsedRow, row: SourceRow, key: str) -> bool:
    """Whether the row has a problem in `key`'s column already."""
    column = row.columns.get(key, (None,))[0]
    return column is not None and any(p.column == column for p in parsed.problems)


def _since_from_dates(status: str, started: date | None, completed: date | None) -> date | None:
    if status == BUILDING:
        return started
    if status in (COMPLETED, FILED):
        return completed
    return None


def _shown(parsed: ParsedRow) -> None:
    values = parsed.values
    for key, value in values.items():
        if key in LABELS and value is not None:
            parsed.shown[key] = str(value)
    if "area" in values:
        parsed.shown["area"] = f"{values['area']}㎡"
    if "cost" in values:
        parsed.shown["cost"] = f"{values['cost']}万元"
    parsed.shown["status"] = values["status"]
    parsed.shown["status_since"] = plain_date(values["since"])
    if values.get("fallback_since"):
        parsed.notes.append(f"未填写状态日期，“{values['status']}”自{plain_date(values['since'])}起计")


def _create(session: Session, unit_id: int, rows: list[ParsedRow], recorder: Any) -> None:
    now = datetime.now().replace(microsecond=0)
    station = station_name()
    records = []
    for row in rows:
        values = row.values
        records.append(
            {
                "unit_id": unit_id,
                "name": values["name"],
                "kind": values.get("kind", HOUSING),
                **{key: values.get(key, "") for key in TEXT_FIELDS if key != "name"},
                "area": values.get("area"),
                "cost": values.get("cost"),
                "status": values["status"],
                "status_since": values["since"],
                "version": 1,
                "changed_by": station,
                "changed_at": now,
            }
        )
    ids = insert_ids(session, SafetyProject, records)
    statuses = [
        {"project_id": project_id, "status": status, "since": since, "note": ""}
        for project_id, row in zip(ids, rows, strict=True)
        for status, since in row.values["history"]
    ]
    status_ids = insert_ids(session, SafetyProjectStatus, statuses)
    recorder.created("safety_project", ids)
    recorder.created("safety_project_status", status_ids)


def _update(session: Session, rows: list[ParsedRow], recorder: Any, today: date) -> int:
    """Update the projects `rows` repeat; returns how many changed (the others were as the ledger)."""
    projects = {
        p.id: p
        for p in session.scalars(
            select(SafetyProject)
            .where(SafetyProject.id.in_([row.duplicate_of for row in rows]))
            .options(selectinload(SafetyProject.statuses))
        )
    }
    changed = 0
    for row in rows:
        project = projects[row.duplicate_of]
        values = row.values
        before: dict[str, Any] = {}
        for key in UPDATABLE:
            if key in values and getattr(project, key) != values[key]:
                before[key] = getattr(project, key)
                setattr(project, key, values[key])
        if values["status_from_ledger"] and values["status"] != project.status:
            since = values["since_given"]
            if since is None or since <= project.status_since:
                # No date, or one the record has moved past (a 开工日期 for a project 复工 from
                # 停工): the change is recorded today, so it becomes the status in force.
                since = max(today, project.status_since)
            before["status"], before["status_since"] = project.status, project.status_since
            same_day = next((s for s in project.statuses if s.since == since), None)
            entry = None
            if same_day is not None:
                recorder.updated("safety_project_status", same_day.id, {"status": same_day.status})
                same_day.status = values["status"]
            else:
                entry = SafetyProjectStatus(status=values["status"], since=since, note="")
                project.statuses.append(entry)
            latest = max(project.statuses, key=lambda s: s.since)
            project.status, project.status_since = latest.status, latest.since
            if entry is not None:
                session.flush()  # one flush with the project's own change: one new version
                recorder.created("safety_project_status", [entry.id])
        if before:
            session.flush()
            recorder.updated("safety_project", project.id, before)
            changed += 1
    return changed


KIND = ProjectsKind()
