"""Drafted paragraphs: each section's starting text, in the seeds' manner, with placeholders for figures.

A draft writes 【…】 placeholders (via `figures.placeholder(key)`) rather than the numbers, so the
paragraph stays bound to the data: if a figure changes, the exported report follows. The figures'
values decide the wording: a clause is left out when its figure is blank (or, for counts that only
matter when there were any, zero), and a zero amount reads “本单位无…安排的支出”.

The keys are those the modules publish: `unit.*` and `profile.*` (unit profile), `budget.*`,
`safety.*`, `petitions.*` (FigureSources for the year), and a scope's own `project.*`, `quarter.*`,
`inspection.*` (see `bindings`).
"""

from __future__ import annotations

from decimal import Decimal

from app.services.reports.figures import FigureSet


def _has(figures: FigureSet, *keys: str) -> bool:
    """Every figure is known and has a value."""
    for key in keys:
        figure = figures.get(key)
        if figure is None or figure.text in ("", "—"):
            return False
    return True


def _is_zero(figures: FigureSet, key: str) -> bool:
    value = figures.value(key)
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool) and value == 0


def _nonzero(figures: FigureSet, *keys: str) -> bool:
    return _has(figures, *keys) and not any(_is_zero(figures, key) for key in keys)


def _fill(figures: FigureSet, template: str, *keys: str, nonzero: bool = False) -> str:
    """`template` with each "{}" replaced by a key's placeholder; "" unless every figure has a value
    (and, with `nonzero`, none of them is zero)."""
    ok = _nonzero(figures, *keys) if nonzero else _has(figures, *keys)
    return template.format(*(figures.placeholder(key) for key in keys)) if ok else ""


def _sentence(*clauses: str, sep: str = "，") -> str:
    """The clauses that have text, joined, with a full stop ("" when none has)."""
    kept = [c for c in clauses if c]
    return sep.join(kept) + "。" if kept else ""


def _paragraphs(*paragraphs: str) -> str:
    return "\n".join(p for p in paragraphs if p)


def _year(figures: FigureSet) -> str:
    """“2023年” as a placeholder (【年度】年), or “本” when the year is not known (“本年度”)."""
    return f"{figures.placeholder('unit.year')}年" if _has(figures, "unit.year") else "本"


def _text_of(figures: FigureSet, key: str) -> str:
    figure = figures.get(key)
    return figure.text if figure is not None else ""


def _closed(figures: FigureSet, key: str) -> str:
    """A text figure's placeholder, followed by “。” unless its text already ends a sentence."""
    text = _text_of(figures, key).rstrip()
    return figures.placeholder(key) + ("" if text.endswith(("。", "！", "？", "；")) else "。")


# -- from the unit profile ---------------------------------------------------------------------------


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
    return f"按照考核要求，现将{_year(figures)}度平安建设工作情况自查报告如下："


# -- report 1: 部门整体支出绩效自评报告 (budget, safety, petitions) ---------------------------------


def basic_expenditure(figures: FigureSet) -> str:
    """Report 1, 二、（一）基本支出情况. Seed 003: “2023年基本支出数为592.17万元，是指为保障单位机构
    正常运转、完成日常工作任务而发生的各项支出，包括用于基本工资、津贴补贴等人员经费以及办公费、印刷费、
    水电费、差旅费等日常公用经费。其中人员经费572.61万元，公用经费19.56万元。”"""
    lead = _fill(figures, f"{_year(figures)}基本支出数为{{}}万元", "budget.basic_expenditure")
    if not lead:
        return ""
    parts = _sentence(
        _fill(figures, "其中人员经费{}万元", "budget.personnel_expenditure"),
        _fill(figures, "公用经费{}万元", "budget.public_expenditure"),
    )
    return (
        f"{lead}，是指为保障单位机构正常运转、完成日常工作任务而发生的各项支出，包括用于基本工资、"
        f"津贴补贴等人员经费以及办公费、印刷费、水电费、差旅费等日常公用经费。{parts}"
    )


def _project_numbers(figures: FigureSet) -> list[int]:
    count = figures.value("budget.project_count")
    return list(range(1, count + 1)) if isinstance(count, int) else []


def project_expenditure(figures: FigureSet) -> str:
    """Report 1, 二、（二）项目支出情况: the 全年预算数 and, where it differs, the executed amount,
    then one clause per project in the budget module's order. Seed 003: “2023年项目支出数为359.74万元，
    是指单位为完成特定行政工作任务或事业发展目标而发生的支出，包括有关业务工作经费和运行维护经费。
    其中：招投标监督管理专项项目5万元，质量安全监管专项项目20万元，工作经费334.74万元。”"""
    budget, executed = "budget.projects_budget", "budget.projects_executed"
    if not _has(figures, budget):
        return ""
    ph = figures.placeholder
    year = _year(figures)
    if _has(figures, executed) and figures.value(executed) != figures.value(budget):
        lead = f"{year}项目支出全年预算数为{ph(budget)}万元，实际支出{ph(executed)}万元"
    else:
        lead = f"{year}项目支出数为{ph(budget)}万元"
    text = (
        f"{lead}，是指单位为完成特定行政工作任务或事业发展目标而发生的支出，包括有关业务工作经费和"
        "运行维护经费。"
    )
    items = []
    for n in _project_numbers(figures):
        prefix = f"budget.project{n}."
        if not _has(figures, prefix + "full_budget"):
            continue
        item = f"{_text_of(figures, prefix + 'name') or f'项目{n}'}{ph(prefix + 'full_budget')}万元"
        spent = prefix + "executed"
        if _has(figures, spent) and figures.value(spent) != figures.value(prefix + "full_budget"):
            item += f"（实际支出{ph(spent)}万元）"
        items.append(item)
    if items:
        text += "其中：" + "，".join(items) + "。"
    return text


def _no_spending(figures: FigureSet, key: str, name: str) -> str:
    """三、四、五: “2023年度本单位无政府性基金安排的支出。” when zero, else the amount."""
    if not _has(figures, key):
        return ""
    if _is_zero(figures, key):
        return f"{_year(figures)}度本单位无{name}安排的支出。"
    return f"{_year(figures)}度本单位{name}预算支出{figures.placeholder(key)}万元。"


def gov_fund(figures: FigureSet) -> str:
    """Report 1, 三、政府性基金预算支出情况. Seed 003: “2023年度本单位无政府性基金安排的支出”."""
    return _no_spending(figures, "budget.gov_fund_expenditure", "政府性基金")


def state_capital(figures: FigureSet) -> str:
    """Report 1, 四、国有资本经营预算支出情况. Seed 003: “2023年度本单位无国有资本经营安排的支出”."""
    return _no_spending(figures, "budget.state_capital_expenditure", "国有资本经营")


def social_insurance(figures: FigureSet) -> str:
    """Report 1, 五、社会保险基金预算支出情况. Seed 003: “2023年度本单位无社会保险基金安排的支出”."""
    return _no_spending(figures, "budget.social_insurance_expenditure", "社会保险基金")


def _clauses(*clauses: str) -> str:
    return "，".join(c for c in clauses if c)


def performance_overview(figures: FigureSet) -> str:
    """Report 1, 六、部门整体支出绩效情况 (its lead paragraph): the year's funds, 执行率 and the
    self-evaluation's 总分 and 评价等级 (seed 003's tables: 951.90, 100%, 99.5, 优)."""
    if not _has(figures, "budget.full_budget"):
        return ""
    funds = _clauses(
        _fill(figures, f"{_year(figures)}度部门全年预算数{{}}万元", "budget.full_budget"),
        _fill(figures, "全年执行数{}万元", "budget.executed"),
        _fill(figures, "预算执行率{}", "budget.execution_rate"),
    )
    score = _clauses(
        _fill(figures, "经自评，部门整体支出绩效自评得分{}分", "budget.total_score"),
        _fill(figures, "评价等级为“{}”", "budget.grade"),
    )
    return funds + (f"；{score}" if score else "") + "。"


def performance_safety(figures: FigureSet) -> str:
    """Report 1, 六、（二）抓实安全生产 (the figures of seed 003's paragraph). Seed 003: “全年监管房屋
    工程项目101个，总建筑面积约285.17万平方米，总造价约51.53亿元，市政工程项目11个，总造价约6.83亿元。
    全年竣工验收项目共38个，目前在建房屋和市政项目共74个（房屋工程68个，市政工程6个），其中在建项目44个，
    停工项目16个，未开工项目14个。……全年共开展专项检查11次，对65个项目进行了825次检查，共下发隐患整改
    通知书232份、下发停工整改通知书45份，下发催办通知13份，消除质量安全隐患2092条，记录红黄牌101份，
    记录不良行为29起，2023年共移交案件调线索17起，记项目安全考评不合格6份。”"""
    f = figures
    projects = _sentence(
        _fill(f, "全年监管房屋工程项目{}个", "safety.projects.house.count"),
        _fill(f, "总建筑面积约{}万平方米", "safety.projects.house.area", nonzero=True),
        _fill(f, "总造价约{}亿元", "safety.projects.house.cost", nonzero=True),
        _fill(f, "市政工程项目{}个", "safety.projects.municipal.count", nonzero=True),
        _fill(f, "总造价约{}亿元", "safety.projects.municipal.cost", nonzero=True),
    )
    unfinished = ""
    if _has(f, "safety.projects.unfinished"):
        unfinished = _fill(f, "年末在建房屋和市政项目共{}个", "safety.projects.unfinished")
        split = "，".join(
            c
            for c in (
                _fill(f, "房屋工程{}个", "safety.projects.unfinished.house", nonzero=True),
                _fill(f, "市政工程{}个", "safety.projects.unfinished.municipal", nonzero=True),
            )
            if c
        )
        if split:
            unfinished += f"（{split}）"
        status = "，".join(
            c
            for c in (
                _fill(f, "在建项目{}个", "safety.projects.status.building", nonzero=True),
                _fill(f, "停工项目{}个", "safety.projects.status.suspended", nonzero=True),
                _fill(f, "未开工项目{}个", "safety.projects.status.not_started", nonzero=True),
            )
            if c
        )
        if status:
            unfinished += f"，其中{status}"
    completion = _sentence(
        _fill(f, "全年竣工验收项目共{}个", "safety.projects.completed", nonzero=True), unfinished
    )
    meetings = _sentence(
        _fill(
            f, "全年组织召开全市质量安全管理专项会议{}次", "safety.activities.quality_meeting", nonzero=True
        ),
        _fill(f, "打非治违专项会议{}次", "safety.activities.illegal_meeting", nonzero=True),
        _fill(f, "召开质量安全警示约谈会{}次", "safety.activities.warning_talk", nonzero=True),
        _fill(f, "召开扬尘防治约谈会{}次", "safety.activities.dust_talk", nonzero=True),
    )
    checks = ""
    if _nonzero(f, "safety.inspections.checks"):
        checks = _fill(
            f, "对{}个项目进行了{}次检查", "safety.inspections.projects", "safety.inspections.checks"
        )
    documents = [
        _fill(f, "下发隐患整改通知书{}份", "safety.documents.rectify_notice", nonzero=True),
        _fill(f, "下发停工整改通知书{}份", "safety.documents.stop_work", nonzero=True),
        _fill(f, "下发催办通知{}份", "safety.documents.urge", nonzero=True),
    ]
    issued = "、".join(d for d in documents if d)
    enforcement = _sentence(
        _fill(f, "全年共开展专项检查{}次", "safety.inspections.special", nonzero=True),
        checks,
        f"共{issued}" if issued else "",
        _fill(f, "消除质量安全隐患{}条", "safety.hazards.rectified", nonzero=True),
        _fill(f, "记录红黄牌{}份", "safety.documents.red_yellow", nonzero=True),
        _fill(f, "记录不良行为{}起", "safety.documents.bad_record", nonzero=True),
        _fill(f, "移交案件线索{}起", "safety.documents.referral", nonzero=True),
        _fill(f, "记项目安全考评不合格{}份", "safety.documents.failed_evaluation", nonzero=True),
    )
    crane_hazards = (
        "safety.work.crane.hazards.approx"
        if _has(f, "safety.work.crane.hazards.approx")
        else "safety.work.crane.hazards"
    )
    crane = ""
    if _nonzero(f, "safety.inspections.crane_rounds"):
        crane = _sentence(
            _fill(
                f,
                "委托第三方专业检测机构对全市在用起重机械设备开展了{}次全覆盖监督比对检测",
                "safety.inspections.crane_rounds",
            ),
            _fill(f, "检测中共发现安全隐患{}处", crane_hazards, nonzero=True),
            "、".join(
                c
                for c in (
                    _fill(f, "强制拆除{}台", "safety.work.crane.dismantled", nonzero=True),
                    _fill(f, "现场封停{}台", "safety.work.crane.sealed", nonzero=True),
                )
                if c
            ),
        )
    return _paragraphs(projects + completion, meetings, enforcement + crane)


def _petition_total(figures: FigureSet) -> str:
    """Seed 003: “全年共办理建筑领域投诉、信访、交办284件（12345信箱239件、舆情11件、信访26件、
    市长信箱8件）”."""
    text = _fill(figures, "全年共办理建筑领域投诉、信访、交办{}件", "petitions.total")
    if text and _has(figures, "petitions.by_channel_text"):
        text += f"（{figures.placeholder('petitions.by_channel_text')}）"
    return text


def performance_service(figures: FigureSet) -> str:
    """Report 1, 六、（三）优化服务质量: tendering, 竣工验收备案 and petitions. Seed 003: “2023年度公开
    招标项目共计14个，总金额78089.7763万元。……开展专项标后稽查3次，下发标后稽查整改告知书28份，将9起未
    取得施工许可证擅自开工项目移交住建局法规股立案查处……共办理建设工程项目竣工验收备案82个,工程总造价
    350773.89万元。其中房建类81个，工程总造价350391.39万元，建筑面积1913714.87平方米；市政工程1个，
    工程总造价382.5万元。……全年共办理建筑领域投诉、信访、交办284件（12345信箱239件、舆情11件、
    信访26件、市长信箱8件）。”"""
    f = figures
    year = _year(f)
    tender = _sentence(
        _fill(
            f,
            f"抓好招投标监管，{year}度公开招标项目共计{{}}个",
            "safety.work.tender.open.count",
            nonzero=True,
        ),
        _fill(f, "总金额{}万元", "safety.work.tender.open.amount", nonzero=True),
    ) + _sentence(
        _fill(f, "开展专项标后稽查{}次", "safety.work.tender.audit.rounds", nonzero=True),
        _fill(f, "下发标后稽查整改告知书{}份", "safety.work.tender.audit.notices", nonzero=True),
        _fill(
            f,
            "将{}起未取得施工许可证擅自开工项目移交立案查处",
            "safety.work.tender.audit.referrals",
            nonzero=True,
        ),
    )
    filing = ""
    if _nonzero(f, "safety.work.filing.count"):
        filing = _fill(
            f,
            "压缩竣工备案办理时间，全面实行线上备案，共办理建设工程项目竣工验收备案{}个",
            "safety.work.filing.count",
        )
        filing = _sentence(filing, _fill(f, "工程总造价{}万元", "safety.work.filing.cost", nonzero=True))
        house = "，".join(
            c
            for c in (
                _fill(f, "其中房建类{}个", "safety.work.filing.house.count", nonzero=True),
                _fill(f, "工程总造价{}万元", "safety.work.filing.house.cost", nonzero=True),
                _fill(f, "建筑面积{}平方米", "safety.work.filing.house.area", nonzero=True),
            )
            if c
        )
        municipal = "，".join(
            c
            for c in (
                _fill(f, "市政工程{}个", "safety.work.filing.municipal.count", nonzero=True),
                _fill(f, "工程总造价{}万元", "safety.work.filing.municipal.cost", nonzero=True),
            )
            if c
        )
        filing += _sentence(house, municipal, sep="；")
    petitions = ""
    total = _petition_total(f)
    if total:
        petitions = (
            "办好巡视交办整改、信访投诉，提升群众满意度，做到件件有回复。"
            + _sentence(
                _fill(f, "巡视期间办理各类交办件{}件", "petitions.assigned_by_inspection", nonzero=True)
            )
            + _sentence(total)
        )
    return _paragraphs(tender, filing, petitions)


# -- report 2: 项目支出绩效评价报告 (budget, per project) -------------------------------------------


def project_overview(figures: FigureSet) -> str:
    """Report 2, 一、（一）项目支出概况. Seed 003: “本项目为住建领域质量安全监管工作开展专项资金，保障
    全市所有在建项目质量安全巡查、监督管理，正常工作运转经费开支。”"""
    if _has(figures, "project.overview"):
        return _closed(figures, "project.overview")
    if _has(figures, "project.goal"):
        return f"本项目的年度绩效目标是：{_closed(figures, 'project.goal')}"
    return ""


def project_funds(figures: FigureSet) -> str:
    """Report 2, 一、（二）项目资金使用管理情况: basis documents, the amounts allocated and spent.
    Seed 003: “本项目根据……立项。2023年，市财政安排质量安全监督管理专项资金20万元，截止2023年12月31日，
    项目工作经费开支20万元。”"""
    f = figures
    ph = f.placeholder
    basis = f"本项目立项依据：{_closed(f, 'project.basis')}" if _has(f, "project.basis") else ""
    if not _has(f, "project.budget_total"):
        return basis
    year = _year(f)
    sources = [
        _fill(f, "当年财政拨款{}万元", "project.current_total", nonzero=True),
        _fill(f, "上年结转资金{}万元", "project.carry_total", nonzero=True),
        _fill(f, "其他资金{}万元", "project.other_total", nonzero=True),
    ]
    kept = [s for s in sources if s]
    if kept == [sources[0]]:
        split = "，全部为当年财政拨款"
    elif kept:
        split = "，其中" + "、".join(kept)
    else:
        split = ""
    funds = f"{year}，本项目全年预算数{ph('project.budget_total')}万元{split}"
    spent = ""
    if _has(f, "project.spent"):
        year_end = f"{ph('unit.year')}年12月31日" if _has(f, "unit.year") else "年底"
        spent = f"截至{year_end}，项目支出{ph('project.spent')}万元"
        if _has(f, "project.rate"):
            spent += f"，预算执行率{ph('project.rate')}"
    return _paragraphs(basis, _sentence(funds, spent, sep="；"))


def project_goals(figures: FigureSet) -> str:
    """Report 2, 一、（三）项目支出绩效目标完成程度: 预期目标 and 实际完成情况 of the project table. Seed
    003: “本年度绩效目标：严格把控在建项目质量安全，确保住建领域全年零事故。已全部完成任务。”"""
    goal = f"本年度绩效目标：{_closed(figures, 'project.goal')}" if _has(figures, "project.goal") else ""
    result = f"实际完成情况：{_closed(figures, 'project.result')}" if _has(figures, "project.result") else ""
    return goal + result


def project_conclusion(figures: FigureSet) -> str:
    """Report 2, 三、项目支出主要绩效及评价结论: the score and grade (seed 003 states them in the tables:
    “经自评，该项目绩效自评得分为100分，评价等级为“优”。”)."""
    return _sentence(
        _fill(figures, "经自评，该项目绩效自评得分为{}分", "project.score"),
        _fill(figures, "评价等级为“{}”", "project.grade"),
    )


def project_execution(figures: FigureSet) -> str:
    """Report 2, 四、（二）项目执行过程情况: “项目全年预算数20万元，全年执行数20万元，预算执行率100.00%。”"""
    return _sentence(
        _fill(figures, "项目年初预算数{}万元", "project.budget_initial"),
        _fill(figures, "全年预算数{}万元", "project.budget_total"),
        _fill(figures, "全年执行数{}万元", "project.spent"),
        _fill(figures, "预算执行率{}", "project.rate"),
        _fill(figures, "预算执行率得分{}分", "project.execution_score"),
    )


def _indicators(figures: FigureSet, prefix: str, name: str) -> str:
    text = _fill(
        figures,
        f"{name}分值{{}}分，共{{}}项三级指标，得分{{}}分。",
        f"project.{prefix}_weight",
        f"project.{prefix}_count",
        f"project.{prefix}_score",
    )
    if _has(figures, f"project.{prefix}_indicators"):
        text += figures.placeholder(f"project.{prefix}_indicators")
    return text


def project_output(figures: FigureSet) -> str:
    """Report 2, 四、（三）项目支出产出情况: the 产出指标 one by one (指标值, 完成值, and the 得分 and
    偏差原因 where short): “产出指标分值30分，共5项三级指标，得分30分。数量指标：工程建设监管执法率
    （指标值100%，完成值100%）、……”"""
    return _indicators(figures, "output", "产出指标")


def project_benefit(figures: FigureSet) -> str:
    """Report 2, 四、（四）项目支出效益情况: the 效益指标 as project_output."""
    return _indicators(figures, "benefit", "效益指标")


# -- report 3: 平安建设工作自查报告 (safety, petitions) ---------------------------------------------


def safety_key_tasks(figures: FigureSet) -> str:
    """Report 3, 一、（三）高效平稳推进重点工作, with the year's safety and tendering figures. Seed 000:
    “开展了市级层面质量安全大检查*次，检查工程项目***项，下发整改通知书**份……查出安全隐患**条，
    下发整改通知***份，隐患整改率达到100%。……完成现场监管交易***项（其中：勘察*项、设计**项、监理**项、
    房建**项、市政**项、采购*项），总中标金额**亿元”"""
    f = figures
    lead = (
        "我单位始终坚持“打防结合、预防为主”的方针，以安全质量、信访案件为重点，不断完善防控体系，"
        "落实目标责任，将平安建设贯穿于各项重要工作。"
    )
    checks = ""
    if _nonzero(f, "safety.inspections.checks"):
        checks = _fill(
            f, "对{}个在建项目开展检查{}次", "safety.inspections.projects", "safety.inspections.checks"
        )
    supervision = _sentence(
        _fill(f, "全年开展质量安全专项检查{}次", "safety.inspections.special", nonzero=True),
        checks,
        _fill(f, "查出安全隐患{}条", "safety.hazards.found", nonzero=True),
        _fill(f, "下发隐患整改通知书{}份", "safety.documents.rectify_notice", nonzero=True),
        _fill(f, "停工整改通知书{}份", "safety.documents.stop_work", nonzero=True),
        _fill(f, "隐患整改率达到{}", "safety.hazards.rate"),
    )
    supervision = ("一是强化工程质量安全监管。" + supervision) if supervision else ""
    kinds = (
        ("survey", "勘察"),
        ("design", "设计"),
        ("supervision", "监理"),
        ("housing", "房建"),
        ("municipal", "市政"),
        ("procurement", "采购"),
    )
    trading = ""
    if _nonzero(f, "safety.work.tender.supervised.count"):
        trading = _fill(f, "完成现场监管交易{}项", "safety.work.tender.supervised.count")
        split = "、".join(
            c
            for key, name in kinds
            if (c := _fill(f, f"{name}{{}}项", f"safety.work.tender.supervised.{key}", nonzero=True))
        )
        if split:
            trading += f"（其中：{split}）"
        trading = _sentence(
            trading, _fill(f, "总中标金额{}万元", "safety.work.tender.supervised.amount", nonzero=True)
        )
    tendering = (
        _sentence(
            _fill(f, "全年公开招标项目{}个", "safety.work.tender.open.count", nonzero=True),
            _fill(f, "中标金额{}万元", "safety.work.tender.open.amount", nonzero=True),
        )
        + trading
        + _sentence(
            _fill(f, "开展专项标后稽查{}次", "safety.work.tender.audit.rounds", nonzero=True),
            _fill(f, "下发标后稽查整改告知书{}份", "safety.work.tender.audit.notices", nonzero=True),
            _fill(
                f,
                "将{}起未取得施工许可证擅自开工项目移交查处",
                "safety.work.tender.audit.referrals",
                nonzero=True,
            ),
        )
    )
    number = "二是" if supervision else "一是"
    tendering = f"{number}注重招标投标过程监督。{tendering}" if tendering else ""
    body = supervision + tendering
    return lead + body if body else ""


def safety_petitions(figures: FigureSet) -> str:
    """Report 3, 一、（四）依法处理来信来访, in seed 004's manner: “今年以来，市国资委共受理群众信访件42件
    （其中：市信访局转办件5件、市长热线投诉件11件），信访件办结率100%；共接待上访群众人数约935人次（其中：
    个访、重复访413人次，群访422人次），……与去年同比下降了51.2%”; seed 000: “2022年，共受理来信来访**件，
    其中网上信访**件，举报办结率***%。”"""
    f = figures
    ph = f.placeholder
    if not _has(f, "petitions.total"):
        return ""
    lead = "实行一把手负总责和班子成员包案制度，认真办理群众来信来访，畅通信访渠道，切实维护群众的合法权益。"
    channels = f"（其中：{ph('petitions.by_channel_text')}）" if _has(f, "petitions.by_channel_text") else ""
    if _is_zero(f, "petitions.total"):
        return lead + f"{_year(f)}，未收到群众来信来访。"
    if _has(f, "petitions.accepted") and f.value("petitions.accepted") == f.value("petitions.total"):
        received = f"{_year(f)}，共受理群众来信来访、投诉{ph('petitions.total')}件{channels}"
    else:
        received = f"{_year(f)}，共收到群众来信来访、投诉{ph('petitions.total')}件{channels}"
        received += _fill(f, "，依法受理{}件", "petitions.accepted")
    handling = _sentence(
        received,
        _fill(f, "办结率{}", "petitions.closed_rate"),
        _fill(f, "按期办结率{}", "petitions.on_time_rate"),
    )
    visits = ""
    if _nonzero(f, "petitions.visitors"):
        visits = _fill(f, "共接待来访群众{}人次", "petitions.visitors")
        split = "，".join(
            c
            for c in (
                _fill(f, "个访、重复访{}人次", "petitions.visitors_individual", nonzero=True),
                _fill(f, "群访{}人次", "petitions.visitors_group", nonzero=True),
            )
            if c
        )
        if split:
            visits += f"（其中：{split}）"
        handling = handling.rstrip("。") + "；"
    trend = _fill(f, "信访总量{}", "petitions.yoy_text") if f.value("petitions.yoy_text") is not None else ""
    return lead + handling + _sentence(visits, trend)


# -- report 4: 季度房屋市政工程安全生产监督检查开展情况 (safety, per quarter) -----------------------


def quarter_inspections(figures: FigureSet) -> str:
    """Report 4, 一、三是 (the sentence closing the paragraph on supervision and guidance). Seed 002:
    “第一季度累计检查47项房屋市政工程，排查治理质量安全隐患49条，下发限期整改通知书3份。”"""
    f = figures
    if not _nonzero(f, "quarter.inspections.projects"):
        return ""
    documents = [
        _fill(f, "下发限期整改通知书{}份", "quarter.documents.rectify_notice", nonzero=True),
        _fill(f, "停工整改通知书{}份", "quarter.documents.stop_work", nonzero=True),
    ]
    return _sentence(
        _fill(f, "{}累计检查{}项房屋市政工程", "quarter.name", "quarter.inspections.projects"),
        _fill(f, "排查治理质量安全隐患{}条", "quarter.hazards.found", nonzero=True),
        "、".join(d for d in documents if d),
    )


def quarter_fire_review(figures: FigureSet) -> str:
    """Report 4, 一、四是 扎实开展建设工程消防设计审查验收工作. Seed 002: “截止3月16日，全州受理消防
    设计审查29项、办结26项；受理消防验收21项、办结18项；受理消防验收备案55项、未抽中数10项，抽中数45项。”"""
    f = figures
    parts = [
        _fill(
            f,
            "受理消防设计审查{}项、办结{}项",
            "quarter.work.fire.design.accepted",
            "quarter.work.fire.design.completed",
        ),
        _fill(
            f,
            "受理消防验收{}项、办结{}项",
            "quarter.work.fire.acceptance.accepted",
            "quarter.work.fire.acceptance.completed",
        ),
    ]
    filing = _fill(f, "受理消防验收备案{}项", "quarter.work.fire.filing.accepted")
    if filing:
        filing += "".join(
            c
            for c in (
                _fill(f, "、未抽中数{}项", "quarter.work.fire.filing.not_sampled"),
                _fill(f, "，抽中数{}项", "quarter.work.fire.filing.sampled"),
            )
        )
    parts.append(filing)
    kept = [p for p in parts if p]
    if not kept:
        return ""
    lead = "严格按照法律法规、国家工程建设消防技术标准开展消防设计审查验收工作，把好审查验收备案关。" + _fill(
        f, "截至{}，全市", "quarter.work_as_of"
    )
    return lead + "；".join(kept) + "。"


def quarter_self_built(figures: FigureSet) -> str:
    """Report 4, 一、五是 自建房专项整治. Seed 002: “抽查25个村社区、42栋房屋，发现18条问题……截至3月16日，
    昌吉州辖区共有图斑587209个，未排查20051个，排查中7335个，已排查559823个，排查完成率95.34%。
    ……“回头看”完成14108栋，完成率96.41%，全疆排名第5。存在安全隐患的经营性自建房整共有213栋，
    已整治33栋，整改完成率15.49%，全疆排名第8。”"""
    f = figures
    spot = ""
    if _nonzero(f, "quarter.work.selfbuilt.spot_villages"):
        spot = _sentence(
            _fill(
                f,
                "开展自建房安全专项整治指导服务，抽查{}个村社区、{}栋房屋",
                "quarter.work.selfbuilt.spot_villages",
                "quarter.work.selfbuilt.spot_buildings",
            ),
            _fill(f, "发现{}条问题，并及时反馈整改", "quarter.work.selfbuilt.spot_problems", nonzero=True),
        )
    survey = ""
    if _has(f, "quarter.work.selfbuilt.patches"):
        survey = _sentence(
            _fill(f, "截至{}，", "quarter.work_as_of")
            + _fill(f, "辖区共有图斑{}个", "quarter.work.selfbuilt.patches"),
            _fill(f, "未排查{}个", "quarter.work.selfbuilt.unsurveyed"),
            _fill(f, "排查中{}个", "quarter.work.selfbuilt.surveying"),
            _fill(f, "已排查{}个", "quarter.work.selfbuilt.surveyed"),
            _fill(f, "排查完成率{}", "quarter.work.selfbuilt.survey_rate"),
        )
    review = ""
    if _has(f, "quarter.work.selfbuilt.commercial"):
        review = _sentence(
            _fill(f, "目前共有经营性自建房{}栋", "quarter.work.selfbuilt.commercial"),
            _fill(f, "“回头看”完成{}栋", "quarter.work.selfbuilt.review_done"),
            _fill(f, "完成率{}", "quarter.work.selfbuilt.review_rate"),
            _fill(f, "排名第{}", "quarter.work.selfbuilt.review_rank"),
        )
    fixes = ""
    if _has(f, "quarter.work.selfbuilt.hazard_buildings"):
        fixes = _sentence(
            _fill(f, "存在安全隐患的经营性自建房共有{}栋", "quarter.work.selfbuilt.hazard_buildings"),
            _fill(f, "已整治{}栋", "quarter.work.selfbuilt.hazard_fixed"),
            _fill(f, "整改完成率{}", "quarter.work.selfbuilt.fix_rate"),
            _fill(f, "排名第{}", "quarter.work.selfbuilt.fix_rank"),
        )
    return spot + survey + review + fixes


def quarter_complaints(figures: FigureSet) -> str:
    """Report 4, 一、六是 积极处理房屋质量投诉信访工作. Seed 002: “第一季度通过昌广行风热线等渠道，
    受理房屋质量投诉6项，已办结6项。”"""
    return _sentence(
        _fill(figures, "{}受理房屋质量投诉{}项", "quarter.name", "quarter.work.complaints.accepted"),
        _fill(figures, "已办结{}项", "quarter.work.complaints.completed"),
    )


def quarter_information(figures: FigureSet) -> str:
    """Report 4, 一、七是 完成信息报送工作. Seed 002: “第一季度共计报送信息6篇，被昌吉日报采用1篇。”"""
    return _sentence(
        _fill(figures, "{}共计报送信息{}篇", "quarter.name", "quarter.work.info.reported"),
        _fill(figures, "被采用{}篇", "quarter.work.info.adopted", nonzero=True),
    )


# -- report 5: 巡察整改进展情况 (registers, per 巡察) -----------------------------------------------


def inspection_opening(figures: FigureSet) -> str:
    """Report 5, the opening 导语. Seed 001: “按照市政府和市委巡察办统一部署,2022年11月28日至
    2022年12月30日,区党工委第二巡察组对我局开展了工程建设和房地产领域专项巡察,2023年1月20日,第二巡察组
    向我局反馈了巡察意见。按照巡察整改公开工作要求,现将整改进展情况予以公布。”"""
    f = figures
    ph = f.placeholder
    if not _has(f, "inspection.name"):
        return ""
    team = ph("inspection.team") if _has(f, "inspection.team") else "巡察组"
    visit = f"{team}对我单位开展了{ph('inspection.name')}"
    if _has(f, "inspection.period"):
        visit = f"{ph('inspection.period')}，{visit}"
    feedback = _fill(f, "{}，", "inspection.feedback_date")
    if feedback:
        feedback += f"{team}向我单位反馈了巡察意见"
    return (
        _sentence("按照巡察工作统一部署", visit, feedback)
        + "按照巡察整改公开工作要求，现将整改进展情况予以公布。"
    )


def inspection_ledger(figures: FigureSet) -> str:
    """Report 5, 二、建立整改台账，实行清单管理. Seed 001: “根据巡察反馈意见，结合我局实际确定了整改重点
    任务，建立了专项巡察反馈问题责任分解清单，将3个方面12个主要问题分别落实到责任领导和责任科室，逐项明确
    问题清单、任务清单、时间清单、责任清单，实行台账式管理、清单式销号。”"""
    if not _nonzero(figures, "inspection.problems"):
        return ""
    return (
        "根据巡察反馈意见，结合我单位实际确定了整改重点任务，建立了巡察反馈问题责任分解清单，"
        f"将{figures.placeholder('inspection.summary')}分别落实到责任领导和责任科室，逐项明确问题清单、"
        "任务清单、时间清单、责任清单，实行台账式管理、清单式销号。"
    )


def inspection_progress(figures: FigureSet) -> str:
    """Report 5, 三、整改落实情况 (its own paragraph; the per-problem sections are generated). Seed 001:
    “对照巡察组提出的3个方面、12项问题，梳理整改任务，建立整改台账，分别明确责任领导、牵头单位、责任单位和
    整改期限，全面开展整改，从严从实整改，完成了整改目标。” — with the counts as of the report's date."""
    f = figures
    ph = f.placeholder
    if not _nonzero(f, "inspection.problems"):
        return ""
    lead = (
        f"对照巡察组提出的{ph('inspection.aspects')}个方面、{ph('inspection.problems')}项问题，梳理整改任务，"
        "建立整改台账，分别明确责任领导、牵头单位、责任单位和整改期限，全面开展整改。"
    )
    done = ""
    if _has(f, "inspection.done"):
        done = f"已完成整改{ph('inspection.done')}项"
        if _nonzero(f, "inspection.long_term"):
            done += f"（其中需长期坚持{ph('inspection.long_term')}项）"
    progress = _sentence(
        _fill(f, "截至{}", "inspection.as_of"),
        done,
        _fill(f, "正在整改{}项", "inspection.in_progress", nonzero=True),
        _fill(f, "尚未启动{}项", "inspection.not_started", nonzero=True),
        _fill(f, "整改完成率{}", "inspection.completion_rate"),
    )
    return lead + progress
