"""The example unit's budget performance: seed 003 (2023) and the 2022 决算数 its 基础数据表 quotes.

The seed's own inconsistencies are resolved by storing each figure once:
- 项目支出: 质量安全监督管理专项 20/20/20, 招投标监督管理专项 5/5/5 (the project tables; the
  基础数据表's 5 and 20 are the seed's swap), 工作经费 年初 325 / 全年 334.74 / 执行 334.73 (its report:
  "全年支出334.73万元"). So 项目支出 is 359.74 (全年预算数) and 359.73 (全年执行数).
- 全年执行数 951.90 = 基本支出 592.17 (人员经费 572.61 + 公用经费 19.56) + 项目支出 359.73
  = 一般公共预算 885.94 + 其他资金 65.96.
- The 工作经费 table gives 效益指标 40 points and 成本指标 10 (its two 不适用 cost indicators carry
  none): its header weights say so, where the seed left "(30分)"/"(20分)".
- 公用经费 in the 基础数据表 is the same 19.56 (基本支出 only, as its footnote says); its 其中 items
  (7.88 + 23.16 + 1.69 = 32.73) are the seed's and exceed it, which the checks point out.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from app.example_data.unit import EXAMPLE_YEAR, PRIOR_YEAR
from app.models.unit import Unit
from app.services.budget.data import (
    BudgetYearData,
    ControlEntry,
    Funds,
    Indicator,
    Project,
    write_year,
)

D = Decimal
SUPERVISOR = "汨罗市住房和城乡建设局"
UNIT = "汨罗市建筑工程服务中心"

# (一级, 二级, 三级, 年度指标值, 实际完成值, 分值[, 得分 typed, 偏差原因])
Row = tuple

DEPARTMENT_INDICATORS: list[Row] = [
    ("产出指标", "数量指标", "工程建设监管执法率", "100%", "100%", 1),
    ("产出指标", "数量指标", "监督工程竣工验收率", "100%", "100%", 1),
    ("产出指标", "数量指标", "质量投诉回复处理率", "群众满意度100%", "群众满意度100%", 1),
    ("产出指标", "数量指标", "质量安全标准化考评率", "100%", "100%", 1),
    ("产出指标", "数量指标", "建筑施工企业信用评价率", "100%", "100%", 1),
    ("产出指标", "数量指标", "房建和市政基础设施建设项目监管率", "100%", "100%", 2),
    (
        "产出指标",
        "数量指标",
        "办理项目竣工验收率",
        "60个",
        "27个",
        1,
        "0.5",
        "根据市场实际情况，全年只有27个项目，已全部办理竣工验收",
    ),
    ("产出指标", "数量指标", "违法建设巡查率", "100%", "100%", 1),
    ("产出指标", "数量指标", "做好公开招标项目监管", "16个", "15个", 1, "1", ""),
    ("产出指标", "质量指标", "扬尘防治责任公示", "全覆盖", "全覆盖", 1),
    ("产出指标", "质量指标", "公开招投标项目监管服务满意率", "95%以上", "100%", 1),
    ("产出指标", "质量指标", "智慧工地视频监控等智慧板块覆盖率", "40%", "40%", 2),
    ("产出指标", "质量指标", "施工现场质量安全样板", "覆盖率全面提升", "覆盖率全面提升", 1),
    ("产出指标", "质量指标", "房屋质量", "无较重大及以上质量安全事故", "无较重大及以上质量安全事故", 1),
    ("产出指标", "质量指标", "工程建设消防安全", "不发生较大消防安全事故", "不发生较大消防安全事故", 1),
    ("产出指标", "质量指标", "在建项目劳务实名制", "全覆盖", "全覆盖", 1),
    ("产出指标", "质量指标", "建筑工程质量安全", "不发生较大安全生产事故", "不发生较大安全生产事故", 1),
    ("产出指标", "质量指标", "现场质量安全巡查", "每月一次以上", "每月一次以上", 1),
    ("产出指标", "时效指标", "按计划时间完成", "2023年1-12月", "按计划完成", 10),
    ("效益指标", "经济效益指标", "提高人居生活质量", "不形成负面影响", "不形成负面影响", 10),
    ("效益指标", "社会效益指标", "群众对质量安全的认识", "让质量安全更深入人心", "让质量安全更深入人心", 4),
    ("效益指标", "社会效益指标", "工程质量安全形势", "整体平稳", "整体平稳", 3),
    ("效益指标", "社会效益指标", "优化、简化监督注册流程", "让群众省心省力", "让群众省心省力", 3),
    (
        "效益指标",
        "生态效益指标",
        "严格控制建筑施工扬尘，促进建筑产业绿色发展",
        "工程项目质量绿色安全可靠",
        "工程项目质量绿色安全可靠",
        5,
    ),
    ("效益指标", "可持续影响指标", "建筑市场平稳有序发展", "95%以上", "95%以上", 5),
    ("满意度指标", "服务对象满意度指标", "施工企业、业主、群众满意度非常高", "98%", "98%", 10),
    (
        "成本指标",
        "经济成本指标",
        "控制在财政预算内",
        "控制在财政预算内",
        "控制在财政预算内",
        10,
        None,
        "财政追加预算",
    ),
    ("成本指标", "社会成本指标", "对社会发展可能造成的负面影响", "无", "无", 5),
    ("成本指标", "生态环境成本指标", "对自然生态环境造成的负面影响", "无", "无", 5),
]

_SHARED_BENEFITS: list[Row] = [
    (
        "效益指标",
        "社会效益指标",
        "服务工程建设领域",
        "促进建筑行业规范运行，提升质效",
        "促进建筑行业规范运行，提升质效",
        10,
    ),
    (
        "效益指标",
        "生态效益指标",
        "严格控制建筑施工扬尘、促进建筑产业绿色发展",
        "工程项目质量绿色安全可靠",
        "工程项目质量绿色安全可靠",
        5,
    ),
    ("效益指标", "可持续影响指标", "建筑市场平稳有序发展", "95%以上", "95%以上", 5),
]
_SHARED_COSTS: list[Row] = [
    ("成本指标", "社会成本指标", "对社会发展可能造成的负面影响", "无", "无", 5),
    ("成本指标", "生态环境成本指标", "对自然生态环境造成的负面影响", "无", "无", 5),
]

QUALITY_INDICATORS: list[Row] = [
    ("产出指标", "数量指标", "工程建设监管执法率", "100%", "100%", 4),
    ("产出指标", "数量指标", "质量安全标准化考评率", "100%", "100%", 3),
    ("产出指标", "数量指标", "质量投诉回复处理率", "群众满意度100%", "群众满意度100%", 3),
    ("产出指标", "质量指标", "建筑工程质量安全", "不发生较大安全生产事故", "不发生较大安全生产事故", 5),
    ("产出指标", "质量指标", "智慧工地视频监控等智慧板块覆盖率", "40%", "40%", 5),
    ("产出指标", "时效指标", "按计划时间完成", "2023年1-12月", "已按计划时间完成", 10),
    ("效益指标", "经济效益指标", "提高人居生活质量", "不形成负面影响", "没形成负面影响", 10),
    *_SHARED_BENEFITS,
    ("满意度指标", "服务对象满意度指标", "施工企业、业主、群众满意度非常高", "98%", "98%", 10),
    ("成本指标", "经济成本指标", "控制成本，多干实事", "20万元", "没超预算", 10),
    *_SHARED_COSTS,
]

TENDER_INDICATORS: list[Row] = [
    ("产出指标", "数量指标", "做好公开招投标项目监管", "16个", "15个", 10, "10", ""),
    ("产出指标", "质量指标", "公开招投标项目监管服务满意度", "95%以上", "95%以上", 10),
    ("产出指标", "时效指标", "按计划时间完成", "不超预算", "没超预算", 10),
    ("效益指标", "经济效益指标", "提高人居生活质量", "不形成负面影响", "没有形成负面影响", 10),
    *_SHARED_BENEFITS,
    ("满意度指标", "服务对象满意度指标", "群众满意度非常高", "98%", "98%", 10),
    ("成本指标", "经济成本指标", "控制成本，多干实事", "5万元", "5万元", 10),
    *_SHARED_COSTS,
]

WORK_INDICATORS: list[Row] = [
    ("产出指标", "数量指标", "工程建设监管执法率", "100%", "100%", 1),
    ("产出指标", "数量指标", "房建和市政基础设施建设项目监管率", "100%", "100%", 2),
    ("产出指标", "数量指标", "建筑施工企业信用评价率", "100%", "100%", 1),
    ("产出指标", "数量指标", "质量安全标准化考评率", "100%", "100%", 1),
    ("产出指标", "数量指标", "质量投诉回复处理率", "群众满意度100%", "群众满意度100%", 1),
    (
        "产出指标",
        "数量指标",
        "办理项目竣工验收率",
        "60个",
        "27个",
        1,
        "0.5",
        "根据市场实际情况，全年只有27个项目，已全部办理竣工验收",
    ),
    ("产出指标", "数量指标", "监督工程竣工验收率", "100%", "100%", 1),
    ("产出指标", "数量指标", "违法建设巡查率", "100%", "100%", 1),
    ("产出指标", "数量指标", "做好公开招标项目监管", "16个", "15个", 1, "1", ""),
    ("产出指标", "质量指标", "智慧工地视频监控等智慧板块覆盖率", "40%", "40%", 2),
    ("产出指标", "质量指标", "扬尘防治责任公示", "全覆盖", "全覆盖", 1),
    ("产出指标", "质量指标", "工程建设消防安全", "不发生较大消防安全事故", "不发生较大消防安全事故", 1),
    ("产出指标", "质量指标", "建筑工程质量安全", "不发生较大安全生产事故", "不发生较大安全生产事故", 1),
    ("产出指标", "质量指标", "施工现场质量安全样板", "覆盖率全面提升", "覆盖率全面提升", 1),
    ("产出指标", "质量指标", "现场质量安全巡查", "每月一次以上", "每月一次以上", 1),
    ("产出指标", "质量指标", "在建项目劳务实名制", "全覆盖", "全覆盖", 1),
    ("产出指标", "质量指标", "房屋质量", "无较重大及以上质量安全事故", "无较重大及以上质量安全事故", 1),
    ("产出指标", "质量指标", "公开招投标项目监管服务满意率", "95%以上", "100%", 1),
    ("产出指标", "时效指标", "按计划时间完成", "2023年1-12月", "按计划完成", 10),
    ("效益指标", "经济效益指标", "提高人居生活质量", "不形成负面影响", "不形成负面影响", 10),
    ("效益指标", "社会效益指标", "群众对质量安全的认识", "让质量安全更深入人心", "让质量安全更深入人心", 5),
    ("效益指标", "社会效益指标", "工程质量安全形势", "整体平稳", "整体平稳", 5),
    (
        "效益指标",
        "生态效益指标",
        "严格控制建筑施工扬尘，促进建筑产业绿色发展",
        "工程项目质量绿色安全可靠",
        "工程项目质量绿色安全可靠",
        10,
    ),
    ("效益指标", "可持续影响指标", "建筑市场平稳有序发展", "95%以上", "95%以上", 10),
    ("满意度指标", "服务对象满意度指标", "施工企业、业主、群众满意度非常高", "98%", "98%", 10),
    ("成本指标", "经济成本指标", "控制在财政预算内", "控制在财政预算内", "控制在财政预算内", 10),
]
WORK_NOT_APPLICABLE = ("社会成本指标", "生态环境成本指标")

DEPARTMENT_GOAL = (
    "1、建筑工程招投标监督管理；2、建筑行业资质管理、建筑业统计、专业技术人员培训；"
    "3、建筑工程质量、安全生产监管、竣工验收备案、检测市场管理；4、建筑材料价格信息收集、施工定额测编、"
    "工程造价管理；5、建筑工程、非住宅室内装饰工程质量安全监管；6、建筑工程和市政基础设施工程防雷安全监管。"
)
WORK_GOAL = (
    "建筑工程招投标监督管理；建筑行业资质管理、建筑业统计、专业技术人员培训；建筑工程质量、安全生产监管、"
    "竣工验收备案、检测市场管理；建筑材料价格信息收集、施工定额测编、工程造价管理；建筑工程、非住宅室内装饰"
    "工程质量安全监管；建筑工程和市政基础设施工程防雷安全监管。"
)
THRIFT = "严格控制各项支出，优化财政支出结构，提高财政资金使用效率，确保政府过紧日子要求落到实处。"


def indicators(rows: list[Row]) -> list[Indicator]:
    result = []
    for row in rows:
        level1, level2, name, target, actual, weight, *rest = row
        score = rest[0] if rest else None
        reason = rest[1] if len(rest) > 1 else ""
        result.append(
            Indicator(
                level1=level1,
                level2=level2,
                name=name,
                target=target,
                actual=actual,
                weight=D(weight),
                score=None if score is None else D(score),
                reason=reason,
            )
        )
    return result


def _funds(initial: str, full: str, executed: str) -> Funds:
    return Funds(D(initial), D(full), D(executed))


def _zero() -> Funds:
    return _funds("0", "0", "0")


def example_2023() -> BudgetYearData:
    data = BudgetYearData(rule_set="hunan")
    # 基本支出 budgets: 年度资金总额 801.08 / 951.90 less the projects' 350 / 359.74
    data.basic_initial, data.basic_full = D("451.08"), D("592.16")
    data.income_general, data.income_fund = D("885.94"), D("0")
    data.income_special, data.income_other = D("0"), D("65.96")
    data.personnel, data.public = D("572.61"), D("19.56")
    data.state_capital, data.social_insurance = D("0"), D("0")  # "本年度本单位无…安排的支出"
    data.goal_expected, data.goal_actual = DEPARTMENT_GOAL, "任务已经完成"
    data.thrift_measures = THRIFT
    typed = {
        "car_purchase": ("0", "0"),
        "car_running": ("0", "0"),
        "abroad": ("0", "0"),
        "reception": ("5.8", "0"),
        "office": ("6.96", "7.88"),
        "utilities": ("16.24", "23.16"),
        "meetings": ("5.8", "1.69"),
        "procurement": ("37.25", "59.7"),
    }
    data.control = {code: ControlEntry(None, D(b), D(a)) for code, (b, a) in typed.items()}
    data.indicators = indicators(DEPARTMENT_INDICATORS)

    quality = Project(
        name="质量安全监督管理专项",
        supervisor=SUPERVISOR,
        implementer=UNIT,
        kind="县级专项资金",
        current=_funds("20", "20", "20"),
        carry=_zero(),
        other=_zero(),
        basis=(
            "国办发〔2017〕19号《国务院办公厅关于促进建筑业持续健康发展的意见》；建质〔2014〕153号；"
            "建质〔2014〕154号；湘政办发〔2020〕36号《关于完善质量保障体系提升建筑工程品质若干措施》；"
            "湘建建函〔2021〕51号《关于进一步加强全省建设工程质量安全监督队伍建设的通知》"
        ),
        overview="本项目为住建领域质量安全监管工作开展专项资金，保障全市所有在建项目质量安全巡查、监督管理，正常工作运转经费开支。",
        goal_expected="严格把控在建项目质量安全，确保住建领域不发生较大及以上质量安全事故",
        goal_actual="严格把控在建项目质量安全，住建领域没发生较大及以上质量安全事故",
        indicators=indicators(QUALITY_INDICATORS),
    )
    tender = Project(
        name="招投标监督管理专项",
        supervisor=SUPERVISOR,
        implementer=UNIT,
        kind="县级专项资金",
        current=_funds("5", "5", "5"),
        carry=_zero(),
        other=_zero(),
        basis=(
            "岳公管委〔2020〕2号《岳阳市进一步开展工程建设项目招标突出问题专项整治工作方案》；"
            "《2022岳阳市住建领域招投标突出问题专项整治工作方案》"
        ),
        overview="本项目为全市建筑工程领域招投标突出问题专项整治，全市建筑工程领域招投标监督管理的工作经费开支。",
        goal_expected=(
            "通过专项整治，维护公平公正的招投标市场秩序，优化营商环境，实现招投标监管工作再上新台阶，"
            "不断推进我市住建事业高质量发展。"
        ),
        goal_actual="工作已基本完成",
        indicators=indicators(TENDER_INDICATORS),
    )
    work_indicators = indicators(WORK_INDICATORS)
    work_indicators += [
        Indicator(level1="成本指标", level2=level2, not_applicable=True) for level2 in WORK_NOT_APPLICABLE
    ]
    work = Project(
        name="工作经费",
        supervisor=SUPERVISOR,
        implementer=UNIT,
        kind="县级专项资金",
        current=_funds("325", "334.74", "334.73"),
        carry=_zero(),
        other=_zero(),
        basis="单位财务管理制度（支出经领导层层审核把关）",
        overview=(
            "建设工程招投标监督管理；建筑业资质管理、建筑业统计、专业技术人员培训；建筑工程质量、安全生产监管、"
            "竣工验收备案、检测市场管理；建筑材料价格信息收集、施工定额测编、工程造价管理；建筑工程、非住宅内装饰"
            "工程质量安全监管；建筑工程和市政基础设施工程防雷安全监管等工作经费支出。"
        ),
        goal_expected=WORK_GOAL,
        goal_actual="任务已完成",
        indicators=work_indicators,
        level1_weights={"效益指标": D(40), "成本指标": D(10)},
    )
    data.projects = [quality, tender, work]
    return data


def example_2022() -> BudgetYearData:
    """Only what the 2023 基础数据表 quotes as 2022年决算数."""
    data = BudgetYearData(rule_set="hunan")
    actuals = {
        "car_purchase": "0",
        "car_running": "0",
        "abroad": "0",
        "reception": "0.12",
        "office": "4.09",
        "utilities": "12.57",
        "meetings": "3.09",
        "procurement": "59.7",
    }
    data.control = {code: ControlEntry(None, None, D(a)) for code, a in actuals.items()}
    data.projects = [
        Project(
            name="智慧平台服务及专用检测费",
            supervisor=SUPERVISOR,
            implementer=UNIT,
            kind="县级专项资金",
            current=_funds("12.52", "12.52", "12.52"),
        )
    ]
    data.thrift_measures = THRIFT
    return data


def build_budget(session: Session, unit: Unit) -> None:
    write_year(session, unit.id, PRIOR_YEAR, example_2022(), check_revision=False)
    write_year(session, unit.id, EXAMPLE_YEAR, example_2023(), check_revision=False)
