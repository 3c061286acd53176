"""The 部门整体支出绩效自评表 tab: funds with 执行率/得分 (年度资金总额 computed from 基本支出,
typed here, and the projects' 项目支出), the income and expense splits, goals, and the indicator
tree."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.findings import Finding
from app.services.budget.data import FUND_COLUMNS, FUND_LABELS, INCOME_FIELDS, INCOME_LABELS, BudgetYearData
from app.services.budget.rules import RuleSet
from app.services.budget.tables import DepartmentTable
from app.services.calc import format_money
from ui.widgets.budget_fields import ComputedField, FundsBox, MoneyEdit
from ui.widgets.budget_indicator_editor import IndicatorEditor
from ui.widgets.form_table_splitter import INDICATORS_HEIGHT, FormTableSplitter

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

        # 年度资金总额 = 基本支出 (its budgets typed here) + 项目支出 (from the projects): computed.
        self.total_fields = {key: ComputedField() for key in FUND_COLUMNS}
        self.funds = FundsBox("年度预算申请（万元）", list(self.total_fields.values()))
        self.basic_fields: dict[str, QWidget] = {}
        for key in ("initial", "full"):
            edit = MoneyEdit()
            edit.value_changed.connect(self._funds_edited)
            self.fields[f"basic.{key}"] = edit
            self.basic_fields[key] = edit
        self.basic_fields["executed"] = ComputedField(
            "基本支出全年执行数 = 人员经费 + 公用经费（按支出性质分）"
        )
        self.project_fields = {
            key: ComputedField(f"各项目{FUND_LABELS[key]}之和（在“项目支出”中填写）") for key in FUND_COLUMNS
        }
        for row, (label, widgets) in enumerate(
            (("其中：基本支出", self.basic_fields), ("　　　项目支出", self.project_fields)), 2
        ):
            self.funds.grid.addWidget(QLabel(label), row, 0)
            for col, key in enumerate(FUND_COLUMNS, 1):
                self.funds.grid.addWidget(widgets[key], row, col)
        self.funds_note = QLabel()
        self.funds_note.setObjectName("derivedNote")
        self.funds_note.setStyleSheet("color:#607d8b;")
        self.funds_note.setWordWrap(True)
        self.funds.grid.addWidget(self.funds_note, 4, 0, 1, 7)
        self.typed_note = QLabel()
        self.typed_note.setWordWrap(True)
        self.typed_note.setStyleSheet("color:#c62828;")
        self.use_computed_button = QPushButton("改用计算值")
        self.use_computed_button.setToolTip("不再使用原填写的全年执行数，改用基本支出 + 项目支出")
        self.use_computed_button.clicked.connect(self._use_computed)
        self.funds.grid.addWidget(self.typed_note, 5, 0, 1, 6)
        self.funds.grid.addWidget(self.use_computed_button, 5, 6)
        self.typed_note.hide()
        self.use_computed_button.hide()

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
        splitter = FormTableSplitter(scroll, box, table_height=INDICATORS_HEIGHT)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    # -- showing -------------------------------------------------------------------------------------

    def set_data(self, data: BudgetYearData, rules: RuleSet) -> None:
        self.data = data
        self._filling = True
        for key in ("initial", "full"):
            self.fields[f"basic.{key}"].set_value(getattr(data, f"basic_{key}"))  # type: ignore[attr-defined]
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
        for key, note in zip(FUND_COLUMNS, table.funds_notes, strict=True):
            self.total_fields[key].show_text(format_money(getattr(table.funds, key), "—"))
            self.total_fields[key].setToolTip(f"年度资金总额{FUND_LABELS[key]}{note}（自动计算）")
            self.project_fields[key].show_text(format_money(getattr(table.part("projects"), key), "—"))
        self.basic_fields["executed"].show_text(format_money(table.part("basic").executed, "—"))  # type: ignore[attr-defined]
        self.funds_note.setText(table.funds_note)
        differs = table.executed_typed and table.executed_computed != table.funds.executed
        self.typed_note.setText(
            f"全年执行数：{table.funds_notes[2]}。导出和评分暂用原填写值。" if differs else ""
        )
        self.typed_note.setVisible(bool(differs))
        self.use_computed_button.setVisible(bool(differs))
        if differs:  # the typed figure kept from before: red, the note beside says why
            executed_field = self.total_fields["executed"]
            executed_field.show_text(format_money(table.funds.executed), warn=True)
            executed_field.setToolTip(f"原填写的全年执行数（暂用）；{table.funds_notes[2]}")
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
        for key in ("initial", "full"):
            setattr(self.data, f"basic_{key}", self.fields[f"basic.{key}"].value())  # type: ignore[attr-defined]
        self.changed.emit()

    def _use_computed(self) -> None:
        if self.data is None:
            return
        self.data.executed_typed = None
        self.changed.emit()
        self.status.emit("全年执行数已改用计算值（基本支出 + 项目支出），保存后生效")

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
        elif field == "funds.executed":  # computed: from 人员经费/公用经费, or the kept typed one
            target = self.use_computed_button if self.use_computed_button.isVisible() else None
            (target or self.fields["expense.personnel"]).setFocus()
        elif field.startswith("funds."):  # the budgets: 基本支出's are the ones typed
            self.fields[field.replace("funds.", "basic.")].setFocus()
