"""Budget performance (预算绩效): one `BudgetYear` per unit and year, holding every figure the
基础数据表, the 部门整体支出绩效自评表 and the 项目支出绩效自评表 are drawn from.

Each figure is stored once. Totals, rates, scores and the 项目支出 rows of the other tables are
computed (app.services.budget.compute), never stored.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Money, ScaledDecimal, TimestampMixin


def Score() -> ScaledDecimal:
    """分值/得分 with two decimals."""
    return ScaledDecimal(2)


class BudgetYear(TimestampMixin, Base):
    """The department-level figures of one unit and year."""

    __tablename__ = "budget_year"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_year_id: Mapped[int] = mapped_column(
        ForeignKey("unit_year.id", ondelete="CASCADE"), unique=True, index=True
    )
    rule_set: Mapped[str] = mapped_column(String(40), default="hunan")  # app.services.budget.rules
    # Bumped on every save: a save based on an older revision is refused (two PCs, one database).
    revision: Mapped[int] = mapped_column(Integer, default=0)

    initial_budget: Mapped[Decimal | None] = mapped_column(Money())  # 年初预算数
    full_budget: Mapped[Decimal | None] = mapped_column(Money())  # 全年预算数
    executed: Mapped[Decimal | None] = mapped_column(Money())  # 全年执行数
    income_general: Mapped[Decimal | None] = mapped_column(Money())  # 一般公共预算
    income_fund: Mapped[Decimal | None] = mapped_column(Money())  # 政府性基金拨款
    income_special: Mapped[Decimal | None] = mapped_column(Money())  # 纳入专户管理的非税收入拨款
    income_other: Mapped[Decimal | None] = mapped_column(Money())  # 其他资金
    personnel: Mapped[Decimal | None] = mapped_column(Money())  # 人员经费 (基本支出)
    public: Mapped[Decimal | None] = mapped_column(Money())  # 公用经费 (基本支出)
    # What the 自评报告's 四、五 quote (no line of the tables holds them): usually none.
    state_capital: Mapped[Decimal | None] = mapped_column(Money())  # 国有资本经营预算支出
    social_insurance: Mapped[Decimal | None] = mapped_column(Money())  # 社会保险基金预算支出

    goal_expected: Mapped[str] = mapped_column(Text, default="")  # 年度总体目标：预期目标
    goal_actual: Mapped[str] = mapped_column(Text, default="")  # 实际完成情况
    thrift_measures: Mapped[str] = mapped_column(Text, default="")  # 厉行节约保障措施
    fill_date: Mapped[date | None] = mapped_column(Date)  # 填报日期; None: the export date, unless…
    fill_date_blank: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # …留空


class BudgetControlItem(Base):
    """A typed figure of the 经费控制情况 block, keyed by a row code ("reception", "office" …).

    `prior` is a typed 上年决算数 that replaces the one carried from the previous year.
    """

    __tablename__ = "budget_control_item"
    __table_args__ = (UniqueConstraint("budget_year_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_year_id: Mapped[int] = mapped_column(ForeignKey("budget_year.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(240))
    prior: Mapped[Decimal | None] = mapped_column(Money())
    budget: Mapped[Decimal | None] = mapped_column(Money())
    actual: Mapped[Decimal | None] = mapped_column(Money())


class BudgetBuilding(Base):
    """楼堂馆所 completed in the year (usually none)."""

    __tablename__ = "budget_building"

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_year_id: Mapped[int] = mapped_column(ForeignKey("budget_year.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200), default="")
    approved_area: Mapped[Decimal | None] = mapped_column(ScaledDecimal(2))  # 批复规模 m²
    actual_area: Mapped[Decimal | None] = mapped_column(ScaledDecimal(2))  # 实际规模 m²
    budget_investment: Mapped[Decimal | None] = mapped_column(Money())  # 预算投资 万元
    actual_investment: Mapped[Decimal | None] = mapped_column(Money())  # 实际投资 万元


class BudgetProject(Base):
    """A 一级项目 and its funds by source (当年财政拨款 / 上年结转资金 / 其他资金) × (年初, 全年, 执行)."""

    __tablename__ = "budget_project"

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_year_id: Mapped[int] = mapped_column(ForeignKey("budget_year.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200), default="")
    supervisor: Mapped[str] = mapped_column(String(200), default="")  # 主管部门
    implementer: Mapped[str] = mapped_column(String(200), default="")  # 实施单位
    kind: Mapped[str] = mapped_column(String(50), default="")  # 业务工作经费 / 运行维护经费 / 县级专项资金 …

    current_initial: Mapped[Decimal | None] = mapped_column(Money())
    current_full: Mapped[Decimal | None] = mapped_column(Money())
    current_executed: Mapped[Decimal | None] = mapped_column(Money())
    carry_initial: Mapped[Decimal | None] = mapped_column(Money())
    carry_full: Mapped[Decimal | None] = mapped_column(Money())
    carry_executed: Mapped[Decimal | None] = mapped_column(Money())
    other_initial: Mapped[Decimal | None] = mapped_column(Money())
    other_full: Mapped[Decimal | None] = mapped_column(Money())
    other_executed: Mapped[Decimal | None] = mapped_column(Money())

    basis: Mapped[str] = mapped_column(Text, default="")  # 立项依据（文件）
    overview: Mapped[str] = mapped_column(Text, default="")  # 项目概况
    goal_expected: Mapped[str] = mapped_column(Text, default="")
    goal_actual: Mapped[str] = mapped_column(Text, default="")


class BudgetIndicator(Base):
    """One 三级指标 row of the department table (project_id NULL) or of a project's table."""

    __tablename__ = "budget_indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_year_id: Mapped[int] = mapped_column(ForeignKey("budget_year.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("budget_project.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    level1: Mapped[str] = mapped_column(String(50), default="")  # 一级指标
    level2: Mapped[str] = mapped_column(String(50), default="")  # 二级指标
    name: Mapped[str] = mapped_column(String(300), default="")  # 三级指标
    target: Mapped[str] = mapped_column(String(300), default="")  # 年度指标值
    actual: Mapped[str] = mapped_column(String(300), default="")  # 实际完成值
    weight: Mapped[Decimal | None] = mapped_column(Score())  # 分值
    score: Mapped[Decimal | None] = mapped_column(
        Score()
    )  # 得分 typed by the user (None: the suggested score applies)
    reason: Mapped[str] = mapped_column(Text, default="")  # 偏差原因分析及改进措施
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)  # 不适用
    nature: Mapped[str] = mapped_column(String(10), default="")  # 指标性质 chosen ("" = inferred)
    unit: Mapped[str] = mapped_column(String(20), default="")  # 度量单位 chosen ("" = inferred)
    band: Mapped[str] = mapped_column(String(10), default="")  # 定性: 达成 / 部分达成 / 未达成


class BudgetLevel1Weight(Base):
    """A table's 一级指标 weight where it differs from the rule set (the "(40分)" in its header)."""

    __tablename__ = "budget_level1_weight"

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_year_id: Mapped[int] = mapped_column(ForeignKey("budget_year.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("budget_project.id", ondelete="CASCADE"), index=True
    )
    level1: Mapped[str] = mapped_column(String(50))
    weight: Mapped[Decimal] = mapped_column(Score())
