"""The indicator table of one 自评表 (部门整体 or a project): one row a 三级指标, edited in place.

The rows are the table's own `list[Indicator]` (edited in place); the computed columns (指标性质
inferred, 建议得分, the 得分 that counts) come from the last `IndicatorTable` the page computed.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from app.services.budget.data import Indicator
from app.services.budget.rules import BAND_NAMES, NATURES
from app.services.budget.tables import IndicatorRow, IndicatorTable
from app.services.calc import format_score
from app.services.parsing import attempt, parse_score

_Index = QModelIndex | QPersistentModelIndex

COLUMNS: tuple[tuple[str, str], ...] = (
    ("level1", "一级指标"),
    ("level2", "二级指标"),
    ("name", "三级指标"),
    ("nature", "指标性质"),
    ("unit", "度量单位"),
    ("target", "年度指标值"),
    ("actual", "实际完成值"),
    ("weight", "分值"),
    ("suggested", "建议得分"),
    ("score", "得分"),
    ("band", "达成程度"),
    ("reason", "偏差原因分析及改进措施"),
    ("na", "不适用"),
)
KEYS = tuple(key for key, _title in COLUMNS)
COL = {key: i for i, key in enumerate(KEYS)}
TEXT_KEYS = ("level1", "level2", "name", "target", "actual", "reason")
COMPUTED_KEYS = ("nature", "unit")  # chosen by the user, else inferred from the target
NUMBER_KEYS = ("weight", "score")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

MUTED = QColor("#78909c")
COMPUTED_BG = QColor("#f3f5f7")
ERROR_BG = QColor("#fde2e2")
WARNING_BG = QColor("#fff4d6")
TOOLTIPS = {
    "nature": "指标性质：留空按年度指标值自动判断（“95%以上”为正向，“控制在…内”为定性等）",
    "unit": "度量单位：留空按年度指标值自动判断（“60个”为个，“95%以上”为%）",
    "suggested": "按评分规则计算的建议得分（自动计算，不可修改）",
    "score": "得分：默认取建议得分（灰色）；可直接输入覆盖，清空则恢复建议得分",
    "band": "定性指标的达成程度：达成80%～100%、部分达成60%～80%、未达成0～60%（占分值）",
    "na": "不适用的指标不计分值、不评分",
}


def parse_score_text(text: str, label: str = "分值") -> tuple[Decimal | None, bool]:
    """分值/得分 as typed ("10", "10分"): 0 … 100, rounded to two decimals; blank is None."""
    value, error = attempt(parse_score, text, label, round_places=True)
    return value, error is None


class IndicatorTableModel(QAbstractTableModel):
    edited = Signal()  # an indicator changed: the page recomputes
    message = Signal(str)  # why an input was refused

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.indicators: list[Indicator] = []
        self._computed: dict[int, IndicatorRow] = {}
        self._marks: dict[tuple[int, str], tuple[str, str]] = {}  # (row, key) → (level, message)

    # -- content -----------------------------------------------------------------------------------

    def set_indicators(self, indicators: list[Indicator]) -> None:
        self.beginResetModel()
        self.indicators = indicators
        self._computed = {}
        self._marks = {}
        self.endResetModel()

    def set_computed(self, table: IndicatorTable | None) -> None:
        self._computed = {row.index: row for row in table.rows} if table else {}
        self._repaint_all()

    def set_marks(self, marks: dict[tuple[int, str], tuple[str, str]]) -> None:
        if marks != self._marks:
            self._marks = marks
            self._repaint_all()

    def _repaint_all(self) -> None:
        if self.indicators:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.indicators) - 1, len(KEYS) - 1))

    def computed(self, row: int) -> IndicatorRow | None:
        return self._computed.get(row)

    # -- structure ---------------------------------------------------------------------------------

    def insert_indicators(self, row: int, items: list[Indicator]) -> None:
        row = max(0, min(row, len(self.indicators)))
        if not items:
            return
        self.beginInsertRows(QModelIndex(), row, row + len(items) - 1)
        self.indicators[row:row] = items
        self.endInsertRows()
        self.edited.emit()

    def remove_rows(self, rows: list[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self.indicators):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.indicators[row]
                self.endRemoveRows()
        self.edited.emit()

    def move_row(self, row: int, step: int) -> int:
        """Move a row up (-1) or down (+1); returns where it went (or -1)."""
        target = row + step
        if not (0 <= row < len(self.indicators) and 0 <= target < len(self.indicators)):
            return -1
        destination = target + 1 if step > 0 else target
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        self.indicators.insert(target, self.indicators.pop(row))
        self.endMoveRows()
        self.edited.emit()
        return target

    def replace_all(self, items: list[Indicator]) -> None:
        self.beginResetModel()
        self.indicators[:] = items
        self._computed = {}
        self.endResetModel()
        self.edited.emit()

    def rows_changed(self, first: int, last: int, appended: int) -> None:
        """After rows were written behind the model's back (paste): tell the view."""
        if appended:
            count = len(self.indicators)
            self.beginInsertRows(QModelIndex(), count - appended, count - 1)
            self.endInsertRows()
        if first >= 0:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(KEYS) - 1))
        self.edited.emit()

    # -- Qt model ----------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.indicators)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(KEYS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
                return COLUMNS[section][1]
            if role == Qt.ItemDataRole.ToolTipRole and 0 <= section < len(COLUMNS):
                return TOOLTIPS.get(KEYS[section])
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        key = KEYS[index.column()]
        ind = self.indicators[index.row()]
        if key == "na":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if key == "suggested":
            return base
        if ind.not_applicable and key in ("target", "actual", "weight", "score", "band", "nature", "unit"):
            return base
        if key == "band":
            row = self._computed.get(index.row())
            qualitative = row is not None and row.scored_as == "定性"
            return base | Qt.ItemFlag.ItemIsEditable if qualitative or ind.band else base
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.indicators):
            return None
        key = KEYS[index.column()]
        ind = self.indicators[index.row()]
        row = self._computed.get(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(key, ind, row)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(key, ind)
        if role == Qt.ItemDataRole.CheckStateRole and key == "na":
            return Qt.CheckState.Checked if ind.not_applicable else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(
                CENTER if key in ("weight", "suggested", "score", "na", "nature", "unit", "band") else LEFT
            )
        if role == Qt.ItemDataRole.ForegroundRole:
            if key == "score" and ind.score is None:
                return QBrush(MUTED)
            if key in COMPUTED_KEYS and not getattr(ind, key):
                return QBrush(MUTED)
            if key in ("level1", "level2") and self._repeats(index.row(), key):
                return QBrush(QColor("#b0bec5"))
            if key == "suggested":
                return QBrush(MUTED)
            return None
        if role == Qt.ItemDataRole.FontRole and key == "score" and ind.score is not None:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            mark = self._marks.get((index.row(), key))
            if mark is not None:
                return QBrush(ERROR_BG if mark[0] == "错误" else WARNING_BG)
            if key == "suggested" or (not (self.flags(index) & Qt.ItemFlag.ItemIsEditable) and key != "na"):
                return QBrush(COMPUTED_BG)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            mark = self._marks.get((index.row(), key))
            tips = [mark[1]] if mark else []
            if key in ("suggested", "score") and row is not None:
                tips.append(row.basis)
                if key == "score" and ind.score is not None and row.suggested is not None:
                    tips.append(f"已手工填写得分；建议得分为 {format_score(row.suggested)}（清空即恢复）")
            elif key == "nature" and row is not None:
                tips.append(
                    f"指标性质：{row.nature}" + ("（自动判断）" if row.nature_inferred else "（已指定）")
                )
                if row.unit:
                    tips.append(f"度量单位：{row.unit}")
            elif key in TEXT_KEYS and getattr(ind, key):
                tips.append(getattr(ind, key))
            return "\n".join(t for t in tips if t) or None
        return None

    def _repeats(self, row: int, key: str) -> bool:
        if row == 0:
            return False
        prev, cur = self.indicators[row - 1], self.indicators[row]
        if key == "level1":
            return prev.level1 == cur.level1 and bool(cur.level1)
        return prev.level1 == cur.level1 and prev.level2 == cur.level2 and bool(cur.level2)

    def _display(self, key: str, ind: Indicator, row: IndicatorRow | None) -> str:
        if key in TEXT_KEYS:
            return getattr(ind, key)
        if key == "na":
            return ""
        if ind.not_applicable and key in ("weight", "suggested", "score", "nature", "unit", "band"):
            return "—"
        if key == "weight":
            return format_score(ind.weight)
        if key == "suggested":
            return format_score(row.suggested, "—") if row else "—"
        if key == "score":
            if ind.score is not None:
                return format_score(ind.score if row is None else row.score)
            return format_score(row.score, "") if row else ""
        if key == "nature":
            if ind.nature:
                return ind.nature
            return f"{row.nature}（自动）" if row else ""
        if key == "unit":
            return ind.unit or (row.unit if row else "")  # grey when inferred
        if key == "band":
            return ind.band
        return ""

    def _edit_value(self, key: str, ind: Indicator) -> str:
        if key in TEXT_KEYS:
            return getattr(ind, key)
        if key == "weight":
            return format_score(ind.weight)
        if key == "score":
            return format_score(ind.score)
        if key == "nature":
            return ind.nature
        if key == "unit":
            return ind.unit
        if key == "band":
            return ind.band
        return ""

    def setData(self, index: _Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not (
            self.flags(index) & (Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable)
        ):
            return False
        key = KEYS[index.column()]
        ind = self.indicators[index.row()]
        if key == "na":
            if role != Qt.ItemDataRole.CheckStateRole:
                return False
            checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
            ind.not_applicable = bool(checked)
            if checked:
                ind.score = None
        elif role != Qt.ItemDataRole.EditRole:
            return False
        elif key in TEXT_KEYS:
            text = str(value or "")
            if getattr(ind, key) == text:
                return True
            setattr(ind, key, text)
        elif key in NUMBER_KEYS:
            number, ok = parse_score_text(str(value or ""))
            if not ok:
                self.message.emit(f"{COLUMNS[index.column()][1]}应为不小于0的数字：“{value}”")
                return False
            if key == "score" and number is not None and ind.weight is not None and number > ind.weight:
                self.message.emit(f"得分不能高于分值（{format_score(ind.weight)}）")
                return False
            if getattr(ind, key) == number:
                return True
            setattr(ind, key, number)
        elif key == "nature":
            text = str(value or "")
            ind.nature = text if text in NATURES else ""
        elif key == "unit":
            ind.unit = str(value or "").strip()[:20]
        elif key == "band":
            text = str(value or "")
            ind.band = text if text in BAND_NAMES else ""
        row = index.row()
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(KEYS) - 1))
        self.edited.emit()
        return True
