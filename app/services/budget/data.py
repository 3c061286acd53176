"""The budget figures of one unit and year as the page edits them: plain dataclasses, loaded from
and saved to the database in one go. Nothing here is computed (see compute.py) except the sums
that define what is stored: a project's 年度资金总额 (its three sources) and the department's
(基本支出 + 项目支出, so that only 基本支出 is typed; see BudgetYearData.department_funds).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import EditConflictError, UserError
from app.models.budget import (
    BudgetBuilding,
    BudgetControlItem,
    BudgetIndicator,
    BudgetLevel1Weight,
    BudgetProject,
    BudgetYear,
)
from app.models.unit import UnitYear
from app.services.budget.rules import DEFAULT_RULE_SET
from app.services.budget.scoring import IndicatorInput

PROJECT_KINDS = ("业务工作经费", "运行维护经费", "县级专项资金")
SOURCES = ("current", "carry", "other")
SOURCE_LABELS = {"current": "当年财政拨款", "carry": "上年结转资金", "other": "其他资金"}
FUND_COLUMNS = ("initial", "full", "executed")
FUND_LABELS = {"initial": "年初预算数", "full": "全年预算数", "executed": "全年执行数"}
INCOME_FIELDS = ("income_general", "income_fund", "income_special", "income_other")
INCOME_LABELS = {
    "income_general": "一般公共预算",
    "income_fund": "政府性基金拨款",
    "income_special": "纳入专户管理的非税收入拨款",
    "income_other": "其他资金",
}


def _add(*values: Decimal | None) -> Decimal | None:
    """The sum of the values given; None when none is given (a blank stays blank)."""
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def _less(total: Decimal | None, part: Decimal | None) -> Decimal | None:
    """total − part; None while the total is (a blank stays blank)."""
    return None if total is None else total - (part or Decimal(0))


@dataclass
class Funds:
    initial: Decimal | None = None  # 年初预算数
    full: Decimal | None = None  # 全年预算数
    executed: Decimal | None = None  # 全年执行数

    def is_empty(self) -> bool:
        return self.initial is None and self.full is None and self.executed is None

    @staticmethod
    def total(*parts: Funds) -> Funds:
        return Funds(
            _add(*(p.initial for p in parts)),
            _add(*(p.full for p in parts)),
            _add(*(p.executed for p in parts)),
        )


@dataclass
class Indicator:
    level1: str = ""  # 一级指标
    level2: str = ""  # 二级指标
    name: str = ""  # 三级指标
    target: str = ""  # 年度指标值
    actual: str = ""  # 实际完成值
    weight: Decimal | None = None  # 分值
    score: Decimal | None = None  # 得分 typed by the user; None: the suggestion counts
    reason: str = ""  # 偏差原因分析及改进措施
    not_applicable: bool = False
    nature: str = ""  # chosen 指标性质; "" = inferred from the target
    unit: str = ""  # chosen 度量单位; "" = inferred
    band: str = ""  # 定性 达成程度

    def scoring_input(self) -> IndicatorInput:
        return IndicatorInput(
            self.level1,
            self.target,
            self.actual,
            self.weight,
            self.nature,
            self.unit,
            self.band,
            self.not_applicable,
        )

    def is_blank(self) -> bool:
        return not any(
            (self.level1.strip(), self.level2.strip(), self.name.strip(), self.target.strip())
        ) and not (self.actual.strip() or self.weight is not None or self.score is not None)

    def cleared(self) -> Indicator:
        """The same indicator for a new year: target and weight kept, results cleared."""
        return Indicator(
            self.level1,
            self.level2,
            self.name,
            self.target,
            "",
            self.weight,
            None,
            "",
            self.not_applicable,
            self.nature,
            self.unit,
            "",
        )


@dataclass
class Project:
    name: str = ""
    supervisor: str = ""  # 主管部门
    implementer: str = ""  # 实施单位
    kind: str = "县级专项资金"
    current: Funds = field(default_factory=Funds)  # 当年财政拨款
    carry: Funds = field(default_factory=Funds)  # 上年结转资金
    other: Funds = field(default_factory=Funds)  # 其他资金
    basis: str = ""  # 立项依据
    overview: str = ""  # 项目概况
    goal_expected: str = ""
    goal_actual: str = ""
    indicators: list[Indicator] = field(default_factory=list)
    level1_weights: dict[str, Decimal] = field(default_factory=dict)
    # The database id, kept across saves and renames (reports key a project's prose by it);
    # None until first saved. Not part of equality: it is bookkeeping, not a figure.
    id: int | None = field(default=None, compare=False)

    @property
    def funds(self) -> Funds:
        """年度资金总额 = 当年财政拨款 + 上年结转资金 + 其他资金."""
        return Funds.total(self.current, self.carry, self.other)

    def source(self, key: str) -> Funds:
        return getattr(self, key)


@dataclass
class ControlEntry:
    """A typed row of 经费控制情况; `prior` replaces the 上年决算数 carried from last year."""

    prior: Decimal | None = None
    budget: Decimal | None = None
    actual: Decimal | None = None

    def is_empty(self) -> bool:
        return self.prior is None and self.budget is None and self.actual is None


@dataclass
class Building:
    name: str = ""
    approved_area: Decimal | None = None
    actual_area: Decimal | None = None
    budget_investment: Decimal | None = None
    actual_investment: Decimal | None = None


@dataclass
class BudgetYearData:
    rule_set: str = DEFAULT_RULE_SET
    revision: int = 0
    # 基本支出 年初预算数 / 全年预算数: the department's 年度资金总额 is these plus the projects'
    # (stored as that total, so a project's change moves the department's with it).
    basic_initial: Decimal | None = None
    basic_full: Decimal | None = None
    # A 全年执行数 stored before it was computed that differs from 基本支出 + 项目支出: kept, and
    # used, until the clerk switches to the computed one (None: the computed one counts).
    executed_typed: Decimal | None = None
    income_general: Decimal | None = None
    income_fund: Decimal | None = None
    income_special: Decimal | None = None
    income_other: Decimal | None = None
    personnel: Decimal | None = None  # 人员经费
    public: Decimal | None = None  # 公用经费
    state_capital: Decimal | None = None  # 国有资本经营预算支出 (quoted by the report)
    social_insurance: Decimal | None = None  # 社会保险基金预算支出 (quoted by the report)
    goal_expected: str = ""
    goal_actual: str = ""
    thrift_measures: str = ""
    fill_date: date | None = None  # None: the export date, or blank with fill_date_blank
    fill_date_blank: bool = False
    control: dict[str, ControlEntry] = field(default_factory=dict)
    buildings: list[Building] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)  # the department table's
    level1_weights: dict[str, Decimal] = field(default_factory=dict)  # the department table's
    projects: list[Project] = field(default_factory=list)

    def entry(self, code: str) -> ControlEntry:
        return self.control.get(code) or ControlEntry()

    def projects_funds(self) -> Funds:
        """项目支出: the projects' 年度资金总额 added up, column by column."""
        return Funds.total(*(p.funds for p in self.projects))

    def basic_funds(self) -> Funds:
        """基本支出: the budgets as typed; 全年执行数 = 人员经费 + 公用经费."""
        return Funds(self.basic_initial, self.basic_full, _add(self.personnel, self.public))

    def computed_funds(self) -> Funds:
        """年度资金总额 = 基本支出 + 项目支出."""
        return Funds.total(self.basic_funds(), self.projects_funds())

    def department_funds(self) -> Funds:
        """The 年度资金总额 every table uses: the computed one, but a kept executed_typed."""
        funds = self.computed_funds()
        if self.executed_typed is not None:
            funds.executed = self.executed_typed
        return funds

    def take_totals(self, totals: Funds) -> None:
        """Take a department 年度资金总额 stored or read elsewhere (the database, an imported
        table), with the projects already in place: 基本支出 is what the projects leave of the
        budgets; a 全年执行数 other than 基本支出 + 项目支出 is kept as executed_typed."""
        projects = self.projects_funds()
        self.basic_initial = _less(totals.initial, projects.initial)
        self.basic_full = _less(totals.full, projects.full)
        computed = self.computed_funds().executed
        self.executed_typed = totals.executed if totals.executed not in (None, computed) else None

    def stored_totals(self) -> Funds:
        """What take_totals reads back as the same figures (budgets blank while 基本支出 is)."""
        funds = self.department_funds()
        return Funds(
            None if self.basic_initial is None else funds.initial,
            None if self.basic_full is None else funds.full,
            funds.executed,
        )

    def copy(self) -> BudgetYearData:
        return copy.deepcopy(self)

    def project_named(self, name: str) -> Project | None:
        return next((p for p in self.projects if p.name == name), None)


# -- loading -----------------------------------------------------------------------------------------


def unit_year_id(session: Session, unit_id: int, year: int) -> int | None:
    return session.scalar(select(UnitYear.id).where(UnitYear.unit_id == unit_id, UnitYear.year == year))


def budget_year_row(session: Session, unit_id: int, year: int) -> BudgetYear | None:
    return session.scalars(
        select(BudgetYear)
        .join(UnitYear, UnitYear.id == BudgetYear.unit_year_id)
        .where(UnitYear.unit_id == unit_id, UnitYear.year == year)
    ).first()


def has_year_data(session: Session, unit_id: int, year: int) -> bool:
    return budget_year_row(session, unit_id, year) is not None


_INDICATOR_FIELDS = [f.name for f in fields(Indicator)]
_BUILDING_FIELDS = [f.name for f in fields(Building)]
_YEAR_SCALARS = (
    "rule_set",
    "revision",
    *INCOME_FIELDS,
    "personnel",
    "public",
    "state_capital",
    "social_insurance",
    "goal_expected",
    "goal_actual",
    "thrift_measures",
    "fill_date",
    "fill_date_blank",
)
_PROJECT_TEXTS = (
    "name",
    "supervisor",
    "implementer",
    "kind",
    "basis",
    "overview",
    "goal_expected",
    "goal_actual",
)


def load_year(session: Session, unit_id: int, year: int) -> BudgetYearData:
    """The year's figures; an empty BudgetYearData when nothing has been entered yet."""
    row = budget_year_row(session, unit_id, year)
    if row is None:
        if unit_year_id(session, unit_id, year) is None:
            raise UserError(f"没有{year}年度的单位信息")
        return BudgetYearData()
    data = BudgetYearData(**{name: getattr(row, name) for name in _YEAR_SCALARS})
    for item in session.scalars(select(BudgetControlItem).where(BudgetControlItem.budget_year_id == row.id)):
        data.control[item.code] = ControlEntry(item.prior, item.budget, item.actual)
    data.buildings = [
        Building(**{name: getattr(b, name) for name in _BUILDING_FIELDS})
        for b in session.scalars(
            select(BudgetBuilding)
            .where(BudgetBuilding.budget_year_id == row.id)
            .order_by(BudgetBuilding.position, BudgetBuilding.id)
        )
    ]
    projects: dict[int, Project] = {}
    for p in session.scalars(
        select(BudgetProject)
        .where(BudgetProject.budget_year_id == row.id)
        .order_by(BudgetProject.position, BudgetProject.id)
    ):
        project = Project(**{name: getattr(p, name) for name in _PROJECT_TEXTS}, id=p.id)
        for source in SOURCES:
            setattr(
                project,
                source,
                Funds(*(getattr(p, f"{source}_{column}") for column in FUND_COLUMNS)),
            )
        projects[p.id] = project
    data.projects = list(projects.values())
    data.take_totals(Funds(row.initial_budget, row.full_budget, row.executed))
    for ind in session.scalars(
        select(BudgetIndicator)
        .where(BudgetIndicator.budget_year_id == row.id)
        .order_by(BudgetIndicator.position, BudgetIndicator.id)
    ):
        indicator = Indicator(**{name: getattr(ind, name) for name in _INDICATOR_FIELDS})
        owner = projects.get(ind.project_id) if ind.project_id is not None else None
        (owner.indicators if owner else data.indicators).append(indicator)
    for w in session.scalars(select(BudgetLevel1Weight).where(BudgetLevel1Weight.budget_year_id == row.id)):
        owner = projects.get(w.project_id) if w.project_id is not None else None
        (owner.level1_weights if owner else data.level1_weights)[w.level1] = w.weight
    return data


# -- validation before saving ---------------------------------------------------------------------------


def save_errors(data: BudgetYearData) -> list[str]:
    """What stops a save (in Chinese); the checks (checks.py) report everything else."""
    errors: list[str] = []
    seen: set[str] = set()
    for number, project in enumerate(data.projects, 1):
        name = project.name.strip()
        if not name:
            errors.append(f"第{number}个项目未填写项目名称")
        elif name in seen:
            errors.append(f"项目名称“{name}”重复：每个一级项目只能有一张表")
        seen.add(name)
    owners = [("部门整体支出绩效自评表", data.indicators)] + [
        (f"项目“{p.name}”", p.indicators) for p in data.projects
    ]
    for owner, indicators in owners:
        for number, ind in enumerate(indicators, 1):
            if ind.weight is not None and ind.weight < 0:
                errors.append(f"{owner}第{number}行指标：分值不能为负数")
            if ind.score is not None and ind.score < 0:
                errors.append(f"{owner}第{number}行指标：得分不能为负数")
    return errors


# -- saving --------------------------------------------------------------------------------------------------


def _strip(text: str) -> str:
    return text.strip()


def write_year(
    session: Session, unit_id: int, year: int, data: BudgetYearData, *, check_revision: bool
) -> int:
    """Replace the year's stored figures with `data` inside the caller's transaction.

    Returns the new revision. With `check_revision`, refuses when someone else saved the year
    since `data` was loaded.
    """
    uy_id = unit_year_id(session, unit_id, year)
    if uy_id is None:
        raise UserError(f"没有{year}年度的单位信息")
    row = session.scalars(
        select(BudgetYear).where(BudgetYear.unit_year_id == uy_id).with_for_update()
    ).first()
    if row is None:
        row = BudgetYear(unit_year_id=uy_id, revision=0)
        session.add(row)
    elif check_revision and row.revision != data.revision:
        raise EditConflictError(
            f"{year}年度的预算绩效数据已在别处（另一台电脑或窗口）被修改并保存。为避免覆盖对方的修改，本次未保存。"
        )
    for name in _YEAR_SCALARS:
        if name == "revision":
            continue
        value = getattr(data, name)
        setattr(row, name, value.strip() if isinstance(value, str) else value)
    totals = data.stored_totals()
    row.initial_budget, row.full_budget, row.executed = totals.initial, totals.full, totals.executed
    row.revision = (row.revision or 0) + 1
    session.flush()
    year_id = row.id
    for model in (BudgetLevel1Weight, BudgetIndicator, BudgetBuilding, BudgetControlItem):
        session.execute(delete(model).where(model.budget_year_id == year_id))
    controls = [
        dict(budget_year_id=year_id, code=code, prior=e.prior, budget=e.budget, actual=e.actual)
        for code, e in data.control.items()
        if not e.is_empty()
    ]
    if controls:
        session.execute(insert(BudgetControlItem), controls)
    if data.buildings:
        session.execute(
            insert(BudgetBuilding),
            [
                dict(budget_year_id=year_id, position=i, **{n: getattr(b, n) for n in _BUILDING_FIELDS})
                for i, b in enumerate(data.buildings)
            ],
        )
    project_ids = _write_projects(session, year_id, data.projects)
    indicator_rows = []
    weight_rows = []
    owners: list[tuple[int | None, list[Indicator], dict[str, Decimal]]] = [
        (None, data.indicators, data.level1_weights)
    ]
    owners += [
        (pid, p.indicators, p.level1_weights) for pid, p in zip(project_ids, data.projects, strict=True)
    ]
    for pid, indicators, weights in owners:
        kept = [ind for ind in indicators if not ind.is_blank()]
        for i, ind in enumerate(kept):
            values = {n: getattr(ind, n) for n in _INDICATOR_FIELDS}
            for key, value in values.items():
                if isinstance(value, str):
                    values[key] = value.strip()
            indicator_rows.append(dict(budget_year_id=year_id, project_id=pid, position=i, **values))
        weight_rows += [
            dict(budget_year_id=year_id, project_id=pid, level1=name, weight=weight)
            for name, weight in weights.items()
        ]
    if indicator_rows:
        session.execute(insert(BudgetIndicator), indicator_rows)
    if weight_rows:
        session.execute(insert(BudgetLevel1Weight), weight_rows)
    return row.revision


def _write_projects(session: Session, year_id: int, projects: list[Project]) -> list[int]:
    """Update the year's project rows in place (ids stay), insert new ones, delete the dropped."""
    existing = set(session.scalars(select(BudgetProject.id).where(BudgetProject.budget_year_id == year_id)))
    kept = {p.id for p in projects if p.id in existing}
    if existing - kept:
        session.execute(delete(BudgetProject).where(BudgetProject.id.in_(existing - kept)))
    ids: list[int] = []
    for position, project in enumerate(projects):
        values: dict[str, object] = {"position": position}
        values.update({name: _strip(getattr(project, name)) for name in _PROJECT_TEXTS})
        for source in SOURCES:
            funds = project.source(source)
            for column in FUND_COLUMNS:
                values[f"{source}_{column}"] = getattr(funds, column)
        if project.id in kept:
            session.execute(update(BudgetProject).where(BudgetProject.id == project.id).values(**values))
        else:
            project.id = session.execute(
                insert(BudgetProject).values(budget_year_id=year_id, **values).returning(BudgetProject.id)
            ).scalar_one()
        ids.append(project.id)  # type: ignore[arg-type]
    return ids


def save_year(db: Database, unit_id: int, year: int, data: BudgetYearData) -> int:
    """Save the year's figures in one transaction; returns the new revision (also set on `data`)."""
    errors = save_errors(data)
    if errors:
        raise UserError("无法保存：" + "；".join(errors[:5]) + ("……" if len(errors) > 5 else ""))
    with db.transaction() as session:
        revision = write_year(session, unit_id, year, data, check_revision=True)
    data.revision = revision
    return revision
