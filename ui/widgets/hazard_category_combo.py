"""隐患类别 as a pick-list of the unit's managed list. Typing finds an entry (by any part of its
name or of a synonym: "触" offers 触电（临时用电）); leaving the field turns what was typed into the
entry it names. Text that names no entry stays as typed, and the service refuses to save it."""

from __future__ import annotations

import re

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from app.services.safety.categories import HazardCategory, resolve

_PICKED_SYNONYM = re.compile(r"^(.+)（(.+)）$")  # "触电（临时用电）", as the completer offers it


class CategoryCombo(QComboBox):
    def __init__(self, items: list[HazardCategory], current: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumContentsLength(6)
        self._words = QStringListModel(self)
        completer = QCompleter(self._words, self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.lineEdit().editingFinished.connect(self.resolve_text)
        completer.activated.connect(lambda _text: self.resolve_text())
        self.set_categories(items, current)

    def set_categories(self, items: list[HazardCategory], current: str = "") -> None:
        """Offer `items`; `current` is selected, and kept as an extra entry when the list no longer
        has it (a hazard saved under a category since removed keeps it unless changed)."""
        self.items = items
        names = [item.name for item in items]
        self.blockSignals(True)
        self.clear()
        self.addItems(names)
        if current and current not in names:
            self.addItem(current)
            self.setItemData(self.count() - 1, "不在隐患类别列表中（旧数据）", Qt.ItemDataRole.ToolTipRole)
        self._words.setStringList(
            names + [f"{synonym}（{item.name}）" for item in items for synonym in item.synonyms]
        )
        self.setCurrentText(current or (names[0] if names else ""))
        self.blockSignals(False)

    def category(self) -> str:
        """The entry's name for what the field shows (a synonym resolved), else the text as typed."""
        text = self.currentText().strip()
        picked = _PICKED_SYNONYM.match(text)
        if picked and resolve(self.items, picked[2]) == picked[2]:
            return picked[2]
        return resolve(self.items, text) or text

    def resolve_text(self) -> None:
        name = self.category()
        if name != self.currentText():
            index = self.findText(name, Qt.MatchFlag.MatchExactly)
            if index >= 0:
                self.setCurrentIndex(index)
            self.setEditText(name)
