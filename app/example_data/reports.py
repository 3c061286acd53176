"""The example unit's report prose for 2023: the narrative parts of seed 003's 部门整体支出绩效自评报告 and
项目支出绩效评价报告, a 平安建设工作自查报告 in the manner of seed 000, the quarterly reports of seed 002
and the 巡察整改进展情况 of seed 001.

Only prose is stored. Figures are never typed here: the sections that state figures are drafted
from the modules' data at export, and where the example's own text quotes a figure it writes the
figure's placeholder (【部门全年预算数】), as a clerk does with “插入数据”.
"""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.example_data.unit import EXAMPLE_YEAR
from app.models.reports import ReportSection, ReportSetting
from app.models.unit import Unit
from app.services.reports.prose import CUSTOM_PREFIX

DEPT_SELF_EVAL = {
    "performance": (
        "总体来看，【年度】年度部门全年预算数【部门全年预算数】万元，全年执行数【部门全年执行数】万元，"
        "预算执行率【部门整体预算执行率】；经自评，部门整体支出绩效自评得分【部门整体自评总分】分，"
        "评价等级为“【部门整体评价等级】”，部门整体绩效目标完成情况较好。"
        "建工服务中心坚持以习近平新时代中国特色社会主义思想为指导，"
        "深入学习贯彻党的二十大精神，紧跟市委市政府决策部署，在住建局党组的坚强领导下，在各单位的配合和支持下，"
        "紧紧围绕“安全生产”这一条主线，统筹抓好建筑领域招投标管理、企业管理等各项工作，通过“党建+业务”，"
        "持续巩固基层政治建设，优化服务质量，提升监管效能，为建筑业高质量发展提供全面的安全监管和技术服务支撑。"
    ),
    "performance.party": (
        "始终把政治建设、廉政建设和加强内部管理摆在中心位置，始终坚持服务项目、服务企业、服务行业发展的工作理念。"
        "坚持用党的创新理论凝心铸魂，班子带头学懂弄通做实，把学习宣传贯彻党的二十大精神作为首要政治任务，"
        "抓实理论学习，开展深入交流研讨。严格落实“三会一课”制度，多形式开展学习教育。落实全面从严治党责任、"
        "加强党风廉政建设教育，坚持民主集中制，“三重一大”事项集体决策；强力推进“清廉机关”建设，"
        "做到“常提醒、常教育、常监督”，形成了不能腐、不敢腐、不想腐的局面。"
    ),
    # seed 003, 六、 › 二、全力提升服务水平 › （一）, verbatim (it quotes no figure)
    "performance.foundation": (
        "为推动建筑业稳定发展，守牢建筑领域安全生产底线，我们迎难而上，不断锤炼本领，提升服务水平，"
        "全力推进建筑领域各项工作任务实现预期目标。一是内部发力提本领、强技能。我们积极探索突破工学矛盾，"
        "设立“周三课堂”，组织干职工开展质量安全、试验检测、行业管理、党风廉政等知识学习与测试，"
        "通过集中学习、讨论交流，提升干职工的专业技能和理论知识，形成了积极向上的学习氛围。"
        "二是带动行业蓄动能、谋发展。班子带头深入企业，走访调研，了解企业生产经营中的难点堵点，"
        "提供技术指导与服务，帮助企业项目降本增效、纾困解难题；组织企业开展安全月、质量安全观摩、"
        "专业技能培训，带动企业提高管理水平，提升安全生产意识。三是形成合力同提升、共进步。"
        "在单位内部，开展各种形式的学习与活动，通过党建、团建、拓展、集中学习讨论等形形式，"
        "增进干职工之间交流与学习，在学习与活动中提升能力，增进友谊，形成了和谐友好、乐观向上的团队氛围，"
        "而且调动了职工的工作热情,促进了日常工作中的协调与联动。在对外工作中，我们积极与住建系统以及"
        "其他业务相关单位沟通联系，主动跨单位跨部门进行工作联动，帮助企业和项目、群众解决实际问题，"
        "服务工作更优质开展。"
    ),
    "problems": (
        "检测、监理企业对质量安全的认识和重视程度稳步提高，管理水平也逐步提升，但部分项目仍然存在重视不够，"
        "管理不力等问题。我们将进一步加强管理，督促企业履职尽责，提升建设项目检测、监理水平。"
    ),
    "improvements": (
        "一是深化“清廉机关”建设，加强领导班子和干部队伍建设，进一步加强内部管理和廉政勤政教育，"
        "以党建和廉政建设促进业务工作开展。二是抓实建设项目的问题隐患整改，督促项目举一反三，认真自查整改；"
        "深化“安全生产月”活动效果，压实主体责任，强化日常安全生产监管，抓好起重机械等重大危险源管控，"
        "确保行业安全形势稳定。三是继续做好各项行业管理工作，开展公开招投标在建项目标后稽查和建筑工程代理机构"
        "从业人员核查工作。四是提升管理水平，谋划工作新突破。抓好职工教育培训，用好智慧平台，提升监管效率，"
        "确保工程质量安全。"
    ),
}

# 项目支出绩效评价报告, by project name: the sections seed 003 writes as narrative.
DECISION = (
    "项目立项依据充分，符合国家和省、市关于建筑行业管理和工程质量安全监管的政策要求；年度绩效目标明确，"
    "与单位职能和年度工作任务相匹配，资金安排合理。"
)
SMART_PLATFORM = "建设工程监管智慧平台利用率还不够，还需进一步提高智慧平台使用率，借助科技手段提高管理效能。"
PROJECT_EVAL = {
    "质量安全监督管理专项": {
        "work": (
            "【年度】年度，我站结合工作实际，深入贯彻习近平总书记关于安全生产重要指示批示精神，坚持“人民至上、"
            "生命至上、安全第一”的安全生产理念，紧紧围绕打好建筑领域安全生产翻身仗的目标，扎实开展各项专项治理工作，"
            "采取多查多督、加强执法的办法，确保各项工作落到实处。\n"
            "强化安全生产监督指导，采取加强行业教育，提醒、警示、约谈，限期整改、停工整改、行政处罚、立案查处等多种手段，"
            "督促参与建设各方主体责任单位提高安全生产意识，履行安全生产责任。从起重机械设备入手，加大危大工程管控，"
            "使最易失控、最易发生较大以上事故的重大危险源得到有力管控。"
        ),
        "indicators.decision": DECISION,
        "experience": SMART_PLATFORM,
    },
    "招投标监督管理专项": {
        "work": (
            "【年度】年建筑工程公开招标项目共计【公开招标项目（2023年）】个，中标金额合计为"
            "【公开招标中标金额（2023年）】万元。根据《湖南省房屋建筑和市政基础设施工程招标投标管理办法》要求，"
            "我单位监管方式为事中事后监管，实行招标人负责制，重点监督招标人招标实施过程中是否存在违法违规行为："
            "必须进行招标的项目是否依法进行招标，招标投标活动是否按法定程序和规则进行。"
        ),
        "indicators.decision": DECISION,
        "experience": (
            "加强建设工程标后的跟踪管理，加大标后稽查力度，对中标的建设工程进行施工现场检查，分定期检查和"
            "不定期抽查两种形式，查处挂靠、转包、违法分包等违法行为；弱化事前审批，强化事后监督。"
        ),
    },
    "工作经费": {
        "work": (
            "绩效评价工作按照“统一组织、分工负责、分步实施”原则进行，我中心成立了由主任任组长、相关业务股室负责人"
            "为成员的绩效自评工作组，由办公室具体牵头，相关业务科室配合，组织专人开展绩效自评工作，"
            "并召开绩效评价工作专题会议。"
        ),
        "indicators.decision": DECISION,
        "experience": SMART_PLATFORM,
    },
}

SAFETY_SELF_CHECK = {
    "work.responsibility": (
        "按照“全员抓稳定，全力保平安”的工作思路，进一步明确职责，形成整体合力。一是强化组织领导。"
        "明确了我单位平安建设工作由主要负责同志负总责、分管领导具体负责、科室负责人抓落实的工作格局，"
        "切实筑牢工作体系。二是实行责任追究。建立了平安建设工作领导责任制和目标管理责任制，"
        "问责及处罚结果与年终考核评优直接挂钩。三是开展检查督导。认真落实综治委和维稳领导小组部署和交办的事项，"
        "协助抓好涉及住建系统重大事项社会稳定风险评估工作，全年无重大社会稳定事项发生。"
    ),
    "work.team": (
        "一是完善学习制度。制定学习计划，明确学习内容，采取讲授专题党课、现场教学、集中学习和理论研讨等形式，"
        "组织学习了党的二十大精神、行业法律法规、综治维稳等规章文件，不断深化干部职工对平安建设丰富内涵和重大意义的认识。"
        "二是强化宣传教育。认真开展了“安全生产月”活动，制作展板、悬挂安全生产宣传标语、发放法律法规宣传资料，"
        "营造了人人讲安全的良好氛围。"
    ),
    "problems": (
        "一是工作上有畏难情绪。对于一些很难解决的历史遗留问题，个别工作人员不能及时采取有针对性的措施。"
        "二是兄弟单位配合不够紧密。有些建设领域问题涉及多个单位，需要协同配合。三是建筑企业资质等级普遍偏低，"
        "建筑企业人员流动较大，拖欠农民工工资上访事件时有发生。四是监管人员配备不够、技术力量相对薄弱。"
    ),
    "plans": (
        "一是着力提高思想认识。充分认识平安建设的重大意义，切实承担起“保一方平安”的政治责任。"
        "二是加强建筑市场管理。加强农民工实名制管理，督促企业按月足额发放工资。三是严格落实质量安全责任制。"
        "健全完善风险分级管控和隐患排查治理双重预防工作体系，强化质量安全督查检查。四是加大法制宣传力度。"
        "坚持以人为本，以“事要解决”为核心，引导当事人理性表达，通过法定途径解决问题。"
    ),
}

# 季度房屋市政工程安全生产监督检查开展情况 (seed 002). The first quarter has every 重点工作; the later
# quarters leave out those with nothing to report (消防审验, 自建房, 投诉 and 信息 were typed for Q1 only).
# 二、存在的问题 goes by 方面, as subsections the clerk added (“添加小节”), so that they are numbered
# （一）（二） like the seed's: (title, text, run_in). The first runs in (“（一）……方面：工程项目……”), the
# second stands on its line above its 一是…二是….
QUARTER_PROBLEMS = (
    (
        "房屋和市政工程施工安全方面：",
        "工程项目开复工时间集中，监管压力较大。大量人员、设备进场，施工作业面增多，"
        "复工前安全管理和扬尘治理易处松懈状态，极易引发事故和施工扬尘超标现象。",
        True,
    ),
    (
        "自建房专项整治方面：",
        "一是经营性自建房隐患排查不够准确；二是部分自建房安全鉴定检测依据不符合相关要求；"
        "三是存在严重安全隐患的自建房围护警示不到位。",
        False,
    ),
)
LATER_QUARTER_PROBLEMS = (
    (
        "房屋和市政工程施工安全方面：",
        "在建项目数量多、作业面广，部分项目安全管理人员履职不到位，"
        "隐患整改不及时、不彻底，同类隐患反复出现；汛期和高温时段施工安全风险较高。",
        True,
    ),
)
QUARTER_NEXT = (
    "一是提高政治站位，全面压实责任。严格落实部门安全生产和扬尘治理监管责任以及企业主体责任，坚决克服麻痹思想"
    "和松懈心态。二是加强风险分析研判，强化安全隐患排查治理。紧盯建筑施工关键环节，深入推进企业风险管控和隐患"
    "排查治理双重预防机制，加强危大工程安全管理。三是加强监督队伍建设，提高安全生产监管能力水平。强化智慧监管，"
    "将智慧工地建设情况纳入日常监督内容。四是加强应急值守，提高应急保障能力。督促企业定期开展应急演练。"
)
QUARTERS = {
    "Q1": {
        "work.plan": (
            "为确保全年房屋市政工程安全生产工作开好局起好步，深入分析上年质量安全工作存在的难点和薄弱环节，"
            "结合上级住建部门年度质量安全工作要点，制定本年度质量安全工作要点，确保全市房屋市政工程质量安全"
            "生产工作落到实处，坚决防范遏制质量安全事故的发生。"
        ),
        "work.training": (
            "为进一步加强全市建设工程质量安全管理，提升质量安全监督人员业务水平，举办全市质量安全培训班，"
            "邀请安全生产专家重点对《安全生产法》等法律法规、政策文件要求进行业务授课，为做好全年建筑施工质量"
            "安全监管工作奠定良好基础。"
        ),
        "next": QUARTER_NEXT,
    },
    **{quarter: {"next": QUARTER_NEXT} for quarter in ("Q2", "Q3", "Q4")},
}
LATER_QUARTERS_HIDDEN = (
    "work.plan",
    "work.training",
    "work.fire",
    "work.self_built",
    "work.complaints",
    "work.information",
)

# 巡察整改进展情况 (seed 001).
RECTIFICATION = {
    "responsibility": (
        "坚决履行巡察整改主体责任，对巡察组反馈的问题照单全收，第一时间召开专题会全面动员部署巡察整改工作，"
        "压实整改主体责任。单位主要负责同志认真履行巡察整改第一责任人责任，重点环节亲自推动、重点事项亲自督办、"
        "重点问题亲自解决；分管领导坚持一手抓自身整改，一手抓分管部门和分管领域整改；各股室负责同志为具体整改"
        "责任人，负责具体任务的整改落实，形成了班子统揽、股室牵头、逐级分解、层层压实的整改工作格局。"
    ),
    "next": (
        "一是坚持标准不降、力度不减，对正在整改的问题紧盯不放，确保按期整改到位。二是对已完成整改的问题适时"
        "开展“回头看”，防止问题反弹。三是把巡察整改与日常监管工作结合起来，建立健全长效机制，以整改成效推动"
        "工程建设和房地产领域各项工作高质量发展。"
    ),
}


def _rows(unit_year_id: int, report_key: str, scope: str, texts: dict[str, str], hidden=()) -> list[dict]:
    rows = [
        dict(
            unit_year_id=unit_year_id,
            report_key=report_key,
            scope=scope,
            section_key=key,
            parent_key="",
            position=0,
            title="",
            text=text,
            run_in=None,
            hidden=False,
            carried_from=None,
        )
        for key, text in texts.items()
    ]
    rows += [
        dict(
            unit_year_id=unit_year_id,
            report_key=report_key,
            scope=scope,
            section_key=key,
            parent_key="",
            position=0,
            title="",
            text="",
            run_in=None,
            hidden=True,
            carried_from=None,
        )
        for key in hidden
    ]
    return rows


def _subsection_rows(
    unit_year_id: int, report_key: str, scope: str, parent_key: str, subsections: tuple[tuple, ...]
) -> list[dict]:
    """Subsections added under `parent_key` (as “添加小节” stores them): (title, text, run_in)."""
    return [
        dict(
            unit_year_id=unit_year_id,
            report_key=report_key,
            scope=scope,
            section_key=f"{CUSTOM_PREFIX}example-{parent_key}-{position}",
            parent_key=parent_key,
            position=position,
            title=title,
            text=text,
            run_in=run_in,
            hidden=False,
            carried_from=None,
        )
        for position, (title, text, run_in) in enumerate(subsections, 1)
    ]


def build_example_prose(session: Session, unit: Unit) -> None:
    """The example's prose; runs after the budget and registers builders (their records are scopes)."""
    from app.models.budget import BudgetProject, BudgetYear
    from app.models.registers import Inspection

    year = next(y for y in unit.years if y.year == EXAMPLE_YEAR)
    rows = _rows(year.id, "dept_self_eval", "", DEPT_SELF_EVAL)
    rows += _rows(year.id, "safety_self_check", "", SAFETY_SELF_CHECK)
    projects = session.execute(
        select(BudgetProject.name, BudgetProject.id)
        .join(BudgetYear, BudgetYear.id == BudgetProject.budget_year_id)
        .where(BudgetYear.unit_year_id == year.id)
    ).all()
    for name, project_id in projects:
        if name in PROJECT_EVAL:
            rows += _rows(year.id, "project_eval", f"project:{project_id}", PROJECT_EVAL[name])
    for quarter, texts in QUARTERS.items():
        hidden = () if quarter == "Q1" else LATER_QUARTERS_HIDDEN
        rows += _rows(year.id, "safety_quarterly", quarter, texts, hidden)
        problems = QUARTER_PROBLEMS if quarter == "Q1" else LATER_QUARTER_PROBLEMS
        rows += _subsection_rows(year.id, "safety_quarterly", quarter, "problems", problems)
    for inspection_id in session.scalars(select(Inspection.id).where(Inspection.unit_id == unit.id)):
        rows += _rows(year.id, "rectification_progress", f"inspection:{inspection_id}", RECTIFICATION)
    session.execute(insert(ReportSection), rows)
    # The 部门整体支出绩效自评报告 goes out with its self-evaluation tables appended.
    session.add(
        ReportSetting(unit_year_id=year.id, report_key="dept_self_eval", scope="", append_tables=True)
    )
