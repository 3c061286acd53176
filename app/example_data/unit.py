"""The example unit's profile: seed 003's 汨罗市建筑工程服务中心, with fictitious people and phones."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.models.unit import Unit, UnitDuty, UnitYear

EXAMPLE_UNIT_NAME = "汨罗市建筑工程服务中心"
EXAMPLE_YEAR = 2023
PRIOR_YEAR = 2022

# Fictitious: not the seed's people. The credit code is made up but carries a valid check character.
EXAMPLE_HEAD = "周建平"
EXAMPLE_PREPARER = "林晓雯"
EXAMPLE_PHONE = "13907305668"
EXAMPLE_CREDIT_CODE = "12430681MB1C37256G"

DUTIES = (
    "贯彻执行国家、省、市关于建筑行业管理法律、法规和方针、政策",
    "接受汨罗市住房和城乡建设局委托具体实施建设工程招标的监督与管理",
    "负责建筑业企业资质管理、建筑业统计和各类专业技术人员的培训，接受汨罗市住房和城乡建设局委托"
    "具体实施对全市建筑业企业的监督与指导",
    "接受汨罗市住房和城乡建设局委托具体实施建设工程质量与安全生产监督管理、工程竣工验收备案管理和检测市场管理",
    "负责建设工程定额、工程造价和工程造价咨询市场管理的日常管理工作；收集、存储和根据授权发布各类工程、"
    "企业状况和主要建筑材料市场价格信息",
    "接受汨罗市住房和城乡建设局的委托具体实施建筑工程、非住宅室内装饰装修、建筑物外墙装饰装修活动和工程施工安全的监督管理",
    "接受汨罗市住房和城乡建设局的委托具体实施房屋建筑工程和市政基础设施工程防雷安全监管",
    "承办主管部门交办的其它事项",
)


def _year(year: int) -> UnitYear:
    unit_year = UnitYear(
        year=year,
        supervisor="汨罗市住房和城乡建设局",
        nature="全额拨款事业单位",
        departments=10,  # 下设10个站室
        staff_quota=61,  # 编制数
        staff_actual=59,  # 在职（在编）59人
        retired=20,  # 退休干职工20人（共79人）
        head=EXAMPLE_HEAD,
        preparer=EXAMPLE_PREPARER,
        phone=EXAMPLE_PHONE,
        note="",
    )
    unit_year.duties.extend(UnitDuty(text=text) for text in DUTIES)
    return unit_year


def build_unit(session: Session) -> Unit:
    unit = Unit(name=EXAMPLE_UNIT_NAME, credit_code=EXAMPLE_CREDIT_CODE)
    # The seed gives prior-year (2022) figures only for the budget; the profile is carried over.
    unit.years.extend([_year(PRIOR_YEAR), _year(EXAMPLE_YEAR)])
    session.add(unit)
    session.flush()
    return unit
