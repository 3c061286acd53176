"""The unit's imports (导入记录) as a table: when, which ledger, which file, what it wrote, where."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.importers.ledgers.kinds import KIND_LABELS

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ("时间", "台账", "文件", "工作年度", "导入的内容", "电脑", "状态")
WHAT_COLUMN = 4
_UNDONE = QColor("#777777")


def when(moment) -> str:
    if moment is None:
        return ""
    return f"{moment.year}-{moment.month:02d}-{moment.day:02d} {moment.hour:02d}:{moment.minute:02d}"


def joined(counts: dict[str, int]) -> str:
    return "、".join(f"{label} {n}" for label, n in counts.items() if n)


def _texts(batch) -> tuple[str, ...]:
    created, updated, skipped = (
        joined(c) for c in (batch.counts.created, batch.counts.updated, batch.counts.skipped)
    )
    what = (
        f"新建 {created or '无'}"
        + (f"；更新 {updated}" if updated else "")
        + (f"；跳过 {skipped}" if skipped else "")
    )
    return (
        when(batch.created_at),
        KIND_LABELS.get(batch.kind, batch.kind),
        batch.file_name,
        str(batch.year),
        what,
        batch.created_by,
        f"已撤销（{when(batch.undone_at)}）" if batch.undone_at else "",
    )


class ImportBatchesModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.batches: list = []
        self._rows: list[tuple[str, ...]] = []

    def set_batches(self, batches: list) -> None:
        self.beginResetModel()
        self.batches = list(batches)
        self._rows = [_texts(batch) for batch in self.batches]
        self.endResetModel()

    def text(self, row: int, column: int) -> str:
        return self._rows[row][column]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and self.batches[index.row()].undone_at:
            return QBrush(_UNDONE)
        return None
