"""A combo box for long names in a narrow column: the closed box elides in the middle (the start and
the end of a project name tell projects apart: 城南安置小区…二期工程), the whole name shows as a
tooltip, and the popup list is wide enough for the longest name."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QToolTip,
    QWidget,
)

POPUP_MARGIN = 48  # the popup's frame, scroll bar and item padding


class ElidedCombo(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view().setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.model().rowsInserted.connect(self._items_changed)
        self.model().rowsRemoved.connect(self._items_changed)
        self.model().modelReset.connect(self._items_changed)

    def _items_changed(self, *_args: object) -> None:
        for row in range(self.count()):
            self.setItemData(row, self.itemText(row), Qt.ItemDataRole.ToolTipRole)
        metrics = self.view().fontMetrics()
        widest = max((metrics.horizontalAdvance(self.itemText(i)) for i in range(self.count())), default=0)
        self.view().setMinimumWidth(widest + POPUP_MARGIN)

    def _label_rect_width(self) -> int:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        rect = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        return rect.width()

    def shown_text(self) -> str:
        """The current name as the closed box draws it."""
        return self.fontMetrics().elidedText(
            self.currentText(), Qt.TextElideMode.ElideMiddle, self._label_rect_width()
        )

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self.shown_text()
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def event(self, event: QEvent) -> bool:
        # A tooltip set on the box (a validation message) wins; otherwise the whole name.
        if event.type() == QEvent.Type.ToolTip and not self.toolTip() and self.currentText():
            assert isinstance(event, QHelpEvent)
            QToolTip.showText(event.globalPos(), self.currentText(), self)
            return True
        return super().event(event)
