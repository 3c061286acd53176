"""Small fields of the 预算绩效 page: an amount in 万元, a read-only computed value, and the
funds box of a self-evaluation table (年度资金总额 with its 分值, 执行率 and 得分)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QLineEdit, QWidget

from app.services.budget.tables import FundsSummary
from app.services.calc import format_money, format_rate, format_score
from ui.models.budget_control_model import parse_money
from ui.widgets.validated_field import repolish


class MoneyEdit(QLineEdit):
    """An amount in 万元 with two decimals; `value_changed` fires as the user types a valid one."""

    value_changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, placeholder: str = "万元") -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setPlaceholderText(placeholder)
        self.setMinimumWidth(84)  # "12,345.67" and the frame; a project's funds fit a 1280 px screen
        self.setMaximumWidth(150)
        self._value: Decimal | None = None
        self.textEdited.connect(self._on_edited)
        self.editingFinished.connect(self._tidy)

    def value(self) -> Decimal | None:
        return self._value

    def is_valid(self) -> bool:
        return parse_money(self.text())[1]

    def set_value(self, value: Decimal | None) -> None:
        self._value = value
        self.setText(format_money(value))
        self._mark(True)

    def _on_edited(self, text: str) -> None:
        value, ok = parse_money(text)
        self._mark(ok)
        if ok and value != self._value:
            self._value = value
            self.value_changed.emit()

    def _tidy(self) -> None:
        if self.is_valid():
            self.setText(format_money(self._value))

    def _mark(self, ok: bool) -> None:
        self.setProperty("invalid", not ok)
        self.setToolTip("" if ok else "请输入金额（万元，0至1000000000000，最多两位小数），如 951.90")
        repolish(self)


class ComputedField(QLineEdit):
    """A value computed as the user types: shown like a field, never edited."""

    def __init__(self, tooltip: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setMinimumWidth(72)
        self.setMaximumWidth(150)
        self.setToolTip(tooltip or "自动计算")

    def show_text(self, text: str, warn: bool = False) -> None:
        self.setText(text)
        self.setStyleSheet("color:#c62828;" if warn else "")


class FundsBox(QGroupBox):
    """The funds of a 自评表: a header row, then 年度资金总额 with its three amounts (`amounts`, in
    columns 1–3) and the computed 分值, 执行率 and 得分. Rows below (其中 …) are the owner's."""

    HEADER = ("", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")

    def __init__(self, title: str, amounts: list[QWidget]) -> None:
        super().__init__(title)
        self.grid = QGridLayout(self)
        for col, text in enumerate(self.HEADER):
            label = QLabel(text)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.grid.addWidget(label, 0, col)
        self.grid.addWidget(QLabel("年度资金总额"), 1, 0)
        for col, widget in enumerate(amounts, 1):
            self.grid.addWidget(widget, 1, col)
        self.weight_label = QLabel("10")
        self.weight_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.rate_field = ComputedField("执行率 = 全年执行数 ÷ 全年预算数")
        self.score_field = ComputedField("得分 = 分值 × 执行率，不超过分值")
        self.grid.addWidget(self.weight_label, 1, 4)
        self.grid.addWidget(self.rate_field, 1, 5)
        self.grid.addWidget(self.score_field, 1, 6)
        self.grid.setColumnStretch(7, 1)

    def show_scores(self, funds: FundsSummary) -> None:
        self.weight_label.setText(format_score(funds.weight))
        self.rate_field.show_text(
            format_rate(funds.rate, "—"), warn=funds.rate is not None and funds.rate > 1
        )
        self.score_field.show_text(format_score(funds.score, "—"))
