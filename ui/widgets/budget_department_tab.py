"""The 部门整体支出绩效自评表 tab: funds with 执行率/得分, the income and expense splits, goals,
and the indicator tree."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.findings import Finding
from app.services.budget.data import INCOME_FIELDS, INCOME_LABELS, BudgetYearData
from app.services.budget.rules import RuleSet
from app.services.budget.tables import DepartmentTable
from app.services.calc import format_money
from ui.widgets.budget_fields import ComputedField, FundsBox, MoneyEdit
from ui.widgets.budget_indicator_editor import IndicatorEditor

ZERO = Decimal(0)


def goal_edit(placeholder: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setPlaceholderText(placeholder)
    edit.setMaximumHeight(78)
    return edit


class DepartmentTab(QWidget):
    changed = Signal()
    status = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: BudgetYearData | None = None
        self._filling = False
        self.fields: dict[str, QWidget] = {}

        amounts: list[QWidget] = []
        for key in ("initial", "full", "executed"):
            edit = MoneyEdit()
            edit.value_changed.connect(self._funds_edited)
            self.fields[f"funds.{key}"] = edit
            amounts.append(edit)
        self.funds = FundsBox("年度预算申请（万元）", amounts)

        income = QGroupBox("按收入性质分（全年执行数）")
        income_form = QFormLayout(income)
        for key in INCOME_FIELDS:
            edit = MoneyEdit()
            edit.value_changed.connect(self._splits_edited)
            self.fields[f"income.{key}"] = edit
            income_form.addRow(INCOME_LABELS[key], edit)
        self.income_total = ComputedField("各项之和，应等于全年执行数")
        income_form.addRow("合计", self.income_total)

        expense = QGroupBox("按支出性质分（全年执行数）")
        expense_form = QFormLayout(expense)
        for key, label in (("personnel", "人员经费"), ("public", "公用经费")):
            edit = MoneyEdit()
            edit.value_changed.connect(self._splits_edited)
            self.fields[f"expense.{key}"] = edit
            expense_form.addRow(f"基本支出 › {label}", edit)
        self.basic_field = ComputedField("基本支出 = 人员经费 + 公用经费")
        self.projects_field = ComputedField("项目支出 = 各项目全年执行数之和（在“项目支出”中填写）")
        self.expense_total = ComputedField("基本支出 + 项目支出，应等于全年执行数")
        expense_form.addRow("基本支出", self.basic_field)
        expense_form.addRow("项目支出（取自各项目）", self.projects_field)
        expense_form.addRow("合计", self.expense_total)

        other = QGroupBox("其他预算支出（自评报告第三至五部分引用；没有填0）")
        other_layout = QHBoxLayout(other)
        self.gov_fund_field = ComputedField("即“按收入性质分”中的政府性基金拨款")
        other_layout.addWidget(QLabel("政府性基金预算支出"))
        other_layout.addWidget(self.gov_fund_field)
        for key, label in (
            ("state_capital", "国有资本经营预算支出"),
            ("social_insurance", "社会保险基金预算支出"),
        ):
            edit = MoneyEdit()
            edit.value_changed.connect(self._splits_edited)
            self.fields[f"other.{key}"] = edit
            other_layout.addSpacing(12)
            other_layout.addWidget(QLabel(label))
            other_layout.addWidget(edit)
        other_layout.addStretch(1)

        goals = QGroupBox("年度总体目标")
        goals_layout = QHBoxLayout(goals)
        self.goal_expected = goal_edit("预期目标")
        self.goal_actual = goal_edit("实际完成情况")
        self.goal_expected.textChanged.connect(self._goals_edited)
        self.goal_actual.textChanged.connect(self._goals_edited)
        self.fields["goal_expected"] = self.goal_expected
        self.fields["goal_actual"] = self.goal_actual
        for title, edit in (("预期目标", self.goal_expected), ("实际完成情况", self.goal_actual)):
            column = QVBoxLayout()
            column.addWidget(QLabel(title))
            column.addWidget(edit)
            goals_layout.addLayout(column)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.funds)
        splits = QHBoxLayout()
        splits.addWidget(income)
        splits.addWidget(expense)
        top_layout.addLayout(splits)
        top_layout.addWidget(other)
        top_layout.addWidget(goals)

        self.indicators = IndicatorEditor("部门整体支出绩效自评表")
        self.indicators.changed.connect(self.changed)
        self.indicators.status.connect(self.status)
        box = QGroupBox("绩效指标")
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(self.indicators)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(top)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(scroll)
        splitter.addWidget(box)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 600])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    # -- showing -------------------------------------------------------------------------------------

    def set_data(self, data: BudgetYearData, rules: RuleSet) -> None:
        self.data = data
        self._filling = True
        for key in ("initial", "full", "executed"):
            self.fields[f"funds.{key}"].set_value(getattr(data.funds, key))  # type: ignore[attr-defined]
        for key in INCOME_FIELDS:
            self.fields[f"income.{key}"].set_value(getattr(data, key))  # type: ignore[attr-defined]
        for key in ("personnel", "public"):
            self.fields[f"expense.{key}"].set_value(getattr(data, key))  # type: ignore[attr-defined]
        for key in ("state_capital", "social_insurance"):
            self.fields[f"other.{key}"].set_value(getattr(data, key))  # type: ignore[attr-defined]
        self.goal_expected.setPlainText(data.goal_expected)
        self.goal_actual.setPlainText(data.goal_actual)
        self._filling = False
        self.indicators.set_rules(rules)
        self.indicators.set_indicators(data.indicators, data.level1_weights)

    def set_rules(self, rules: RuleSet) -> None:
        self.indicators.set_rules(rules)

    def show_table(self, table: DepartmentTable, findings: list[Finding]) -> None:
        self.funds.show_scores(table.funds)
        executed = table.funds.executed
        income_sum = sum((r.amount for r in table.income if r.amount is not None), ZERO)
        self.income_total.show_text(
            *self._total_text(income_sum, executed, any(r.amount is not None for r in table.income))
        )
        basic = table.split("basic").amount
        projects = table.split("projects").amount
        self.basic_field.show_text(format_money(basic, "—"))
        self.projects_field.show_text(format_money(projects, "—"))
        self.gov_fund_field.show_text(format_money(table.split("income_fund").amount, "—"))
        self.expense_total.show_text(
            *self._total_text((basic or ZERO) + (projects or ZERO), executed, basic is not None)
        )
        self.indicators.set_table(table.indicators)
        self.indicators.set_findings(findings, "dept")

    @staticmethod
    def _total_text(total: Decimal, executed: Decimal | None, any_given: bool) -> tuple[str, bool]:
        if not any_given:
            return "—", False
        if executed is None or total == executed:
            return format_money(total), False
        return f"{format_money(total)}（差{format_money(total - executed)}）", True

    # -- editing -------------------------------------------------------------------------------------

    def _funds_edited(self) -> None:
        if self._filling or self.data is None:
            return
        for key in ("initial", "full", "executed"):
            setattr(self.data.funds, key, self.fields[f"funds.{key}"].value())  # type: ignore[attr-defined]
        self.changed.emit()

    def _splits_edited(self) -> None:
        if self._filling or self.data is None:
            return
        for key in INCOME_FIELDS:
            setattr(self.data, key, self.fields[f"income.{key}"].value())  # type: ignore[attr-defined]
        for key in ("personnel", "public"):
            setattr(self.data, key, self.fields[f"expense.{key}"].value())  # type: ignore[attr-defined]
        for key in ("state_capital", "social_insurance"):
            setattr(self.data, key, self.fields[f"other.{key}"].value())  # type: ignore[attr-defined]
        self.changed.emit()

    def _goals_edited(self) -> None:
        if self._filling or self.data is None:
            return
        self.data.goal_expected = self.goal_expected.toPlainText()
        self.data.goal_actual = self.goal_actual.toPlainText()
        self.changed.emit()

    def invalid_fields(self) -> list[str]:
        """Amount fields holding text that is not an amount (what a save would lose)."""
        return [key for key, w in self.fields.items() if isinstance(w, MoneyEdit) and not w.is_valid()]

    # -- jumping to a finding ----------------------------------------------------------------------

    def show_field(self, field: str) -> None:
        if self.indicators.show_field(field):
            return
        if field == "total":
            self.indicators.total_label.setFocus()
            self.indicators.view.setFocus()
        elif field in self.fields:
            self.fields[field].setFocus()
        elif field.startswith("expense."):
            self.fields["expense.personnel"].setFocus()
