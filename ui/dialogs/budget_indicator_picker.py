"""Picking 三级指标 from the list of common ones (those of seed 003 and a few more)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from app.services.budget.catalog import COMMON_INDICATORS, CommonIndicator
from app.services.budget.rules import RuleSet

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1


class IndicatorPickerDialog(QDialog):
    def __init__(
        self, rules: RuleSet, level1: str = "", level2: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("从常用指标添加")
        self.resize(620, 520)
        self.level1_combo = QComboBox()
        self.level1_combo.addItem("全部一级指标", "")
        for name in rules.level1_names():
            self.level1_combo.addItem(name, name)
        self.level2_combo = QComboBox()
        self.search = QLineEdit()
        self.search.setPlaceholderText("输入关键字筛选，如“竣工”“满意度”")
        self.model = QStandardItemModel(self)
        self._chosen: list[CommonIndicator] = []  # kept across filter changes
        self._filling = False
        self.model.itemChanged.connect(self._item_changed)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.hint = QLabel("勾选要添加的指标（可多选），添加后再填写分值和实际完成值。")
        self.hint.setStyleSheet("color:#607d8b")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("添加")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        filters = QHBoxLayout()
        filters.addWidget(self.level1_combo)
        filters.addWidget(self.level2_combo)
        filters.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.hint)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.level1_combo.currentIndexChanged.connect(self._level1_changed)
        self.level2_combo.currentIndexChanged.connect(self._fill)
        self.search.textChanged.connect(self._fill)
        self.view.doubleClicked.connect(self._toggle)
        self.level1_combo.setCurrentIndex(max(0, self.level1_combo.findData(level1)))
        self._level1_changed()
        if level2:
            self.level2_combo.setCurrentIndex(max(0, self.level2_combo.findData(level2)))

    def _level1_changed(self) -> None:
        level1 = self.level1_combo.currentData() or ""
        self.level2_combo.blockSignals(True)
        self.level2_combo.clear()
        self.level2_combo.addItem("全部二级指标", "")
        names = dict.fromkeys(c.level2 for c in COMMON_INDICATORS if not level1 or c.level1 == level1)
        for name in names:
            self.level2_combo.addItem(name, name)
        self.level2_combo.blockSignals(False)
        self._fill()

    def _fill(self) -> None:
        level1 = self.level1_combo.currentData() or ""
        level2 = self.level2_combo.currentData() or ""
        words = self.search.text().strip()
        self._filling = True
        self.model.clear()
        for entry in COMMON_INDICATORS:
            if (level1 and entry.level1 != level1) or (level2 and entry.level2 != level2):
                continue
            if words and words not in entry.name and words not in entry.target:
                continue
            item = QStandardItem(f"{entry.name}　　〔{entry.level1} › {entry.level2}，如：{entry.target}〕")
            item.setCheckable(True)
            item.setEditable(False)
            item.setCheckState(Qt.CheckState.Checked if entry in self._chosen else Qt.CheckState.Unchecked)
            item.setData(entry, ENTRY_ROLE)
            self.model.appendRow(item)
        self._filling = False

    def _item_changed(self, item: QStandardItem) -> None:
        entry = item.data(ENTRY_ROLE)
        if entry is None or self._filling:
            return
        if item.checkState() == Qt.CheckState.Checked and entry not in self._chosen:
            self._chosen.append(entry)
        elif item.checkState() != Qt.CheckState.Checked and entry in self._chosen:
            self._chosen.remove(entry)

    def _toggle(self, index) -> None:
        item = self.model.itemFromIndex(index)
        if item is not None:
            checked = item.checkState() == Qt.CheckState.Checked
            item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def selected(self) -> list[CommonIndicator]:
        """The checked indicators, in the list's order."""
        return [c for c in COMMON_INDICATORS if c in self._chosen]
