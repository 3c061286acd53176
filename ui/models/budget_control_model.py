"""The 基础数据表's 经费控制情况 (rows computed by app.services.budget.compute.control_rows) and its
楼堂馆所 rows. Typed cells write into the year's figures; the others are drawn from elsewhere and
read-only. A 上年决算数 carried from last year is shown as such, and can be typed over."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from app.services import parsing
from app.services.budget.data import BudgetYearData, Building, ControlEntry
from app.services.budget.tables import BuildingRow, ControlRow
from app.services.calc import format_money, format_rate
from app.services.parsing import attempt

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("prior", "budget", "actual")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
COMPUTED_BG = QColor("#f3f5f7")
CARRIED_FG = QColor("#1565c0")
TYPED_OVER_FG = QColor("#b26a00")
ERROR_BG = QColor("#fde2e2")
WARNING_BG = QColor("#fff4d6")


def parse_money(text: str, label: str = "金额") -> tuple[Decimal | None, bool]:
    """A typed amount in 万元 ("951.90", "1,234.5", "5万元"), at most two decimals (a third is a
    typing slip, not to be rounded away) and at most 1e12; blank is None."""
    value, error = attempt(parsing.parse_money, text, label)
    return value, error is None


class ControlTableModel(QAbstractTableModel):
    edited = Signal()
    message = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.data_ref: BudgetYearData | None = None
        self.rows: list[ControlRow] = []
        self.year = 0
        self._marks: dict[tuple[str, str], tuple[str, str]] = {}

    def set_rows(self, data: BudgetYearData, rows: tuple[ControlRow, ...], year: int) -> None:
        same = (
            [r.code for r in rows] == [r.code for r in self.rows]
            and data is self.data_ref
            and year == self.year
        )
        self.data_ref = data
        self.year = year
        if same:
            self.rows = list(rows)
            if self.rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 3))
            return
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def set_marks(self, marks: dict[tuple[str, str], tuple[str, str]]) -> None:
        if marks != self._marks:
            self._marks = marks
            if self.rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 3))

    def row_of(self, code: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.code == code), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (
            "经费控制情况（万元）",
            f"{self.year - 1}年决算数",
            f"{self.year}年预算数",
            f"{self.year}年决算数",
        )
        return titles[section] if 0 <= section < 4 else None

    def _key(self, column: int) -> str:
        return COLUMNS[column - 1] if column > 0 else "label"

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() > 0 and self._key(index.column()) in self.rows[index.row()].typed:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        key = self._key(index.column())
        if key == "label":
            if role == Qt.ItemDataRole.DisplayRole:
                return "　" * row.depth + row.label.replace("\n", "")
            if role == Qt.ItemDataRole.FontRole and row.depth == 0:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.ToolTipRole:
                return row.derived_note or None
            return None
        value = getattr(row, key)
        if role == Qt.ItemDataRole.DisplayRole:
            text = format_money(value)
            if key == "prior" and row.prior_source == "carried":
                return f"↻ {text}"
            return text
        if role == Qt.ItemDataRole.EditRole:
            if key == "prior":
                entry = self.data_ref.entry(row.code) if self.data_ref else ControlEntry()
                return format_money(entry.prior if entry.prior is not None else value)
            return format_money(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(RIGHT)
        if role == Qt.ItemDataRole.ForegroundRole and key == "prior":
            if row.prior_source == "carried":
                return QBrush(CARRIED_FG)
            if row.prior_source == "typed" and row.carried is not None and row.carried != row.prior:
                return QBrush(TYPED_OVER_FG)
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            mark = self._marks.get((row.code, key))
            if mark is not None:
                return QBrush(ERROR_BG if mark[0] == "错误" else WARNING_BG)
            return None if key in row.typed else QBrush(COMPUTED_BG)
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = []
            mark = self._marks.get((row.code, key))
            if mark:
                tips.append(mark[1])
            if key == "prior":
                if row.prior_source == "carried":
                    tips.append(f"由{self.year - 1}年度的本年决算数结转（可修改；清空即恢复结转值）")
                elif row.prior_source == "typed" and row.carried is not None:
                    carried = format_money(row.carried)
                    tips.append(f"已手工填写；{self.year - 1}年度的本年决算数为{carried}（清空即恢复）")
                elif row.prior_source == "sum":
                    tips.append("下列各行之和（自动计算）")
            if (key not in row.typed and key != "prior") or (key == "prior" and row.prior_source == "sum"):
                tips.append(row.derived_note or "自动计算")
            return "\n".join(t for t in tips if t) or None
        return None

    def setData(self, index: _Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        assert self.data_ref is not None
        row = self.rows[index.row()]
        key = self._key(index.column())
        amount, ok = parse_money(str(value or ""))
        if not ok:
            self.message.emit(f"金额应为不小于0的数字（万元）：“{value}”")
            return False
        entry = self.data_ref.control.setdefault(row.code, ControlEntry())
        if key == "prior" and amount is not None and row.carried is not None and amount == row.carried:
            amount = None  # the same as carried: keep it carried
        if getattr(entry, key) == amount:
            return True
        setattr(entry, key, amount)
        if entry.is_empty():
            self.data_ref.control.pop(row.code, None)
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), 3))
        self.edited.emit()
        return True

    def restore_carried(self, row_index: int) -> bool:
        """Drop a typed 上年决算数 so that the carried one applies again."""
        if not (0 <= row_index < len(self.rows)) or self.data_ref is None:
            return False
        entry = self.data_ref.control.get(self.rows[row_index].code)
        if entry is None or entry.prior is None:
            return False
        entry.prior = None
        if entry.is_empty():
            self.data_ref.control.pop(self.rows[row_index].code, None)
        self.edited.emit()
        return True


BUILDING_COLUMNS = (
    ("name", "项目名称"),
    ("approved_area", "批复规模(m²)"),
    ("actual_area", "实际规模(m²)"),
    ("area_rate", "规模控制率"),
    ("budget_investment", "预算投资(万元)"),
    ("actual_investment", "实际投资(万元)"),
    ("investment_rate", "投资概算控制率"),
)
BUILDING_KEYS = tuple(k for k, _ in BUILDING_COLUMNS)


class BuildingTableModel(QAbstractTableModel):
    """楼堂馆所 completed in the year (usually none)."""

    edited = Signal()
    message = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.buildings: list[Building] = []
        self.computed: list[BuildingRow] = []

    def set_buildings(self, buildings: list[Building], computed: tuple[BuildingRow, ...]) -> None:
        if buildings is self.buildings and len(computed) == len(self.computed):
            self.computed = list(computed)
            if self.buildings:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(self.buildings) - 1, len(BUILDING_KEYS) - 1)
                )
            return
        self.beginResetModel()
        self.buildings = buildings
        self.computed = list(computed)
        self.endResetModel()

    def add(self) -> int:
        row = len(self.buildings)
        self.beginInsertRows(QModelIndex(), row, row)
        self.buildings.append(Building())
        self.endInsertRows()
        self.edited.emit()
        return row

    def remove(self, row: int) -> None:
        if 0 <= row < len(self.buildings):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.buildings[row]
            if row < len(self.computed):
                del self.computed[row]
            self.endRemoveRows()
            self.edited.emit()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.buildings)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(BUILDING_KEYS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return BUILDING_COLUMNS[section][1] if 0 <= section < len(BUILDING_COLUMNS) else None
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if BUILDING_KEYS[index.column()].endswith("rate"):
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.buildings):
            return None
        key = BUILDING_KEYS[index.column()]
        building = self.buildings[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if key == "name":
                return building.name
            if key.endswith("rate"):
                computed = self.computed[index.row()] if index.row() < len(self.computed) else None
                return format_rate(getattr(computed, key) if computed else None)
            return format_money(getattr(building, key))
        if role == Qt.ItemDataRole.TextAlignmentRole and key != "name":
            return int(RIGHT)
        if role == Qt.ItemDataRole.BackgroundRole and key.endswith("rate"):
            return QBrush(COMPUTED_BG)
        return None

    def setData(self, index: _Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        key = BUILDING_KEYS[index.column()]
        building = self.buildings[index.row()]
        if key == "name":
            building.name = str(value or "")
        else:
            amount, ok = parse_money(str(value or ""))
            if not ok:
                self.message.emit(f"{BUILDING_COLUMNS[index.column()][1]}应为不小于0的数字：“{value}”")
                return False
            setattr(building, key, amount)
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(BUILDING_KEYS) - 1))
        self.edited.emit()
        return True
