"""Every row of a planned ledger import as it will be saved: its state, where it is in the file and
the value of each field; the first column's check box leaves a row out."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from app.importers.ledgers.model import FieldSpec, ParsedRow, column_letter
from app.importers.ledgers.values import read_text
from app.services.parsing import ParseError

_Index = QModelIndex | QPersistentModelIndex
FIXED = ("导入", "状态", "工作表", "行")
NOTE = "说明"
_RED, _AMBER, _GREY, _BLUE = QColor("#c62828"), QColor("#8a5a00"), QColor("#777777"), QColor("#1f5fa8")


def row_state(row: ParsedRow, on_duplicate: str) -> str:
    if row.heading:
        return "方面标题"
    if row.excluded:
        return "不导入"
    if row.problems:
        return "有问题"
    if row.duplicate_of is not None:
        return "重复·更新" if on_duplicate == "update" else "重复·跳过"
    return "新建"


class LedgerPreviewModel(QAbstractTableModel):
    # (sheet, row, excluded): the user ticked a row's box; the dialog plans again with it.
    exclusion_changed = Signal(str, int, bool)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[ParsedRow] = []
        self.fields: list[FieldSpec] = []
        self.on_duplicate = "skip"

    def set_rows(self, rows: list[ParsedRow], fields: list[FieldSpec], on_duplicate: str) -> None:
        self.beginResetModel()
        self.rows, self.fields, self.on_duplicate = rows, fields, on_duplicate
        self.endResetModel()

    def set_on_duplicate(self, on_duplicate: str) -> None:
        self.on_duplicate = on_duplicate
        if self.rows:
            self.dataChanged.emit(self.index(0, 1), self.index(len(self.rows) - 1, 1))

    def row_of(self, sheet: str, number: int) -> int:
        for i, row in enumerate(self.rows):
            if row.source.sheet == sheet and row.source.row == number:
                return i
        return -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(FIXED) + len(self.fields) + 1  # + 说明

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section < len(FIXED):
            return FIXED[section]
        index = section - len(FIXED)
        return self.fields[index].label if index < len(self.fields) else NOTE

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == 0 and not self.rows[index.row()].heading:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if column == 0:
            if role == Qt.ItemDataRole.CheckStateRole and not row.heading:
                return Qt.CheckState.Unchecked if row.excluded else Qt.CheckState.Checked
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [p.text() for p in row.problems] + row.notes
            return "\n".join(lines) or None
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            state = row_state(row, self.on_duplicate)
            color = {"有问题": _RED, "不导入": _GREY, "方面标题": _BLUE}.get(state)
            if state.startswith("重复"):
                color = _AMBER
            return QBrush(color) if color is not None else None
        if role == Qt.ItemDataRole.ForegroundRole and column == self._note_column():
            return QBrush(_RED) if row.problems and not row.excluded else QBrush(_AMBER)
        if role == Qt.ItemDataRole.ForegroundRole and row.problems and column >= len(FIXED):
            key = self.fields[column - len(FIXED)].key
            bad = {p.column for p in row.problems}
            source = row.source.columns.get(key)
            if source is not None and source[0] in bad:
                return QBrush(_RED)
        return None

    def _text(self, row: ParsedRow, column: int) -> str:
        if column == 1:
            return row_state(row, self.on_duplicate)
        if column == 2:
            return row.source.sheet
        if column == 3:
            return str(row.source.row)
        if row.heading:
            return row.heading if column == len(FIXED) else ""
        if column == self._note_column():
            return _note(row)
        key = self.fields[column - len(FIXED)].key
        if key in row.shown:
            text = row.shown[key]
        else:
            value = row.values.get(key)
            text = "" if value is None else str(value)
        if not text and row.problems:  # a cell that could not be read shows as the file has it
            source = row.source.columns.get(key)
            if source is not None and any(p.column == source[0] for p in row.problems):
                try:
                    text = read_text(row.source.cells.get(key), "", 100_000)
                except ParseError:
                    text = ""
        return text

    def _note_column(self) -> int:
        return len(FIXED) + len(self.fields)

    def setData(self, index: _Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != 0 or role != Qt.ItemDataRole.CheckStateRole:
            return False
        row = self.rows[index.row()]
        excluded = Qt.CheckState(value) != Qt.CheckState.Checked
        if excluded == row.excluded:
            return False
        row.excluded = excluded
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), 1))
        self.exclusion_changed.emit(row.source.sheet, row.source.row, excluded)
        return True


def _note(row: ParsedRow) -> str:
    """The row's problems (with their column), else what the clerk should know about it."""
    if row.problems:
        return "；".join(
            f"{column_letter(p.column)}列{p.message}" if p.column is not None else p.message
            for p in row.problems
        )
    lines = list(row.notes)
    if row.duplicate_of is not None:
        lines.insert(0, "与已有记录重复")
    return "；".join(lines)
