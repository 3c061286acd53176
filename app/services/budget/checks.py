"""校验 of the budget figures: each finding names the table, row and field in Chinese, with a level.

Findings point into the 预算绩效 page with Target("budget", record, field):
record "base" | "dept" | "project:<i>"; field e.g. "funds.full", "income.income_general",
"control:reception:actual", "ind:<row>:<column>", "level1:<一级指标>", "total".
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from app.findings import ERROR, WARNING, Finding, Target
from app.services.budget.compute import (
    PUBLIC_PARTS,
    BudgetContext,
    compute_tables,
    load_context,
)
from app.services.budget.data import (
    FUND_LABELS,
    INCOME_FIELDS,
    INCOME_LABELS,
    SOURCE_LABELS,
    SOURCES,
    BudgetYearData,
    Indicator,
    budget_year_row,
    load_year,
)
from app.services.budget.progress import base_started
from app.services.budget.rules import RULE_SETS, RuleSet, rule_set
from app.services.budget.scoring import parse_actual, parse_target
from app.services.budget.tables import (
    BASE_TITLE,
    DEPARTMENT_TITLE,
    PROJECT_TITLE,
    BudgetTables,
    FundsSummary,
    IndicatorTable,
    Level1Group,
)
from app.services.calc import format_money, format_rate, format_score

PAGE = "budget"
ZERO = Decimal(0)
COLUMN_LABELS = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "target": "年度指标值",
    "actual": "实际完成值",
    "weight": "分值",
    "score": "得分",
    "reason": "偏差原因分析及改进措施",
}


def _m(value: Decimal | None) -> str:
    return format_money(value, "（空）")


def _s(value: Decimal | None) -> str:
    return format_score(value, "（空）")


class _Collector:
    def __init__(self, table: str, record: str) -> None:
        self.table = table
        self.record = record
        self.findings: list[Finding] = []

    def add(self, level: str, row: str, field: str, message: str, target_field: str = "") -> None:
        self.findings.append(
            Finding(level, self.table, row, field, message, Target(PAGE, self.record, target_field))  # type: ignore[arg-type]
        )


# -- funds ------------------------------------------------------------------------------------------------


def _check_funds(c: _Collector, row: str, funds: FundsSummary, field_prefix: str, *, required: bool) -> None:
    values = {"initial": funds.initial, "full": funds.full, "executed": funds.executed}
    if required:
        for key, value in values.items():
            if value is None:
                c.add(ERROR, row, FUND_LABELS[key], "未填写", f"{field_prefix}.{key}")
    for key, value in values.items():
        if value is not None and value < 0:
            c.add(ERROR, row, FUND_LABELS[key], f"金额不能为负数（{_m(value)}）", f"{field_prefix}.{key}")
    if funds.executed is not None and funds.full is not None and funds.executed > funds.full:
        c.add(
            ERROR,
            row,
            "全年执行数",
            f"全年执行数{_m(funds.executed)}万元大于全年预算数{_m(funds.full)}万元",
            f"{field_prefix}.executed",
        )
    if funds.full == 0 and funds.executed not in (None, ZERO):
        c.add(ERROR, row, "全年预算数", "全年预算数为0，无法计算执行率", f"{field_prefix}.full")


# -- indicators -------------------------------------------------------------------------------------------


def _check_rule_weight(c: _Collector, group: Level1Group, rules: RuleSet) -> None:
    """A 一级指标 whose table weight differs from the rule set's: the export scores the table's."""
    default = rules.default_weight(group.name)
    if group.weight is None or default is None or group.weight == default:
        return
    rows = [f"{r.name or r.level2}{_s(r.weight)}分" for r in group.rows if not r.not_applicable]
    dropped = [r.name or r.level2 for r in group.rows if r.not_applicable]
    listed = f"：{'、'.join(rows)}" if rows else ""
    if dropped:
        listed += f"；不适用：{'、'.join(dropped)}"
    c.add(
        WARNING,
        group.header(),
        "分值",
        f"本表{group.name}按{_s(group.weight)}分计分，评分规则“{rules.title}”为{_s(default)}分"
        f"（各三级指标分值合计{_s(group.allocated)}分{listed}）。"
        f"如确需调整，请在自评报告中说明理由；否则请按{_s(default)}分重新分配三级指标分值",
        f"level1:{group.name}",
    )


def _check_indicators(
    c: _Collector, indicators: list[Indicator], table: IndicatorTable, rules: RuleSet
) -> None:
    if not table.rows:
        c.add(ERROR, "绩效指标", "", "未填写绩效指标", "ind:0:name")
        return
    known = set(rules.level1_names())
    header_total = rules.execution_weight
    for group in table.groups:
        if group.name not in known:
            c.add(
                ERROR,
                group.name,
                "一级指标",
                f"“{group.name}”不是评分规则“{rules.title}”中的一级指标",
                f"level1:{group.name}",
            )
            header_total += group.allocated
            continue
        header_total += group.weight or ZERO
        if group.weight is not None and group.allocated != group.weight:
            c.add(
                ERROR,
                group.header(),
                "分值",
                f"各三级指标分值合计{_s(group.allocated)}分，与表头“{group.header()}”不符",
                f"level1:{group.name}",
            )
        _check_rule_weight(c, group, rules)
    if header_total != 100:
        parts = "＋".join(
            f"{g.name}{_s(g.weight if g.name in known else g.allocated)}"
            for g in table.groups
            if g.rows or g.weight
        )
        c.add(
            ERROR,
            "一级指标",
            "分值",
            f"预算执行率{_s(rules.execution_weight)}＋{parts}＝{_s(header_total)}分，应为100分",
            "level1:",
        )
    for row in table.rows:
        ind = indicators[row.index]
        label = row.name or f"第{row.index + 1}行"
        where = f"ind:{row.index}"
        level2_known = rules.level2_of(row.level1)
        if not row.level2:
            c.add(WARNING, label, "二级指标", "未填写", f"{where}:level2")
        elif level2_known and row.level2 not in level2_known:
            c.add(
                WARNING,
                label,
                "二级指标",
                f"“{row.level2}”不是“{row.level1}”下的二级指标（应为{'、'.join(level2_known)}之一）",
                f"{where}:level2",
            )
        if row.not_applicable:
            if ind.weight:
                c.add(
                    WARNING,
                    label or row.level2,
                    "分值",
                    "不适用的指标不计分值（此处的分值不计入）",
                    f"{where}:weight",
                )
            continue
        if not row.name:
            c.add(
                ERROR,
                f"第{row.index + 1}行（{row.level2 or row.level1}）",
                "三级指标",
                "未填写",
                f"{where}:name",
            )
        if not row.target:
            c.add(ERROR, label, "年度指标值", "未填写", f"{where}:target")
        if row.weight is None:
            c.add(ERROR, label, "分值", "未填写", f"{where}:weight")
            continue
        if not row.actual:
            c.add(ERROR, label, "实际完成值", "未填写，无法评分", f"{where}:actual")
            continue
        if row.score is None:
            continue
        if row.score > row.weight:
            c.add(ERROR, label, "得分", f"得分{_s(row.score)}高于分值{_s(row.weight)}", f"{where}:score")
        elif row.score < row.weight and not row.reason:
            c.add(
                ERROR,
                label,
                "偏差原因分析及改进措施",
                f"得分{_s(row.score)}低于分值{_s(row.weight)}，须填写偏差原因分析及改进措施",
                f"{where}:reason",
            )
        elif row.typed and row.suggested is not None and row.score > row.suggested and not row.reason:
            c.add(
                WARNING,
                label,
                "得分",
                f"得分{_s(row.score)}高于按评分规则计算的建议得分{_s(row.suggested)}（{row.basis}），"
                "未填写偏差原因分析及改进措施，请说明得分依据或改用建议得分",
                f"{where}:reason",
            )
        if rules.overshoot is not None and not row.reason and row.nature == "正向":
            parsed = parse_target(row.target, row.level1, rules)
            actual = parse_actual(row.actual)
            if (
                parsed.value
                and parsed.value > 0
                and actual is not None
                and actual >= parsed.value * rules.overshoot
            ):
                share = format_rate(actual / parsed.value)
                c.add(
                    WARNING,
                    label,
                    "偏差原因分析及改进措施",
                    f"实际完成值为年度指标值的{share}（≥{format_rate(rules.overshoot)}），"
                    "指标值可能定得过低，请说明偏差原因",
                    f"{where}:reason",
                )
    if table.total is None:
        why = (
            f"{len(table.missing_scores)}项指标没有得分"
            if table.missing_scores
            else "预算执行率得分无法计算（全年预算数或全年执行数未填写）"
        )
        c.add(ERROR, "总分", "得分", f"总分为空：{why}", "total")
    if table.cap_note:
        c.add(WARNING, "总分", "得分", table.cap_note, "total")


# -- the tables -------------------------------------------------------------------------------------------


def _check_base(data: BudgetYearData, ctx: BudgetContext, tables: BudgetTables) -> list[Finding]:
    c = _Collector(f"{ctx.year}年度{BASE_TITLE}", "base")
    base = tables.base
    prior_year = ctx.year - 1
    for row in base.control_rows:
        label = row.label.split("\n")[0]
        if row.prior_source == "typed" and row.carried is not None and row.carried != row.prior:
            c.add(
                WARNING,
                label,
                f"{prior_year}年决算数",
                f"填写的{_m(row.prior)}与{prior_year}年度录入的本年决算数{_m(row.carried)}不一致",
                f"control:{row.code}:prior",
            )
        for column, value in (("prior", row.prior), ("budget", row.budget), ("actual", row.actual)):
            if value is not None and value < 0:
                c.add(ERROR, label, "金额", f"金额不能为负数（{_m(value)}）", f"control:{row.code}:{column}")
    three = base.row("three_public")
    if three and three.actual is not None and three.budget is not None and three.actual > three.budget:
        c.add(
            WARNING,
            "“三公”经费",
            f"{ctx.year}年决算数",
            f"“三公”经费决算数{_m(three.actual)}万元超过预算数{_m(three.budget)}万元",
            "control:reception:actual",
        )
    public = base.row("public")
    parts = [base.row(code) for code in PUBLIC_PARTS]
    for column, title in (
        ("prior", f"{prior_year}年决算数"),
        ("budget", f"{ctx.year}年预算数"),
        ("actual", f"{ctx.year}年决算数"),
    ):
        total = getattr(public, column) if public else None
        values = [getattr(p, column) for p in parts if p is not None and getattr(p, column) is not None]
        if total is None or not values:
            continue
        part_sum = sum(values, ZERO)
        if part_sum > total:
            c.add(
                WARNING,
                "公用经费",
                title,
                f"其中各项（办公经费、水电差旅费、会议培训费）合计{_m(part_sum)}万元，大于公用经费{_m(total)}万元。"
                "本表“公用经费”只填基本支出中的一般商品和服务支出，请核对其中各项是否含项目支出中的同类费用",
                f"control:office:{column}",
            )
    for i, building in enumerate(base.buildings):
        label = building.name or f"第{i + 1}个楼堂馆所项目"
        if building.area_rate is not None and building.area_rate > 1:
            c.add(
                WARNING,
                label,
                "规模控制率",
                f"实际规模超过批复规模（{format_rate(building.area_rate)}）",
                f"building:{i}:actual_area",
            )
        if building.investment_rate is not None and building.investment_rate > 1:
            c.add(
                WARNING,
                label,
                "投资概算控制率",
                f"实际投资超过预算投资（{format_rate(building.investment_rate)}）",
                f"building:{i}:actual_investment",
            )
    if not base_started(data):
        c.add(
            ERROR,
            "经费控制情况",
            "",
            "未填写（“三公”经费各项、公用经费其中各项、政府采购金额的本年预算数和本年决算数，没有的填0）",
            "control:car_purchase:budget",
        )
    if not base.thrift_measures:
        c.add(WARNING, "厉行节约保障措施", "", "未填写", "thrift")
    return c.findings


def _check_department(data: BudgetYearData, ctx: BudgetContext, tables: BudgetTables) -> list[Finding]:
    rules = rule_set(data.rule_set)
    dept = tables.department
    c = _Collector(f"{ctx.year}年度{DEPARTMENT_TITLE}", "dept")
    # 年度资金总额 is 基本支出 + 项目支出: what is missing is 基本支出's budgets (人员经费 and
    # 公用经费, its 全年执行数, are asked for below).
    pf = tables.projects_funds
    for key in ("initial", "full"):
        label = FUND_LABELS[key]
        value = getattr(data, f"basic_{key}")
        if value is None:
            c.add(ERROR, "其中：基本支出", label, "未填写", f"basic.{key}")
        elif value < 0:
            c.add(
                ERROR,
                "其中：基本支出",
                label,
                f"基本支出{label}为{_m(value)}万元：部门{label}"
                f"{_m(getattr(dept.funds, key))}万元小于各项目合计{_m(getattr(pf, key))}万元",
                f"basic.{key}",
            )
    if data.basic_full is not None:  # else 全年预算数 is the projects' alone: nothing to compare
        _check_funds(c, "年度资金总额", dept.funds, "funds", required=False)
    executed = dept.funds.executed
    if dept.executed_typed and dept.executed_computed != executed:
        basic = dept.part("basic").executed or ZERO
        projects = dept.part("projects").executed or ZERO
        c.add(
            ERROR,
            "年度资金总额",
            "全年执行数",
            f"原填写的全年执行数{_m(executed)}万元，与基本支出{_m(basic)}＋项目支出{_m(projects)}"
            f"＝{_m(basic + projects)}万元不符（差{_m((executed or ZERO) - basic - projects)}）："
            "请核对人员经费、公用经费和各项目的全年执行数，或改用计算值",
            "funds.executed",
        )
    income = [getattr(data, key) for key in INCOME_FIELDS]
    if all(v is None for v in income):
        c.add(ERROR, "按收入性质分", "", "未填写", "income.income_general")
    elif executed is not None:
        total = sum((v for v in income if v is not None), ZERO)
        if total != executed:
            parts = "＋".join(f"{INCOME_LABELS[k]}{_m(getattr(data, k) or ZERO)}" for k in INCOME_FIELDS)
            c.add(
                ERROR,
                "按收入性质分",
                "合计",
                f"{parts}＝{_m(total)}万元，与全年执行数{_m(executed)}万元不符（差{_m(total - executed)}）",
                "income.income_general",
            )
    for key, label in (("personnel", "人员经费"), ("public", "公用经费")):
        if getattr(data, key) is None:
            c.add(ERROR, f"按支出性质分 › 基本支出 › {label}", "", "未填写", f"expense.{key}")
    if not data.goal_expected.strip():
        c.add(WARNING, "年度总体目标", "预期目标", "未填写", "goal_expected")
    if not data.goal_actual.strip():
        c.add(WARNING, "年度总体目标", "实际完成情况", "未填写", "goal_actual")
    _check_indicators(c, data.indicators, dept.indicators, rules)
    return c.findings


def _check_projects(data: BudgetYearData, ctx: BudgetContext, tables: BudgetTables) -> list[Finding]:
    rules = rule_set(data.rule_set)
    findings: list[Finding] = []
    if not data.projects:
        c = _Collector(f"{ctx.year}年度{PROJECT_TITLE}", "projects")
        c.add(WARNING, "", "", "本年度没有项目支出（如有一级项目，请在“项目支出”中添加）")
        return c.findings
    for i, (project, table) in enumerate(zip(data.projects, tables.projects, strict=True)):
        c = _Collector(f"{ctx.year}年度{PROJECT_TITLE}（{table.name or f'第{i + 1}个项目'}）", f"project:{i}")
        for key, label in (("name", "项目支出名称"), ("supervisor", "主管部门"), ("implementer", "实施单位")):
            if not getattr(project, key).strip():
                c.add(ERROR if key == "name" else WARNING, label, "", "未填写", key)
        if not project.kind.strip():
            c.add(WARNING, "项目类型", "", "未填写（基础数据表中列入“未分类项目”）", "kind")
        _check_funds(c, "年度资金总额", table.funds, "funds", required=True)
        for source in SOURCES:
            funds = project.source(source)
            if funds.executed is not None and funds.full is not None and funds.executed > funds.full:
                c.add(
                    ERROR,
                    f"其中：{SOURCE_LABELS[source]}",
                    "全年执行数",
                    f"全年执行数{_m(funds.executed)}万元大于全年预算数{_m(funds.full)}万元",
                    f"funds.{source}.executed",
                )
        if not project.goal_expected.strip():
            c.add(WARNING, "年度总体目标", "预期目标", "未填写", "goal_expected")
        if not project.goal_actual.strip():
            c.add(WARNING, "年度总体目标", "实际完成情况", "未填写", "goal_actual")
        _check_indicators(c, project.indicators, table.indicators, rules)
        findings.extend(c.findings)
    return findings


def is_rule_weight_warning(finding: Finding) -> bool:
    """The warning that a table's 一级指标 weight differs from the rule set's (what its header shows)."""
    target = finding.target
    return (
        finding.level == WARNING
        and target is not None
        and target.page == PAGE
        and target.field.startswith("level1:")
    )


def check_data(data: BudgetYearData, ctx: BudgetContext, tables: BudgetTables | None = None) -> list[Finding]:
    """Every finding on the year's figures (the page runs this as the user types)."""
    tables = tables or compute_tables(data, ctx)
    findings: list[Finding] = []
    if data.rule_set not in RULE_SETS:
        c = _Collector("预算绩效", "dept")
        c.add(
            WARNING,
            "评分规则",
            "",
            f"评分规则“{data.rule_set}”不可用，已按{rule_set(data.rule_set).title}计算",
        )
        findings += c.findings
    findings += _check_base(data, ctx, tables)
    findings += _check_department(data, ctx, tables)
    findings += _check_projects(data, ctx, tables)
    return findings


def check_year(session: Session, unit_id: int, year: int) -> list[Finding]:
    """The registered check (`check --year` and the main window's 校验)."""
    if budget_year_row(session, unit_id, year) is None:
        return [
            Finding(
                WARNING,
                "预算绩效",
                "",
                "",
                f"{year}年度尚未填写预算绩效数据",
                Target(PAGE, "dept", "funds.initial"),
            )
        ]
    return check_data(load_year(session, unit_id, year), load_context(session, unit_id, year))
