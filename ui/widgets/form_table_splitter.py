"""A vertical splitter of a scrolled form above a table (a 自评表's fields above its indicators):
until the user moves it, the table gets `table_height` and the form the rest, between `form_min`
and `form_max`. A fixed split would leave the table no rows in a 720 px window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QSplitter, QWidget

INDICATORS_HEIGHT = 440  # a 自评表's 绩效指标 box: ≥ 8 indicator rows in a 768 px window


class FormTableSplitter(QSplitter):
    def __init__(
        self, form: QWidget, table: QWidget, *, table_height: int, form_min: int = 110, form_max: int = 330
    ) -> None:
        super().__init__(Qt.Orientation.Vertical)
        self.table_height, self.form_min, self.form_max = table_height, form_min, form_max
        self.addWidget(form)
        self.addWidget(table)
        self.setStretchFactor(1, 1)
        self.setChildrenCollapsible(False)
        self.setSizes([form_max, table_height])
        self.user_sized = False
        self.splitterMoved.connect(self._moved)

    def _moved(self, *_args: object) -> None:
        self.user_sized = True

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        total = sum(self.sizes())
        if self.user_sized or total <= 0:
            return
        form = max(self.form_min, min(self.form_max, total - self.table_height))
        self.setSizes([form, total - form])
