"""Drafted paragraphs: each section's starting text, in the seeds' manner, with placeholders for figures.

A draft writes 【…】 placeholders (via `figures.placeholder(key)`) rather than the numbers, so the
paragraph stays bound to the data: if a figure changes, the exported report follows. The figures'
values decide the wording (a clause is left out when its figure is blank; "无…支出" when zero).

Drafts marked `@pending` wait for the budget, safety and registers modules (TODO-phase-2): each
names the figure keys it needs and quotes the seed sentence it must reproduce. Until then they yield
nothing, and the section has no draft to offer.
"""

from __future__ import annotations

from app.services.reports.figures import FigureSet
from app.services.reports.outline import pending


def _has(figures: FigureSet, key: str) -> bool:
    figure = figures.get(key)
    return figure is not None and figure.text != ""


# -- from the unit profile (ready) ------------------------------------------------------------------


def duties(figures: FigureSet) -> str:
    """Report 1, 一、（一）职能职责: the profile's list, one numbered item a line (seed 003: “（1）贯彻执行
    国家、省、市关于建筑行业管理法律、法规和方针、政策；……”)."""
    return figures.placeholder("profile.duties") if _has(figures, "profile.duties") else ""


def staffing(figures: FigureSet) -> str:
    """Report 1, 一、（二）组织结构、人员编制. Seed 003: “我单位是住建局下属副科级二级机构，下设10个站室，
    现有干职工79人，其中在编59人，退休干职工20人，为全额拨款事业单位，执行新政府会计制度。”"""
    ph = figures.placeholder
    clauses = []
    if _has(figures, "unit.supervisor"):
        clauses.append(f"我单位是{ph('unit.supervisor')}下属单位")
    if _has(figures, "unit.departments"):
        clauses.append(f"下设{ph('unit.departments')}个站室")
    if _has(figures, "unit.staff_total"):
        staff = f"现有干职工{ph('unit.staff_total')}人"
        parts = []
        if _has(figures, "unit.staff_actual"):
            parts.append(f"其中在编{ph('unit.staff_actual')}人")
        if _has(figures, "unit.retired"):
            parts.append(f"退休干职工{ph('unit.retired')}人")
        clauses.append("，".join([staff, *parts]))
    if _has(figures, "unit.nature"):
        clauses.append(f"为{ph('unit.nature')}")
    if not clauses:
        return ""
    return "，".join(clauses) + "。"


def self_eval_application(_figures: FigureSet) -> str:
    """Report 1, 九、部门整体支出绩效自评结果拟应用和公开情况 (seed 003, word for word)."""
    return (
        "我们将该绩效自评结果作为以后年度部门预算、资金分配等工作的重要依据，对发现的问题进行整改。"
        "将根据要求，在门户网站上对该绩效自评报告进行公开。"
    )


def nothing_to_add(_figures: FigureSet) -> str:
    """其他需要说明的情况 / 有关建议 when there is nothing: “无” (seed 003)."""
    return "无"


def safety_self_check_opening(figures: FigureSet) -> str:
    """Report 3, the opening line. Seed 000: “按照考核要求，现将2022年度平安建设工作情况自查报告如下：”"""
    return f"按照考核要求，现将{figures.placeholder('unit.year')}年度平安建设工作情况自查报告如下："


# -- report 1: 部门整体支出绩效自评报告 (budget, safety, petitions) ---------------------------------


@pending(
    needs=("budget.basic_expenditure", "budget.personnel_expenditure", "budget.public_expenditure"),
    seed="2023年基本支出数为592.17万元，是指为保障单位机构正常运转、完成日常工作任务而发生的各项支出，"
    "包括用于基本工资、津贴补贴等人员经费以及办公费、印刷费、水电费、差旅费等日常公用经费。"
    "其中人员经费572.61万元，公用经费19.56万元。",
)
def basic_expenditure(figures: FigureSet) -> str:
    """Report 1, 二、（一）基本支出情况."""
    return ""


@pending(
    needs=("budget.project_expenditure", "budget.projects (value: list of (name, amount))"),
    seed="2023年项目支出数为359.74万元，是指单位为完成特定行政工作任务或事业发展目标而发生的支出，"
    "包括有关业务工作经费和运行维护经费。其中：招投标监督管理专项项目5万元，质量安全监管专项项目20万元，"
    "工作经费334.74万元。",
)
def project_expenditure(figures: FigureSet) -> str:
    """Report 1, 二、（二）项目支出情况: one clause per project, in the budget module's order."""
    return ""


@pending(
    needs=("budget.gov_fund_expenditure",),
    seed="2023年度本单位无政府性基金安排的支出",
)
def gov_fund(figures: FigureSet) -> str:
    """Report 1, 三、政府性基金预算支出情况: the seed's sentence when zero, else the amount and its use."""
    return ""


@pending(
    needs=("budget.state_capital_expenditure",),
    seed="2023年度本单位无国有资本经营安排的支出",
)
def state_capital(figures: FigureSet) -> str:
    """Report 1, 四、国有资本经营预算支出情况 (as gov_fund)."""
    return ""


@pending(
    needs=("budget.social_insurance_expenditure",),
    seed="2023年度本单位无社会保险基金安排的支出",
)
def social_insurance(figures: FigureSet) -> str:
    """Report 1, 五、社会保险基金预算支出情况 (as gov_fund)."""
    return ""


@pending(
    needs=(
        "safety.house_projects",
        "safety.house_area",
        "safety.house_cost",
        "safety.municipal_projects",
        "safety.municipal_cost",
        "safety.completed_projects",
        "safety.active_projects",
        "safety.active_house",
        "safety.active_municipal",
        "safety.under_construction",
        "safety.suspended",
        "safety.not_started",
        "safety.special_inspections",
        "safety.inspected_projects",
        "safety.inspections",
        "safety.hazard_notices",
        "safety.stop_work_notices",
        "safety.reminders",
        "safety.hazards_cleared",
        "safety.red_yellow_cards",
        "safety.bad_behaviours",
        "safety.cases_transferred",
        "safety.failed_evaluations",
    ),
    seed="全年监管房屋工程项目101个，总建筑面积约285.17万平方米，总造价约51.53亿元，市政工程项目11个，"
    "总造价约6.83亿元。全年竣工验收项目共38个，目前在建房屋和市政项目共74个（房屋工程68个，市政工程6个），"
    "其中在建项目44个，停工项目16个，未开工项目14个。……全年共开展专项检查11次，对65个项目进行了825次检查，"
    "共下发隐患整改通知书232份、下发停工整改通知书45份，下发催办通知13份，消除质量安全隐患2092条，"
    "记录红黄牌101份，记录不良行为29起，2023年共移交案件调线索17起，记项目安全考评不合格6份。",
)
def performance_safety(figures: FigureSet) -> str:
    """Report 1, 六、（二）抓实安全生产 (also the source of report 2's 工作回顾 paragraphs)."""
    return ""


@pending(
    needs=(
        "safety.open_tenders",
        "safety.open_tender_amount",
        "safety.post_award_audits",
        "safety.audit_notices",
        "safety.audit_transfers",
        "safety.acceptance_filings",
        "safety.acceptance_cost",
        "safety.acceptance_house",
        "safety.acceptance_house_cost",
        "safety.acceptance_house_area",
        "safety.acceptance_municipal",
        "safety.acceptance_municipal_cost",
        "petitions.total",
        "petitions.by_channel (e.g. “12345信箱239件、舆情11件、信访26件、市长信箱8件”)",
    ),
    seed="2023年度公开招标项目共计14个，总金额78089.7763万元。……开展专项标后稽查3次，下发标后稽查整改告知书28份，"
    "将9起未取得施工许可证擅自开工项目移交住建局法规股立案查处……共办理建设工程项目竣工验收备案82个,"
    "工程总造价350773.89万元。其中房建类81个，工程总造价350391.39万元，建筑面积1913714.87平方米；"
    "市政工程1个，工程总造价382.5万元。……全年共办理建筑领域投诉、信访、交办284件（12345信箱239件、"
    "舆情11件、信访26件、市长信箱8件）。",
)
def performance_service(figures: FigureSet) -> str:
    """Report 1, 六、（三）优化服务质量: tendering, 竣工验收备案 and petitions."""
    return ""


# -- report 2: 项目支出绩效评价报告 (budget, per project) -------------------------------------------


@pending(
    needs=("project.goal",),
    seed="本项目为住建领域质量安全监管工作开展专项资金，保障全市所有在建项目质量安全巡查、监督管理，正常工作运转经费开支。",
)
def project_overview(figures: FigureSet) -> str:
    """Report 2, 一、（一）项目支出概况: what the project is for (from its 年度总体目标)."""
    return ""


@pending(
    needs=("project.name", "project.budget_total", "project.spent", "project.basis", "unit.year"),
    seed="本项目根据……立项。2023年，市财政安排质量安全监督管理专项资金20万元，截止2023年12月31日，"
    "项目工作经费开支20万元。",
)
def project_funds(figures: FigureSet) -> str:
    """Report 2, 一、（二）项目资金使用管理情况: basis documents, amount allocated and spent."""
    return ""


@pending(
    needs=("project.goal", "project.result"),
    seed="本年度绩效目标：严格把控在建项目质量安全，确保住建领域全年零事故。已全部完成任务。",
)
def project_goals(figures: FigureSet) -> str:
    """Report 2, 一、（三）项目支出绩效目标完成程度: 预期目标 and 实际完成情况 of the project table."""
    return ""


@pending(
    needs=("project.score", "project.grade"),
    seed="（seed 003 gives no sentence; write:）经自评，该项目绩效自评得分为100分，评价等级为“优”。",
)
def project_conclusion(figures: FigureSet) -> str:
    """Report 2, 三、项目支出主要绩效及评价结论: the score and grade, before the user's narrative."""
    return ""


@pending(
    needs=("project.budget_total", "project.spent", "project.rate"),
    seed="（seed 003 leaves it empty; write:）项目全年预算数20万元，全年执行数20万元，预算执行率100.00%。",
)
def project_execution(figures: FigureSet) -> str:
    """Report 2, 四、（二）项目执行过程情况."""
    return ""


@pending(
    needs=("project.output_indicators (value: list of (三级指标, 年度指标值, 实际完成值, 得分))",),
    seed="（seed 003 leaves it empty; one clause per 产出 indicator:）"
    "工程建设监管执法率年度指标值100%，实际完成100%；……",
)
def project_output(figures: FigureSet) -> str:
    """Report 2, 四、（三）项目支出产出情况."""
    return ""


@pending(
    needs=("project.benefit_indicators (value: list of (三级指标, 年度指标值, 实际完成值, 得分))",),
    seed="（seed 003 leaves it empty; one clause per 效益 indicator:）"
    "提高人居生活质量：不形成负面影响，实际没形成负面影响；……",
)
def project_benefit(figures: FigureSet) -> str:
    """Report 2, 四、（四）项目支出效益情况."""
    return ""


# -- report 3: 平安建设工作自查报告 (safety, petitions) ---------------------------------------------


@pending(
    needs=(
        "safety.inspection_rounds",
        "safety.inspected_projects",
        "safety.hazard_notices",
        "safety.hazards",
        "safety.hazard_rectification_rate",
        "safety.stop_work_notices",
        "safety.tender_total",
        "safety.tenders_by_kind (勘察/设计/监理/房建/市政/采购)",
        "safety.tender_amount (亿元)",
    ),
    seed="开展了市级层面质量安全大检查*次，检查工程项目***项，下发整改通知书**份……查出安全隐患**条，"
    "下发整改通知***份，隐患整改率达到100%。……完成现场监管交易***项（其中：勘察*项、设计**项、监理**项、"
    "房建**项、市政**项、采购*项），总中标金额**亿元",
)
def safety_key_tasks(figures: FigureSet) -> str:
    """Report 3, 一、（三）高效平稳推进重点工作 (seed 000; the ** are the figures)."""
    return ""


@pending(
    needs=(
        "petitions.total",
        "petitions.online",
        "petitions.forwarded (信访局转办)",
        "petitions.hotline (市长热线)",
        "petitions.done_rate",
        "petitions.visitors (人次)",
        "petitions.individual_visitors",
        "petitions.group_visitors",
        "petitions.yoy (“同比下降51.2%”)",
    ),
    seed="今年以来，市国资委共受理群众信访件42件（其中：市信访局转办件5件、市长热线投诉件11件），信访件办结率100%；"
    "共接待上访群众人数约935人次（其中：个访、重复访413人次，群访422人次），信访秩序逐步好转，"
    "信访数量有明显的下降，与去年同比下降了51.2%（seed 004）；2022年，共受理来信来访**件，其中网上信访**件，"
    "举报办结率***%（seed 000）。",
)
def safety_petitions(figures: FigureSet) -> str:
    """Report 3, 一、（四）依法处理来信来访."""
    return ""


# -- report 4: 季度房屋市政工程安全生产监督检查开展情况 (safety, per quarter) -----------------------


@pending(
    needs=("quarter.name", "quarter.projects_checked", "quarter.hazards", "quarter.rectification_notices"),
    seed="第一季度累计检查47项房屋市政工程，排查治理质量安全隐患49条，下发限期整改通知书3份。",
)
def quarter_inspections(figures: FigureSet) -> str:
    """Report 4, 一、三是 (the sentence closing the paragraph on supervision and guidance)."""
    return ""


@pending(
    needs=(
        "quarter.end_date",
        "quarter.fire_design_accepted",
        "quarter.fire_design_done",
        "quarter.fire_acceptance_accepted",
        "quarter.fire_acceptance_done",
        "quarter.fire_filing",
        "quarter.fire_filing_not_drawn",
        "quarter.fire_filing_drawn",
    ),
    seed="截止3月16日，全州受理消防设计审查29项、办结26项；受理消防验收21项、办结18项；"
    "受理消防验收备案55项、未抽中数10项，抽中数45项。",
)
def quarter_fire_review(figures: FigureSet) -> str:
    """Report 4, 一、四是 扎实开展建设工程消防设计审查验收工作."""
    return ""


@pending(
    needs=(
        "quarter.self_built_survey_rate",
        "quarter.self_built_review_rate",
        "quarter.self_built_review_rank",
        "quarter.self_built_fix_rate",
        "quarter.self_built_fix_rank",
    ),
    seed="排查完成率95.34%。……“回头看”完成14108栋，完成率96.41%，全疆排名第5。存在安全隐患的经营性自建房"
    "整共有213栋，已整治33栋，整改完成率15.49%，全疆排名第8。",
)
def quarter_self_built(figures: FigureSet) -> str:
    """Report 4, 一、五是 自建房专项整治 (only if the safety module records it)."""
    return ""


@pending(
    needs=("quarter.name", "quarter.complaints", "quarter.complaints_done"),
    seed="第一季度通过昌广行风热线等渠道，受理房屋质量投诉6项，已办结6项。",
)
def quarter_complaints(figures: FigureSet) -> str:
    """Report 4, 一、六是 积极处理房屋质量投诉信访工作."""
    return ""


@pending(
    needs=("quarter.name", "quarter.info_reports", "quarter.info_adopted"),
    seed="第一季度共计报送信息6篇，被昌吉日报采用1篇。",
)
def quarter_information(figures: FigureSet) -> str:
    """Report 4, 一、七是 完成信息报送工作."""
    return ""


# -- report 5: 巡察整改进展情况 (registers, per 巡察) -----------------------------------------------


@pending(
    needs=(
        "inspection.start",
        "inspection.end",
        "inspection.group",
        "inspection.name",
        "inspection.feedback_date",
    ),
    seed="按照市政府和市委巡察办统一部署,2022年11月28日至2022年12月30日,区党工委第二巡察组对我局开展了"
    "工程建设和房地产领域专项巡察,2023年1月20日,第二巡察组向我局反馈了巡察意见。按照巡察整改公开工作要求,"
    "现将整改进展情况予以公布。",
)
def inspection_opening(figures: FigureSet) -> str:
    """Report 5, the opening 导语."""
    return ""


@pending(
    needs=("inspection.aspects", "inspection.problems"),
    seed="根据巡察反馈意见，结合我局实际确定了整改重点任务，建立了专项巡察反馈问题责任分解清单，将3个方面12个主要问题"
    "分别落实到责任领导和责任科室，逐项明确问题清单、任务清单、时间清单、责任清单，实行台账式管理、清单式销号。",
)
def inspection_ledger(figures: FigureSet) -> str:
    """Report 5, 二、建立整改台账，实行清单管理."""
    return ""


@pending(
    needs=(
        "inspection.aspects",
        "inspection.problems",
        "inspection.done",
        "inspection.in_progress",
        "inspection.long_term",
    ),
    seed="对照巡察组提出的3个方面、12项问题，梳理整改任务，建立整改台账，分别明确责任领导、牵头单位、责任单位和整改期限，"
    "全面开展整改，从严从实整改，完成了整改目标。（then: 已完成整改X项，正在推进Y项，需长期坚持Z项。）",
)
def inspection_progress(figures: FigureSet) -> str:
    """Report 5, 三、整改落实情况 (its own paragraph; the per-problem sections are generated)."""
    return ""
