"""The five Word reports: their outlines (per the seeds), titles, file names and drafts.

1. 部门整体支出绩效自评报告 — seed 003: cover, ten sections, annex list, 落款; optionally the tables.
2. 项目支出绩效评价报告 — seed 003: one per project, seven sections.
3. 平安建设工作自查报告 / 工作总结 — seeds 000, 004: addressee, 所作的工作, 存在的问题, 今后工作打算.
4. 季度房屋市政工程安全生产监督检查开展情况 — seed 002: one per quarter.
5. 巡察整改进展情况 — seed 001: one per 巡察.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.services.reports import bindings, drafts
from app.services.reports.outline import ReportDef, ReportEnv, SectionDef
from app.services.reports.scopes import INSPECTION, PROJECT, QUARTER, quarter_number

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

S = SectionDef

# -- 1. 部门整体支出绩效自评报告 --------------------------------------------------------------------

DEPT_SELF_EVAL = ReportDef(
    key="dept_self_eval",
    title="部门整体支出绩效自评报告",
    description="年度部门整体支出绩效自评（报财政局）：封面、十个部分、附件目录，可附自评表。",
    sections=(
        S(
            "basic",
            "部门基本情况",
            children=(
                S("basic.duties", "职能职责", draft=drafts.duties, hint="单位的职能职责，逐项列出。"),
                S(
                    "basic.staffing",
                    "组织结构、人员编制",
                    draft=drafts.staffing,
                    hint="机构级别、内设机构、人员编制和实有人数、单位性质。",
                ),
            ),
        ),
        S(
            "public",
            "一般公共预算支出情况",
            children=(
                S("public.basic", "基本支出情况", draft=drafts.basic_expenditure),
                S("public.project", "项目支出情况", draft=drafts.project_expenditure),
            ),
        ),
        S("gov_fund", "政府性基金预算支出情况", draft=drafts.gov_fund),
        S("state_capital", "国有资本经营预算支出情况", draft=drafts.state_capital),
        S("social_insurance", "社会保险基金预算支出情况", draft=drafts.social_insurance),
        S(
            "performance",
            "部门整体支出绩效情况",
            draft=drafts.performance_overview,
            hint="总体评价：围绕年度绩效目标，概述全年工作和取得的成效。下面各小节分述。",
            allow_custom=True,
            children=(
                S(
                    "performance.party",
                    "着力加强政治建设，筑牢党风廉政思想根基",
                    run_in=True,
                    title_editable=True,
                    optional=True,
                    hint="党建、廉政建设和内部管理。",
                ),
                S(
                    "performance.development",
                    "全力提升服务水平，助推行业高质量发展",
                    run_in=True,
                    title_editable=True,
                    optional=True,
                    hint="业务工作：下面各小节分述（本节可不写文字）。",
                    children=(
                        S(
                            "performance.foundation",
                            "夯实基础，积蓄高质量发展动能",
                            run_in=True,
                            title_editable=True,
                            optional=True,
                            hint="队伍建设、学习培训和服务企业。",
                        ),
                        # keys kept from when they were （二）（三） of 六、: stored prose still finds them
                        S(
                            "performance.safety",
                            "抓实安全生产，提供高质量发展保障",
                            draft=drafts.performance_safety,
                            run_in=True,
                            title_editable=True,
                            optional=True,
                        ),
                        S(
                            "performance.service",
                            "优化服务质量，提升高质量发展品质",
                            draft=drafts.performance_service,
                            run_in=True,
                            title_editable=True,
                            optional=True,
                        ),
                    ),
                ),
            ),
        ),
        S("problems", "存在的问题及原因分析", hint="存在的问题，以及问题的原因。"),
        S("improvements", "下一步改进措施", hint="针对问题的改进措施，可写“一是……二是……”。"),
        S("application", "部门整体支出绩效自评结果拟应用和公开情况", draft=drafts.self_eval_application),
        S("other", "其他需要说明的情况", draft=drafts.nothing_to_add),
    ),
    title_lines=lambda env: (f"{env.year}年度{env.unit_name}", "部门整体支出绩效自评报告"),
    cover_lines=lambda env: (f"{env.year}年度{env.unit_name}", "部门整体支出", "绩效自评报告"),
    file_name=lambda env: f"{env.year}年度部门整体支出绩效自评报告",
    annexes=lambda env: _dept_annexes(env),
    appended_tables=lambda env: bindings.self_evaluation_annexes(env.session, env.unit_id, env.year),
    has_data=lambda s, u, y, _scope: bindings.department_has_data(s, u, y),
)


def _dept_annexes(env: ReportEnv) -> list[str]:
    """The annex list of seed 003, with one 项目支出绩效自评表 per project once the projects are known."""
    project_names = [p.label for p in bindings.projects(env.session, env.unit_id, env.year)]
    if project_names:
        project_tables = [f"项目支出绩效自评表（{name}）" for name in project_names]
    else:
        project_tables = ["项目支出绩效自评表（每个一级项目支出一张表）"]
    return [
        "部门整体支出绩效评价基础数据表",
        "部门整体支出绩效自评表",
        *project_tables,
        "政府性基金预算支出情况表",
        "国有资本经营预算支出情况表",
        "社会保险基金预算支出情况表",
    ]


# -- 2. 项目支出绩效评价报告 ------------------------------------------------------------------------

PROJECT_EVAL = ReportDef(
    key="project_eval",
    title="项目支出绩效评价报告",
    description="每个一级项目一份，七个部分（随部门整体支出绩效自评报送）。",
    scope_kind=PROJECT,
    sections=(
        S(
            "basic",
            "项目支出基本情况",
            children=(
                S("basic.overview", "项目支出概况", draft=drafts.project_overview, hint="项目的用途和内容。"),
                S(
                    "basic.funds",
                    "项目资金使用管理情况",
                    draft=drafts.project_funds,
                    hint="立项依据文件、资金安排和支出情况。",
                ),
                S("basic.goals", "项目支出绩效目标完成程度", draft=drafts.project_goals),
            ),
        ),
        S("work", "绩效评价工作情况", hint="开展了哪些工作、如何组织自评。"),
        S("conclusion", "项目支出主要绩效及评价结论", draft=drafts.project_conclusion),
        S(
            "indicators",
            "绩效评价指标分析",
            children=(
                S("indicators.decision", "项目支出决策情况"),
                S("indicators.process", "项目执行过程情况", draft=drafts.project_execution),
                S("indicators.output", "项目支出产出情况", draft=drafts.project_output),
                S("indicators.benefit", "项目支出效益情况", draft=drafts.project_benefit),
            ),
        ),
        S("experience", "主要经验及做法、存在的问题及原因分析"),
        S("suggestions", "有关建议", draft=drafts.nothing_to_add),
        S("other", "其他需要说明的问题", draft=drafts.nothing_to_add),
    ),
    title_lines=lambda env: (f"{env.year}年度{env.scope_label}", "项目支出绩效评价报告"),
    file_name=lambda env: f"{env.year}年度项目支出绩效评价报告（{env.scope_label}）",
    has_data=lambda s, u, y, scope: PROJECT.has_data(s, u, y, scope),
)


# -- 3. 平安建设工作自查报告 / 工作总结 -------------------------------------------------------------

SELF_CHECK, SUMMARY = "自查报告", "工作总结"

SAFETY_SELF_CHECK = ReportDef(
    key="safety_self_check",
    title="平安建设工作自查报告",
    description="年度平安建设（综治维稳）工作自查报告或工作总结（报政法委），含安全监管和信访数据。",
    variants=(SELF_CHECK, SUMMARY),
    sections=(
        S("opening", "导语", heading=False, draft=drafts.safety_self_check_opening, hint="开头一段。"),
        S(
            "work",
            "所作的工作",
            allow_custom=True,
            children=(
                S("work.responsibility", "强化责任体制机制建设", title_editable=True, optional=True),
                S("work.team", "提升队伍担责履职能力", title_editable=True, optional=True),
                S(
                    "work.key_tasks",
                    "高效平稳推进重点工作",
                    draft=drafts.safety_key_tasks,
                    title_editable=True,
                    optional=True,
                ),
                S(
                    "work.petitions",
                    "依法处理来信来访",
                    draft=drafts.safety_petitions,
                    title_editable=True,
                    optional=True,
                ),
            ),
        ),
        S("problems", "存在的问题", hint="可写“一是……二是……”。"),
        S("plans", "今后工作打算", title_editable=True, hint="可写“一是……二是……”。"),
    ),
    title_lines=lambda env: (
        f"{env.year}年度{env.unit_name}",
        "平安建设工作总结" if env.variant == SUMMARY else "平安建设工作情况自查报告",
    ),
    file_name=lambda env: f"{env.year}年度平安建设{'工作总结' if env.variant == SUMMARY else '工作自查报告'}",
    addressee=lambda env: "" if env.variant == SUMMARY else "市政法委",
    has_data=lambda s, u, y, _scope: bindings.safety_year_has_data(s, u, y),
)


# -- 4. 季度房屋市政工程安全生产监督检查开展情况 ----------------------------------------------------

SAFETY_QUARTERLY = ReportDef(
    key="safety_quarterly",
    title="季度房屋市政工程安全生产监督检查开展情况",
    description="每季度一份（报上级住建部门）：重点工作开展情况、存在的问题、下一步工作。",
    scope_kind=QUARTER,
    sections=(
        S(
            "work",
            "重点工作开展情况",
            ordinal_children=True,
            allow_custom=True,
            children=(
                S("work.plan", "提前谋划，结合实际制定质量安全工作要点", title_editable=True, optional=True),
                S(
                    "work.training",
                    "强化宣传培训，努力提升质量安全监管水平",
                    title_editable=True,
                    optional=True,
                ),
                S(
                    "work.inspection",
                    "全面压实责任，全力做好质量安全生产监督和指导",
                    draft=drafts.quarter_inspections,
                    title_editable=True,
                    optional=True,
                ),
                S(
                    "work.fire",
                    "扎实开展建设工程消防设计审查验收工作",
                    draft=drafts.quarter_fire_review,
                    title_editable=True,
                    optional=True,
                ),
                S(
                    "work.self_built",
                    "深入开展自建房专项整治“回头看”",
                    draft=drafts.quarter_self_built,
                    title_editable=True,
                    optional=True,
                ),
                S(
                    "work.complaints",
                    "积极处理房屋质量投诉信访工作",
                    draft=drafts.quarter_complaints,
                    title_editable=True,
                    optional=True,
                ),
                S(
                    "work.information",
                    "完成信息报送工作",
                    draft=drafts.quarter_information,
                    title_editable=True,
                    optional=True,
                ),
            ),
        ),
        S("problems", "存在的问题", allow_custom=True, hint="可按方面分列小节（点“添加小节”）。"),
        S("next", "下一步工作", hint="可写“一是……二是……”。"),
    ),
    title_lines=lambda env: (
        f"{env.year}年{env.scope_label}房屋市政工程安全生产工作",
        "监督检查开展情况",
    ),
    file_name=lambda env: f"{env.year}年{env.scope_label}房屋市政工程安全生产监督检查开展情况",
    seal=False,
    has_data=lambda s, u, y, scope: bindings.quarter_has_data(s, u, y, quarter_number(scope)),
)


# -- 5. 巡察整改进展情况 ----------------------------------------------------------------------------


def _inspection_sections(session: Session, unit_id: int, year: int, scope: str):
    from app.services.reports.scopes import scope_id

    return bindings.inspection_sections(session, unit_id, year, scope_id(scope, "inspection"))


TITLE_LINE_CHARS = 20  # 二号 characters on a line of the 版心


def _rectification_title(env: ReportEnv) -> tuple[str, ...]:
    """“汨罗市建筑工程服务中心关于 / 工程建设和房地产领域专项巡察 / 整改进展情况的通报”: broken where
    the meaning breaks rather than wherever the line is full (the 巡察组 is named in the opening)."""
    from app.exports.docx_writer import width_in_chars

    figure = env.figures.get("inspection.name")
    name = figure.text if figure is not None and figure.text else env.scope_label
    subject = f"{name}整改进展情况的通报"
    if width_in_chars(subject) <= TITLE_LINE_CHARS:
        return (f"{env.unit_name}关于", subject)
    return (f"{env.unit_name}关于", name, "整改进展情况的通报")


RECTIFICATION_PROGRESS = ReportDef(
    key="rectification_progress",
    title="巡察整改进展情况",
    description="每次巡察一份（整改进展情况公开）：整改责任、台账管理、逐项整改情况。",
    scope_kind=INSPECTION,
    sections=(
        S(
            "opening",
            "导语",
            heading=False,
            draft=drafts.inspection_opening,
            hint="巡察时间、巡察组、反馈时间。",
        ),
        S(
            "responsibility",
            "提高政治站位，压实整改主体责任",
            title_editable=True,
            hint="履行整改主体责任、组织部署和责任分工。",
        ),
        S("ledger", "建立整改台账，实行清单管理", title_editable=True, draft=drafts.inspection_ledger),
        S(
            "progress",
            "整改落实情况",
            draft=drafts.inspection_progress,
            generated=_inspection_sections,
        ),
        S("next", "下一步工作打算", title_editable=True, hint="巩固整改成果、建立长效机制。"),
    ),
    title_lines=lambda env: _rectification_title(env),
    file_name=lambda env: f"巡察整改进展情况（{env.scope_label}）",
    seal=True,
    has_data=lambda s, u, y, scope: INSPECTION.has_data(s, u, y, scope),
)


REPORTS: tuple[ReportDef, ...] = (
    DEPT_SELF_EVAL,
    PROJECT_EVAL,
    SAFETY_SELF_CHECK,
    SAFETY_QUARTERLY,
    RECTIFICATION_PROGRESS,
)
REPORT_BY_KEY = {report.key: report for report in REPORTS}


def report_def(key: str) -> ReportDef:
    return REPORT_BY_KEY[key]
