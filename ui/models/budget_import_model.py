"""The problems an import found (sheet, cell, why), as a table for the preview dialog; and the 校验
findings it adds or removes, as a list."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.importers.budget_xlsx import CheckChange, Problem
from app.importers.budget_xlsx_checks import ADDED

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ("级别", "工作表", "单元格", "原因")


class ProblemTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.problems: list[Problem] = []

    def set_problems(self, problems: list[Problem]) -> None:
        self.beginResetModel()
        self.problems = sorted(problems, key=lambda p: 0 if p.is_error else 1)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.problems)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.problems):
            return None
        problem = self.problems[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (problem.level, problem.sheet, problem.cell, problem.message)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#c62828") if problem.is_error else QColor("#8a5a00"))
        return None


class CheckChangeListModel(QAbstractListModel):
    """ "新增：[错误] …" in red (a warning in amber), "消除：…" in green."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.changes: list[CheckChange] = []

    def set_changes(self, changes: list[CheckChange]) -> None:
        self.beginResetModel()
        self.changes = list(changes)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.changes)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.changes):
            return None
        change = self.changes[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return change.line()
        if role == Qt.ItemDataRole.ForegroundRole:
            if change.kind != ADDED:
                return QBrush(QColor("#2e7d32"))
            return QBrush(QColor("#c62828") if change.is_error else QColor("#8a5a00"))
        return None
