"""The "仅显示工作台选中的 N 条 ×清除" bar a page shows above a list the 工作台 narrowed to
exactly some records, and the narrowing of a register list (RegisterList) to those records."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QBoxLayout, QFrame, QHBoxLayout, QLabel, QLayout, QPushButton, QWidget

from app.services.id_filter import id_in


class PinBar(QFrame):
    """Says the list shows only the records the 工作台 chose; 清除 shows the whole list again."""

    cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workbenchPin")
        self.setStyleSheet(
            "QFrame#workbenchPin { background: #fff8e1; border: 1px solid #ffe082; border-radius: 4px; }"
        )
        self.label = QLabel()
        self.clear_button = QPushButton("× 清除")
        self.clear_button.setToolTip("显示全部记录")
        self.clear_button.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 4, 2)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.clear_button)
        self.hide()

    def show_count(self, count: int, what: str = "") -> None:
        self.label.setText(f"仅显示工作台选中的 {count:,} 条{what}")
        self.show()

    def clear(self) -> None:
        self.hide()
        self.cleared.emit()


def _containing(layout: QLayout, widget: QWidget) -> QBoxLayout | None:
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item.widget() is widget and isinstance(layout, QBoxLayout):
            return layout
        child = item.layout()
        if child is not None:
            found = _containing(child, widget)
            if found is not None:
                return found
    return None


def insert_above(widget: QWidget, bar: QWidget) -> None:
    """Put `bar` right above `widget` in the box layout holding it."""
    parent = widget.parentWidget()
    layout = parent.layout() if parent is not None else None
    box = _containing(layout, widget) if layout is not None else None
    if box is None:
        raise ValueError(f"{type(widget).__name__} is not in a box layout")
    box.insertWidget(box.indexOf(widget), bar)


class RegisterPin:
    """Narrows a RegisterList to some ids (on top of whatever its filter bar says) until cleared."""

    def __init__(self, register_list: Any, on_cleared: Callable[[], None] | None = None) -> None:
        self.list = register_list
        self._conditions = register_list.conditions
        self.ids: tuple[int, ...] = ()
        self.bar = PinBar(register_list)
        insert_above(register_list.view, self.bar)
        self.bar.cleared.connect(self._cleared)
        self._on_cleared = on_cleared

    def pin(self, ids: Sequence[int]) -> None:
        self.ids = tuple(ids)
        base, key = self._conditions, self.list.model.key
        self.list.conditions = lambda flt: [*base(flt), id_in(key, self.ids)]
        self.bar.show_count(len(self.ids))

    def unpin(self) -> None:
        self.ids = ()
        self.list.conditions = self._conditions
        self.bar.hide()

    def _cleared(self) -> None:
        self.unpin()
        self.list.reload()
        if self._on_cleared is not None:
            self._on_cleared()
