"""The figures a 部门整体支出绩效自评报告 and the 项目支出绩效评价报告 quote (FigureSource "budget").

编制数, 在职人数 and 控制率 are the unit's (FigureSource "unit": unit.staff_quota, unit.staff_actual,
unit.staff_control_rate); they are not repeated here, so that every label in the picker is unique.

Texts are written as the seed writes them: amounts with two decimals ("951.90", "592.17",
"359.74") except whole amounts, which the prose writes bare ("20万元", "5万元", "0"); rates with two
decimals ("96.72%", "100.00%"); scores without trailing zeros ("99.5", "100").
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from app.contributions import Figure
from app.services.budget.compute import build_tables
from app.services.budget.data import budget_year_row
from app.services.budget.tables import BudgetTables, IndicatorTable, ProjectTable
from app.services.calc import format_money, format_rate, format_score


def money_text(value: Decimal | None) -> str:
    """951.90 → "951.90"; 20.00 → "20"; None → ""."""
    if value is None:
        return ""
    text = format_money(value)
    return text[:-3] if text.endswith(".00") else text


def _money(key: str, label: str, value: Decimal | None) -> Figure:
    return Figure(f"budget.{key}", label, money_text(value), "万元", value)


def _rate(key: str, label: str, value: Decimal | None) -> Figure:
    return Figure(f"budget.{key}", label, format_rate(value), "", value)


def _score(key: str, label: str, value: Decimal | None) -> Figure:
    return Figure(f"budget.{key}", label, format_score(value), "分", value)


def _text(key: str, label: str, value: str) -> Figure:
    return Figure(f"budget.{key}", label, value, "", value)


def _score_figures(prefix: str, title: str, table: IndicatorTable) -> list[Figure]:
    execution = table.execution
    return [
        _rate(f"{prefix}execution_rate", f"{title}预算执行率", execution.rate),
        _score(f"{prefix}execution_score", f"{title}预算执行率得分", execution.score),
        _score(f"{prefix}total_score", f"{title}自评总分", table.total),
        _text(f"{prefix}grade", f"{title}评价等级", table.grade),
    ]


def figures_of(
    tables: BudgetTables, state_capital: Decimal | None = None, social_insurance: Decimal | None = None
) -> list[Figure]:
    dept = tables.department
    base = tables.base
    pf = tables.projects_funds
    figures = [
        _money("initial_budget", "部门年初预算数", dept.funds.initial),
        _money("full_budget", "部门全年预算数", dept.funds.full),
        _money("executed", "部门全年执行数", dept.funds.executed),
        *_score_figures("", "部门整体", dept.indicators),
        *(_money(row.key, f"收入：{row.label}", row.amount) for row in dept.income),
        _money("basic_expenditure", "基本支出", dept.split("basic").amount),
        _money("personnel_expenditure", "人员经费", dept.split("personnel").amount),
        _money("public_expenditure", "公用经费", dept.split("public").amount),
        _money("project_expenditure", "项目支出数（各项目全年预算数合计，报告“二、（二）”所引）", pf.full),
        _money("projects_initial", "项目支出年初预算数（各项目合计）", pf.initial),
        _money("projects_budget", "项目支出全年预算数（各项目合计）", pf.full),
        _money("projects_executed", "项目支出全年执行数（各项目合计）", pf.executed),
        Figure("budget.project_count", "一级项目个数", str(len(tables.projects)), "个", len(tables.projects)),
        Figure(
            "budget.projects",
            "项目支出构成（各项目全年预算数）",
            "，".join(f"{p.name}{money_text(p.funds.full)}万元" for p in tables.projects),
            "",
            [(p.name, p.funds.full) for p in tables.projects],
        ),
        _money(
            "gov_fund_expenditure", "政府性基金预算支出（即政府性基金拨款）", dept.split("income_fund").amount
        ),
        _money("state_capital_expenditure", "国有资本经营预算支出", state_capital),
        _money("social_insurance_expenditure", "社会保险基金预算支出", social_insurance),
        _text("goal_expected", "部门年度总体目标（预期）", dept.goal_expected),
        _text("goal_actual", "部门年度总体目标（实际完成）", dept.goal_actual),
        _text("rule_set", "评分规则", tables.rule_set_title),
    ]
    for code, label in (
        ("three_public", "“三公”经费"),
        ("reception", "公务接待费"),
        ("procurement", "政府采购金额"),
    ):
        row = base.row(code)
        if row is not None:
            figures += [
                _money(f"{code}_prior", f"{label}上年决算数", row.prior),
                _money(f"{code}_budget", f"{label}本年预算数", row.budget),
                _money(f"{code}_actual", f"{label}本年决算数", row.actual),
            ]
    for number, p in enumerate(tables.projects, 1):
        prefix = f"project{number}."  # the same as project_figures(p), numbered for the department report
        title = f"项目{number}（{p.name}）"
        figures += [
            _text(f"{prefix}name", f"{title}名称", p.name),
            _text(f"{prefix}kind", f"{title}类型", p.kind),
            _text(f"{prefix}supervisor", f"{title}主管部门", p.supervisor),
            _text(f"{prefix}implementer", f"{title}实施单位", p.implementer),
            _money(f"{prefix}initial_budget", f"{title}年初预算数", p.funds.initial),
            _money(f"{prefix}full_budget", f"{title}全年预算数", p.funds.full),
            _money(f"{prefix}executed", f"{title}全年执行数", p.funds.executed),
            *(
                _money(f"{prefix}{row.key}_full", f"{title}{row.label}（全年预算数）", row.full)
                for row in p.sources
            ),
            *_score_figures(prefix, title, p.indicators),
            _text(f"{prefix}basis", f"{title}立项依据", p.basis),
            _text(f"{prefix}overview", f"{title}概况", p.overview),
            _text(f"{prefix}goal_expected", f"{title}年度目标（预期）", p.goal_expected),
            _text(f"{prefix}goal_actual", f"{title}年度目标（实际完成）", p.goal_actual),
        ]
    return figures


def project_figures(table: ProjectTable) -> list[Figure]:
    """A 项目支出绩效评价报告's figures, keys "project.*" (the report of that one project)."""

    def fig(key: str, label: str, text: str, unit: str = "", value: object = None) -> Figure:
        return Figure(f"project.{key}", label, text, unit, text if value is None else value)

    funds, ind = table.funds, table.indicators
    return [
        fig("name", "项目名称", table.name),
        fig("kind", "项目类型", table.kind),
        fig("supervisor", "主管部门", table.supervisor),
        fig("implementer", "实施单位", table.implementer),
        fig("budget_initial", "年初预算数", money_text(funds.initial), "万元", funds.initial),
        fig("budget_total", "全年预算数", money_text(funds.full), "万元", funds.full),
        fig("spent", "全年执行数", money_text(funds.executed), "万元", funds.executed),
        *(
            fig(f"{row.key}_total", f"{row.label}（全年预算数）", money_text(row.full), "万元", row.full)
            for row in table.sources
        ),
        fig("rate", "预算执行率", format_rate(funds.rate), "", funds.rate),
        fig("execution_score", "预算执行率得分", format_score(funds.score), "分", funds.score),
        fig("score", "自评总分", format_score(ind.total), "分", ind.total),
        fig("grade", "评价等级", ind.grade),
        fig("goal", "年度总体目标（预期目标）", table.goal_expected),
        fig("result", "年度总体目标（实际完成情况）", table.goal_actual),
        fig("basis", "立项依据", table.basis),
        fig("overview", "项目概况", table.overview),
    ]


def budget_figures(session: Session, unit_id: int, year: int) -> list[Figure]:
    row = budget_year_row(session, unit_id, year)
    if row is None:
        return []
    return figures_of(build_tables(session, unit_id, year), row.state_capital, row.social_insurance)
