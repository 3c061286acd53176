"""隐患排查整改台账: each row a hazard, attached to an inspection and a project.

Rules (what a clerk's ledger means, where it leaves something out):
- Rows with the same 检查日期, project, inspectors, 检查类型 and 专项名称 form one inspection (one
  project per inspection); a hazard's found_on is that date. An inspection already in the app with
  the same key takes the file's new hazards instead of a second inspection.
- Inspectors: the column, else `--inspectors`, else the sheet title or file name when it names them
  ("检查人：张某某、李某某"); else the import cannot run (needs). A name is written as the unit's
  inspections already spell it when only spaces or full-width characters differ.
- 检查类型 blank → 月例行检查; other spellings by synonym ("月检", "节前检查" …); an unknown one is a
  row problem naming the allowed values. 隐患等级 blank → 一般 (synonyms "一般隐患", "重大隐患" …).
- 隐患类别: the unit's list by name or synonym (also folded, or contained: "塔吊基础" → 起重机械);
  else a new entry (added when writing, named in the summary), or with strict values a problem.
  A blank cell is 其他; a ledger without the column records every hazard as 其他 (noted once).
- 整改期限 is required (a column must map to it): a date, or "立即整改"/"当场整改" (the check's
  day), or "7天"/"限3日内"/"5个工作日" (counted from the check's day).
- 整改状态 blank → 已整改 when a 整改完成日期 is given, else 待整改. 已整改 without a date (which
  validate_hazard refuses) takes the 整改期限 as its date, or today when that is later, with a note.
- A date written without a year ("3月12日") is in the title's year, else the working year; a
  deadline or completion date that would then fall before the check is in the next year.
- Duplicates: the same (检查日期, project, description folded) as a hazard already stored, matched
  one to one (two equal rows match two stored hazards). Updating sets what the row fills of
  整改状态/整改完成日期 (together), 整改期限, 整改措施, 责任单位/人, 复查人, 等级 and 类别; a blank
  cell keeps what is stored.
- Writing is bulk (Core inserts of inspections, their project rows and hazards): 10,000 rows in
  0.2–0.4 s on SQLite (the whole import, bench import.hazards_10k: 1.9 s).
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from app import clock
from app.errors import UserError
from app.importers.ledgers.kinds.choices import VALUE_FIELDS, value_choices
from app.importers.ledgers.kinds.project_match import (
    PROJECTS_LABEL,
    ProjectIndex,
    create_missing_projects,
    load_project_index,
)
from app.importers.ledgers.model import (
    Counts,
    FieldSpec,
    ImportOptions,
    ParsedRow,
    SourceRow,
    plain_date,
)
from app.importers.ledgers.values import HAZARD_STATUS, read_date, read_status, read_text
from app.models.base import station_name
from app.models.safety import (
    SafetyHazard,
    SafetyHazardCategory,
    SafetyInspection,
    SafetyInspectionProject,
)
from app.services.parsing import ParseError
from app.services.safety.categories import (
    NAME_LIMIT,
    HazardCategory,
    categories,
    resolve,
    seed_categories,
    split_synonyms,
)
from app.services.safety.constants import (
    HAZARD_LEVELS,
    INSPECTION_KINDS,
    MAJOR,
    ORDINARY,
    PENDING,
    RECTIFIED,
    ROUTINE,
)
from app.services.safety.inspections import (
    HazardDraft,
    InspectionDraft,
    hazard_warnings,
    validate_hazard,
    validate_inspection,
)

CATEGORY_LIST_LABEL = "隐患类别"
OTHER = "其他"
NO_INSPECTORS = "台账中没有检查人员，请在第1步“检查人员”中填写（命令行 --inspectors）"

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "found_on",
        "检查日期",
        ("检查日期", "排查日期", "发现日期", "检查时间", "排查时间", "发现时间", "巡查日期", "督查日期"),
        required=True,
    ),
    FieldSpec(
        "project",
        "项目名称",
        ("项目名称", "工程名称", "受检项目", "项目（工程）名称", "工程项目名称", "在建项目名称", "受检工程"),
        required=True,
    ),
    FieldSpec(
        "inspectors",
        "检查人员",
        ("检查人员", "检查人", "排查人", "排查人员", "检查组成员", "巡查人员", "监督人员", "安全监督员"),
    ),
    FieldSpec("kind", "检查类型", ("检查类型", "检查形式", "检查方式", "检查类别", "排查类型")),
    FieldSpec("campaign", "专项名称", ("专项名称", "专项检查名称", "专项行动名称", "检测轮次")),
    FieldSpec(
        "description",
        "隐患描述",
        (
            "隐患描述",
            "存在问题",
            "隐患内容",
            "存在的问题",
            "隐患问题",
            "问题描述",
            "主要问题",
            "检查发现的问题",
            "安全隐患",
            "隐患情况",
            "存在隐患",
        ),
        required=True,
    ),
    FieldSpec("category", "隐患类别", ("隐患类别", "类别", "隐患类型", "问题类别", "隐患分类")),
    FieldSpec("level", "隐患等级", ("隐患等级", "级别", "隐患级别", "等级")),
    FieldSpec("measures", "整改措施", ("整改措施", "整改要求", "整改意见", "处理意见", "处理措施")),
    FieldSpec(
        "responsible",
        "责任单位/人",
        ("责任单位/人", "责任单位", "责任人", "整改责任单位", "整改责任人", "整改单位", "责任主体"),
    ),
    FieldSpec(
        "deadline",
        "整改期限",
        ("整改期限", "整改时限", "限期整改日期", "整改截止日期", "要求完成时间", "完成时限", "限改日期"),
        required=True,
    ),
    FieldSpec(
        "rectified_on",
        "整改完成日期",
        (
            "整改完成日期",
            "完成时间",
            "完成日期",
            "整改完成时间",
            "实际完成时间",
            "复查日期",
            "复查时间",
            "销号日期",
            "销号时间",
        ),
    ),
    FieldSpec("reviewer", "复查人", ("复查人", "复查人员", "复核人", "验收人", "销号人")),
    FieldSpec(
        "status",
        "整改状态",
        ("整改状态", "整改情况", "是否整改", "整改结果", "完成情况", "整改落实情况", "是否销号", "复查情况"),
    ),
)
LABELS = {spec.key: spec.label for spec in FIELDS}

# Spellings of the fixed 检查类型 (folded: see _word), the canonical names included.
KIND_SYNONYMS: dict[str, tuple[str, ...]] = {
    ROUTINE: (
        "月检",
        "月度检查",
        "例行检查",
        "月例行",
        "日常检查",
        "日常巡查",
        "巡查",
        "常规检查",
        "月度巡查",
    ),
    "专项检查": ("专项", "专项整治", "专项排查", "专项行动"),
    "季度考评": ("季度检查", "季度综合考评", "季度考核", "考评"),
    "节假日专项": ("节前检查", "节后检查", "节假日检查", "节日检查", "节前安全检查", "节假日"),
    "恶劣天气专项": ("恶劣天气", "汛期检查", "防汛检查", "雨季检查", "台风检查", "冬季检查", "高温检查"),
    "起重机械检测": ("起重机械", "塔吊检测", "机械检测", "起重设备检测"),
    "暗访": ("暗查", "暗访检查", "四不两直", "突击检查"),
    "其他": ("其它",),
}
LEVEL_SYNONYMS: dict[str, tuple[str, ...]] = {
    ORDINARY: ("一般隐患", "一般事故隐患", "一般安全隐患", "一般问题"),
    MAJOR: ("重大隐患", "重大事故隐患", "重大安全隐患", "重大问题"),
}
# Deadlines written as "fix it now": the check's own day.
IMMEDIATE = (
    "立即",
    "立即整改",
    "立行立改",
    "当场整改",
    "现场整改",
    "当即整改",
    "即查即改",
    "即时整改",
    "马上整改",
)
_DAYS = re.compile(
    r"(?:限期|限|要求)?(\d{1,3}|[一二三四五六七八九十两]{1,3})(?:个)?(天|日|工作日)(?:之?内)?(?:整改|完成)?(?:完毕|到位)?"
)
_NAME_SPLIT = re.compile(r"[、，,；;/\\\s]+")
_TITLE_PEOPLE = re.compile(r"(?:检查人员|检查人|排查人员|排查人|检查组成员)\s*[:：]\s*([^）)\]】\n]+)")
_PERSON = re.compile(r"[\u4e00-\u9fff·]{2,5}")
_YEAR_WRITTEN = re.compile(r"\d{4}|[〇零一二三四五六七八九]{4}年")
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@lru_cache(maxsize=16384)
def _word(text: str) -> str:
    """Folded for matching: NFKC (full-width → half-width), lower case, no spaces or punctuation."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PZC")


def _index(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {
        _word(spelling): canonical
        for canonical, spellings in table.items()
        for spelling in (canonical, *spellings)
    }


_KINDS = _index(KIND_SYNONYMS)
_LEVELS = _index(LEVEL_SYNONYMS)
_IMMEDIATE = frozenset(_word(word) for word in IMMEDIATE)


def _cn_int(text: str) -> int | None:
    """1 … 99 in digits or as 三, 十五, 二十 are written."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        high = _CN_DIGITS.get(tens, 0) if tens else 1
        low = _CN_DIGITS.get(ones, 0) if ones else 0
        return high * 10 + low if (not tens or high) and (not ones or low) else None
    return _CN_DIGITS.get(text) if len(text) == 1 else None


def _person_key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


def split_people(text: str) -> list[str]:
    """ "张某某、李某某" / "张某某，李某某" / "张某某 李某某" → names; a lone character joins the
    next ("张 某某" is a name padded to line up with three-character ones)."""
    tokens = [t for t in _NAME_SPLIT.split(unicodedata.normalize("NFKC", text).strip()) if t]
    names: list[str] = []
    pending = ""
    for token in tokens:
        if len(token) == 1 and not pending:
            pending = token
            continue
        names.append(pending + token)
        pending = ""
    if pending:
        names.append(pending)
    return names


def people_in_title(text: str) -> str:
    """The inspectors a sheet title or file name names ("…（检查人：张某某、李某某）"), or ""."""
    match = _TITLE_PEOPLE.search(text)
    if not match:
        return ""
    names = split_people(match.group(1))
    if not names or not all(_PERSON.fullmatch(name) for name in names):
        return ""
    return "、".join(names)


def _fallback_inspectors(options: ImportOptions, title: str, file_name: str) -> str:
    return options.inspectors.strip() or people_in_title(title) or people_in_title(Path(file_name).stem)


def description_key(text: str) -> str:
    """A description as duplicates are matched: folded, spaces and punctuation ignored."""
    return _word(text)


@dataclass
class HazardContext:
    unit_id: int
    today: date
    known: list[HazardCategory]
    projects: ProjectIndex
    people: dict[str, str]  # a person's key → the spelling the unit's inspections use
    file_name: str
    category_index: dict[str, str] = field(default_factory=dict)  # folded name/synonym → entry
    new_categories: dict[str, str] = field(default_factory=dict)  # folded → the name to add
    # (checked_on, project_id, inspectors, kind, campaign) → the stored inspection with that key
    inspections: dict[tuple, int] = field(default_factory=dict)
    cache: dict[tuple[str, str], Any] = field(default_factory=dict)  # per-field lookups
    dates: dict[tuple, date | ParseError | None] = field(default_factory=dict)
    listed: list[HazardCategory] = field(default_factory=list)  # known + new, as validate_hazard takes it
    inspection_errors: dict[tuple, list] = field(default_factory=dict)
    told_no_category: bool = False


def unit_inspectors(session: Session, unit_id: int) -> list[str]:
    """Every person named in the unit's inspections, in their spelling (the wizard's choices)."""
    return sorted(set(_unit_people(session, unit_id).values()))


def _unit_people(session: Session, unit_id: int) -> dict[str, str]:
    people: dict[str, str] = {}
    stored = session.scalars(
        select(SafetyInspection.inspectors).distinct().where(SafetyInspection.unit_id == unit_id)
    )
    for text in stored:
        for name in split_people(text or ""):
            people.setdefault(_person_key(name), name)
    return people


@lru_cache(maxsize=4096)
def _team_key(text: str) -> frozenset[str]:
    return frozenset(_person_key(name) for name in split_people(text))


class HazardsKind:
    key = "hazards"
    label = "隐患排查整改台账"
    record_label = "隐患"
    fields = FIELDS
    value_fields = VALUE_FIELDS["hazards"]

    def value_choices(self, session: Any, unit_id: int) -> dict[str, list[str]]:
        return {**value_choices("hazards", session, unit_id), "inspectors": unit_inspectors(session, unit_id)}

    # -- reading ---------------------------------------------------------------------------------

    def prepare(
        self, session: Session, unit_id: int, options: ImportOptions, file_name: str
    ) -> HazardContext:
        known = categories(session, unit_id)
        ctx = HazardContext(
            unit_id=unit_id,
            today=clock.today(),
            known=known,
            projects=load_project_index(session, unit_id),
            people=_unit_people(session, unit_id),
            file_name=file_name,
        )
        for item in known:
            for synonym in item.synonyms:
                ctx.category_index.setdefault(_word(synonym), item.name)
        for item in known:  # a name wins over another entry's synonym
            ctx.category_index[_word(item.name)] = item.name
        return ctx

    def needs(self, mapped: set[str], options: ImportOptions, title: str, file_name: str) -> list[str]:
        if "inspectors" in mapped or _fallback_inspectors(options, title, file_name):
            return []
        return [NO_INSPECTORS]

    def parse(self, row: SourceRow, ctx: HazardContext, options: ImportOptions) -> ParsedRow:
        parsed = ParsedRow(row)
        reader = _RowReader(row, ctx, options, parsed)
        reader.read()
        return parsed

    def find_duplicates(self, session: Session, ctx: HazardContext, rows: list[ParsedRow]) -> None:
        dated = [row for row in rows if row.values.get("project_id") is not None]
        if not dated:
            return
        first = min(row.values["found_on"] for row in dated)
        last = max(row.values["found_on"] for row in dated)
        stored: dict[tuple, list[int]] = {}
        hazards = session.execute(
            select(SafetyHazard.id, SafetyHazard.found_on, SafetyHazard.project_id, SafetyHazard.description)
            .where(SafetyHazard.unit_id == ctx.unit_id, SafetyHazard.found_on.between(first, last))
            .order_by(SafetyHazard.id)
        )
        for hazard_id, found_on, project_id, description in hazards:
            stored.setdefault((found_on, project_id, description_key(description)), []).append(hazard_id)
        for row in dated:
            key = (row.values["found_on"], row.values["project_id"], row.values["description_key"])
            ids = stored.get(key)
            if ids:
                row.duplicate_of = ids.pop(0)
        inspections = session.execute(
            select(
                SafetyInspection.id,
                SafetyInspection.checked_on,
                SafetyInspectionProject.project_id,
                SafetyInspection.inspectors,
                SafetyInspection.kind,
                SafetyInspection.campaign,
            )
            .join(SafetyInspectionProject, SafetyInspectionProject.inspection_id == SafetyInspection.id)
            .where(SafetyInspection.unit_id == ctx.unit_id, SafetyInspection.checked_on.between(first, last))
            .order_by(SafetyInspection.id)
        )
        for inspection_id, checked_on, project_id, inspectors, kind, campaign in inspections:
            key = (checked_on, project_id, _team_key(inspectors), kind, _word(campaign))
            ctx.inspections.setdefault(key, inspection_id)

    def pending_additions(self, ctx: HazardContext, rows: list[ParsedRow]) -> dict[str, list[str]]:
        for name in dict.fromkeys(r.values["project"] for r in rows if r.values.get("project_id") is None):
            ctx.projects.note_missing(name)
        additions: dict[str, list[str]] = {}
        missing = [name for name in ctx.projects.missing if ctx.projects.find(name) is None]
        if missing:
            additions[PROJECTS_LABEL] = missing
        new = list(dict.fromkeys(row.values["category"] for row in rows if row.values.get("new_category")))
        if new:
            additions[CATEGORY_LIST_LABEL] = new
        return additions

    # -- writing ---------------------------------------------------------------------------------

    def write(
        self,
        session: Session,
        unit_id: int,
        ctx: HazardContext,
        rows: list[ParsedRow],
        on_duplicate: str,
        recorder: Any,
    ) -> Counts:
        counts = Counts()
        rows = [row for row in rows if row.ok and not row.excluded]
        fresh = [row for row in rows if row.duplicate_of is None]
        repeated = [row for row in rows if row.duplicate_of is not None]
        written = fresh + repeated if on_duplicate == "update" else fresh
        added = _add_categories(session, unit_id, ctx, written, recorder)
        if added:
            counts.added_values[CATEGORY_LIST_LABEL] = added
        _link_projects(session, unit_id, ctx, fresh, recorder, counts)
        if repeated and on_duplicate == "update":
            changed = _update_hazards(session, repeated, recorder)
            if changed:
                counts.add("updated", self.record_label, changed)
            if len(repeated) > changed:
                counts.add("skipped", self.record_label, len(repeated) - changed)
        elif repeated:
            counts.add("skipped", self.record_label, len(repeated))
        if fresh:
            inspections, hazards = _insert(session, unit_id, ctx, fresh, recorder)
            if inspections:
                counts.add("created", "检查记录", inspections)
            counts.add("created", self.record_label, hazards)
        return counts


class _RowReader:
    """Reads one source row into `parsed` (values, problems, notes, shown)."""

    def __init__(self, row: SourceRow, ctx: HazardContext, options: ImportOptions, parsed: ParsedRow) -> None:
        self.row, self.ctx, self.options, self.parsed = row, ctx, options, parsed
        self.year = row.title_year or options.year
        self.failed: set[str | None] = set()  # fields with a problem (or an uncomputed formula)

    def problem(self, key: str | None, message: str) -> None:
        self.failed.add(key)
        self.parsed.problems.append(self.row.problem(key, message))

    def raw(self, key: str) -> Any:
        if key in self.row.uncomputed:
            self.failed.add(key)  # the plan names it ("公式未计算…")
            return None
        value = self.row.cells.get(key)
        table = self.options.value_maps.get(key)
        if table and value is not None:
            text = read_text(value, LABELS[key], 100_000)
            if text in table:
                return table[text]
        return value

    def text(self, key: str, limit: int) -> str | None:
        value = self.raw(key)
        if key in self.failed:
            return None
        if type(value) is str and value.isprintable() and len(value) <= limit:
            return value.strip()  # what read_text makes of it, without its work (10,000 rows: −0.1 s)
        try:
            return read_text(value, LABELS[key], limit)
        except ParseError as exc:
            self.problem(key, str(exc))
            return None

    def day(self, key: str, after: date | None = None) -> date | None:
        """A date cell; one written without a year that falls before `after` is in the next year."""
        value = self.raw(key)
        if key in self.failed:
            return None
        # a ledger repeats its dates: each distinct one is read once (10,000 rows: −0.2 s)
        memo = (key, type(value), value, self.year)
        read = self.ctx.dates.get(memo)
        if read is None:
            try:
                read = read_date(value, LABELS[key], default_year=self.year)
            except ParseError as exc:
                read = exc
            self.ctx.dates[memo] = read
        if isinstance(read, ParseError):
            self.problem(key, str(read))
            return None
        day = read
        late = day is not None and after is not None and day < after
        if late and isinstance(value, str) and "月" in value and not _YEAR_WRITTEN.search(value):
            with contextlib.suppress(ValueError):  # 2月29日 has no next year
                day = day.replace(year=day.year + 1)  # type: ignore[union-attr]
        return day

    def read(self) -> None:
        values = self.parsed.values
        shown = self.parsed.shown
        found_on = self.day("found_on")
        if found_on is None and "found_on" not in self.failed:
            self.problem("found_on", "缺少检查日期")
        project = self.text("project", 200)
        if project == "":
            self.problem("project", "缺少项目名称")
        inspectors = self.inspectors()
        kind, named = self.kind()
        campaign = self.text("campaign", 200) or named
        description = self.text("description", 2000)
        if description:  # the mark a period's ledger puts on hazards found before it (the app's own)
            description = description.removesuffix(CARRIED_MARK).rstrip() or description
        if description == "":
            self.problem("description", "缺少隐患描述")
        category = self.category()
        level = self.level()
        measures = self.text("measures", 2000) or ""
        responsible = self.text("responsible", 200) or ""
        reviewer = self.text("reviewer", 50) or ""
        deadline = self.deadline(found_on)
        rectified_on = self.day("rectified_on", found_on)
        status = self.status(rectified_on)
        if self.parsed.problems or found_on is None or deadline is None:
            self.show_raw()
            return
        assert project and description and inspectors is not None and kind and category and level and status
        if status == RECTIFIED and rectified_on is None:
            rectified_on = min(deadline, self.ctx.today)
            self.parsed.notes.append(f"已整改但未填整改完成日期，按整改期限记为{plain_date(rectified_on)}")
        project_id = self.ctx.cache.get(("project", project), -1)
        if project_id == -1:
            project_id = self.ctx.cache["project", project] = self.ctx.projects.find(project)
        draft = HazardDraft(
            project_id=project_id if project_id is not None else -1,
            description=description,
            category=category,
            deadline=deadline,
            level=level,
            measures=measures,
            responsible=responsible,
            status=status,
            rectified_on=rectified_on,
            reviewer=reviewer,
        )
        if len(self.ctx.listed) != len(self.ctx.known) + len(self.ctx.new_categories):
            self.ctx.listed = self.ctx.known + [HazardCategory(n) for n in self.ctx.new_categories.values()]
        listed = self.ctx.listed
        inspection = (found_on, kind, campaign, inspectors)
        errors = self.ctx.inspection_errors.get(inspection)
        if errors is None:  # the same for every row of one inspection
            errors = self.ctx.inspection_errors[inspection] = validate_inspection(
                InspectionDraft(found_on, kind, [draft.project_id], campaign=campaign, inspectors=inspectors)
            )
        errors = errors + validate_hazard(
            draft, found_on, [draft.project_id], None, self.ctx.today, known=listed
        )
        for error in errors:
            key = "project" if error.field in ("project_id", "projects") else error.field
            self.problem(key if key in LABELS else None, error.message)
        if self.parsed.problems:
            self.show_raw()
            return
        self.parsed.notes += [warning.message for warning in hazard_warnings(draft, found_on)]
        values.update(
            found_on=found_on,
            project=project,
            project_id=project_id,
            inspectors=inspectors,
            kind=kind,
            campaign=campaign,
            description=description,
            description_key=description_key(description),
            category=category,
            level=level,
            measures=measures,
            responsible=responsible,
            deadline=deadline,
            rectified_on=rectified_on,
            reviewer=reviewer,
            status=status,
        )
        if _word(category) in self.ctx.new_categories:
            values["new_category"] = True
        shown.update(
            found_on=plain_date(found_on),
            project=project if project_id is not None else f"{project}（新建）",
            inspectors=inspectors,
            kind=kind,
            campaign=campaign,
            description=description,
            category=category + ("（新增类别）" if values.get("new_category") else ""),
            level=level,
            measures=measures,
            responsible=responsible,
            deadline=plain_date(deadline),
            rectified_on=plain_date(rectified_on) if rectified_on else "",
            reviewer=reviewer,
            status=status,
        )

    def show_raw(self) -> None:
        """A row that cannot be imported is shown as the file has it."""
        for key, value in self.row.cells.items():
            try:
                self.parsed.shown[key] = read_text(value, LABELS[key], 100_000)
            except ParseError:
                self.parsed.shown[key] = ""

    def inspectors(self) -> str | None:
        text = self.text("inspectors", 200)
        if text is None:
            return None
        if not text:
            fallback = self.ctx.cache.get(("fallback", self.row.title))
            if fallback is None:
                fallback = _fallback_inspectors(self.options, self.row.title, self.ctx.file_name)
                self.ctx.cache[("fallback", self.row.title)] = fallback
            text = fallback
        if not text:
            self.problem("inspectors", "缺少检查人员")
            return None
        cached = self.ctx.cache.get(("inspectors", text))
        if cached is None:
            names = [self.ctx.people.get(_person_key(name), name) for name in split_people(text)]
            cached = "、".join(dict.fromkeys(names))
            self.ctx.cache[("inspectors", text)] = cached
        if len(cached) > 200:
            self.problem("inspectors", "检查人员超过200字")
            return None
        return cached

    def kind(self) -> tuple[str | None, str]:
        """The 检查类型, and the campaign a cell names with it: "专项检查（2023年汛期专项检查）" (as
        the app's own ledger writes a campaign's inspections)."""
        text = self.text("kind", 200)
        if text is None:
            return None, ""
        if not text:
            return ROUTINE, ""
        kind = _KINDS.get(_word(text))
        named = ""
        if kind is None:
            bracketed = _KIND_WITH_CAMPAIGN.fullmatch(text.strip())
            if bracketed:
                kind, named = _KINDS.get(_word(bracketed[1])), bracketed[2].strip()
        if kind is None:
            self.problem("kind", f"检查类型“{_cut(text)}”无法识别（可填：{'、'.join(INSPECTION_KINDS)}）")
        return kind, named

    def level(self) -> str | None:
        text = self.text("level", 200)
        if text is None:
            return None
        if not text:
            return ORDINARY
        level = _LEVELS.get(_word(text))
        if level is None:
            self.problem("level", f"隐患等级“{_cut(text)}”无法识别（可填：{'、'.join(HAZARD_LEVELS)}）")
        return level

    def category(self) -> str | None:
        if "category" not in self.row.columns:
            if not self.ctx.told_no_category:
                self.ctx.told_no_category = True
                self.parsed.notes.append(f"台账中没有隐患类别列：隐患均记为“{OTHER}”")
            return self._entry(OTHER)
        text = self.text("category", 200)
        if text is None:
            return None
        if not text:
            self.parsed.notes.append(f"隐患类别未填，记为“{OTHER}”")
            return self._entry(OTHER)
        return self._entry(text)

    def _entry(self, text: str) -> str | None:
        """The list entry `text` names, or `text` as a new entry (None: a problem was noted)."""
        found = self.ctx.cache.get(("category", text))
        if found is None:
            found = _category_entry(self.ctx, text)
            self.ctx.cache[("category", text)] = found
        if found:
            return found
        word = _word(text)
        if word in self.ctx.new_categories:
            return self.ctx.new_categories[word]
        if self.options.strict_values:
            names = "、".join(item.name for item in self.ctx.known)
            self.problem("category", f"隐患类别“{_cut(text)}”不在本单位的隐患类别列表中（可填：{names}）")
            return None
        if len(text) > NAME_LIMIT:
            self.problem(
                "category", f"隐患类别“{_cut(text)}”过长（最多{NAME_LIMIT}字），无法加入隐患类别列表"
            )
            return None
        self.ctx.new_categories[word] = text
        return text

    def deadline(self, found_on: date | None) -> date | None:
        value = self.raw("deadline")
        if isinstance(value, str):
            word = _word(value)
            if word in _IMMEDIATE:
                return found_on
            match = _DAYS.fullmatch(word)
            if match:
                days = _cn_int(match.group(1))
                if days is not None:
                    if found_on is None:
                        return None
                    return _add_days(found_on, days, working=match.group(2) == "工作日")
        day = self.day("deadline", found_on)
        if day is None and "deadline" not in self.failed:
            self.problem("deadline", "缺少整改期限")
        return day

    def status(self, rectified_on: date | None) -> str | None:
        try:
            status = read_status(self.raw("status"), LABELS["status"], HAZARD_STATUS)
        except ParseError as exc:
            self.problem("status", str(exc))
            return None
        if status is None:
            return RECTIFIED if rectified_on is not None else PENDING
        return status


CARRIED_MARK = "（上期结转）"
_KIND_WITH_CAMPAIGN = re.compile(r"(.+?)\s*[（(](.+)[）)]")


def _cut(text: str) -> str:
    return text if len(text) <= 20 else text[:20] + "…"


def _add_days(day: date, days: int, *, working: bool) -> date:
    if not working:
        return day + timedelta(days=days)
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def _category_entry(ctx: HazardContext, text: str) -> str:
    """The entry of the unit's list `text` names: exactly, folded, or by the longest name or
    synonym it contains (or that contains it) when only one entry has it; "" for none."""
    exact = resolve(ctx.known, text)
    if exact:
        return exact
    word = _word(text)
    if not word:
        return ""
    if word in ctx.category_index:
        return ctx.category_index[word]
    best: dict[str, int] = {}
    for spelling, name in ctx.category_index.items():
        if len(spelling) >= 2 and (spelling in word or word in spelling):
            best[name] = max(best.get(name, 0), min(len(spelling), len(word)))
    if not best:
        return ""
    top = max(best.values())
    winners = [name for name, length in best.items() if length == top]
    return winners[0] if len(winners) == 1 else ""


def _stamp() -> dict[str, Any]:
    return {"version": 1, "changed_by": station_name(), "changed_at": datetime.now().replace(microsecond=0)}


def _add_categories(
    session: Session, unit_id: int, ctx: HazardContext, rows: list[ParsedRow], recorder: Any
) -> list[str]:
    """Append the rows' new categories to the unit's list (seeded first if it has none stored)."""
    names = list(dict.fromkeys(row.values["category"] for row in rows if row.values.get("new_category")))
    if not names:
        return []
    had_list = session.scalar(
        select(SafetyHazardCategory.id).where(SafetyHazardCategory.unit_id == unit_id).limit(1)
    )
    seed_categories(session, unit_id)
    if had_list is None:  # the seed stored for this import: undo removes it with the batch
        seeded = select(SafetyHazardCategory.id).where(SafetyHazardCategory.unit_id == unit_id)
        recorder.created("safety_hazard_category", session.scalars(seeded).all())
    stored = session.execute(
        select(SafetyHazardCategory.name, SafetyHazardCategory.synonyms, SafetyHazardCategory.position).where(
            SafetyHazardCategory.unit_id == unit_id
        )
    ).all()
    taken = {name for name, _s, _p in stored} | {
        s for _n, synonyms, _p in stored for s in split_synonyms(synonyms)
    }
    names = [name for name in names if name not in taken]
    if not names:
        return []
    position = max((p for _n, _s, p in stored), default=-1) + 1
    ids = list(
        session.scalars(
            insert(SafetyHazardCategory).returning(SafetyHazardCategory.id, sort_by_parameter_order=True),
            [
                {"unit_id": unit_id, "position": position + i, "name": name, "synonyms": "", **_stamp()}
                for i, name in enumerate(names)
            ],
        )
    )
    recorder.created("safety_hazard_category", ids)
    return names


def _link_projects(
    session: Session, unit_id: int, ctx: HazardContext, rows: list[ParsedRow], recorder: Any, counts: Counts
) -> None:
    """Create the projects no row's name matched (在建 since the first check of them) and set
    every row's project_id."""
    unmatched = [row for row in rows if row.values.get("project_id") is None]
    if not unmatched:
        return
    for name in dict.fromkeys(row.values["project"] for row in unmatched):
        ctx.projects.note_missing(name)
    created = create_missing_projects(
        session, unit_id, ctx.projects, recorder, on=min(row.values["found_on"] for row in unmatched)
    )
    if created:
        counts.add("created", "项目", len(created))  # as the projects kind and the batches count them
    for row in unmatched:
        row.values["project_id"] = ctx.projects.find(row.values["project"])


def _group_key(row: ParsedRow) -> tuple:
    v = row.values
    return (v["found_on"], v["project_id"], _team_key(v["inspectors"]), v["kind"], _word(v["campaign"]))


def _hazard_row(unit_id: int, inspection_id: int, row: ParsedRow, stamp: dict[str, Any]) -> dict[str, Any]:
    v = row.values
    return {
        "unit_id": unit_id,
        "inspection_id": inspection_id,
        "project_id": v["project_id"],
        "found_on": v["found_on"],
        "description": v["description"],
        "category": v["category"],
        "level": v["level"],
        "measures": v["measures"],
        "responsible": v["responsible"],
        "deadline": v["deadline"],
        "rectified_on": v["rectified_on"] if v["status"] == RECTIFIED else None,
        "reviewer": v["reviewer"],
        "status": v["status"],
        **stamp,
    }


HAZARD_TABLE = SafetyHazard.__table__
INSPECTION_TABLE = SafetyInspection.__table__


def _insert(
    session: Session, unit_id: int, ctx: HazardContext, rows: list[ParsedRow], recorder: Any
) -> tuple[int, int]:
    """Insert the inspections the rows need and their hazards (bulk); (inspections, hazards)."""
    keys = [_group_key(row) for row in rows]
    groups: dict[tuple, list[ParsedRow]] = {}
    for key, row in zip(keys, rows, strict=True):
        groups.setdefault(key, []).append(row)
    stamp = _stamp()
    new_keys = [key for key in groups if key not in ctx.inspections]
    if new_keys:
        inspection_ids = list(
            session.scalars(
                insert(INSPECTION_TABLE).returning(INSPECTION_TABLE.c.id, sort_by_parameter_order=True),
                [
                    {
                        "unit_id": unit_id,
                        "checked_on": key[0],
                        "kind": groups[key][0].values["kind"],
                        "campaign": groups[key][0].values["campaign"],
                        "inspectors": groups[key][0].values["inspectors"],
                        "summary": "",
                        **stamp,
                    }
                    for key in new_keys
                ],
            )
        )
        session.execute(
            insert(SafetyInspectionProject.__table__),
            [
                {"inspection_id": inspection_id, "project_id": key[1]}
                for key, inspection_id in zip(new_keys, inspection_ids, strict=True)
            ],
        )
        recorder.created("safety_inspection", inspection_ids)
        ctx.inspections.update(zip(new_keys, inspection_ids, strict=True))
    # In the file's order, as a Core insert: the ORM's bulk insert splits the batch wherever a
    # None appears (9 s for 10,000, quadratically) and costs 0.25 s per 10,000 rows besides. No
    # row needs its own id back, so the ids come unsorted, many rows a statement (sorted, SQLite
    # inserts one row a statement: +0.3 s).
    hazard_rows = [
        _hazard_row(unit_id, ctx.inspections[key], row, stamp) for key, row in zip(keys, rows, strict=True)
    ]
    hazard_ids = list(session.scalars(insert(HAZARD_TABLE).returning(HAZARD_TABLE.c.id), hazard_rows))
    recorder.created("safety_hazard", hazard_ids)
    return len(new_keys), len(hazard_ids)


# What an update of a duplicate sets: the fields of these whose cell the row fills.
_UPDATED = ("deadline", "measures", "responsible", "reviewer", "level", "category")
_CHUNK = 900  # ids per IN (…)


def _filled(row: ParsedRow, key: str) -> bool:
    value = row.source.cells.get(key)
    return key in row.source.columns and value is not None and str(value).strip() != ""


def _update_hazards(session: Session, rows: list[ParsedRow], recorder: Any) -> int:
    """Set the file's values on the stored hazards the rows repeat; how many changed. A blank
    cell keeps what is stored (a ledger that leaves 整改措施 empty does not erase it), and the
    status changes only when the row gives a status or a 整改完成日期."""
    table = HAZARD_TABLE
    columns = ["status", "rectified_on", *_UPDATED]
    ids = [row.duplicate_of for row in rows]
    stored = {
        record.id: record
        for start in range(0, len(ids), _CHUNK)
        for record in session.execute(
            select(table.c.id, table.c.version, *(table.c[name] for name in columns)).where(
                table.c.id.in_(ids[start : start + _CHUNK])
            )
        )
    }
    statements: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    stamp = _stamp()
    changed = 0
    for row in rows:
        record = stored.get(row.duplicate_of)  # type: ignore[arg-type]
        if record is None:
            continue
        names = [name for name in _UPDATED if _filled(row, name)]
        if _filled(row, "status") or _filled(row, "rectified_on"):
            names += ["status", "rectified_on"]
        new = {name: row.values[name] for name in names}
        if new.get("status") not in (None, RECTIFIED):
            new["rectified_on"] = None
        before = {name: getattr(record, name) for name in new if getattr(record, name) != new[name]}
        if not before:
            continue
        changed += 1
        recorder.updated("safety_hazard", record.id, before)
        keys = tuple(sorted(before))
        statements.setdefault(keys, []).append(
            {"b_id": record.id, "b_version": record.version, **{k: new[k] for k in keys}}
        )
    for keys, params in statements.items():
        statement = (
            update(table)
            .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
            .values(
                {
                    **{k: bindparam(k) for k in keys},
                    "version": table.c.version + 1,
                    "changed_by": stamp["changed_by"],
                    "changed_at": stamp["changed_at"],
                }
            )
        )
        written = session.execute(statement, params).rowcount
        if written != len(params) and session.get_bind().dialect.supports_sane_multi_rowcount:
            raise UserError("有隐患刚刚在别处被修改，本次未导入。请重新导入。")
    return changed


KIND = HazardsKind()
