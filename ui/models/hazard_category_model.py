"""The 隐患类别 list being edited: one row an entry (类别, 同义词, how many hazards carry it)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.services.safety.categories import SEPARATOR, HazardCategory, split_synonyms

NAME, SYNONYMS, USED = range(3)
HEADERS = ("类别", f"同义词（用“{SEPARATOR}”分隔）", "已记录隐患")

Index = QModelIndex | QPersistentModelIndex


@dataclass
class _Row:
    entry: HazardCategory
    original: str  # the stored name ("" for a new entry): a changed name is a rename


class HazardCategoryModel(QAbstractTableModel):
    def __init__(self, items: list[HazardCategory], used: dict[str, int], parent: Any = None) -> None:
        super().__init__(parent)
        self.used = used
        self._rows: list[_Row] = []
        self.set_items(items)

    def set_items(self, items: list[HazardCategory]) -> None:
        self.beginResetModel()
        self._rows = [_Row(item, item.name if item.id is not None else "") for item in items]
        self.endResetModel()

    def items(self) -> list[HazardCategory]:
        return [row.entry for row in self._rows]

    def renames(self) -> list[tuple[str, str]]:
        """(old, new) for each stored entry whose name was changed."""
        return [
            (row.original, row.entry.name.strip())
            for row in self._rows
            if row.original and row.entry.name.strip() != row.original
        ]

    # -- Qt --------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() != USED else flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == NAME:
                return row.entry.name
            if column == SYNONYMS:
                return SEPARATOR.join(row.entry.synonyms)
            return self.used.get(row.original, 0) if row.original else 0
        renamed = bool(row.original) and row.entry.name.strip() != row.original
        if role == Qt.ItemDataRole.ToolTipRole and column == NAME and renamed:
            return f"原名“{row.original}”：保存时已记录的隐患一并改为新名称"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == USED:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or index.column() == USED:
            return False
        row = self._rows[index.row()]
        text = str(value or "")
        if index.column() == NAME:
            row.entry = replace(row.entry, name=text.strip())
        else:
            row.entry = replace(row.entry, synonyms=split_synonyms(text))
        self.dataChanged.emit(index, index)
        return True

    # -- editing the list --------------------------------------------------------------------------

    def insert(self, at: int) -> int:
        at = max(0, min(at, len(self._rows)))
        self.beginInsertRows(QModelIndex(), at, at)
        self._rows.insert(at, _Row(HazardCategory(""), ""))
        self.endInsertRows()
        return at

    def remove(self, at: int) -> None:
        if 0 <= at < len(self._rows):
            self.beginRemoveRows(QModelIndex(), at, at)
            del self._rows[at]
            self.endRemoveRows()

    def move(self, at: int, step: int) -> int:
        target = at + step
        if not (0 <= at < len(self._rows) and 0 <= target < len(self._rows)):
            return at
        # Qt's destination is the row before which the moved row lands.
        self.beginMoveRows(QModelIndex(), at, at, QModelIndex(), target + 1 if step > 0 else target)
        self._rows.insert(target, self._rows.pop(at))
        self.endMoveRows()
        return target
