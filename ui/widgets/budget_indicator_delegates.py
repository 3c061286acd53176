"""Editors for the indicator table: text committed as it is typed (so 得分 and 总分 follow each
keystroke), lists for 一级/二级/指标性质/达成程度, and common 三级指标 offered while typing."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.services.budget.catalog import common_for, find_common
from app.services.budget.rules import BAND_NAMES, NATURES, RuleSet
from ui.models.budget_indicator_model import COL, KEYS, IndicatorTableModel

_Index = QModelIndex | QPersistentModelIndex


class IndicatorDelegate(QStyledItemDelegate):
    def __init__(self, rules: RuleSet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rules = rules

    def _model(self, index: _Index) -> IndicatorTableModel:
        return index.model()  # type: ignore[return-value]

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        key = KEYS[index.column()]
        ind = self._model(index).indicators[index.row()]
        if key in ("level1", "level2", "nature", "band"):
            combo = QComboBox(parent)
            if key == "level1":
                combo.setEditable(True)
                combo.addItems(self.rules.level1_names())
            elif key == "level2":
                combo.setEditable(True)
                combo.addItems(
                    self.rules.level2_of(ind.level1) or [n for i in self.rules.level1 for n in i.level2]
                )
            elif key == "nature":
                combo.addItem("自动判断", "")
                for nature in NATURES:
                    combo.addItem(nature, nature)
            else:
                combo.addItem("（未选）", "")
                for name in BAND_NAMES:
                    combo.addItem(name, name)
            combo.activated.connect(lambda _i, c=combo: self._commit_and_close(c))
            return combo
        editor = QLineEdit(parent)
        editor.setFrame(False)
        if key == "name":
            names = [c.name for c in common_for(ind.level1, ind.level2)] or [
                c.name for c in common_for(ind.level1)
            ]
            completer = QCompleter(names, editor)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            editor.setCompleter(completer)
        # Commit as the user types: the suggested score, 总分 and the checks follow each keystroke.
        editor.textEdited.connect(lambda _t, e=editor: self.commitData.emit(e))
        return editor

    def _commit_and_close(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole) or ""
        if isinstance(editor, QComboBox):
            position = (
                editor.findData(value)
                if KEYS[index.column()] in ("nature", "band")
                else editor.findText(value)
            )
            if position >= 0:
                editor.setCurrentIndex(position)
            elif editor.isEditable():
                editor.setEditText(value)
            return
        if isinstance(editor, QLineEdit) and editor.text() != value:
            editor.setText(value)

    def setModelData(self, editor: QWidget, model, index: _Index) -> None:
        key = KEYS[index.column()]
        if isinstance(editor, QComboBox):
            value = editor.currentData() if key in ("nature", "band") else editor.currentText().strip()
            model.setData(index, value or "", Qt.ItemDataRole.EditRole)
            return
        if isinstance(editor, QLineEdit):
            text = editor.text()
            model.setData(index, text, Qt.ItemDataRole.EditRole)
            if key == "name":
                common = find_common(text.strip())
                ind = model.indicators[index.row()]
                if common is not None and not ind.target.strip():
                    model.setData(
                        model.index(index.row(), COL["target"]), common.target, Qt.ItemDataRole.EditRole
                    )
                if common is not None and not ind.level2.strip():
                    model.setData(
                        model.index(index.row(), COL["level2"]), common.level2, Qt.ItemDataRole.EditRole
                    )
