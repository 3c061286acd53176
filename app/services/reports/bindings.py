"""Everything the reports take from the budget, safety and registers modules beyond their
FigureSources: the scopes (a quarter, a 巡察, a project) with their figures, whether a report has
data to export, sections made from records (the problems of a 巡察) and the appended tables.

The figures a report quotes for its unit and year come from the modules' FigureSources
(`budget.*`, `safety.*`, `petitions.*`, `rectification.*`), so the user can pick them too. A
scope's own figures are built here from the modules' public statistics, keyed like the yearly ones:
- a quarter: `quarter.<row key>` for every row of the safety statistics (`quarter.inspections.projects`
  47, `quarter.hazards.found` 49, `quarter.documents.rectify_notice` 3, `quarter.work.fire.design.accepted`
  29 …), `….yoy` where the same quarter last year has records, and `quarter.work_as_of` ("3月31日");
- a 巡察: `inspection.*` (name, team, period, feedback_date, aspects, problems, summary, done …);
- a project: the budget module's `project.*` plus `project.output_*`/`project.benefit_*` (the
  indicators, as prose).

Module imports are made inside the functions: importing the reports module costs nothing at start-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from app.contributions import Figure

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.exports.docx_writer import Annex
    from app.services.budget.tables import BudgetTables, IndicatorRow, Level1Group, ProjectTable
    from app.services.reports.outline import GeneratedSection
    from app.services.reports.scope_keys import Scope


# -- 季度 (report 4: 季度房屋市政工程安全生产监督检查开展情况, seed 002) ---------------------------------


def quarter_safety_figures(session: Session, unit_id: int, year: int, quarter: int) -> list[Figure]:
    """The quarter's supervision figures: every row of the safety statistics as `quarter.<row key>`
    (counts of the period's inspections, hazards, documents and the 工作量统计 typed for it)."""
    from app.services.safety.periods import Period
    from app.services.safety.stats import period_statistics, same_period_last_year
    from app.services.safety.stats_table import statistics_rows

    period = Period.quarter(year, quarter)
    current = period_statistics(session, unit_id, period.start, period.end)
    previous = same_period_last_year(session, unit_id, period.start, period.end)
    figures: list[Figure] = []
    for row in statistics_rows(current, previous, include_empty=True):
        if not row.key.isascii():
            continue  # a kind the user typed in (no stable key)
        figures.append(Figure(f"quarter.{row.key}", row.full_label, row.text, row.unit, row.current))
        change = row.change.text
        if previous is not None and change:
            figures.append(Figure(f"quarter.{row.key}.yoy", f"{row.full_label}同比", change, "", row.change))
    for key, figure in current.workload.items():
        if figure.item.approx and figure.value is not None:
            figures.append(
                Figure(
                    f"quarter.work.{key}.approx",
                    f"{figure.item.name}（约数）",
                    figure.approx_text,
                    figure.item.unit,
                    figure.value,
                )
            )
    ends = [
        end for figure in current.workload.values() if figure.value is not None for _s, end in figure.sources
    ]
    as_of = max(ends) if ends else period.end
    figures.append(
        Figure("quarter.work_as_of", "工作量统计截止日期", f"{as_of.month}月{as_of.day}日", "", as_of)
    )
    return figures


def quarter_has_data(session: Session, unit_id: int, year: int, quarter: int) -> bool:
    """Whether the safety module has work recorded in the quarter."""
    from app.services.safety.periods import Period
    from app.services.safety.stats import has_records

    period = Period.quarter(year, quarter)
    return has_records(session, unit_id, period.start, period.end)


# -- 巡察 (report 5: 巡察整改进展情况, seed 001) -------------------------------------------------------------


def _inspection_label(team: str, name: str) -> str:
    team, name = team.strip(), name.strip()
    return name if not team or name.startswith(team) else f"{team}{name}"


def inspections(session: Session, unit_id: int, year: int) -> list[Scope]:
    """The 巡察 whose rectification concerns `year` (fed back by its end and not all struck off
    before it began), as Scope("inspection:<id>", "市委第二巡察组工程建设和房地产领域专项巡察")."""
    from sqlalchemy import select

    from app.models.registers import Inspection
    from app.services.registers.rectification import inspections_active_in
    from app.services.reports.scope_keys import Scope

    ids = inspections_active_in(session, unit_id, year)
    if not ids:
        return []
    rows = {
        row.id: row
        for row in session.execute(
            select(Inspection.id, Inspection.team, Inspection.name).where(Inspection.id.in_(ids))
        )
    }
    return [Scope(f"inspection:{i}", _inspection_label(rows[i].team, rows[i].name)) for i in ids if i in rows]


def _as_of(year: int) -> date:
    from app.services.registers.common import as_of_for_year

    return as_of_for_year(year)


def inspection_figures(session: Session, unit_id: int, year: int, inspection_id: int) -> list[Figure]:
    """Keys "inspection.*": the 巡察's dates, 巡察组, problems and their progress, counted as of
    31 December of `year` (today for the current year)."""
    from app.models.registers import (
        PROBLEM_DONE,
        PROBLEM_IN_PROGRESS,
        PROBLEM_LONG_TERM,
        PROBLEM_NOT_STARTED,
    )
    from app.services.registers.common import format_date_cn, format_period_cn, format_rate_prose
    from app.services.registers.rectification import rectification_progress

    p = rectification_progress(session, inspection_id, _as_of(year))

    def count(key: str, label: str, value: int, unit: str = "项") -> Figure:
        return Figure(f"inspection.{key}", label, str(value), unit, value)

    def text(key: str, label: str, value: str, raw: object = None) -> Figure:
        return Figure(f"inspection.{key}", label, value, "", value if raw is None else raw)

    return [
        text("name", "巡察名称", p.name),
        text("team", "巡察组", p.team),
        text("start", "巡察开始日期", format_date_cn(p.start_on), p.start_on),
        text("end", "巡察结束日期", format_date_cn(p.end_on), p.end_on),
        text("period", "巡察时间", format_period_cn(p.start_on, p.end_on), (p.start_on, p.end_on)),
        text("feedback_date", "反馈日期", format_date_cn(p.feedback_on), p.feedback_on),
        count("aspects", "反馈问题方面数", p.aspect_count, "个方面"),
        count("problems", "反馈问题数", p.total),
        text(
            "summary",
            "问题概况（如：3个方面12个主要问题）",
            f"{p.aspect_count}个方面{p.total}个主要问题",
            p.total,
        ),
        count("done", "已完成整改（含长期坚持）", p.done),
        count("completed", "已完成", p.count(PROBLEM_DONE)),
        count("long_term", "长期坚持", p.count(PROBLEM_LONG_TERM)),
        count("in_progress", "整改中", p.count(PROBLEM_IN_PROGRESS)),
        count("not_started", "未启动", p.count(PROBLEM_NOT_STARTED)),
        count("closed", "已销号", p.closed),
        text("completion_rate", "整改完成率", format_rate_prose(p.completion_rate), p.completion_rate),
        count("overdue", "超期未完成", len(p.overdue)),
        text("as_of", "统计截止日期", format_date_cn(p.as_of), p.as_of),
    ]


def _aspect_heading(title: str) -> str:
    """The 方面 as a heading: "履行工程建设监管职责方面" → "履行工程建设监管职责"."""
    title = title.strip().rstrip("。；;，,")
    return title[:-2] if title.endswith("方面") and len(title) > 2 else title


def problem_heading(description: str) -> str:
    """Seed 001: "着力解决学习贯彻落实……力度有待加强的问题"."""
    text = description.strip().rstrip("。；;，,")
    if text.startswith("着力解决"):
        return text
    if not text.endswith("问题"):
        text += "的问题"
    return f"着力解决{text}"


def _problem_progress(problem, as_of: date) -> str:
    """The progress phrase of a problem, from its status and deadline as of the report's date:
    “该问题已于2023年4月20日完成整改，2023年5月10日销号。”, “该问题已于2023年6月30日完成阶段性整改，
    相关工作长期坚持。”, “该问题正在整改中，整改时限为2023年12月31日。” (not yet past), “该问题正在整改
    中，已逾期61天（整改时限为2023年10月31日），正加快推进。”, “该问题尚未启动整改……”."""
    from app.models.registers import PROBLEM_DONE, PROBLEM_IN_PROGRESS, PROBLEM_LONG_TERM
    from app.services.registers.common import format_date_cn

    if problem.status in (PROBLEM_DONE, PROBLEM_LONG_TERM):
        when = f"于{format_date_cn(problem.completed_on)}" if problem.completed_on is not None else ""
        if problem.status == PROBLEM_DONE:
            text = f"该问题已{when}完成整改"
        else:
            text = f"该问题已{when}完成阶段性整改，相关工作长期坚持"
        if problem.closed_on is not None:
            text += f"，{format_date_cn(problem.closed_on)}销号"
        return text + "。"
    state = "正在整改中" if problem.status == PROBLEM_IN_PROGRESS else "尚未启动整改"
    if problem.due_on is None:
        return f"该问题{state}。"
    late = overdue_days(problem, as_of)
    if late > 0:
        return f"该问题{state}，已逾期{late}天（整改时限为{format_date_cn(problem.due_on)}），正加快推进。"
    return f"该问题{state}，整改时限为{format_date_cn(problem.due_on)}。"


def overdue_days(problem, as_of: date) -> int:
    """Days past the deadline of a problem not yet rectified (0 when done, on time or undated): the
    register's rule (`rectification.OPEN_STATES`, due_on < as_of), as `check` counts them."""
    from app.services.registers.rectification import OPEN_STATES

    if problem.status not in OPEN_STATES or problem.due_on is None:
        return 0
    return max(0, (as_of - problem.due_on).days)


RECTIFICATION_REPORT_KEY = "rectification_progress"  # definitions.RECTIFICATION_PROGRESS.key


def report_as_of(session: Session, unit_id: int, year: int, inspection_id: int) -> date:
    """The day the 巡察整改进展情况 states its problems' progress at: the report's 成文日期 when the
    user has set one, else the day the report's figures are counted at (31 December of the year,
    today during the year), so the phrases agree with its “截至…” summary and with `check`."""
    from app.services.reports.prose import load_settings

    scope = f"inspection:{inspection_id}"
    settings = load_settings(session, unit_id, year, RECTIFICATION_REPORT_KEY, scope)
    return settings.sign_date or _as_of(year)


# What the user's prose may claim about a problem's state. A claim of 整改完成 after 未/尚未/没有 is
# one of not done; after 确保/力争/计划… it is an aim, not a claim.
_STATE_CLAIM = re.compile(
    r"(?P<open>正在(?:加快|抓紧|持续|积极|有序|全力)?(?:推进)?整改|(?:尚未|未能|没有|未)(?:完成|启动|开展)?整改"
    r"|(?<!在)整改中(?!心)|整改(?:工作)?(?:正在|仍在)(?:推进|进行)|仍在整改)"
    r"|(?P<done>已经?(?:全部|全面|基本|均)?(?:完成了?(?:阶段性)?整改|整改(?:完成|到位)?|销号|完成(?=[，,。；;！!]|$))"
    r"|均已(?:完成|整改|销号)|完成了?(?:阶段性)?整改|整改(?:已经?|均已)?(?:全部|基本)?(?:完成|到位)(?!率))"
)
_NOT_A_CLAIM = re.compile(r"[未没不无]$|确保|力争|争取|计划|预计|将|要|尽快|按期|按时|督促|限期|推动|待")
_SAYS_LATE = re.compile(r"逾期|超期|超过整改时限|超时|延期|滞后")


def _problem_names(description: str) -> list[str]:
    """What a sentence about the problem would quote: its description without the 着力解决…问题 frame,
    each clause of at least 6 characters (“重点项目推进协调不力”), its first 12 characters and the terms
    it quotes (“围而不建”)."""
    core = description.strip().removeprefix("着力解决").rstrip("。；;，,")
    core = core.removesuffix("的问题").removesuffix("问题")
    names = [core, core[:12]]
    names += [c.strip() for c in re.split(r"[，,、；;]", core) if len(c.strip()) >= 6]
    names += re.findall(r"“([^”]{3,})”", core)
    return [n for n in dict.fromkeys(names) if len(n) >= 3]


def _claims(sentence: str) -> list[tuple[int, str, bool]]:
    """(position, words, claims done) of each state the sentence claims."""
    found = []
    for match in _STATE_CLAIM.finditer(sentence):
        done = match.group("done") is not None
        clause = re.split(r"[，,：:]", sentence[: match.start()])[-1]
        if done and _NOT_A_CLAIM.search(clause):
            continue
        found.append((match.start(), match.group(0), done))
    return found


def _named(sentence: str, problems: list) -> list[tuple[int, object]]:
    """(position, problem) of each problem the sentence names, in order."""
    found = []
    for problem in problems:
        at = [sentence.find(n) for n in _problem_names(problem.description) if n in sentence]
        if at:
            found.append((min(at), problem))
    return sorted(found, key=lambda item: item[0])


def _contradiction(problem, words: str, done: bool, sentence: str, as_of: date) -> str:
    """What the record says against a claim (“” when it agrees)."""
    from app.models.registers import PROBLEM_DONE, PROBLEM_IN_PROGRESS
    from app.services.registers.common import format_date_cn
    from app.services.registers.rectification import OPEN_STATES

    late = overdue_days(problem, as_of)
    due = format_date_cn(problem.due_on)
    if done and problem.status in OPEN_STATES:
        state = "尚未完成整改" if problem.status == PROBLEM_IN_PROGRESS else "尚未启动整改"
        if late:
            return f"但整改台账中该问题{state}，已逾期{late}天（整改时限为{due}）"
        return f"但整改台账中该问题{state}" + (f"（整改时限为{due}）" if due else "")
    if not done and problem.status not in OPEN_STATES:
        when = f"于{format_date_cn(problem.completed_on)}" if problem.completed_on else ""
        what = "完成整改" if problem.status == PROBLEM_DONE else "完成阶段性整改（长期坚持）"
        closed = f"，{format_date_cn(problem.closed_on)}销号" if problem.closed_on else ""
        return f"但整改台账中该问题已{when}{what}{closed}"
    if not done and problem.status != PROBLEM_IN_PROGRESS and words.startswith(("正在", "仍在", "整改")):
        return "但整改台账中该问题尚未启动整改" + (f"，已逾期{late}天（整改时限为{due}）" if late else "")
    if not done and late and not _SAYS_LATE.search(sentence):
        return f"未说明该问题已逾期{late}天（整改时限为{due}）"
    return ""


@dataclass(frozen=True)
class StateConflict:
    """A state the user's prose claims for a problem that its record contradicts."""

    node: object  # the report's OutlineNode the prose is in; None: the problem's 整改措施 (register)
    problem: object  # ProblemSummary
    subject: str  # “问题5：重点项目推进协调不力，“围而不建”现…”
    message: str


def problem_label(problem) -> str:
    """“问题5：重点项目推进协调不力，“围而不建”现…”, as the register's checks name a problem."""
    text = problem.description.strip()
    return f"问题{problem.number}：{text if len(text) <= 18 else text[:18] + '…'}"


def state_conflicts(
    session: Session, inspection_id: int, as_of: date, texts: list[tuple[object, str]]
) -> list[StateConflict]:
    """Where prose claims a state the rectification record contradicts, as of `as_of` (the report's
    date): 已完成/已整改/整改完成 for a problem still open, 正在整改 for one done (or not started), or
    正在整改 for one past its deadline without saying it is late. `texts`: (node, the user's text) of
    the report's sections, whose sentences are tied to the problems they name; each problem's
    整改措施 (printed in the report under it) is checked as well."""
    from app.services.registers.rectification import rectification_progress

    progress = rectification_progress(session, inspection_id, as_of)
    found: list[StateConflict] = []

    def check(node: object, problems: list, sentence: str, where: str) -> None:
        claims = _claims(sentence)
        named = _named(sentence, problems) if node is not None else [(-1, problems[0])]
        for index, (at, words, done) in enumerate(claims):
            start = claims[index - 1][0] if index else -1
            before = [p for pos, p in named if start < pos < at] or [p for pos, p in named if pos <= at][-1:]
            targets = before or [p for pos, p in named if pos > at][:1]
            for problem in targets:
                against = _contradiction(problem, words, done, sentence, as_of)
                if against:
                    message = f"{where}写“{words}”，{against}，请核对"
                    found.append(StateConflict(node, problem, problem_label(problem), message))

    for node, text in texts:
        for sentence in re.split(r"[。；;！!？?\n]", text):
            if sentence.strip():
                check(node, progress.problems, sentence, "文中")
    for problem in progress.problems:
        for measure in problem.measures:
            for sentence in re.split(r"[。；;！!？?\n]", measure):
                if sentence.strip():
                    check(None, [problem], sentence, "整改措施中")
    return found


def inspection_sections(
    session: Session, unit_id: int, year: int, inspection_id: int, as_of: date | None = None
) -> list[GeneratedSection]:
    """三、整改落实情况 from the rectification register: one section per 方面 (“（一）学习贯彻落实……”),
    under it one per problem (“1.着力解决……的问题”) whose text is its measures (“一是……二是……”) and
    its progress as of `as_of` (default `report_as_of`: the report's 成文日期, else the export date).
    Phones and ID numbers typed into the register are masked."""
    from app.services.privacy import mask_text
    from app.services.registers.common import numbered_measures
    from app.services.registers.rectification import rectification_progress
    from app.services.reports.outline import GeneratedSection

    if as_of is None:
        as_of = report_as_of(session, unit_id, year, inspection_id)
    progress = rectification_progress(session, inspection_id, as_of)
    sections = []
    for aspect in progress.aspects:
        problems = tuple(
            GeneratedSection(
                mask_text(problem_heading(problem.description)),
                mask_text(
                    "\n".join(
                        t
                        for t in (
                            numbered_measures(problem.measures),
                            _problem_progress(problem, progress.as_of),
                        )
                        if t
                    )
                ),
            )
            for problem in aspect.problems
        )
        sections.append(GeneratedSection(mask_text(_aspect_heading(aspect.title)), children=problems))
    return sections


# -- 项目 (report 2: 项目支出绩效评价报告, seed 003; annexes of report 1) ---------------------------------


def _tables(session: Session, unit_id: int, year: int) -> BudgetTables | None:
    from app.services.budget.compute import build_tables
    from app.services.budget.data import budget_year_row

    if budget_year_row(session, unit_id, year) is None:
        return None
    return build_tables(session, unit_id, year)


def project_label(table: ProjectTable) -> str:
    return table.name or f"项目{table.index + 1}"


def projects(session: Session, unit_id: int, year: int) -> list[Scope]:
    """The year's 一级项目 (each with its 项目支出绩效自评表), as Scope("project:<id>", "<项目名称>")."""
    from app.services.reports.scope_keys import Scope

    tables = _tables(session, unit_id, year)
    if tables is None:
        return []
    return [Scope(f"project:{p.id}", project_label(p)) for p in tables.projects if p.id is not None]


def _project_table(session: Session, unit_id: int, year: int, project_id: int) -> ProjectTable | None:
    tables = _tables(session, unit_id, year)
    if tables is None:
        return None
    return next((p for p in tables.projects if p.id == project_id), None)


def _plain(value: Decimal | None) -> str:
    from app.services.calc import format_score

    return format_score(value)


def indicator_clause(row: IndicatorRow) -> str:
    """“工程建设监管执法率（指标值100%，完成值100%）”, with the score and the 偏差原因 when short."""
    parts = []
    if row.target:
        parts.append(f"指标值{row.target}")
    if row.actual:
        parts.append(f"完成值{row.actual}")
    if row.weight is not None and row.score is not None and row.score < row.weight:
        parts.append(f"分值{_plain(row.weight)}分，得分{_plain(row.score)}分")
        if row.reason.strip():
            parts.append(f"偏差原因：{row.reason.strip().rstrip('。；;')}")
    return f"{row.name}（{'，'.join(parts)}）" if parts else row.name


def indicators_text(group: Level1Group) -> str:
    """One sentence per 二级指标: “数量指标：A（…）、B（…）；质量指标：…。” (不适用 rows left out)."""
    pieces = []
    for level2 in group.level2:
        rows = [r for r in level2.rows if not r.not_applicable and r.name.strip()]
        if rows:
            pieces.append(f"{level2.name}：" + "、".join(indicator_clause(r) for r in rows))
    return "；".join(pieces) + "。" if pieces else ""


def _level1_figures(prefix: str, title: str, group: Level1Group | None) -> list[Figure]:
    if group is None:
        return []
    return [
        Figure(f"project.{prefix}_weight", f"{title}分值", _plain(group.weight), "分", group.weight),
        Figure(f"project.{prefix}_score", f"{title}得分", _plain(group.score), "分", group.score),
        Figure(
            f"project.{prefix}_count",
            f"{title}个数",
            str(sum(1 for r in group.rows if not r.not_applicable)),
            "项",
            None,
        ),
        Figure(f"project.{prefix}_indicators", f"{title}完成情况", indicators_text(group), "", group.rows),
    ]


def project_figures(session: Session, unit_id: int, year: int, project_id: int) -> list[Figure]:
    """The budget module's `project.*` figures of the project, and its 产出/效益 indicators as prose
    (`project.output_indicators`, `project.benefit_indicators`, with their 分值 and 得分)."""
    from app.services.budget.figures import project_figures as budget_project_figures

    table = _project_table(session, unit_id, year, project_id)
    if table is None:
        return []
    groups = {group.name: group for group in table.indicators.groups}
    return [
        *budget_project_figures(table),
        *_level1_figures("output", "产出指标", groups.get("产出指标")),
        *_level1_figures("benefit", "效益指标", groups.get("效益指标")),
    ]


def project_carry(session: Session, unit_id: int, from_year: int, to_year: int, scope: str) -> str | None:
    """The scope key of the same project in `to_year` (matched by name), so that a project report's
    prose follows the project into the new year; None when it has no such project."""
    from app.services.reports.scope_keys import scope_id

    old = _project_table(session, unit_id, from_year, scope_id(scope, "project"))
    if old is None or not old.name:
        return None
    tables = _tables(session, unit_id, to_year)
    if tables is None:
        return None
    match = next((p for p in tables.projects if p.name == old.name and p.id is not None), None)
    return f"project:{match.id}" if match else None


def self_evaluation_annexes(session: Session, unit_id: int, year: int) -> list[Annex]:
    """The self-evaluation tables appended to report 1 when the user ticks “附上自评表”, in the order
    of its annex list: 基础数据表, 部门整体支出绩效自评表, one 项目支出绩效自评表 per project, then the
    政府性基金 / 国有资本经营 / 社会保险基金预算支出情况表 — the same computed values as the Excel tables."""
    from app.exports.docx_budget_tables import budget_annexes
    from app.services.budget.data import budget_year_row

    row = budget_year_row(session, unit_id, year)
    tables = _tables(session, unit_id, year)
    if row is None or tables is None:
        return []
    return budget_annexes(tables, row.state_capital, row.social_insurance)


def department_has_data(session: Session, unit_id: int, year: int) -> bool:
    """Whether the year's budget figures have been entered (then report 1 is exported even before
    the user has written any of it)."""
    from app.services.budget.data import budget_year_row

    return budget_year_row(session, unit_id, year) is not None


def safety_year_has_data(session: Session, unit_id: int, year: int) -> bool:
    """Whether there are safety or petition records for `year` (then report 3, 平安建设工作自查报告,
    is exported even before the user has written any of it)."""
    from sqlalchemy import select

    from app.models.registers import Petition
    from app.services.safety.periods import Period
    from app.services.safety.stats import has_records

    period = Period.year(year)
    if has_records(session, unit_id, period.start, period.end):
        return True
    petition = select(Petition.id).where(
        Petition.unit_id == unit_id, Petition.received_on.between(period.start, period.end)
    )
    return session.scalar(petition.limit(1)) is not None
