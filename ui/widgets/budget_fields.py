"""Small fields of the 预算绩效 page: an amount in 万元, and a read-only computed value."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from app.services.calc import format_money
from ui.models.budget_control_model import parse_money
from ui.widgets.validated_field import repolish


class MoneyEdit(QLineEdit):
    """An amount in 万元 with two decimals; `value_changed` fires as the user types a valid one."""

    value_changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, placeholder: str = "万元") -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setPlaceholderText(placeholder)
        self.setMinimumWidth(96)
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
        self.setToolTip("" if ok else "请输入金额（万元，最多两位小数），如 951.90")
        repolish(self)


class ComputedField(QLineEdit):
    """A value computed as the user types: shown like a field, never edited."""

    def __init__(self, tooltip: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setMinimumWidth(80)
        self.setMaximumWidth(150)
        self.setToolTip(tooltip or "自动计算")

    def show_text(self, text: str, warn: bool = False) -> None:
        self.setText(text)
        self.setStyleSheet("color:#c62828;" if warn else "")
