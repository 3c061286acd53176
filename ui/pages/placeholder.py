"""A page whose module has not been built yet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout

from ui.context import AppContext
from ui.pages.base import Page


class PlaceholderPage(Page):
    TITLE = ""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        label = QLabel(f"{self.TITLE}\n\n本模块正在建设中。")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        QVBoxLayout(self).addWidget(label)
