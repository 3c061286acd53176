"""Small input widgets of the safety page: a period picker, an optional date, a project picker."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QWidget,
)

from app import clock
from app.dates import WorkingYear
from app.services.safety.periods import QUARTER_NAMES, Period
from app.services.safety.projects import ProjectChoice
from ui.widgets.validated_field import bound_dates

DATE_FORMAT = "yyyy-MM-dd"


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(value: date | None = None) -> QDateEdit:
    edit = bound_dates(QDateEdit())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setDate(to_qdate(value or clock.today()))
    edit.setMinimumWidth(118)
    return edit


def year_note(edit: QDateEdit, working: WorkingYear, *also: SignalInstance) -> QLabel:
    """An amber note beside `edit` while its (enabled) date lies outside the working year; saving
    goes on. `also`: further signals after which to look again (an OptionalDate's check box)."""
    note = QLabel()
    note.setObjectName("fieldMessage")
    note.setProperty("level", "warning")
    note.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)  # as tall as the date

    def update() -> None:
        text = working.warning(from_qdate(edit.date()) if edit.isEnabled() else None)
        note.setText(text)
        note.setVisible(bool(text))

    for signal in (edit.dateChanged, *also):
        signal.connect(update)
    update()
    return note


class OptionalDate(QWidget):
    """A date that may be left empty (整改期限, 办结日期 …): a check box enables the date."""

    changed = Signal()

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(label)
        self.edit = date_edit()
        self.edit.setEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit)
        layout.addStretch(1)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(self.changed)
        self.edit.dateChanged.connect(self.changed)

    def value(self) -> date | None:
        return from_qdate(self.edit.date()) if self.check.isChecked() else None

    def set_value(self, value: date | None, default: date | None = None) -> None:
        self.check.setChecked(value is not None)
        self.edit.setDate(to_qdate(value or default or clock.today()))


class PeriodPicker(QWidget):
    """全年 / a quarter / a custom range of the year in view."""

    changed = Signal(object)  # Period

    MODES = ("全年", *QUARTER_NAMES, "自定义")

    def __init__(self, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.year = year
        self.mode = QComboBox()
        self.mode.addItems(self.MODES)
        self.start = date_edit(date(year, 1, 1))
        self.end = date_edit(date(year, 12, 31))
        self.to_label = QLabel("至")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("统计期间"))
        layout.addWidget(self.mode)
        layout.addWidget(self.start)
        layout.addWidget(self.to_label)
        layout.addWidget(self.end)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.start.dateChanged.connect(self._custom_changed)
        self.end.dateChanged.connect(self._custom_changed)
        self._mode_changed()

    def set_year(self, year: int) -> None:
        self.year = year
        self._mode_changed()

    def set_period(self, period: Period) -> None:
        """Show `period`, choosing the matching mode."""
        self.year = period.start.year
        quarter = period.quarter_number()
        index = 0 if period.is_whole_year() else quarter if quarter else len(self.MODES) - 1
        self.mode.blockSignals(True)
        self.mode.setCurrentIndex(index)
        self.mode.blockSignals(False)
        self._show(period, custom=index == len(self.MODES) - 1)
        self.changed.emit(period)

    def period(self) -> Period:
        index = self.mode.currentIndex()
        if index == 0:
            return Period.year(self.year)
        if index <= 4:
            return Period.quarter(self.year, index)
        start, end = from_qdate(self.start.date()), from_qdate(self.end.date())
        return Period(start, end) if end >= start else Period(start, start)

    def _show(self, period: Period, custom: bool) -> None:
        for edit, value in ((self.start, period.start), (self.end, period.end)):
            edit.blockSignals(True)
            edit.setDate(to_qdate(value))
            edit.setEnabled(custom)
            edit.blockSignals(False)

    def _mode_changed(self) -> None:
        custom = self.mode.currentIndex() == len(self.MODES) - 1
        if not custom:
            self._show(self.period(), custom=False)
        else:
            self.start.setEnabled(True)
            self.end.setEnabled(True)
        self.changed.emit(self.period())

    def _custom_changed(self) -> None:
        if self.mode.currentIndex() == len(self.MODES) - 1:
            self.changed.emit(self.period())


class ProjectPicker(QComboBox):
    """Pick a project by typing part of its name (unfinished projects are listed first)."""

    def __init__(self, parent: QWidget | None = None, *, allow_none: bool = False) -> None:
        super().__init__(parent)
        self.allow_none = allow_none
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumWidth(220)
        completer = self.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.lineEdit().setPlaceholderText("输入项目名称的一部分查找")

    def set_choices(self, choices: list[ProjectChoice], selected: int | None = None) -> None:
        self.blockSignals(True)
        self.clear()
        if self.allow_none:
            self.addItem("（不关联项目）", None)
        for choice in choices:
            self.addItem(f"{choice.name}（{choice.status}）", choice.id)
        self.blockSignals(False)
        self.set_project(selected)

    def set_project(self, project_id: int | None) -> None:
        index = self.findData(project_id) if project_id is not None else (0 if self.allow_none else -1)
        self.setCurrentIndex(index)
        if index < 0:
            self.setEditText("")

    def project_id(self) -> int | None:
        """The chosen project; None when the typed text matches no project."""
        index = self.findText(self.currentText(), Qt.MatchFlag.MatchExactly)
        return self.itemData(index) if index >= 0 else None
