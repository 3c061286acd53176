"""The 绩效指标 part of a 自评表: 一级指标 weights, the indicator table edited in place, the totals.

Rows are added, removed, moved, picked from common indicators, copied from last year or from the
department table, or pasted from a block copied out of Excel/WPS (Ctrl+V).
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.findings import Finding
from app.services.budget.data import Indicator
from app.services.budget.paste import FORM_FIELDS, parse_block, paste_block
from app.services.budget.rules import RuleSet
from app.services.budget.tables import IndicatorTable
from app.services.calc import format_score
from ui.models.budget_indicator_model import COL, KEYS, IndicatorTableModel, parse_score_text
from ui.widgets.budget_indicator_delegates import IndicatorDelegate
from ui.widgets.flow_layout import FlowWidget

WIDTHS = {
    "level1": 92,
    "level2": 104,
    "name": 220,
    "nature": 86,
    "unit": 70,
    "target": 150,
    "actual": 150,
    "weight": 52,
    "suggested": 66,
    "score": 56,
    "band": 78,
    "reason": 220,
    "na": 52,
}


class IndicatorView(QTableView):
    """The table: Ctrl+V pastes a block, Delete clears the selected cells."""

    paste_requested = Signal()
    clear_requested = Signal()

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_requested.emit()
            return
        if (
            event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and self.state() != QAbstractItemView.State.EditingState
        ):
            self.clear_requested.emit()
            return
        super().keyPressEvent(event)


class IndicatorEditor(QWidget):
    changed = Signal()  # rows or weights changed: the page recomputes
    copy_requested = Signal(str)  # "last_year" or "department"
    status = Signal(str)

    def __init__(
        self, title: str, *, can_copy_department: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.title = title
        self.rules: RuleSet | None = None
        self.weights: dict[str, Decimal] = {}
        self.table: IndicatorTable | None = None
        self.model = IndicatorTableModel(self)
        self.view = IndicatorView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(True)
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.horizontalHeader().setStretchLastSection(False)
        for key, width in WIDTHS.items():
            self.view.setColumnWidth(COL[key], width)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.paste_requested.connect(self.paste_from_clipboard)
        self.view.clear_requested.connect(self.clear_selected_cells)
        self.model.edited.connect(self.changed)
        self.model.message.connect(self.status)

        self.weights_holder = FlowWidget(spacing=6)
        self.weights_bar = self.weights_holder.flow
        self.weight_edits: dict[str, QLineEdit] = {}
        self.weight_labels: dict[str, QLabel] = {}
        self.total_label = QLabel()
        self.total_label.setObjectName("budgetTotal")
        self.total_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # A tool bar: the buttons that do not fit go into its » menu instead of widening the window.
        tools = QToolBar()
        tools.setObjectName("indicatorTools")
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tools.setStyleSheet("QToolBar#indicatorTools { border: none; spacing: 4px; padding: 0px; }")
        self.buttons: dict[str, QToolButton] = {}
        actions = [
            ("add", "＋ 添加行", "在当前行下方添加一行（继承一级、二级指标）", self.add_row),
            ("pick", "从常用指标添加…", "从常用三级指标中勾选添加（含年度指标值示例）", self.pick_common),
            ("remove", "删除行", "删除选中的行", self.remove_rows),
            ("up", "上移", "将当前行上移", lambda: self.move(-1)),
            ("down", "下移", "将当前行下移", lambda: self.move(1)),
            (
                "paste",
                "粘贴 (Ctrl+V)",
                "粘贴从 Excel/WPS 复制的单元格（一级指标…偏差原因各列）",
                self.paste_from_clipboard,
            ),
            ("restore", "恢复建议得分", "清除选中行手工填写的得分，改用建议得分", self.restore_suggested),
            (
                "last_year",
                "复制上年指标",
                "用上一年度同一张表的指标替换（保留指标值和分值，清空完成值和得分）",
                lambda: self.copy_requested.emit("last_year"),
            ),
        ]
        if can_copy_department:
            actions.append(
                (
                    "department",
                    "从部门整体表复制",
                    "用部门整体支出绩效自评表的指标替换本表指标",
                    lambda: self.copy_requested.emit("department"),
                )
            )
        for key, text, tip, slot in actions:
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setAutoRaise(True)
            button.clicked.connect(slot)
            self.buttons[key] = button
            tools.addWidget(button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        weights_row = QHBoxLayout()
        caption = QLabel("一级指标分值：")
        caption.setToolTip(
            "表头中的“(30分)”：默认取评分规则的分值，可按本表实际调整（例如不适用的成本指标不计分时）"
        )
        weights_row.addWidget(caption)
        weights_row.addWidget(self.weights_holder, 1)
        layout.addLayout(weights_row)
        layout.addWidget(tools)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.total_label)
        QShortcut(QKeySequence("Ctrl+Shift+V"), self.view, activated=self.paste_from_clipboard)

    # -- content -------------------------------------------------------------------------------------

    def set_rules(self, rules: RuleSet) -> None:
        if self.rules is not None and self.rules.key == rules.key and self.weight_edits:
            return
        self.rules = rules
        self.view.setItemDelegate(IndicatorDelegate(rules, self.view))
        while self.weights_bar.count():
            item = self.weights_bar.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.weight_edits.clear()
        self.weight_labels.clear()
        for level1 in rules.level1:
            edit = QLineEdit()
            edit.setFixedWidth(44)
            edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
            edit.setToolTip(f"{level1.name}的表头分值（评分规则默认{format_score(level1.weight)}分）")
            edit.textEdited.connect(lambda text, name=level1.name: self._weight_edited(name, text))
            label = QLabel()
            label.setMinimumWidth(70)
            # One group a 一级指标: the bar wraps between groups, never inside one.
            group = QWidget()
            group_layout = QHBoxLayout(group)
            group_layout.setContentsMargins(0, 0, 0, 0)
            group_layout.setSpacing(6)
            group_layout.addWidget(QLabel(level1.name))
            group_layout.addWidget(edit)
            group_layout.addWidget(label)
            self.weights_bar.addWidget(group)
            self.weight_edits[level1.name] = edit
            self.weight_labels[level1.name] = label
        execution = QLabel(f"预算执行率 {format_score(rules.execution_weight)}（固定）")
        execution.setStyleSheet("color:#607d8b")
        self.weights_bar.addWidget(execution)
        self._fill_weights()

    def set_indicators(self, indicators: list[Indicator], weights: dict[str, Decimal]) -> None:
        self.weights = weights
        self.model.set_indicators(indicators)
        self._fill_weights()

    def _fill_weights(self) -> None:
        if self.rules is None:
            return
        for level1 in self.rules.level1:
            edit = self.weight_edits.get(level1.name)
            if edit is not None and not edit.hasFocus():
                edit.setText(format_score(self.weights.get(level1.name, level1.weight)))

    def set_table(self, table: IndicatorTable) -> None:
        self.table = table
        self.model.set_computed(table)
        for group in table.groups:
            label = self.weight_labels.get(group.name)
            if label is None:
                continue
            ok = group.weight is not None and group.allocated == group.weight
            label.setText(f"已分配 {format_score(group.allocated)}")
            label.setStyleSheet("color:#2e7d32" if ok else "color:#c62828; font-weight:bold")
            label.setToolTip("各三级指标分值之和" + ("" if ok else "，与表头分值不符"))
        execution = table.execution
        indicator_sum = table.raw_total - (execution.score or 0) if table.raw_total is not None else None
        parts = [
            f"预算执行率得分 {format_score(execution.score, '—')}",
            f"指标得分 {format_score(indicator_sum, '—')}",
            f"分值合计 {format_score(table.total_weight)}",
            f"<b>总分 {format_score(table.total, '—')}</b>",
        ]
        if table.grade:
            parts.append(f"评价等级 <b>{table.grade}</b>")
        if table.total is None and table.missing_scores:
            parts.append(f"<span style='color:#c62828'>（{len(table.missing_scores)}项指标尚无得分）</span>")
        if table.cap_note:
            parts.append(f"<span style='color:#b26a00'>{table.cap_note}</span>")
        self.total_label.setText(" · ".join(parts))

    def set_findings(self, findings: list[Finding], record: str) -> None:
        marks: dict[tuple[int, str], tuple[str, str]] = {}
        for f in findings:
            if f.target is None or f.target.record != record or not f.target.field.startswith("ind:"):
                continue
            _ind, row, key = f.target.field.split(":")
            marks.setdefault((int(row), key), (f.level, f.message))
        self.model.set_marks(marks)

    def _weight_edited(self, level1: str, text: str) -> None:
        value, ok = parse_score_text(text)
        if not ok or value is None or self.rules is None:
            self.status.emit(f"{level1}的分值应为数字")
            return
        default = self.rules.default_weight(level1)
        if value == default:
            self.weights.pop(level1, None)
        else:
            self.weights[level1] = value
        self.changed.emit()

    # -- row operations ------------------------------------------------------------------------------

    def current_row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else -1

    def selected_rows(self) -> list[int]:
        rows = {i.row() for i in self.view.selectionModel().selectedIndexes()}
        if not rows and self.current_row() >= 0:
            rows = {self.current_row()}
        return sorted(rows)

    def add_row(self) -> None:
        row = self.current_row()
        inherit = (
            self.model.indicators[row]
            if row >= 0
            else (self.model.indicators[-1] if self.model.indicators else None)
        )
        level1 = inherit.level1 if inherit else (self.rules.level1_names()[0] if self.rules else "")
        new = Indicator(level1=level1, level2=inherit.level2 if inherit else "")
        at = row + 1 if row >= 0 else len(self.model.indicators)
        self.model.insert_indicators(at, [new])
        self.focus_cell(at, "name", edit=True)

    def pick_common(self) -> None:
        from ui.dialogs.budget_indicator_picker import IndicatorPickerDialog

        if self.rules is None:
            return
        row = self.current_row()
        current = self.model.indicators[row] if row >= 0 else None
        dialog = IndicatorPickerDialog(
            self.rules, current.level1 if current else "", current.level2 if current else "", self
        )
        if dialog.exec() != IndicatorPickerDialog.DialogCode.Accepted:
            return
        self.insert_common(dialog.selected())

    def insert_common(self, entries) -> None:
        if not entries:
            return
        row = self.current_row()
        at = row + 1 if row >= 0 else len(self.model.indicators)
        items = [Indicator(level1=e.level1, level2=e.level2, name=e.name, target=e.target) for e in entries]
        self.model.insert_indicators(at, items)
        self.focus_cell(at, "weight")
        self.status.emit(f"已添加{len(items)}项指标，请填写分值和实际完成值")

    def remove_rows(self) -> None:
        rows = self.selected_rows()
        if rows:
            self.model.remove_rows(rows)
            self.status.emit(f"已删除{len(rows)}行（未保存前可点“撤销修改”恢复）")

    def move(self, step: int) -> None:
        row = self.current_row()
        target = self.model.move_row(row, step)
        if target >= 0:
            self.view.setCurrentIndex(self.model.index(target, max(0, self.view.currentIndex().column())))

    def restore_suggested(self) -> None:
        rows = [r for r in self.selected_rows() if self.model.indicators[r].score is not None]
        for row in rows:
            self.model.setData(self.model.index(row, COL["score"]), "", Qt.ItemDataRole.EditRole)
        if rows:
            self.status.emit(f"已对{len(rows)}行恢复建议得分")

    def clear_selected_cells(self) -> None:
        cleared = 0
        for index in self.view.selectionModel().selectedIndexes():
            key = KEYS[index.column()]
            if key in FORM_FIELDS and self.model.flags(index) & Qt.ItemFlag.ItemIsEditable:
                cleared += bool(self.model.setData(index, "", Qt.ItemDataRole.EditRole))
        if cleared:
            self.status.emit(f"已清空{cleared}个单元格")

    def replace_indicators(self, items: list[Indicator], weights: dict[str, Decimal]) -> None:
        self.weights.clear()
        self.weights.update(weights)
        self.model.replace_all(items)
        self._fill_weights()

    def paste_text(self, text: str) -> None:
        """Fill rows from a block of cells (as copied from Excel/WPS), from the current cell."""
        block = parse_block(text)
        if not block:
            self.status.emit("剪贴板中没有可粘贴的单元格")
            return
        index = self.view.currentIndex()
        if index.isValid() and KEYS[index.column()] in FORM_FIELDS:
            row, start = index.row(), KEYS[index.column()]
        elif index.isValid():
            row, start = index.row(), "level1"
        else:
            row, start = len(self.model.indicators), "level1"
        result = paste_block(self.model.indicators, row, start, block, self.rules)
        if self.rules is not None:
            for name, weight in result.header_weights.items():
                if self.rules.default_weight(name) == weight:
                    self.weights.pop(name, None)
                else:
                    self.weights[name] = weight
        self._fill_weights()
        self.model.rows_changed(result.first_row, result.last_row, result.appended)
        if result.first_row >= 0:
            self.view.selectionModel().select(
                self.model.index(result.first_row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
        count = result.last_row - result.first_row + 1 if result.first_row >= 0 else 0
        message = f"已粘贴{count}行" + (f"（新增{result.appended}行）" if result.appended else "")
        if result.problems:
            message += "；" + "；".join(result.problems[:3])
        self.status.emit(message)

    def paste_from_clipboard(self) -> None:
        self.paste_text(QGuiApplication.clipboard().text())

    def focus_cell(self, row: int, key: str, *, edit: bool = False) -> None:
        if not 0 <= row < self.model.rowCount():
            return
        index = self.model.index(row, COL.get(key, 0))
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        self.view.setFocus()
        if edit:
            self.view.edit(index)

    def show_field(self, field: str) -> bool:
        """Focus what a finding's "ind:<row>:<key>" or "level1:<name>" field names; False for any
        other field."""
        if field.startswith("ind:"):
            _i, row, key = field.split(":")
            self.focus_cell(int(row), key)
        elif field.startswith("level1:"):
            self.focus_level1(field.removeprefix("level1:"))
        else:
            return False
        return True

    def focus_level1(self, name: str) -> None:
        edit = self.weight_edits.get(name)
        if edit is not None:
            edit.setFocus()
            edit.selectAll()
        else:
            self.view.setFocus()

    def _context_menu(self, pos) -> None:
        menu = QMenu(self)
        for key in ("add", "pick", "remove", "up", "down", "paste", "restore"):
            button = self.buttons[key]
            menu.addAction(button.text(), button.click)
        menu.exec(self.view.viewport().mapToGlobal(pos))
