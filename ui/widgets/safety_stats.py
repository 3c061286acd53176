"""The statistics view (本期 | 上年同期 | 同比 for any period) and the 工作量统计 entry form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import EditConflictError, UserError
from app.services.parsing import attempt
from app.services.safety.periods import Period
from app.services.safety.stats import SafetyStats, period_statistics, same_period_last_year
from app.services.safety.stats_table import StatRow, numbered_sections, statistics_rows
from app.services.safety.workload import (
    WorkloadItem,
    catalogue,
    delete_item,
    figures_for_period,
    format_quantity,
    parse_value,
    save_values,
    typed_values,
)
from ui.dialogs.conflict_dialog import ConflictChoice, ask_conflict
from ui.tasks import TaskRunner
from ui.widgets.safety_fields import PeriodPicker
from ui.widgets.save_state import SaveState
from ui.widgets.validated_field import repolish

_Index = QModelIndex | QPersistentModelIndex
SECTION, GROUP, ROW = "section", "group", "row"


class StatsTableModel(QAbstractTableModel):
    """Rows of the statistics table, with their section and group headings."""

    HEADERS = ("指标", "单位", "本期", "上年同期", "同比")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.lines: list[tuple[str, Any]] = []
        self.compared = False

    def set_rows(self, rows: list[StatRow], compared: bool) -> None:
        self.beginResetModel()
        self.compared = compared
        self.lines = []
        for section, items in numbered_sections(rows):
            self.lines.append((SECTION, section))
            group = ""
            for item in items:
                if item.group and item.group != group:
                    group = item.group
                    self.lines.append((GROUP, group))
                self.lines.append((ROW, item))
        self.endResetModel()

    def row_for(self, key: str) -> StatRow | None:
        return next((item for kind, item in self.lines if kind == ROW and item.key == key), None)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        kind, item = self.lines[index.row()]
        column = index.column()
        if kind != ROW:
            if role == Qt.ItemDataRole.DisplayRole:
                return item if column == 0 else ""
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor("#e8eef5" if kind == SECTION else "#f4f7fa"))
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return ("　　" * (item.indent + (1 if item.group else 0))) + item.label
            if column == 1:
                return item.unit
            if column == 2:
                return item.text
            if column == 3:
                return item.previous_text if self.compared else ""
            return item.change.text if self.compared else ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(
                Qt.AlignmentFlag.AlignVCenter
                | (Qt.AlignmentFlag.AlignLeft if column == 0 else Qt.AlignmentFlag.AlignCenter)
            )
        return None


class StatsView(QWidget):
    """统计分析: the period's figures as the reports quote them, with 同比. With a task runner the
    figures are computed off the GUI thread (a year of 100,000 hazards takes a noticeable moment)."""

    export_requested = Signal(object)  # Period
    refreshed = Signal()

    def __init__(self, db: Database, unit_id: int, year: int, tasks: TaskRunner | None = None) -> None:
        super().__init__()
        self.db, self.unit_id, self.tasks = db, unit_id, tasks
        self.current: SafetyStats | None = None
        self.previous: SafetyStats | None = None
        self.picker = PeriodPicker(year)
        self.note = QLabel()
        self.note.setStyleSheet("color: #546e7a;")
        self.export_button = QPushButton("导出统计表…")
        self.export_button.clicked.connect(lambda: self.export_requested.emit(self.picker.period()))
        self.model = StatsTableModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.setAlternatingRowColors(False)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 80), (2, 130), (3, 130), (4, 190)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.view.setColumnWidth(col, width)
        bar = QHBoxLayout()
        bar.addWidget(self.picker)
        bar.addSpacing(12)
        bar.addWidget(self.note, 1)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.picker.changed.connect(lambda _p: self.refresh())

    def set_year(self, year: int) -> None:
        self.picker.blockSignals(True)
        self.picker.set_year(year)
        self.picker.blockSignals(False)

    def refresh(self) -> None:
        period = self.picker.period()
        db, unit_id = self.db, self.unit_id

        def work(_progress: object = None, _cancel: object = None):
            with db.session() as session:
                current = period_statistics(session, unit_id, period.start, period.end)
                previous = same_period_last_year(session, unit_id, period.start, period.end)
            return period, current, previous

        if self.tasks is None:
            self._show(work())
            return
        self.note.setText(f"正在统计{period.label()}…")
        self.tasks.start(work).finished.connect(self._show)

    def _show(self, result: tuple[Period, SafetyStats, SafetyStats | None]) -> None:
        period, current, previous = result
        if period != self.picker.period():
            return  # the user chose another period meanwhile; its figures are on their way
        self.current, self.previous = current, previous
        self.model.set_rows(statistics_rows(current, previous), previous is not None)
        earlier = period.same_period_last_year().label()
        self.note.setText(
            f"本期：{period.label()}；上年同期：{earlier}"
            if previous is not None
            else f"本期：{period.label()}；{earlier}没有记录，不作同比"
        )
        self.refreshed.emit()


class WorkloadView(QWidget):
    """工作量统计: type the figures for a period; rates and totals over longer periods follow."""

    changed = Signal(str)
    dirty_changed = Signal(bool)

    def __init__(self, db: Database, unit_id: int, year: int) -> None:
        super().__init__()
        self.db, self.unit_id = db, unit_id
        self.items: list[WorkloadItem] = []
        self.editors: dict[str, QLineEdit] = {}
        self.loaded: dict[str, Decimal] = {}
        self.period = Period.year(year)
        self.picker = PeriodPicker(year)
        self.state = SaveState()  # its 撤销修改 button is not shown here
        self.state.dirty_changed.connect(self.dirty_changed)
        self.add_button = QPushButton("新增统计项…")
        self.save_button = self.state.save_button
        self.save_button.clicked.connect(self.save)
        bar = QHBoxLayout()
        bar.addWidget(self.picker)
        bar.addSpacing(12)
        bar.addWidget(self.state, 1)
        bar.addWidget(self.add_button)
        bar.addWidget(self.save_button)
        hint = QLabel(
            "按填报期间填写：季度数填在对应季度，全年数可直接填在全年（未填时由各期间合计）。"
            "比率由组成部分自动计算；期末数（如图斑总数）取期间内最后一次填报的数。"
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #546e7a;")
        self.grid = QGridLayout()
        self.grid.setColumnStretch(0, 3)
        self.grid.setColumnStretch(3, 2)
        host = QWidget()
        host_layout = QVBoxLayout(host)
        host_layout.addLayout(self.grid)
        host_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(host)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(hint)
        layout.addWidget(self.scroll, 1)
        self.picker.changed.connect(self._period_chosen)

    def set_year(self, year: int) -> None:
        self.picker.blockSignals(True)
        self.picker.set_year(year)
        self.picker.blockSignals(False)
        self.period = self.picker.period()

    def _period_chosen(self, period: Period) -> None:
        if period == self.period:
            return
        if self.state.dirty:
            answer = QMessageBox.question(
                self,
                "有未保存的修改",
                f"{self.period.label()}的工作量统计有未保存的修改，是否保存？",
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Cancel or (
                answer == QMessageBox.StandardButton.Save and not self.save()
            ):
                self.picker.blockSignals(True)
                self.picker.set_period(self.period)
                self.picker.blockSignals(False)
                return
        self.period = period
        self.load()

    def load(self) -> None:
        with self.db.session() as session:
            self.items = catalogue(session, self.unit_id)
            self.loaded = typed_values(session, self.unit_id, self.period)
            figures = figures_for_period(session, self.unit_id, self.period.start, self.period.end)
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.editors = {}
        row = 0
        for col, title in enumerate(("统计项", f"{self.period.label()}填报值", "单位", "期间汇总/计算结果")):
            label = QLabel(title)
            label.setStyleSheet("font-weight: bold; color: #37474f;")
            self.grid.addWidget(label, row, col)
        group = ""
        for item in self.items:
            if item.group != group:
                group = item.group
                row += 1
                heading = QLabel(group)
                heading.setStyleSheet("font-weight: bold; color: #1565c0; padding-top: 8px;")
                self.grid.addWidget(heading, row, 0, 1, 4)
            row += 1
            self.grid.addWidget(QLabel(("　" if item.name.startswith("其中") else "") + item.name), row, 0)
            figure = figures[item.key]
            if item.is_rate:
                value = QLabel(figure.text or "—")
                value.setToolTip("由组成部分自动计算")
                self.grid.addWidget(value, row, 1)
            else:
                editor = QLineEdit()
                editor.setAlignment(Qt.AlignmentFlag.AlignRight)
                editor.setMaximumWidth(160)
                typed = self.loaded.get(item.key)
                editor.setText("" if typed is None else format_quantity(typed, item.decimals))
                editor.textEdited.connect(lambda _t, key=item.key: self._edited(key))
                self.editors[item.key] = editor
                self.grid.addWidget(editor, row, 1)
            self.grid.addWidget(QLabel(item.unit), row, 2)
            typed = self.loaded.get(item.key)
            note = ""
            if not item.is_rate and figure.value is not None and (typed is None or typed != figure.value):
                labels = [Period(start, end).label() for start, end in figure.sources]
                if item.aggregation == "latest":
                    how = f"{labels[0]}期末数"
                elif len(labels) == 1:
                    how = f"{labels[0]}填报"
                else:
                    how = f"{'、'.join(labels)}合计"
                note = f"{figure.text}（{how}）"
            summary = QLabel(note)
            summary.setStyleSheet("color: #546e7a;")
            self.grid.addWidget(summary, row, 3)
            if not item.builtin:
                remove = QPushButton("删除此项")
                remove.clicked.connect(
                    lambda _c=False, key=item.key, name=item.name: self._delete_item(key, name)
                )
                self.grid.addWidget(remove, row, 4)
        self.state.saved_text = f"{self.period.label()}的填报值已保存"
        self.state.set_dirty(False)

    def _edited(self, key: str) -> None:
        self._check(key)
        self.state.set_dirty(self.values() != {k: v for k, v in self.loaded.items() if k in self.editors})

    def _check(self, key: str) -> str:
        editor = self.editors[key]
        item = next(i for i in self.items if i.key == key)
        text = editor.text().strip()
        message = ""
        if text:
            message = attempt(parse_value, item, text)[1] or ""
        editor.setProperty("invalid", bool(message))
        editor.setToolTip(message)
        repolish(editor)
        return message

    def values(self) -> dict[str, Decimal]:
        result = {}
        for key, editor in self.editors.items():
            item = next(i for i in self.items if i.key == key)
            value = attempt(parse_value, item, editor.text())[0]
            if value is not None:
                result[key] = value
        return result

    def is_dirty(self) -> bool:
        return self.state.dirty

    def save(self) -> bool:
        problems = [message for key in self.editors if (message := self._check(key))]
        if problems:
            QMessageBox.warning(self, "无法保存", "\n".join(problems))
            return False
        new = self.values()
        changes: dict[str, Decimal | None] = {
            key: value for key, value in new.items() if self.loaded.get(key) != value
        }
        changes.update({key: None for key in self.loaded if key in self.editors and key not in new})
        try:
            save_values(self.db, self.unit_id, self.period, changes, self.loaded)
        except EditConflictError as exc:
            self._resolve_conflict(str(exc), new)
            return False
        except UserError as exc:
            QMessageBox.warning(self, "无法保存", str(exc))
            return False
        self.load()
        self.changed.emit("workload")
        return True

    def _resolve_conflict(self, message: str, mine: dict[str, Decimal]) -> None:
        """Values saved elsewhere since shown: reload, or keep the ones the user changed and show
        the newer ones everywhere else, to check and save again."""
        choice = ask_conflict(self, message)
        if choice is ConflictChoice.CANCEL:
            return
        original = self.loaded
        self.load()
        if choice is ConflictChoice.RELOAD:
            return
        items = {item.key: item for item in self.items}
        for key, editor in self.editors.items():
            if mine.get(key) != original.get(key):
                value = mine.get(key)
                editor.setText("" if value is None else format_quantity(value, items[key].decimals))
        self.state.set_dirty(self.values() != self.loaded)

    def _delete_item(self, key: str, name: str) -> None:
        answer = QMessageBox.question(
            self,
            "删除统计项",
            f"删除统计项“{name}”及其在所有期间的填报值？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            delete_item(self.db, self.unit_id, key)
        except UserError as exc:
            QMessageBox.warning(self, "无法删除", str(exc))
            return
        self.load()
        self.changed.emit("workload")
