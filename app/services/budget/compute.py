"""Computing the budget tables from the stored figures: totals, rates, scores, and the rows of one
table that are drawn from another (the 基础数据表's 项目支出 from the projects, its 上年决算数 from
the previous year's 本年决算数, the department's 项目支出 from the projects and its 年度资金总额 =
基本支出 + 项目支出, see BudgetYearData.department_funds).

Pure functions of (BudgetYearData, BudgetContext): the page recomputes as the user types, the
exporters and the checks use the very same results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.orm import Session

from app import clock
from app.dates import cn_date
from app.errors import UserError
from app.services.budget.data import (
    INCOME_FIELDS,
    INCOME_LABELS,
    PROJECT_KINDS,
    SOURCE_LABELS,
    SOURCES,
    BudgetYearData,
    Funds,
    Indicator,
    Project,
    _add,
    budget_year_row,
    load_year,
)
from app.services.budget.rules import RuleSet, grade, rule_set
from app.services.budget.scoring import effective_score, suggest
from app.services.budget.tables import (
    BASE_NOTE,
    BASE_TITLE,
    DEPARTMENT_TITLE,
    PROJECT_NOTE,
    PROJECT_TITLE,
    BaseDataTable,
    BudgetTables,
    BuildingRow,
    ControlRow,
    DepartmentTable,
    Footer,
    FundsRow,
    FundsSummary,
    IndicatorRow,
    IndicatorTable,
    Level1Group,
    Level2Group,
    ProjectTable,
    SplitRow,
)
from app.services.calc import format_money, format_score, ratio

CENT = Decimal("0.01")
SPECIAL_KIND = "县级专项资金"  # the kind whose projects get a row each ("一个专项一行")
UNSORTED_KIND = "未分类项目"
NO_LEVEL1 = "（未填一级指标）"

# 经费控制情况: (code, label, depth) of the rows typed in full.
TYPED_ROWS = {
    "car_purchase": ("其中：公车购置", 2),
    "car_running": ("公车运行维护", 2),
    "abroad": ("2、出国经费", 1),
    "reception": ("3、公务接待", 1),
    "office": ("其中：办公经费", 1),
    "utilities": ("水费、电费、差旅费", 1),
    "meetings": ("会议费、培训费", 1),
    "procurement": ("政府采购金额", 0),
    "basic_adjust": ("部门基本支出预算调整", 0),
}
CONTROL_LABELS = {
    "three_public": "“三公”经费",
    "car": "1、公务用车购置和维护经费",
    "projects": "项目支出：",
    "public": "公用经费",
    **{code: label for code, (label, _depth) in TYPED_ROWS.items()},
}
PUBLIC_PARTS = ("office", "utilities", "meetings")


@dataclass(frozen=True)
class BudgetContext:
    """What the tables need from outside the budget figures."""

    year: int
    unit_name: str = ""
    staff_quota: int | None = None
    staff_actual: int | None = None
    preparer: str = ""
    phone: str = ""
    head: str = ""
    supervisor: str = ""  # the unit's 主管部门 (a new project's default)
    # The previous year's 本年决算数 by row code; None when that year has no budget figures.
    prior_actuals: dict[str, Decimal | None] | None = None


def kind_code(kind: str) -> str:
    return f"kind:{kind}"


def project_code(name: str) -> str:
    return f"project:{name}"


def date_text(value: date | None) -> str:
    """2024年1月5日 (no leading zeros, as 公文 write dates)."""
    return "" if value is None else cn_date(value)


def fill_date_text(data: BudgetYearData) -> str:
    """The 填报日期 of the tables: the one set, else the export date, unless left blank (手写)."""
    if data.fill_date is not None:
        return date_text(data.fill_date)
    return "" if data.fill_date_blank else date_text(clock.today())


# -- funds ---------------------------------------------------------------------------------------------


def summarize(funds: Funds, weight: Decimal) -> FundsSummary:
    """执行率 = 全年执行数 / 全年预算数; 得分 = 分值 × 执行率, never above 分值."""
    rate = ratio(funds.executed, funds.full)
    score = None
    if rate is not None and funds.executed is not None and funds.full:
        exact = weight * funds.executed / funds.full
        score = min(weight, max(Decimal(0), exact)).quantize(CENT, rounding=ROUND_HALF_UP)
    return FundsSummary(funds.initial, funds.full, funds.executed, weight, rate, score)


# -- 经费控制情况 -----------------------------------------------------------------------------------------


def _kind_of(project: Project) -> str:
    return project.kind.strip() or UNSORTED_KIND


def control_rows(data: BudgetYearData, prior: dict[str, Decimal | None] | None) -> list[ControlRow]:
    """The rows of 经费控制情况, in the seed's order, with 上年决算数 carried from `prior`."""
    carried_of = (lambda code: prior.get(code)) if prior is not None else (lambda _code: None)

    def prior_of(code: str) -> tuple[Decimal | None, str, Decimal | None]:
        typed = data.entry(code).prior
        carried = carried_of(code)
        if typed is not None:
            return typed, "typed", carried
        if carried is not None:
            return carried, "carried", carried
        return None, "", carried

    def typed_row(code: str) -> ControlRow:
        label, depth = TYPED_ROWS[code]
        value, source, carried = prior_of(code)
        entry = data.entry(code)
        return ControlRow(
            code, label, depth, value, entry.budget, entry.actual, source, carried,
            frozenset({"prior", "budget", "actual"}),
        )  # fmt: skip

    def sum_row(code: str, label: str, depth: int, parts: list[ControlRow], note: str) -> ControlRow:
        value = _add(*(p.prior for p in parts))
        return ControlRow(
            code,
            label,
            depth,
            value,
            _add(*(p.budget for p in parts)),
            _add(*(p.actual for p in parts)),
            "sum" if value is not None else "",
            carried_of(code),
            frozenset(),
            note,
        )

    def derived_row(
        code: str, label: str, depth: int, budget: Decimal | None, actual: Decimal | None, note: str
    ) -> ControlRow:
        value, source, carried = prior_of(code)
        return ControlRow(
            code, label, depth, value, budget, actual, source, carried, frozenset({"prior"}), note
        )

    car_parts = [typed_row("car_purchase"), typed_row("car_running")]
    car = sum_row("car", CONTROL_LABELS["car"], 1, car_parts, "= 公车购置 + 公车运行维护")
    public_items = [typed_row("abroad"), typed_row("reception")]
    three = sum_row("three_public", CONTROL_LABELS["three_public"], 0, [car, *public_items], "= 1 + 2 + 3")
    rows = [three, car, *car_parts, *public_items]

    kinds = list(PROJECT_KINDS)
    for project in data.projects:
        if _kind_of(project) not in kinds:
            kinds.append(_kind_of(project))
    kind_rows: list[ControlRow] = []
    kind_blocks: list[list[ControlRow]] = []
    for number, kind in enumerate(kinds, 1):
        projects = [p for p in data.projects if _kind_of(p) == kind]
        code = kind_code(kind)
        label = f"{number}、{kind}" + ("\n(一个专项一行)" if kind == SPECIAL_KIND else "")
        if kind == SPECIAL_KIND:
            subs = []
            names = []
            for p in projects:
                names.append(p.name)
                subs.append(
                    derived_row(
                        project_code(p.name),
                        p.name,
                        2,
                        p.funds.initial,
                        p.funds.executed,
                        f"取自项目支出绩效自评表“{p.name}”（本年预算数=年初预算数，本年决算数=全年执行数）",
                    )
                )
            earlier = [
                c for c in (prior or {}) if c.startswith("project:") and (prior or {}).get(c) is not None
            ]
            typed = [c for c, e in data.control.items() if c.startswith("project:") and e.prior is not None]
            for code_ in dict.fromkeys([*earlier, *typed]):
                name = code_.removeprefix("project:")
                if name not in names:
                    names.append(name)
                    subs.append(derived_row(code_, name, 2, None, None, "上年度项目，本年度无此项目"))
            if subs:
                kind_row = sum_row(code, label, 1, subs, "= 下列各专项之和")
            else:
                kind_row = derived_row(code, label, 1, None, None, "本年度无此类项目")
            kind_rows.append(kind_row)
            kind_blocks.append([kind_row, *subs])
        else:
            budget = _add(*(p.funds.initial for p in projects)) if projects else None
            actual = _add(*(p.funds.executed for p in projects)) if projects else None
            names = "、".join(p.name for p in projects) or "无"
            kind_row = derived_row(code, label, 1, budget, actual, f"= 类型为“{kind}”的项目之和（{names}）")
            kind_rows.append(kind_row)
            kind_blocks.append([kind_row])
    projects_row = sum_row("projects", CONTROL_LABELS["projects"], 0, kind_rows, "= 各类项目支出之和")
    rows.append(projects_row)
    for block in kind_blocks:
        rows.extend(block)

    value, source, carried = prior_of("public")
    entry = data.entry("public")
    rows.append(
        ControlRow(
            "public", "公用经费", 0, value, entry.budget, data.public, source, carried,
            frozenset({"prior", "budget"}), "本年决算数取自部门整体支出绩效自评表中的公用经费",
        )
    )  # fmt: skip
    rows.extend(typed_row(code) for code in (*PUBLIC_PARTS, "procurement", "basic_adjust"))
    return rows


def control_actuals(data: BudgetYearData) -> dict[str, Decimal | None]:
    """Each row's 本年决算数 by code: what the next year carries as its 上年决算数."""
    return {row.code: row.actual for row in control_rows(data, None)}


# -- indicators ---------------------------------------------------------------------------------------------


def indicator_table(
    indicators: list[Indicator], weights: dict[str, Decimal], rules: RuleSet, execution: FundsSummary
) -> IndicatorTable:
    rows: list[IndicatorRow] = []
    for index, ind in enumerate(indicators):
        if ind.is_blank():
            continue
        data = ind.scoring_input()
        suggestion = suggest(data, rules)
        rows.append(
            IndicatorRow(
                index=index,
                level1=ind.level1.strip() or NO_LEVEL1,
                level2=ind.level2.strip(),
                name=ind.name.strip(),
                target=ind.target.strip(),
                actual=ind.actual.strip(),
                weight=None if ind.not_applicable else ind.weight,
                score=effective_score(data, ind.score, suggestion),
                suggested=suggestion.score,
                typed=ind.score is not None and not ind.not_applicable,
                reason=ind.reason.strip(),
                not_applicable=ind.not_applicable,
                nature=suggestion.nature,
                nature_inferred=not ind.nature,
                unit=suggestion.unit,
                band=ind.band,
                basis=suggestion.basis,
                scored_as=suggestion.scored_as,
            )
        )
    order = list(rules.level1_names())
    for row in rows:
        if row.level1 not in order:
            order.append(row.level1)
    groups = []
    for name in order:
        members = [r for r in rows if r.level1 == name]
        level2_names = list(dict.fromkeys(r.level2 for r in members))
        applicable = [r for r in members if not r.not_applicable]
        scores = [r.score for r in applicable]
        default = rules.default_weight(name)
        weight = weights.get(name, default)
        groups.append(
            Level1Group(
                name=name,
                weight=weight,
                weight_is_default=name not in weights or weights[name] == default,
                allocated=sum((r.weight or Decimal(0) for r in applicable), Decimal(0)),
                score=None if any(s is None for s in scores) else sum(scores, Decimal(0)),  # type: ignore[arg-type]
                level2=tuple(
                    Level2Group(l2, tuple(r for r in members if r.level2 == l2)) for l2 in level2_names
                ),
            )
        )
    applicable_rows = [r for r in rows if not r.not_applicable]
    missing = tuple(r.index for r in applicable_rows if r.score is None)
    total_weight = execution.weight + sum((r.weight or Decimal(0) for r in applicable_rows), Decimal(0))
    raw_total = None
    if execution.score is not None and not missing:
        raw_total = execution.score + sum((r.score or Decimal(0) for r in applicable_rows), Decimal(0))
    total, cap_note = raw_total, ""
    cap = rules.cap_for(execution.rate)
    if raw_total is not None and cap is not None and raw_total > cap:
        total = cap
        cap_note = f"预算执行率{_percent(execution.rate)}，按评分规则总分不超过{cap}分（原为{raw_total}分）"
    return IndicatorTable(
        groups=tuple(groups),
        rows=tuple(rows),
        execution=execution,
        total_weight=total_weight,
        raw_total=raw_total,
        total=total,
        cap_note=cap_note,
        grade=grade(total),
        missing_scores=missing,
    )


def _percent(rate: Decimal | None) -> str:
    from app.services.calc import format_rate

    return format_rate(rate)


# -- the tables ---------------------------------------------------------------------------------------------


def _footer(data: BudgetYearData, ctx: BudgetContext) -> Footer:
    return Footer(ctx.preparer, ctx.phone, ctx.head, fill_date_text(data))


def base_table(data: BudgetYearData, ctx: BudgetContext) -> BaseDataTable:
    buildings = tuple(
        BuildingRow(
            b.name,
            b.approved_area,
            b.actual_area,
            ratio(b.actual_area, b.approved_area),
            b.budget_investment,
            b.actual_investment,
            ratio(b.actual_investment, b.budget_investment),
        )
        for b in data.buildings
    )
    return BaseDataTable(
        year=ctx.year,
        unit_name=ctx.unit_name,
        title=f"{ctx.year}年度{BASE_TITLE}",
        staff_quota=ctx.staff_quota,
        staff_actual=ctx.staff_actual,
        staff_rate=ratio(ctx.staff_actual, ctx.staff_quota),
        has_prior_year=ctx.prior_actuals is not None,
        control_rows=tuple(control_rows(data, ctx.prior_actuals)),
        buildings=buildings,
        thrift_measures=data.thrift_measures.strip(),
        note=BASE_NOTE,
        footer=_footer(data, ctx),
    )


def projects_executed(data: BudgetYearData) -> Decimal:
    """项目支出 (全年执行数) = Σ the projects' 全年执行数."""
    return _add(*(p.funds.executed for p in data.projects)) or Decimal(0)


def _amount(value: Decimal | None, blank: str) -> str:
    return blank if value is None else format_money(value)


def department_funds_notes(data: BudgetYearData) -> tuple[str, str, str]:
    """Where the department's 年度资金总额 comes from, column by column, in the clerk's words."""
    basic, projects, computed = data.basic_funds(), data.projects_funds(), data.computed_funds()
    count = len(data.projects)
    notes = []
    for column, label in (("initial", "年初预算数"), ("full", "全年预算数"), ("executed", "全年执行数")):
        basic_text = _amount(getattr(basic, column), "（待填写）")
        if column == "executed":
            basic_text += "（人员经费＋公用经费）"
        projects_text = (
            f"{_amount(getattr(projects, column), '（未填）')}（{count}个项目{label}之和）"
            if count
            else "0（无项目）"
        )
        note = f"= 基本支出 {basic_text} ＋ 项目支出 {projects_text}"
        if column == "executed" and data.executed_typed is not None:
            value = computed.executed
            diff = "" if value is None else f"，差{_amount(data.executed_typed - value, '')}"
            note = (
                f"原填写值 {_amount(data.executed_typed, '')}，与计算值 {_amount(value, '（空）')}{diff}"
                f"（计算值 {note}）"
            )
        notes.append(note)
    return notes[0], notes[1], notes[2]


def department_table(data: BudgetYearData, ctx: BudgetContext, rules: RuleSet) -> DepartmentTable:
    funds = summarize(data.department_funds(), rules.execution_weight)
    basic, projects = data.basic_funds(), data.projects_funds()
    parts = (
        FundsRow("basic", "基本支出", basic.initial, basic.full, basic.executed),
        FundsRow("projects", "项目支出", projects.initial, projects.full, projects.executed),
    )
    income = tuple(SplitRow(key, INCOME_LABELS[key], getattr(data, key), False) for key in INCOME_FIELDS)
    expense = (
        SplitRow("basic", "基本支出", _add(data.personnel, data.public), True),
        SplitRow("personnel", "人员经费", data.personnel, False, 1),
        SplitRow("public", "公用经费", data.public, False, 1),
        SplitRow("projects", "项目支出", projects_executed(data), True),
    )
    return DepartmentTable(
        year=ctx.year,
        unit_name=ctx.unit_name,
        title=f"{ctx.year}年度{DEPARTMENT_TITLE}",
        funds=funds,
        income=income,
        expense=expense,
        goal_expected=data.goal_expected.strip(),
        goal_actual=data.goal_actual.strip(),
        indicators=indicator_table(data.indicators, data.level1_weights, rules, funds),
        footer=_footer(data, ctx),
        parts=parts,
        funds_notes=department_funds_notes(data),
        funds_note=(
            f"年度资金总额 = 基本支出 ＋ 项目支出合计（{len(data.projects)}个项目，在“项目支出”中填写），"
            "自动计算；只需填写基本支出的年初预算数、全年预算数，其全年执行数 = 人员经费 ＋ 公用经费。"
        ),
        executed_computed=data.computed_funds().executed,
        executed_typed=data.executed_typed is not None,
    )


def project_table(
    index: int, project: Project, data: BudgetYearData, ctx: BudgetContext, rules: RuleSet
) -> ProjectTable:
    funds = summarize(project.funds, rules.execution_weight)
    sources = tuple(
        FundsRow(
            key,
            SOURCE_LABELS[key],
            *(getattr(project.source(key), c) for c in ("initial", "full", "executed")),
        )
        for key in SOURCES
    )
    indicators = indicator_table(project.indicators, project.level1_weights, rules, funds)
    return ProjectTable(
        index=index,
        year=ctx.year,
        title=f"{ctx.year}年度{PROJECT_TITLE}",
        name=project.name.strip(),
        supervisor=project.supervisor.strip(),
        implementer=project.implementer.strip(),
        kind=_kind_of(project),
        funds=funds,
        sources=sources,
        goal_expected=project.goal_expected.strip(),
        goal_actual=project.goal_actual.strip(),
        basis=project.basis.strip(),
        overview=project.overview.strip(),
        indicators=indicators,
        note="\n".join(n for n in (PROJECT_NOTE, weight_note(indicators, rules)) if n),
        footer=_footer(data, ctx),
        id=project.id,
    )


def weight_note(table: IndicatorTable, rules: RuleSet) -> str:
    """Under a table whose 一级指标 weights differ from the rule set's, what it is scored on, so the
    labels (“效益指标(40分)”) do not silently contradict the rules (check warns as well)."""
    differ = [
        (g.name, g.weight, rules.default_weight(g.name))
        for g in table.groups
        if g.weight is not None and rules.default_weight(g.name) not in (None, g.weight)
    ]
    if not differ:
        return ""
    ours = "、".join(f"{name}按{format_score(w)}分" for name, w, _ in differ)
    theirs = "、".join(f"{format_score(d)}分" for _, _, d in differ)
    return f"注：本表{ours}计分（评分规则“{rules.title}”为{theirs}）。"


def compute_tables(data: BudgetYearData, ctx: BudgetContext) -> BudgetTables:
    rules = rule_set(data.rule_set)
    return BudgetTables(
        year=ctx.year,
        unit_name=ctx.unit_name,
        rule_set=rules.key,
        rule_set_title=rules.title,
        base=base_table(data, ctx),
        department=department_table(data, ctx, rules),
        projects=tuple(project_table(i, p, data, ctx, rules) for i, p in enumerate(data.projects)),
        projects_funds=summarize(Funds.total(*(p.funds for p in data.projects)), rules.execution_weight),
    )


# -- from the database -------------------------------------------------------------------------------


def load_context(session: Session, unit_id: int, year: int) -> BudgetContext:
    from app.services.unit import load_profile

    try:
        profile = load_profile(session, unit_id, year)
    except UserError:
        profile = None
    prior = None
    if budget_year_row(session, unit_id, year - 1) is not None:
        prior = control_actuals(load_year(session, unit_id, year - 1))
    if profile is None:
        return BudgetContext(year, prior_actuals=prior)
    return BudgetContext(
        year=year,
        unit_name=profile.name,
        staff_quota=profile.staff_quota,
        staff_actual=profile.staff_actual,
        preparer=profile.preparer,
        phone=profile.phone,
        head=profile.head,
        supervisor=profile.supervisor,
        prior_actuals=prior,
    )


def build_tables(session: Session, unit_id: int, year: int) -> BudgetTables:
    """Every budget table of the unit and year, computed from the database (once per run_cache)."""
    from app.services.run_cache import cached

    return cached(
        ("budget.tables", unit_id, year),
        lambda: compute_tables(load_year(session, unit_id, year), load_context(session, unit_id, year)),
    )
