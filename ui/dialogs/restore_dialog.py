"""文件 › 从备份恢复…: the backups of the current data file, and which one to put back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.restore import BackupSummary, format_size, format_time, summaries

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("备份时间", "类型", "大小", "内容")


class BackupListModel(QAbstractTableModel):
    """The backups, a row each; an unreadable one is red and cannot be selected."""

    def __init__(self, backups: list[BackupSummary], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backups = backups

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.backups)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def _text(self, summary: BackupSummary, column: int) -> str:
        if column == 0:
            return format_time(summary.backup.taken_at)
        if column == 1:
            return summary.kind_label
        if column == 2:
            return format_size(summary.size)
        return summary.contents

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        summary = self.backups[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(summary, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(summary.backup.path) if index.column() == 0 else self._text(summary, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and not summary.readable:
            return QBrush(QColor("#c62828"))
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.backups[index.row()].readable:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return Qt.ItemFlag.ItemIsEnabled

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None


class RestoreDialog(QDialog):
    def __init__(self, db_path: Path, parent: QWidget | None = None, *, intro: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("从备份恢复")
        self.resize(860, 460)
        self.db_path = db_path
        self.backups: list[BackupSummary] = summaries(db_path)

        text = QLabel(
            (intro + "<br><br>" if intro else "")
            + f"数据文件：{db_path}<br>选择一份备份替换它。恢复前先检查备份的完整性，"
            "并把当前数据文件另存为一份“恢复前备份”，恢复后仍可改回。"
        )
        text.setWordWrap(True)
        self.model = BackupListModel(self.backups, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.empty_label = QLabel("此数据文件还没有备份。")
        self.empty_label.setVisible(not self.backups)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.restore_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.restore_button.setText("恢复所选备份")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._sync())
        self.table.doubleClicked.connect(lambda _index: self.restore_button.isEnabled() and self.accept())

        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.buttons)
        first = next((row for row, s in enumerate(self.backups) if s.readable), None)
        if first is not None:
            self.table.selectRow(first)
        self._sync()

    def chosen(self) -> BackupSummary | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        summary = self.backups[rows[0].row()]
        return summary if summary.readable else None

    def _sync(self) -> None:
        self.restore_button.setEnabled(self.chosen() is not None)
