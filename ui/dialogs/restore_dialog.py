"""文件 › 从备份恢复…: the backups of the current data file, and which one to put back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.restore import BackupSummary, format_size, format_time, summaries

COLUMNS = ("备份时间", "类型", "大小", "内容")


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
        self.table = QTableWidget(len(self.backups), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for row, summary in enumerate(self.backups):
            cells = (
                format_time(summary.backup.taken_at),
                summary.kind_label,
                format_size(summary.size),
                summary.contents,
            )
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(str(summary.backup.path) if column == 0 else value)
                if not summary.readable:
                    item.setForeground(QColor("#c62828"))
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, column, item)
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
        self.table.itemSelectionChanged.connect(self._sync)
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
