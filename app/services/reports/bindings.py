"""Everything the reports take from the budget, safety and registers modules — phase 2 fills these in.

Phase 1 (this file as it stands) runs without those modules: every function here returns "nothing
yet", so the reports that depend on them are skipped by the year package and their drafts say which
figures they wait for (see `drafts.py`). Phase 2 replaces each body with calls to the module's
statistics; the signatures are the interface the rest of the reports module relies on.

Each figure a report quotes should come from a module's FigureSource (registered in the module's
`register()`; keys such as "budget.basic_expenditure"), so that a user can also pick it in the
editor. The functions here are only for what a FigureSource for (unit, year) cannot express: the
scopes (a quarter, a 巡察, a project), their figures, outlines generated from records, and tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.registry import Figure

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.exports.docx_writer import Annex
    from app.services.reports.outline import GeneratedSection
    from app.services.reports.scopes import Scope


# -- 季度 (report 4: 季度房屋市政工程安全生产监督检查开展情况, seed 002) ---------------------------------


def quarter_safety_figures(session: Session, unit_id: int, year: int, quarter: int) -> list[Figure]:
    """TODO-phase-2 (safety): the quarter's supervision figures, keys "quarter.*", e.g.
    quarter.projects_checked 47 (项), quarter.hazards 49 (条), quarter.rectification_notices 3 (份),
    quarter.fire_design_accepted 29 / quarter.fire_design_done 26, quarter.fire_acceptance_accepted 21 /
    quarter.fire_acceptance_done 18, quarter.fire_filing 55 / quarter.fire_filing_drawn 45 /
    quarter.fire_filing_not_drawn 10, quarter.complaints 6 / quarter.complaints_done 6,
    quarter.info_reports 6 / quarter.info_adopted 1, and the 自建房 rates (95.34%, 96.41%, 15.49%)
    if the safety module records them. Period = months 3q-2 … 3q of `year`."""
    return []


def quarter_has_data(session: Session, unit_id: int, year: int, quarter: int) -> bool:
    """TODO-phase-2 (safety): whether the safety module has records in the quarter."""
    return False


# -- 巡察 (report 5: 巡察整改进展情况, seed 001) -------------------------------------------------------------


def inspections(session: Session, unit_id: int, year: int) -> list[Scope]:
    """TODO-phase-2 (registers): the 巡察 of the unit whose rectification is reported in `year`, as
    Scope("inspection:<id>", "<巡察组><巡察名称>") — e.g. "区党工委第二巡察组工程建设和房地产领域专项巡察"."""
    return []


def inspection_figures(session: Session, unit_id: int, year: int, inspection_id: int) -> list[Figure]:
    """TODO-phase-2 (registers): keys "inspection.*": inspection.name, inspection.group (第二巡察组),
    inspection.start / inspection.end ("2022年11月28日" / "2022年12月30日"), inspection.feedback_date
    ("2023年1月20日"), inspection.aspects 3 (个方面), inspection.problems 12 (项问题),
    inspection.done / inspection.in_progress / inspection.long_term (counts), inspection.done_rate."""
    return []


def inspection_sections(
    session: Session, unit_id: int, year: int, inspection_id: int
) -> list[GeneratedSection]:
    """TODO-phase-2 (registers): the outline of 三、整改落实情况 from the rectification register: one
    level-2 section per 方面 (“（一）学习贯彻落实……”), under it one level-3 section per problem
    (“1.着力解决……的问题”) whose text is its measures (“一是……二是……”) and status."""
    return []


# -- 项目 (report 2: 项目支出绩效评价报告, seed 003; annexes of report 1) ---------------------------------


def projects(session: Session, unit_id: int, year: int) -> list[Scope]:
    """TODO-phase-2 (budget): the year's 一级项目 with a 项目支出绩效自评表, as
    Scope("project:<id>", "<项目名称>") — 质量安全监督管理专项, 招投标监督管理专项, 工作经费."""
    return []


def project_figures(session: Session, unit_id: int, year: int, project_id: int) -> list[Figure]:
    """TODO-phase-2 (budget): keys "project.*": project.name, project.supervisor, project.budget_initial
    (年初预算数 20), project.budget_total (全年预算数 20), project.spent (全年执行数 20), project.rate
    (执行率 100.00%), project.score (总分 100), project.grade (评价等级 优), project.goal (预期目标),
    project.result (实际完成情况), project.basis (立项依据, if the budget module keeps it)."""
    return []


def project_carry(session: Session, unit_id: int, from_year: int, to_year: int, scope: str) -> str | None:
    """TODO-phase-2 (budget): the scope key of the same project in `to_year` (projects are matched by
    name), so that a project report's prose is carried into the new year; None: not carried."""
    return None


def self_evaluation_annexes(session: Session, unit_id: int, year: int) -> list[Annex]:
    """TODO-phase-2 (budget): the self-evaluation tables appended to report 1 when the user ticks
    “附上自评表”: 部门整体支出绩效评价基础数据表, 部门整体支出绩效自评表 and one 项目支出绩效自评表 per
    project, each an `Annex(label="附件N", title_lines=(...,), blocks=(Table(...),))` built with
    `app.exports.docx_writer.Table/Cell` from the same rows the Excel exporter writes."""
    return []


def department_has_data(session: Session, unit_id: int, year: int) -> bool:
    """TODO-phase-2 (budget): whether the department's budget tables for `year` have data (then report 1
    is exported even before the user has written any of it)."""
    return False


def safety_year_has_data(session: Session, unit_id: int, year: int) -> bool:
    """TODO-phase-2 (safety/registers): whether there are safety or petition records for `year` (then
    report 3, 平安建设工作自查报告, is exported even before the user has written any of it)."""
    return False
