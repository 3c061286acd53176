"""A report's numbered outline (一、 （一） 1. …) with the state of each section at a glance."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from app.services.reports.outline import OutlineNode

SETTINGS_KEY = "__settings__"
KEY_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class NodeState:
    marker: str = ""  # shown after the title: "草稿", "未填写" …
    color: str = ""  # "#1565c0"
    dirty: bool = False  # unsaved edits
    italic: bool = False


class ReportOutline(QTreeWidget):
    section_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformRowHeights(True)
        self.setIndentation(16)
        self.currentItemChanged.connect(self._on_current)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._quiet = False

    def set_outline(self, title: str, nodes: list[OutlineNode], states: dict[str, NodeState]) -> None:
        """Show the outline; the current section stays selected without `section_selected`."""
        keep = self.current_key()
        self._quiet = True
        self.clear()
        self._items = {}
        head = QTreeWidgetItem([f"标题、主送与落款 · {title}"])
        head.setData(0, KEY_ROLE, SETTINGS_KEY)
        head.setToolTip(0, "报告标题、主送机关、落款单位和成文日期")
        self.addTopLevelItem(head)
        self._items[SETTINGS_KEY] = head
        if SETTINGS_KEY in states:
            self._paint(head, head.text(0), states[SETTINGS_KEY])

        def add(node: OutlineNode, parent: QTreeWidgetItem | None) -> None:
            label = node.numbered_title if node.heading else f"（{node.title}）"
            item = QTreeWidgetItem([label])
            item.setData(0, KEY_ROLE, node.key)
            item.setToolTip(0, node.path)
            self._paint(item, label, states.get(node.key, NodeState()))
            if parent is None:
                self.addTopLevelItem(item)
            else:
                parent.addChild(item)
            self._items[node.key] = item
            for child in node.children:
                add(child, item)

        for node in nodes:
            add(node, None)
        self.expandAll()
        if keep in self._items:  # restored quietly: the section shown has not changed
            self.setCurrentItem(self._items[keep])
        self._quiet = False

    @staticmethod
    def _paint(item: QTreeWidgetItem, label: str, state: NodeState) -> None:
        text = f"● {label}" if state.dirty else label
        if state.marker:
            text += f"  · {state.marker}"
        item.setText(0, text)
        if state.color:
            item.setForeground(0, QBrush(QColor(state.color)))
        if state.italic:
            font = QFont(item.font(0))
            font.setItalic(True)
            item.setFont(0, font)

    def _on_current(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if current is not None and not self._quiet:
            self.section_selected.emit(current.data(0, KEY_ROLE))

    def current_key(self) -> str | None:
        item = self.currentItem()
        return item.data(0, KEY_ROLE) if item is not None else None

    def select_key(self, key: str) -> bool:
        item = self._items.get(key)
        if item is None:
            return False
        self.setCurrentItem(item)
        self.scrollToItem(item)
        return True

    def item_text(self, key: str) -> str:
        item = self._items.get(key)
        return item.text(0) if item is not None else ""

    def section_keys(self) -> list[str]:
        return list(self._items)
