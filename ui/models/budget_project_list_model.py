"""The year's projects (一级项目) as a list: name, 全年预算数 and 总分 at a glance."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.services.budget.data import Project
from app.services.budget.tables import ProjectTable
from app.services.calc import format_money, format_score

_Index = QModelIndex | QPersistentModelIndex


class ProjectListModel(QAbstractListModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.projects: list[Project] = []
        self.tables: list[ProjectTable] = []

    def set_projects(self, projects: list[Project]) -> None:
        self.beginResetModel()
        self.projects = projects
        self.tables = []
        self.endResetModel()

    def set_tables(self, tables: tuple[ProjectTable, ...]) -> None:
        self.tables = list(tables)
        if self.projects:
            self.dataChanged.emit(self.index(0), self.index(len(self.projects) - 1))

    def insert(self, row: int, project: Project) -> None:
        self.beginInsertRows(QModelIndex(), row, row)
        self.projects.insert(row, project)
        self.endInsertRows()

    def remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.projects[row]
        if row < len(self.tables):
            del self.tables[row]
        self.endRemoveRows()

    def move(self, row: int, step: int) -> int:
        target = row + step
        if not (0 <= row < len(self.projects) and 0 <= target < len(self.projects)):
            return -1
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), target + 1 if step > 0 else target)
        self.projects.insert(target, self.projects.pop(row))
        self.endMoveRows()
        return target

    def refresh_row(self, row: int) -> None:
        if 0 <= row < len(self.projects):
            self.dataChanged.emit(self.index(row), self.index(row))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.projects)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.projects):
            return None
        project = self.projects[index.row()]
        table = self.tables[index.row()] if index.row() < len(self.tables) else None
        if role == Qt.ItemDataRole.DisplayRole:
            name = project.name.strip() or "（未命名项目）"
            if table is None:
                return name
            amount = format_money(table.funds.full, "—")
            total = format_score(table.indicators.total, "—")
            return f"{name}\n全年预算 {amount} 万元 · 总分 {total}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{project.kind or '未选类型'}：{project.name}"
        if role == Qt.ItemDataRole.ForegroundRole and not project.name.strip():
            return QBrush(QColor("#c62828"))
        return None
