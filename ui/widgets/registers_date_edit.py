"""A date that may be empty: typed (2023-05-06, 2023.5.6, 2023/5/6, 20230506, 2023年5月6日) or
picked from a calendar. QDateEdit cannot be empty, and most register dates start out empty."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from app import clock
from app.services import parsing
from app.services.parsing import DATE_MAX, DATE_MIN, attempt


def parse_date(text: str, label: str = "日期") -> tuple[date | None, str | None]:
    """(date, None), (None, None) for empty text, or (None, message); 1949-01-01 … 2100-12-31."""
    return attempt(parsing.parse_date, text, label)


class DateField(QWidget):
    """`value()` is a date or None; `error()` says why typed text is not a date."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The day the calendar opens on while the field is empty (a page sets its working year's).
        self.suggest: Callable[[], date] = clock.today
        self.line = QLineEdit()
        self.line.setPlaceholderText("年-月-日")
        self.line.setMaximumWidth(130)
        self.line.textEdited.connect(lambda _t: self.edited.emit())
        self.button = QToolButton()
        self.button.setText("▾")
        self.button.setToolTip("从日历中选择")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.setDateRange(QDate(DATE_MIN.year, 1, 1), QDate(DATE_MAX.year, 12, 31))
        self.calendar.clicked.connect(self._picked)
        menu = QMenu(self.button)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._sync_calendar)
        self.button.setMenu(menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line)
        layout.addWidget(self.button)
        layout.addStretch(1)
        self.setFocusProxy(self.line)

    def value(self) -> date | None:
        return parse_date(self.line.text())[0]

    def error(self) -> str | None:
        return parse_date(self.line.text())[1]

    def set_value(self, value: date | None) -> None:
        self.line.setText("" if value is None else value.isoformat())

    def setReadOnly(self, read_only: bool) -> None:
        self.line.setReadOnly(read_only)
        self.button.setEnabled(not read_only)

    def _sync_calendar(self) -> None:
        value = self.value() or self.suggest()
        self.calendar.setSelectedDate(QDate(value.year, value.month, value.day))

    def _picked(self, qdate: QDate) -> None:
        self.set_value(date(qdate.year(), qdate.month(), qdate.day()))
        self.button.menu().hide()
        self.edited.emit()
        self.line.setFocus(Qt.FocusReason.OtherFocusReason)
