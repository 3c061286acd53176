"""插入数据: pick a figure by name, grouped by where it comes from, with its current value."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.reports.figures import FigureSet

KEY_ROLE = Qt.ItemDataRole.UserRole


class FigurePickerDialog(QDialog):
    def __init__(self, figures: FigureSet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figures = figures
        self.setWindowTitle("插入数据")
        self.resize(620, 520)
        intro = QLabel(
            "选择要插入的数据项。文中将插入形如【编制数】的占位符，导出时自动填入当时的数值，"
            "数据修改后报告随之更新。"
        )
        intro.setWordWrap(True)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索数据项名称…")
        self.search.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["数据项", "当前数值"])
        self.tree.setRootIsDecorated(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.tree.header().resizeSection(1, 200)
        self.with_unit = QCheckBox("同时插入计量单位（如“人”“件”“万元”）")
        self.with_unit.setChecked(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("插入")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.with_unit)
        layout.addWidget(self.buttons)
        self._fill()
        self.search.textChanged.connect(self._filter)
        self.tree.itemDoubleClicked.connect(lambda item, _col: self._double_clicked(item))
        self.tree.currentItemChanged.connect(lambda *_: self._sync())
        self._sync()

    def _fill(self) -> None:
        for group in self.figures.groups:
            parent = QTreeWidgetItem([group.title, ""])
            parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = parent.font(0)
            font.setBold(True)
            parent.setFont(0, font)
            self.tree.addTopLevelItem(parent)
            for figure in group.figures:
                shown = figure.text.replace("\n", " ") if figure.text else "（暂无数值）"
                if figure.text and figure.unit:
                    shown += figure.unit
                item = QTreeWidgetItem([figure.label, shown])
                item.setData(0, KEY_ROLE, figure.key)
                item.setToolTip(0, f"{figure.label}\n插入为：{self.figures.placeholder(figure.key)}")
                item.setToolTip(1, figure.text)
                parent.addChild(item)
            parent.setExpanded(True)
        if not self.figures.groups:
            self.tree.addTopLevelItem(QTreeWidgetItem(["（暂无可用数据）", ""]))

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            visible = 0
            for j in range(group.childCount()):
                child = group.child(j)
                match = not needle or needle in child.text(0).casefold()
                child.setHidden(not match)
                visible += match
            group.setHidden(visible == 0)

    def _double_clicked(self, item: QTreeWidgetItem) -> None:
        if item.data(0, KEY_ROLE):
            self.accept()

    def _sync(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.selected_key() is not None)

    def select_key(self, key: str) -> bool:
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            for j in range(group.childCount()):
                child = group.child(j)
                if child.data(0, KEY_ROLE) == key:
                    self.tree.setCurrentItem(child)
                    return True
        return False

    def selected_key(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, KEY_ROLE) if item is not None else None

    def insertion(self) -> str:
        """The text to insert: the placeholder, and the unit word when asked for."""
        key = self.selected_key()
        if key is None:
            return ""
        figure = self.figures[key]
        unit = figure.unit if self.with_unit.isChecked() else ""
        return self.figures.placeholder(key) + unit
