"""An input with its message underneath: red for what blocks saving, amber for a warning."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, Signal, SignalInstance
from PySide6.QtWidgets import QDateEdit, QLabel, QVBoxLayout, QWidget

from app.services.parsing import DATE_MAX, DATE_MIN


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property changed. A widget not yet polished
    picks the property up when it is first shown (and touching style() early costs start-up)."""
    if not widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        return
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def bound_dates(edit: QDateEdit) -> QDateEdit:
    """Limit a date edit to the dates the services accept (Qt's own range runs to 9999)."""
    edit.setDateRange(
        QDate(DATE_MIN.year, DATE_MIN.month, DATE_MIN.day), QDate(DATE_MAX.year, DATE_MAX.month, DATE_MAX.day)
    )
    return edit


def edited_signal(editor: QWidget) -> SignalInstance | None:
    """The signal `editor` emits when the user changes its value (None for a display-only widget)."""
    for name in (
        "changed",
        "dateChanged",
        "currentTextChanged",
        "textChanged",
        "valueChanged",
        "itemChanged",
    ):
        signal = getattr(editor, name, None)
        if isinstance(signal, SignalInstance):
            return signal
    return None


class ValidatedField(QWidget):
    """The colours come from the style sheet (`QLabel#fieldMessage[level="error"]` …), so a
    message costs a re-polish only when its level actually changes. `edited` says the user changed
    the editor's value: the form checks it again then, so an error goes as soon as it is fixed."""

    edited = Signal()

    def __init__(self, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        # A row holding the editor and a note beside it hands its focus (and its value) to the editor.
        proxy = editor.focusProxy()
        signal = edited_signal(editor) or (edited_signal(proxy) if proxy is not None else None)
        if signal is not None:
            signal.connect(lambda *_args: self.edited.emit())
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("fieldMessage")
        self.message.hide()
        self._level = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        layout.addWidget(self.message)

    def set_message(self, text: str, *, warning: bool = False) -> None:
        level = "" if not text else ("warning" if warning else "error")
        if text != self.message.text():
            self.message.setText(text)
        self.message.setVisible(bool(text))
        if level == self._level:
            return
        self._level = level
        self.message.setProperty("level", level)
        repolish(self.message)
        invalid = level == "error"
        if bool(self.editor.property("invalid")) != invalid:
            self.editor.setProperty("invalid", invalid)
            repolish(self.editor)

    def message_text(self) -> str:
        return self.message.text()

    def has_error(self) -> bool:
        return self._level == "error"
