"""An ordered list of texts (职能职责 …): numbered rows, edit in place, add/remove/move, paste lines."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.text import split_numbered_lines


class OrderedListEditor(QWidget):
    changed = Signal()

    def __init__(self, header: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QStandardItemModel(0, 1, self)
        self.model.setHorizontalHeaderLabels([header])
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.setMinimumHeight(180)

        self.add_button = QPushButton("添加")
        self.remove_button = QPushButton("删除")
        self.up_button = QPushButton("上移")
        self.down_button = QPushButton("下移")
        self.paste_button = QPushButton("粘贴多行")
        self.paste_button.setToolTip("把从 WPS/Word 复制的多行文字按行添加为多项，自动去掉“（1）”“1、”等编号")
        buttons = QVBoxLayout()
        for button in (
            self.add_button,
            self.remove_button,
            self.up_button,
            self.down_button,
            self.paste_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

        self.add_button.clicked.connect(self.add_item)
        self.remove_button.clicked.connect(self.remove_current)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.paste_button.clicked.connect(self.paste_lines)
        paste = QShortcut(QKeySequence.StandardKey.Paste, self.view)
        paste.setContext(Qt.ShortcutContext.WidgetShortcut)
        paste.activated.connect(self.paste_lines)
        self.model.dataChanged.connect(self._on_model_changed)
        self.model.rowsInserted.connect(self._on_model_changed)
        self.model.rowsRemoved.connect(self._on_model_changed)

    def _on_model_changed(self, *_args: object) -> None:
        self.view.resizeRowsToContents()
        self.changed.emit()

    def items(self) -> list[str]:
        return [self.model.item(row, 0).text() for row in range(self.model.rowCount())]

    def set_items(self, texts: list[str]) -> None:
        self.model.blockSignals(True)
        self.model.removeRows(0, self.model.rowCount())
        for text in texts:
            self.model.appendRow(QStandardItem(text))
        self.model.blockSignals(False)
        self.model.layoutChanged.emit()
        self.view.resizeRowsToContents()

    def add_item(self) -> None:
        row = (
            self.view.currentIndex().row() + 1
            if self.view.currentIndex().isValid()
            else self.model.rowCount()
        )
        self.model.insertRow(row, QStandardItem(""))
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.edit(index)

    def remove_current(self) -> None:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()}, reverse=True)
        if not rows and self.view.currentIndex().isValid():
            rows = [self.view.currentIndex().row()]
        for row in rows:
            self.model.removeRow(row)

    def move_current(self, step: int) -> None:
        row = self.view.currentIndex().row()
        target = row + step
        if row < 0 or not 0 <= target < self.model.rowCount():
            return
        items = self.model.takeRow(row)
        self.model.insertRow(target, items)
        self.view.setCurrentIndex(self.model.index(target, 0))
        self.changed.emit()

    def paste_lines(self) -> None:
        texts = split_numbered_lines(QGuiApplication.clipboard().text())
        if not texts:
            return
        start = self.model.rowCount()
        for text in texts:
            self.model.appendRow(QStandardItem(text))
        self.view.setCurrentIndex(self.model.index(start, 0))

    def focus_row(self, row: int) -> None:
        index: QModelIndex = self.model.index(row, 0)
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)
        self.view.setFocus()
