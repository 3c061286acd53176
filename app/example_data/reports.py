"""The example unit's report prose for 2023: the narrative parts of seed 003's 部门整体支出绩效自评报告 and
a 平安建设工作自查报告 in the manner of seed 000.

Only prose is stored. Figures are never typed here: the sections that state figures are drafted from
the modules' data at export (the unit profile now; budget, safety and petitions in phase 2).
"""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.example_data.unit import EXAMPLE_YEAR
from app.models.reports import ReportSection
from app.models.unit import Unit

DEPT_SELF_EVAL = {
    "performance": (
        "总体来看，市建工服务中心部门整体绩效目标完成情况较好。建工服务中心坚持以习近平新时代中国特色社会主义思想为指导，"
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


def build_example_prose(session: Session, unit: Unit) -> None:
    year = next(y for y in unit.years if y.year == EXAMPLE_YEAR)
    rows = [
        dict(
            unit_year_id=year.id,
            report_key=report_key,
            scope="",
            section_key=key,
            parent_key="",
            position=0,
            title="",
            text=text,
            run_in=None,
            hidden=False,
            carried_from=None,
        )
        for report_key, texts in (
            ("dept_self_eval", DEPT_SELF_EVAL),
            ("safety_self_check", SAFETY_SELF_CHECK),
        )
        for key, text in texts.items()
    ]
    session.execute(insert(ReportSection), rows)
