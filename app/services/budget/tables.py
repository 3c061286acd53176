"""The computed budget tables, as plain frozen data: what the Excel writer, the Word report and the
page all render, so that every one of them shows the same numbers.

Build them with `app.services.budget.compute.build_tables(session, unit_id, year)` (from the
database) or `compute_tables(data, context)` (from figures being edited).

Money is Decimal 万元 (two places), rates are fractions (Decimal("0.9672") is 96.72%), scores are
Decimal with two places; None means the cell is blank.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

BASE_TITLE = "部门整体支出绩效评价基础数据表"
DEPARTMENT_TITLE = "部门整体支出绩效自评表"
PROJECT_TITLE = "项目支出绩效自评表"
BASE_NOTE = (
    "说明：“项目支出”需要填报基本支出以外的所有项目支出情况，“公用经费”填报基本支出中的一般商品和服务支出。"
)
PROJECT_NOTE = "备注：一个一级项目支出一张表。如，业务工作经费，运行维护经费，其他事业发展类资金…各一张表。"


@dataclass(frozen=True)
class Footer:
    preparer: str  # 填表人
    phone: str  # 联系电话
    head: str  # 单位负责人
    date: str  # 填报日期, as written ("2024年1月15日"; "" when not set)


@dataclass(frozen=True)
class ControlRow:
    """A row of 经费控制情况 (万元): 上年决算数 | 本年预算数 | 本年决算数."""

    code: str  # "reception", "kind:县级专项资金", "project:工作经费" …
    label: str  # as printed: "3、公务接待"
    depth: int  # 0 heading, 1 item, 2 sub-item
    prior: Decimal | None
    budget: Decimal | None
    actual: Decimal | None
    # Where 上年决算数 comes from: "carried" (previous year's 本年决算数), "typed" (entered here),
    # "sum" (of the rows below), "" (blank).
    prior_source: str
    carried: Decimal | None  # the previous year's 本年决算数 (what "carried" would give)
    typed: frozenset[str]  # the columns typed on this row: subset of {"prior", "budget", "actual"}
    derived_note: str = ""  # what the computed cells are drawn from, for tooltips


@dataclass(frozen=True)
class BuildingRow:
    name: str
    approved_area: Decimal | None
    actual_area: Decimal | None
    area_rate: Decimal | None  # 规模控制率 = 实际/批复
    budget_investment: Decimal | None
    actual_investment: Decimal | None
    investment_rate: Decimal | None  # 投资概算控制率 = 实际/预算


@dataclass(frozen=True)
class BaseDataTable:
    year: int
    unit_name: str
    title: str  # "2023年度部门整体支出绩效评价基础数据表"
    staff_quota: int | None  # 编制数
    staff_actual: int | None  # 实际在职人数
    staff_rate: Decimal | None  # 控制率
    has_prior_year: bool  # whether year-1 is in the database (上年决算数 carried from it)
    control_rows: tuple[ControlRow, ...]
    buildings: tuple[BuildingRow, ...]
    thrift_measures: str
    note: str
    footer: Footer

    def row(self, code: str) -> ControlRow | None:
        return next((r for r in self.control_rows if r.code == code), None)


@dataclass(frozen=True)
class FundsSummary:
    """年度资金总额 with its 执行率 and 得分."""

    initial: Decimal | None
    full: Decimal | None
    executed: Decimal | None
    weight: Decimal  # 分值 of 预算执行率
    rate: Decimal | None  # 执行率 (fraction, 4 places)
    score: Decimal | None  # 分值 × 执行率, never above 分值


@dataclass(frozen=True)
class FundsRow:
    """A 其中 row of a project's funds (当年财政拨款 / 上年结转资金 / 其他资金) or of the
    department's (基本支出 / 项目支出)."""

    key: str  # "current" / "carry" / "other"; "basic" / "projects"
    label: str
    initial: Decimal | None
    full: Decimal | None
    executed: Decimal | None


@dataclass(frozen=True)
class SplitRow:
    """A line of the department's 按收入性质分 / 按支出性质分."""

    key: str  # "income_general" …, "basic", "personnel", "public", "projects"
    label: str
    amount: Decimal | None
    derived: bool  # computed (基本支出, 项目支出) rather than typed
    depth: int = 0  # 1 for 人员经费/公用经费 under 基本支出


@dataclass(frozen=True)
class IndicatorRow:
    index: int  # position in the table's stored list (the page and findings address rows by it)
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: Decimal | None  # None when 不适用
    score: Decimal | None  # the 得分 that counts
    suggested: Decimal | None  # the suggested 得分 (always shown beside a typed one)
    typed: bool  # 得分 typed by the user
    reason: str
    not_applicable: bool
    nature: str  # 指标性质 (chosen or inferred)
    nature_inferred: bool
    unit: str  # 度量单位
    band: str
    basis: str  # how the suggestion was reached
    scored_as: str = ""  # the nature the suggestion used (定性 when a side is not a number)


@dataclass(frozen=True)
class Level2Group:
    name: str
    rows: tuple[IndicatorRow, ...]


@dataclass(frozen=True)
class Level1Group:
    name: str
    weight: Decimal | None  # the header's "(30分)"; None for a 一级指标 unknown to the rule set
    weight_is_default: bool  # the rule set's weight (False: set for this table)
    allocated: Decimal  # Σ 分值 of its applicable 三级指标
    score: Decimal | None  # Σ 得分 (None if one is missing)
    level2: tuple[Level2Group, ...]

    @property
    def rows(self) -> tuple[IndicatorRow, ...]:
        return tuple(r for g in self.level2 for r in g.rows)

    def header(self) -> str:
        """ "产出指标(30分)" as in the seed's tables: the weight this table is scored on (its rows add
        up to it). One that differs from the rule set's is a 校验 warning (checks.is_rule_weight_warning),
        shown before an export and in its summary; the label itself keeps the "(N分)" form the
        importers read back."""
        if self.weight is None:
            return self.name
        return f"{self.name}({_plain(self.weight)}分)"


def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class IndicatorTable:
    groups: tuple[Level1Group, ...]  # 一级 in the rule set's order, each with its 二级 groups
    rows: tuple[IndicatorRow, ...]  # in the stored order
    execution: FundsSummary
    total_weight: Decimal  # 分值 of 预算执行率 + Σ applicable 三级 分值 (100 when consistent)
    raw_total: Decimal | None  # 执行率得分 + Σ 得分
    total: Decimal | None  # 总分 (after a rule set's cap); None when a score is missing
    cap_note: str  # why 总分 was capped ("" if not)
    grade: str  # 评价等级: 优/良/中/差 ("" without 总分)
    missing_scores: tuple[int, ...]  # indexes of applicable rows without a 得分


@dataclass(frozen=True)
class DepartmentTable:
    year: int
    unit_name: str
    title: str
    funds: FundsSummary
    income: tuple[SplitRow, ...]  # 一般公共预算, 政府性基金拨款, 纳入专户管理的非税收入拨款, 其他资金
    expense: tuple[SplitRow, ...]  # 基本支出, 人员经费, 公用经费, 项目支出 (全年执行数)
    goal_expected: str
    goal_actual: str
    indicators: IndicatorTable
    footer: Footer
    # 年度资金总额 = 基本支出 + 项目支出, column by column: FundsRow "basic" and "projects".
    parts: tuple[FundsRow, ...] = ()
    # Where each 年度资金总额 column (年初预算数, 全年预算数, 全年执行数) comes from, in words.
    funds_notes: tuple[str, str, str] = ("", "", "")
    funds_note: str = ""  # the same for the whole row, in one line
    # 基本支出 + 项目支出 全年执行数; differs from funds.executed while a typed one is kept.
    executed_computed: Decimal | None = None
    executed_typed: bool = False  # funds.executed is the typed one kept from before

    def part(self, key: str) -> FundsRow:
        return next(r for r in self.parts if r.key == key)

    def split(self, key: str) -> SplitRow:
        return next(r for r in (*self.income, *self.expense) if r.key == key)


@dataclass(frozen=True)
class ProjectTable:
    index: int  # position among the year's projects
    year: int
    title: str
    name: str
    supervisor: str
    implementer: str
    kind: str
    funds: FundsSummary
    sources: tuple[FundsRow, ...]
    goal_expected: str
    goal_actual: str
    basis: str
    overview: str
    indicators: IndicatorTable
    note: str
    footer: Footer
    id: int | None = None  # the project's database id (stable across saves; None before the first)


@dataclass(frozen=True)
class BudgetTables:
    year: int
    unit_name: str
    rule_set: str  # key
    rule_set_title: str
    base: BaseDataTable
    department: DepartmentTable
    projects: tuple[ProjectTable, ...]
    # 项目支出 totals over all projects (the department table's 项目支出 is `projects_funds.executed`).
    projects_funds: FundsSummary

    def project(self, name: str) -> ProjectTable | None:
        return next((p for p in self.projects if p.name == name), None)
