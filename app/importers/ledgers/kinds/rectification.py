"""巡察整改台账: each row is a problem of a 巡察's feedback, with its 方面 and measures.

The 巡察 of a row: its 巡察名称 cell, else `options.inspection`, else the name the sheet's title,
its tab or the file name gives (`inspection_name_in`), else the import cannot run. A name matches an
existing 巡察 by `_key` (full-width, spaces and punctuation ignored; a leading "2023年" too when
that finds exactly one); otherwise a 巡察 of that name is created. 方面: the row's 方面 cell, else
the last heading row above it in its sheet (a row whose one text fills the row, as a merged
"一、…方面" does, or a lone "一、…" / "…方面" text; a 填表人/注 footer is a heading that sets no
方面); titles are stored without their "一、" numbering and match the 巡察's existing 方面 by
`_aspect_key`.

Due texts (整改时限): a date, "2023年6月底（前）" / "2023年6月" (the month's last day), "2023年底"
(31 December), "6月底" (the row's year); "长期坚持" (and 长期/常态化) → no deadline, and status
长期坚持 when the status cell is blank; "持续推进" → no deadline; "立行立改" (立即整改, 即知即改) →
the 巡察's 反馈日期 when it is known, else no deadline (noted).

Status: the 整改进展 cell (values.PROBLEM_STATUS and a few more spellings; a progress paragraph
"已完成。一是…" is read by its leading words and, when 佐证材料 is blank, kept there); blank → 长期坚持
for a 长期坚持 deadline, else 已完成 when a 完成/销号 date is given, else 未启动. A 已完成/长期坚持
problem needs a 完成日期 (validate_problem): without one the 销号日期, else the deadline when it
has passed, else today stands in, with a note.

Problem numbers: the 序号 cells of a 巡察's new rows when all are free in it and distinct; else its
new rows are numbered in file order after its highest number (序号 restarting per 方面 or sheet).

Duplicates are (巡察, description by `_key`); a second row of the file with the same pair is a row
problem. An update keeps the problem's number and takes what the row gives — a blank cell or a
column the file lacks leaves the stored value; a status that says the problem is open clears its
完成/销号 dates (as 重新整改 does); a stored 完成日期 beats the stand-in — and replaces the measures
when the row has any (in place where both have one, so undo writes the old texts back; undo cannot
bring back measures an update removed). A 巡察 that gains 方面 counts as saved (its version goes up).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from app import clock
from app.importers.ledgers.kinds.bulk import insert_ids
from app.importers.ledgers.kinds.choices import VALUE_FIELDS, value_choices
from app.importers.ledgers.model import Counts, FieldSpec, ImportOptions, ParsedRow, SourceRow, plain_date
from app.importers.ledgers.values import (
    PROBLEM_STATUS,
    read_count,
    read_date,
    read_status,
    read_text,
    split_measures,
)
from app.models.base import station_name
from app.models.registers import (
    PROBLEM_DONE,
    PROBLEM_IN_PROGRESS,
    PROBLEM_LONG_TERM,
    PROBLEM_NOT_STARTED,
    Inspection,
    InspectionAspect,
    RectificationMeasure,
    RectificationProblem,
)
from app.services.parsing import ParseError
from app.services.registers.common import clean_measure
from app.services.registers.rectification import (
    DONE_STATES,
    PROBLEM_LABELS,
    InspectionData,
    ProblemData,
    validate_inspection,
    validate_problem,
)

INSPECTIONS_LABEL = "巡察"
ASPECTS_LABEL = "方面"
PROBLEMS_LABEL = "整改问题"
MEASURES_LABEL = "整改措施"
FILLED_NOTE = "未填写完成日期，按"
NEEDS_INSPECTION = "台账中没有巡察名称，请在第1步“所属巡察”中选择或填写（命令行 --inspection）"
MISSING_INSPECTION = (
    "缺少巡察名称（台账标题和文件名中也没有），请在第1步“所属巡察”中选择或填写（命令行 --inspection）"
)

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("inspection", "巡察名称", ("巡察名称", "巡察", "巡视巡察", "巡察轮次", "巡察项目", "巡视名称")),
    FieldSpec("number", "序号", ("序号", "问题序号", "问题编号", "编号")),
    FieldSpec(
        "aspect",
        "方面",
        ("方面", "问题类别", "所属方面", "问题方面", "问题类型", "问题分类", "类别", "反馈问题类别"),
    ),
    FieldSpec(
        "description",
        "问题描述",
        (
            "问题描述",
            "存在问题",
            "反馈问题",
            "问题表现",
            "巡察反馈问题",
            "巡察发现问题",
            "具体问题",
            "问题清单",
            "主要问题",
            "问题内容",
            "存在的问题",
            "反馈意见",
            "巡视反馈问题",
            "问题具体表现",
            "问题",
        ),
        required=True,
    ),
    FieldSpec(
        "measures",
        "整改措施",
        (
            "整改措施",
            "整改举措",
            "整改措施（任务清单）",
            "整改任务",
            "具体措施",
            "整改目标及措施",
            "整改措施及目标",
            "措施",
        ),
    ),
    FieldSpec(
        "leader",
        "责任领导",
        ("责任领导", "分管领导", "牵头领导", "责任领导（责任清单）", "包保领导", "分管负责人", "领导"),
    ),
    FieldSpec(
        "lead_unit", "牵头单位", ("牵头单位", "牵头部门", "牵头股室", "牵头科室", "牵头责任单位", "牵头")
    ),
    FieldSpec(
        "department",
        "责任科室",
        (
            "责任科室",
            "责任单位",
            "责任部门",
            "责任股室",
            "责任主体",
            "具体责任单位",
            "具体责任科室",
            "承办科室",
        ),
    ),
    FieldSpec(
        "due_on",
        "整改时限",
        (
            "整改时限",
            "完成时限",
            "整改期限",
            "时间节点",
            "时限要求",
            "整改时限（时间清单）",
            "整改完成时限",
            "完成时间节点",
            "时限",
        ),
    ),
    FieldSpec(
        "status",
        "整改进展",
        (
            "整改进展",
            "整改情况",
            "完成情况",
            "整改状态",
            "整改进度",
            "进展情况",
            "整改完成情况",
            "整改落实情况",
            "目前进展",
            "状态",
            "是否完成",
        ),
    ),
    FieldSpec(
        "completed_on",
        "完成日期",
        (
            "完成时间",
            "完成日期",
            "整改完成时间",
            "实际完成时间",
            "实际完成日期",
            "完成整改时间",
            "整改完成日期",
        ),
    ),
    FieldSpec("closed_on", "销号日期", ("销号日期", "销号时间", "销号", "验收销号时间")),
    FieldSpec(
        "evidence",
        "佐证材料",
        ("佐证材料", "整改成效", "佐证材料说明", "整改佐证材料", "整改结果", "佐证资料", "整改成果", "成效"),
    ),
)
_LABELS = {spec.key: spec.label for spec in FIELDS}

# Spellings beyond values.PROBLEM_STATUS that county ledgers use.
_EXTRA_STATUS = {
    PROBLEM_DONE: ("已完成整改", "完成整改", "已办结", "办结", "已落实", "是", "✔", "已完成并销号"),
    PROBLEM_IN_PROGRESS: ("正在推进", "进行中", "基本完成", "部分完成", "未完成", "整改推进中", "正在落实"),
    PROBLEM_NOT_STARTED: ("尚未启动", "待整改", "否", "×"),
    PROBLEM_LONG_TERM: ("长期坚持整改", "常态化", "常态长效", "长期推进"),
}
STATUS_TABLE: dict[str, tuple[str, ...]] = {
    state: (*spellings, *_EXTRA_STATUS.get(state, ())) for state, spellings in PROBLEM_STATUS.items()
}
# A progress paragraph ("已完成。一是…") by its words, most specific first.
_STATUS_WORDS = (
    ("长期坚持", PROBLEM_LONG_TERM),
    ("未启动", PROBLEM_NOT_STARTED),
    ("尚未启动", PROBLEM_NOT_STARTED),
    ("未开始", PROBLEM_NOT_STARTED),
    ("未完成", PROBLEM_IN_PROGRESS),
    ("基本完成", PROBLEM_IN_PROGRESS),
    ("部分完成", PROBLEM_IN_PROGRESS),
    ("整改中", PROBLEM_IN_PROGRESS),
    ("正在", PROBLEM_IN_PROGRESS),
    ("推进中", PROBLEM_IN_PROGRESS),
    ("持续推进", PROBLEM_IN_PROGRESS),
    ("已完成", PROBLEM_DONE),
    ("已整改", PROBLEM_DONE),
    ("完成整改", PROBLEM_DONE),
    ("整改完成", PROBLEM_DONE),
    ("已销号", PROBLEM_DONE),
)
_PARAGRAPH = 8  # a status text longer than this is a progress paragraph, not a status word

_LONG_TERM_DUE = ("长期坚持", "长期", "常态化", "长期推进", "常态长效")
_ONGOING_DUE = ("持续推进", "持续整改", "持续", "持续开展")
_AT_ONCE_DUE = ("立行立改", "立即整改", "即知即改", "立整立改", "立即")

TEXT_LIMITS = {
    "description": 2000,
    "measures": 10_000,
    "leader": 50,
    "lead_unit": 100,
    "department": 100,
    "evidence": 2000,
    "aspect": 500,
    "inspection": 200,
}

_NUMBERING = re.compile(
    r"^\s*(?:第?[一二三四五六七八九十]+(?:是|部分|方面)?[、.．:：\s]|[（(][一二三四五六七八九十0-9]+[）)]|"
    r"[0-9]+[、.．](?!\d))\s*"
)
_HEADING_NUMBERING = re.compile(
    r"^\s*(?:第?[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)])"
)
_COUNT_SUFFIX = re.compile(r"[（(]\s*共?\s*\d+\s*[个项条]\s*(?:问题)?\s*[）)]\s*$")
_FOOTER_WORDS = ("注", "说明", "备注", "填表", "填报", "制表", "审核", "联系", "单位负责人")
_DUE_MONTH = re.compile(r"^(?:(\d{4})年)?(\d{1,2})月(?:底|末|份|中旬|下旬)?$")
_DUE_YEAR_END = re.compile(r"^(\d{4})年(?:年)?(?:底|末|年底|年末)$")
_DUE_TAIL = re.compile(r"(?:前|以前|之前|完成|前完成|内完成|内)+$")
_FILE_SUFFIX = re.compile(r"\.(?:xlsx|xlsm|xls|csv|et)$", re.IGNORECASE)
_NAME_PREFIX = re.compile(r"^(?:附件\s*[0-9一二三四五六七八九十]*\s*[:：、.]?\s*)?(?:关于)?")
_YEAR_PREFIX = re.compile(r"^\s*\d{4}\s*年度?")
_NAME_CUTS = ("反馈", "整改", "问题", "指出", "所提", "发现", "落实", "情况", "台账", "清单", "意见", "工作")


@lru_cache(maxsize=4096)
def _key(text: str) -> str:
    """A name's matching key: full-width folded, spaces and punctuation dropped, latin lower-cased."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PZCS")


def aspect_title(text: str) -> str:
    """A 方面 title as stored: "一、履行监管职责方面（共3个问题）：" → "履行监管职责方面"."""
    title = _NUMBERING.sub("", text.strip(), count=1).strip()
    title = _COUNT_SUFFIX.sub("", title.rstrip("：:。；; ")).strip()
    return title.rstrip("：:。；; ").strip()


@lru_cache(maxsize=1024)
def _aspect_key(text: str) -> str:
    key = _key(aspect_title(text))
    return key.removesuffix("方面") or key


def inspection_name_in(text: str) -> str:
    """The 巡察 a title or file name names: "关于市委第三巡察组反馈意见整改落实情况台账" →
    "市委第三巡察组"; "" when it names none. A leading 附件N： and 关于 go; the text is cut at the
    first of 反馈/整改/问题/指出/所提/发现/落实/情况/台账/清单/意见/工作 after its first 巡察 (巡视)
    word, and "…组巡察" ends at 组; the rest must say which 巡察 (at least two characters before
    the word besides a year: "2024年巡察整改台账" names none)."""
    text = _NAME_PREFIX.sub("", _FILE_SUFFIX.sub("", text.strip())).strip()
    found = re.search(r"巡[察视]", text)
    if found is None or len(_YEAR_PREFIX.sub("", text[: found.start()]).strip()) < 2:
        return ""
    cut = len(text)
    for word in _NAME_CUTS:
        at = text.find(word, found.end())
        if at != -1:
            cut = min(cut, at)
    name = text[:cut].strip().rstrip("的对关于之、，,:：-— ").strip()
    name = re.sub(r"(组)巡[察视]$", r"\1", name)  # "市委第二巡察组巡察" is the group's
    return name if len(name) <= TEXT_LIMITS["inspection"] else ""


@dataclass
class _Inspection:
    """A 巡察 as the import sees it: existing (id) or to be created (id None)."""

    name: str
    id: int | None = None
    feedback_on: date | None = None
    aspects: dict[str, int] = field(default_factory=dict)  # aspect key → id
    next_position: int = 0
    new_aspects: dict[str, str] = field(default_factory=dict)  # aspect key → title, in order
    numbers: set[int] = field(default_factory=set)
    max_number: int = 0
    problems: dict[str, int] = field(default_factory=dict)  # description key → problem id
    created: bool = False  # by this import's write


@dataclass
class RectificationContext:
    unit_id: int
    file_name: str
    today: date
    inspections: dict[str, _Inspection]  # name key → 巡察 (existing ones, then those rows name)
    headings: dict[str, str] = field(default_factory=dict)  # sheet → current 方面
    seen: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)  # → (sheet, row)


class RectificationKind:
    key = "rectification"
    label = "巡察整改台账"
    record_label = PROBLEMS_LABEL
    fields = FIELDS
    value_fields = VALUE_FIELDS["rectification"]

    def value_choices(self, session: Any, unit_id: int) -> dict[str, list[str]]:
        return value_choices("rectification", session, unit_id)

    # -- plan ------------------------------------------------------------------------------------

    def prepare(
        self, session: Session, unit_id: int, options: ImportOptions, file_name: str
    ) -> RectificationContext:
        inspections: dict[str, _Inspection] = {}
        by_id: dict[int, _Inspection] = {}
        for row in session.execute(
            select(Inspection.id, Inspection.name, Inspection.feedback_on)
            .where(Inspection.unit_id == unit_id)
            .order_by(Inspection.id)
        ):
            item = _Inspection(row.name, row.id, row.feedback_on)
            inspections.setdefault(_key(row.name), item)
            by_id[row.id] = item
        if by_id:
            for aspect in session.execute(
                select(
                    InspectionAspect.id,
                    InspectionAspect.inspection_id,
                    InspectionAspect.title,
                    InspectionAspect.position,
                )
                .where(InspectionAspect.inspection_id.in_(by_id))
                .order_by(InspectionAspect.position, InspectionAspect.id)
            ):
                item = by_id[aspect.inspection_id]
                item.aspects.setdefault(_aspect_key(aspect.title), aspect.id)
                item.next_position = max(item.next_position, aspect.position + 1)
            for problem in session.execute(
                select(
                    RectificationProblem.id,
                    RectificationProblem.inspection_id,
                    RectificationProblem.number,
                    RectificationProblem.description,
                )
                .where(RectificationProblem.inspection_id.in_(by_id))
                .order_by(RectificationProblem.id)
            ):
                item = by_id[problem.inspection_id]
                item.numbers.add(problem.number)
                item.max_number = max(item.max_number, problem.number)
                item.problems.setdefault(_key(problem.description), problem.id)
        return RectificationContext(unit_id, file_name, clock.today(), inspections)

    def needs(self, mapped: set[str], options: ImportOptions, title: str, file_name: str) -> list[str]:
        if "inspection" in mapped or options.inspection.strip():
            return []
        if inspection_name_in(title) or inspection_name_in(file_name):
            return []
        return [NEEDS_INSPECTION]

    def parse(self, row: SourceRow, ctx: RectificationContext, options: ImportOptions) -> ParsedRow:
        cells = {key: _mapped(value, options.value_maps.get(key, {})) for key, value in row.cells.items()}
        heading = _heading(cells)
        if heading is not None:
            parsed = ParsedRow(row, heading=heading)
            if not heading.startswith(_FOOTER_WORDS):
                ctx.headings[row.sheet] = aspect_title(heading)
            parsed.shown["aspect"] = heading
            return parsed
        parsed = ParsedRow(row)
        reader = _Reader(row, parsed, cells)
        default_year = row.title_year or options.year

        inspection_name = reader.text("inspection")
        if not inspection_name:
            inspection_name = (
                options.inspection.strip()
                or inspection_name_in(row.title)
                or inspection_name_in(row.sheet)
                or inspection_name_in(ctx.file_name)
            )
        inspection = None
        if not inspection_name:
            parsed.problems.append(row.problem("inspection", MISSING_INSPECTION))
        else:
            errors = validate_inspection(InspectionData(name=inspection_name))
            if errors:
                parsed.problems.append(row.problem("inspection", next(iter(errors.values()))))
            else:
                inspection = _find_inspection(ctx, inspection_name)
                if inspection is None:
                    inspection = _Inspection(inspection_name)
                    ctx.inspections[_key(inspection_name)] = inspection
        parsed.values["inspection"] = inspection.name if inspection else inspection_name
        parsed.shown["inspection"] = parsed.values["inspection"]

        aspect = aspect_title(reader.text("aspect")) or ctx.headings.get(row.sheet, "")
        parsed.values["aspect"] = aspect
        parsed.shown["aspect"] = aspect

        number = _number(cells.get("number"))
        if cells.get("number") not in (None, "") and number is None:
            parsed.notes.append(f"序号“{str(cells['number']).strip()[:20]}”不是正整数，按顺序编号")
        parsed.values["number"] = number

        description = reader.text("description")
        if not description and "description" not in reader.failed:
            parsed.problems.append(row.problem("description", "缺少问题描述"))
        parsed.values["description"] = description
        parsed.shown["description"] = description

        measures = [clean_measure(m) for m in split_measures(reader.text("measures"))]
        parsed.values["measures"] = [m for m in measures if m]
        parsed.shown["measures"] = "；".join(parsed.values["measures"])
        for key in ("leader", "lead_unit", "department", "evidence"):
            parsed.values[key] = reader.text(key)
            parsed.shown[key] = parsed.values[key]

        due_on, due_state = self._due(reader, inspection, default_year, parsed)
        completed_on = reader.date("completed_on", default_year)
        closed_on = reader.date("closed_on", default_year)
        status = self._status(reader, parsed)
        status_given = status is not None
        if status is None and "status" not in reader.failed:
            if due_state is not None:
                status, status_given = due_state, True
            elif completed_on or closed_on:
                status, status_given = PROBLEM_DONE, True
            else:
                status = PROBLEM_NOT_STARTED
        completed_filled = status in DONE_STATES and completed_on is None
        if completed_filled:
            completed_on = closed_on or (due_on if due_on and due_on <= ctx.today else ctx.today)
            parsed.notes.append(f"{FILLED_NOTE}{plain_date(completed_on)}记")
        parsed.values.update(due_on=due_on, status=status, completed_on=completed_on, closed_on=closed_on)
        # What an update may take from the row (a blank cell leaves the stored value).
        parsed.values.update(
            status_given=status_given,
            completed_filled=completed_filled,
            due_given=not _blank(cells.get("due_on")),
        )
        for key in ("due_on", "completed_on", "closed_on"):
            value = parsed.values[key]
            parsed.shown.setdefault(key, value.isoformat() if value else "")
        parsed.shown["status"] = status or ""

        if parsed.ok and not reader.failed and status is not None:
            self._validate(row, parsed)
        excluded = (row.sheet, row.row) in options.excluded_rows
        if parsed.ok and not reader.failed and inspection is not None and not excluded:
            seen_key = (_key(inspection.name), _key(description))
            first = ctx.seen.get(seen_key)
            if first is not None:
                parsed.problems.append(
                    row.problem(
                        "description", f"与{first[0]} 第{first[1]}行的问题重复（同一巡察、同一问题描述）"
                    )
                )
            else:
                ctx.seen[seen_key] = (row.sheet, row.row)
        return parsed

    def _due(
        self, reader: _Reader, inspection: _Inspection | None, default_year: int, parsed: ParsedRow
    ) -> tuple[date | None, str | None]:
        """The deadline and the status a due text implies (长期坚持) from the 整改时限 cell."""
        value = reader.cells.get("due_on")
        if not isinstance(value, str):
            return reader.date("due_on", default_year), None
        text = _key(value)
        if any(word in text for word in _LONG_TERM_DUE):
            parsed.shown["due_on"] = "长期坚持"
            return None, PROBLEM_LONG_TERM
        if text in _ONGOING_DUE or text.startswith("持续"):
            parsed.shown["due_on"] = "持续推进"
            return None, None
        if any(text.startswith(word) for word in _AT_ONCE_DUE):
            feedback = inspection.feedback_on if inspection else None
            if feedback is None:
                parsed.notes.append("整改时限为“立行立改”，巡察没有反馈日期，时限留空")
            parsed.shown["due_on"] = f"立行立改（{feedback.isoformat()}）" if feedback else "立行立改"
            return feedback, None
        stripped = _DUE_TAIL.sub("", unicodedata.normalize("NFKC", value).replace(" ", ""))
        day = _due_text(stripped, default_year)
        if day is not None:
            return day, None
        try:  # "2023年6月30日前"
            return read_date(stripped, _LABELS["due_on"], default_year=default_year), None
        except ParseError:
            return reader.date("due_on", default_year), None

    def _status(self, reader: _Reader, parsed: ParsedRow) -> str | None:
        if "status" in reader.row.uncomputed:
            reader.failed.add("status")
            return None
        value = reader.cells.get("status")
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return read_status(value, _LABELS["status"], STATUS_TABLE)
        except ParseError as exc:
            text = read_text(value, _LABELS["status"], 10_000)
            head = _key(text)[:20]
            found = next((state for word, state in _STATUS_WORDS if head.startswith(word)), None)
            if found is None:
                found = next((state for word, state in _STATUS_WORDS if word in head), None)
            if found is None or len(text) <= _PARAGRAPH:
                reader.fail("status", str(exc))
                return None
            if not parsed.values.get("evidence"):
                parsed.values["evidence"] = text[: TEXT_LIMITS["evidence"]]
                parsed.shown["evidence"] = parsed.values["evidence"]
                parsed.notes.append(f"整改进展按“{found}”导入，其文字记入佐证材料")
            return found

    def _validate(self, row: SourceRow, parsed: ParsedRow) -> None:
        values = parsed.values
        data = ProblemData(
            number=values["number"] or 1,
            description=values["description"],
            measures=values["measures"],
            leader=values["leader"],
            lead_unit=values["lead_unit"],
            department=values["department"],
            due_on=values["due_on"],
            status=values["status"],
            completed_on=values["completed_on"],
            closed_on=values["closed_on"],
            evidence=values["evidence"],
        )
        for key, message in validate_problem(data).items():
            key = "aspect" if key == "aspect_id" else key
            parsed.problems.append(row.problem(key, f"{_LABELS.get(key, key)}：{message}"))

    def find_duplicates(self, session: Session, ctx: RectificationContext, rows: list[ParsedRow]) -> None:
        for parsed in rows:
            inspection = ctx.inspections.get(_key(parsed.values["inspection"]))
            if inspection is not None and inspection.id is not None:
                parsed.duplicate_of = inspection.problems.get(_key(parsed.values["description"]))
        _assign_numbers(ctx, rows)

    def pending_additions(self, ctx: RectificationContext, rows: list[ParsedRow]) -> dict[str, list[str]]:
        inspections: list[str] = []
        aspects: list[str] = []
        for parsed in rows:
            inspection = ctx.inspections[_key(parsed.values["inspection"])]
            if inspection.id is None and inspection.name not in inspections:
                inspections.append(inspection.name)
            aspect = parsed.values["aspect"]
            if aspect and _aspect_key(aspect) not in inspection.aspects:
                label = f"{inspection.name}：{aspect}"
                if label not in aspects:
                    aspects.append(label)
        additions = {}
        if inspections:
            additions[INSPECTIONS_LABEL] = inspections
        if aspects:
            additions[ASPECTS_LABEL] = aspects
        return additions

    # -- write -----------------------------------------------------------------------------------

    def write(
        self,
        session: Session,
        unit_id: int,
        ctx: RectificationContext,
        rows: list[ParsedRow],
        on_duplicate: str,
        recorder: Any,
    ) -> Counts:
        counts = Counts()
        stamp = {"changed_by": station_name(), "changed_at": datetime.now().replace(microsecond=0)}
        creating = [r for r in rows if r.duplicate_of is None]
        updating = [r for r in rows if r.duplicate_of is not None and on_duplicate == "update"]
        if on_duplicate != "update":
            counts.add("skipped", PROBLEMS_LABEL, len(rows) - len(creating))
        wanted = creating + updating
        if not wanted:
            return counts
        self._write_inspections(session, unit_id, ctx, wanted, stamp, recorder, counts)
        self._write_aspects(session, ctx, wanted, stamp, recorder, counts)
        if creating:
            self._create_problems(session, ctx, creating, stamp, recorder, counts)
        for parsed in updating:
            self._update_problem(session, ctx, parsed, stamp, recorder, counts)
        return counts

    def _write_inspections(self, session, unit_id, ctx, rows, stamp, recorder, counts) -> None:
        new = []
        for parsed in rows:
            inspection = ctx.inspections[_key(parsed.values["inspection"])]
            if inspection.id is None and inspection not in new:
                new.append(inspection)
        if not new:
            return
        ids = insert_ids(
            session, Inspection, [{"unit_id": unit_id, "name": i.name, "version": 1, **stamp} for i in new]
        )
        for inspection, new_id in zip(new, ids, strict=True):
            inspection.id, inspection.created = new_id, True
        recorder.created(Inspection.__tablename__, ids)
        counts.add("created", INSPECTIONS_LABEL, len(ids))

    def _write_aspects(self, session, ctx, rows, stamp, recorder, counts) -> None:
        pending: list[tuple[_Inspection, str, str]] = []
        for parsed in rows:
            inspection = ctx.inspections[_key(parsed.values["inspection"])]
            title = parsed.values["aspect"]
            key = _aspect_key(title) if title else ""
            if key and key not in inspection.aspects and key not in inspection.new_aspects:
                inspection.new_aspects[key] = title
                pending.append((inspection, key, title))
        if not pending:
            return
        values = []
        for inspection, _aspect, title in pending:
            values.append(
                {"inspection_id": inspection.id, "position": inspection.next_position, "title": title}
            )
            inspection.next_position += 1
        ids = insert_ids(session, InspectionAspect, values)
        for (inspection, key, _title), new_id in zip(pending, ids, strict=True):
            inspection.aspects[key] = new_id
        recorder.created(InspectionAspect.__tablename__, ids)
        counts.add("created", ASPECTS_LABEL, len(ids))
        # A 巡察 that existed has new 方面: a save of it, so its form open elsewhere (which would
        # drop them) is refused.
        grown = sorted({i.id for i, _key_, _title in pending if not i.created and i.id is not None})
        for inspection_id in grown:
            recorder.updated(Inspection.__tablename__, inspection_id, {})
        if grown:
            session.execute(
                update(Inspection)
                .where(Inspection.id.in_(grown))
                .values(
                    version=Inspection.version + 1,
                    changed_by=stamp["changed_by"],
                    changed_at=stamp["changed_at"],
                )
            )

    def _create_problems(self, session, ctx, rows, stamp, recorder, counts) -> None:
        values = []
        for parsed in rows:
            inspection = ctx.inspections[_key(parsed.values["inspection"])]
            values.append(
                {
                    "inspection_id": inspection.id,
                    "aspect_id": _aspect_id(inspection, parsed.values["aspect"]),
                    "number": parsed.values["number"],
                    "version": 1,
                    **_problem_columns(parsed),
                    **stamp,
                }
            )
        ids = insert_ids(session, RectificationProblem, values)
        recorder.created(RectificationProblem.__tablename__, ids)
        counts.add("created", PROBLEMS_LABEL, len(ids))
        measures = [
            {"problem_id": problem_id, "position": position, "text": text}
            for problem_id, parsed in zip(ids, rows, strict=True)
            for position, text in enumerate(parsed.values["measures"])
        ]
        if measures:
            measure_ids = insert_ids(session, RectificationMeasure, measures)
            recorder.created(RectificationMeasure.__tablename__, measure_ids)
            counts.add("created", MEASURES_LABEL, len(measure_ids))

    def _update_problem(self, session, ctx, parsed, stamp, recorder, counts) -> None:
        problem = session.get(RectificationProblem, parsed.duplicate_of)
        if problem is None:  # deleted since the plan: apply_plan plans again, so this does not happen
            return
        inspection = ctx.inspections[_key(parsed.values["inspection"])]
        columns = _updated_columns(problem, inspection, parsed)
        errors = validate_problem(ProblemData(number=problem.number, measures=[], **columns))
        if errors:
            key = next(iter(errors))
            parsed.notes.append(f"未更新：{PROBLEM_LABELS.get(key, key)}：{errors[key]}")
            counts.add("skipped", PROBLEMS_LABEL)
            return
        texts = parsed.values["measures"]
        old = session.execute(
            select(RectificationMeasure.id, RectificationMeasure.text, RectificationMeasure.position)
            .where(RectificationMeasure.problem_id == problem.id)
            .order_by(RectificationMeasure.position, RectificationMeasure.id)
        ).all()
        same_measures = not texts or [m.text for m in old] == texts
        changed = {key: value for key, value in columns.items() if getattr(problem, key) != value}
        if same_measures and not changed:
            counts.add("skipped", PROBLEMS_LABEL)  # the ledger says what the register already says
            return
        recorder.updated(
            RectificationProblem.__tablename__, problem.id, {k: getattr(problem, k) for k in changed}
        )
        if not same_measures:
            _replace_measures(session, problem.id, old, texts, recorder)
        for key, value in changed.items():
            setattr(problem, key, value)
        flag_modified(problem, "changed_at")  # a save even when only the measures changed
        session.flush()  # the version counts up: an edit open elsewhere is refused
        counts.add("updated", PROBLEMS_LABEL)


def _updated_columns(
    problem: RectificationProblem, inspection: _Inspection, parsed: ParsedRow
) -> dict[str, Any]:
    """The problem's columns after an update from `parsed`: what the row gives replaces what is
    stored, a blank cell (or a column the file lacks) leaves it; a row that says the problem is
    open clears its 完成/销号 dates, as 重新整改 does."""
    values = parsed.values
    columns: dict[str, Any] = {key: getattr(problem, key) for key in _PROBLEM_COLUMNS}
    columns["aspect_id"] = problem.aspect_id
    if values["aspect"]:
        columns["aspect_id"] = _aspect_id(inspection, values["aspect"])
    for key in ("description", "leader", "lead_unit", "department", "evidence"):
        if values[key]:
            columns[key] = values[key]
    if values["due_given"]:
        columns["due_on"] = values["due_on"]
    if values["status_given"]:
        columns["status"] = values["status"]
    if values["closed_on"] is not None:
        columns["closed_on"] = values["closed_on"]
    if not values["completed_filled"] or columns["completed_on"] is None:
        if values["completed_on"] is not None:
            columns["completed_on"] = values["completed_on"]
    else:  # the stored 完成日期 stands: the stand-in is not needed
        parsed.notes[:] = [note for note in parsed.notes if not note.startswith(FILLED_NOTE)]
    if columns["status"] not in DONE_STATES:
        columns["closed_on"] = None
        if values["completed_on"] is None:
            columns["completed_on"] = None
    return columns


def _replace_measures(
    session: Session, problem_id: int, old: list[Any], texts: list[str], recorder: Any
) -> None:
    """The problem's measures become `texts`: rewritten in place where both have one (undo writes
    the old text back), the rest added or removed."""
    for position, (measure, text) in enumerate(zip(old, texts, strict=False)):
        if (measure.text, measure.position) != (text, position):
            recorder.updated(
                RectificationMeasure.__tablename__,
                measure.id,
                {"text": measure.text, "position": measure.position},
            )
            session.execute(
                update(RectificationMeasure)
                .where(RectificationMeasure.id == measure.id)
                .values(text=text, position=position)
            )
    surplus = old[len(texts) :]
    if surplus:
        recorder.deleted(
            RectificationMeasure.__tablename__,
            [{"id": m.id, "problem_id": problem_id, "position": m.position, "text": m.text} for m in surplus],
        )
        ids = [m.id for m in surplus]
        session.execute(delete(RectificationMeasure).where(RectificationMeasure.id.in_(ids)))
    extra = [
        {"problem_id": problem_id, "position": position, "text": text}
        for position, text in enumerate(texts)
        if position >= len(old)
    ]
    if extra:
        ids = insert_ids(session, RectificationMeasure, extra)
        recorder.created(RectificationMeasure.__tablename__, ids)


def _find_inspection(ctx: RectificationContext, name: str) -> _Inspection | None:
    """The 巡察 of that name (by `_key`), else the one existing 巡察 whose name is the same but for
    a leading year ("2023年工程建设…专项巡察" is "工程建设…专项巡察")."""
    found = ctx.inspections.get(_key(name))
    if found is not None:
        return found
    bare = _key(_YEAR_PREFIX.sub("", name))
    same = [
        i for i in ctx.inspections.values() if i.id is not None and _key(_YEAR_PREFIX.sub("", i.name)) == bare
    ]
    if len(same) == 1:
        ctx.inspections[_key(name)] = same[0]
        return same[0]
    return None


class _Reader:
    """Reads a row's cells into typed values, turning ParseErrors into the row's problems."""

    def __init__(self, row: SourceRow, parsed: ParsedRow, cells: dict[str, Any]) -> None:
        self.row, self.parsed, self.cells = row, parsed, cells
        self.failed: set[str] = set()

    def fail(self, key: str, message: str) -> None:
        self.failed.add(key)
        self.parsed.problems.append(self.row.problem(key, message))

    def text(self, key: str) -> str:
        if key in self.row.uncomputed:
            self.failed.add(key)
            return ""
        try:
            return read_text(self.cells.get(key), _LABELS[key], TEXT_LIMITS.get(key, 2000))
        except ParseError as exc:
            self.fail(key, str(exc))
            return ""

    def date(self, key: str, default_year: int) -> date | None:
        if key in self.row.uncomputed:
            self.failed.add(key)
            return None
        try:
            return read_date(self.cells.get(key), _LABELS[key], default_year=default_year)
        except ParseError as exc:
            self.fail(key, str(exc))
            return None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _mapped(value: Any, table: dict[str, str]) -> Any:
    if table and value is not None:
        text = str(value).strip()
        if text in table:
            return table[text]
    return value


def _heading(cells: dict[str, Any]) -> str | None:
    """The text of a heading row (a 方面 title across the width), None for a record: one text in
    several columns (a merged row, perhaps after its "一" in the 序号 column), or a lone text
    that reads as a heading ("一、…", "（一）…", "…方面"); a lone 方面 cell sets the 方面 too."""
    filled = {key: str(v).strip() for key, v in cells.items() if v is not None and str(v).strip()}
    numbering = filled.get("number")
    if numbering is not None and len(filled) > 1 and _number(numbering) is None:
        del filled["number"]  # "一" beside a merged "落实…方面"
    texts = set(filled.values())
    if len(texts) != 1:
        return None
    text = texts.pop()
    if len(filled) >= 2:
        return text
    (key,) = filled
    if key == "number":
        return text if _number(text) is None else None
    if key == "aspect":
        return text
    if key == "inspection":
        return None
    return text if _HEADING_NUMBERING.match(text) or text.rstrip("：: ").endswith("方面") else None


def _number(value: Any) -> int | None:
    """A 序号: 3, 3.0, "3", "（3）", "3." ; None for a blank or anything else."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip().strip("（）().、．").strip()
        if not value:
            return None
    try:
        number = read_count(value, "序号")
    except ParseError:
        return None
    return number if number is not None and 1 <= number <= 1_000_000 else None


def _due_text(text: str, default_year: int) -> date | None:
    """ "2023年6月底" → 2023-06-30, "2023年底" → 2023-12-31, "6月" → the last day of June (the
    text without its trailing 前/之前/完成)."""
    match = _DUE_YEAR_END.match(text)
    if match:
        return date(int(match.group(1)), 12, 31)
    match = _DUE_MONTH.match(text)
    if match:
        year = int(match.group(1)) if match.group(1) else default_year
        month = int(match.group(2))
        if 1 <= month <= 12 and 1949 <= year <= 2100:
            following = date(year + month // 12, month % 12 + 1, 1)
            return date.fromordinal(following.toordinal() - 1)
    return None


def _aspect_id(inspection: _Inspection, title: str) -> int | None:
    return inspection.aspects.get(_aspect_key(title)) if title else None


_PROBLEM_COLUMNS = (
    "description",
    "leader",
    "lead_unit",
    "department",
    "due_on",
    "status",
    "completed_on",
    "closed_on",
    "evidence",
)


def _problem_columns(parsed: ParsedRow) -> dict[str, Any]:
    return {key: parsed.values[key] for key in _PROBLEM_COLUMNS}


def _assign_numbers(ctx: RectificationContext, rows: list[ParsedRow]) -> None:
    """Each new row's problem number (see the module docstring), shown in the preview."""
    by_inspection: dict[str, list[ParsedRow]] = {}
    for parsed in rows:
        if parsed.duplicate_of is None:
            by_inspection.setdefault(_key(parsed.values["inspection"]), []).append(parsed)
        else:
            parsed.shown["number"] = "（已有）"
    for key, group in by_inspection.items():
        inspection = ctx.inspections[key]
        given = [p.values.get("given_number", p.values["number"]) for p in group]
        numbers = [n for n in given if n is not None]
        keep = len(numbers) == len(set(numbers)) and not (set(numbers) & inspection.numbers)
        following = max([inspection.max_number, *(numbers if keep else [])]) + 1
        for parsed, number in zip(group, given, strict=True):
            parsed.values["given_number"] = number
            if keep and number is not None:
                parsed.values["number"] = number
            else:
                if number is not None and number != following:
                    why = "该巡察已有此序号" if number in inspection.numbers else "本表序号有重复"
                    parsed.notes.append(f"序号{number}：{why}，按顺序编为{following}")
                parsed.values["number"] = following
                following += 1
            parsed.shown["number"] = str(parsed.values["number"])


KIND = RectificationKind()
