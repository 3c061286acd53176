"""An input with its message underneath: red for what blocks saving, amber for a warning."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

ERROR_STYLE = "color: #c62828;"
WARNING_STYLE = "color: #b26a00;"


class ValidatedField(QWidget):
    def __init__(self, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("fieldMessage")
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        layout.addWidget(self.message)

    def set_message(self, text: str, *, warning: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(WARNING_STYLE if warning else ERROR_STYLE)
        self.message.setVisible(bool(text))
        self.editor.setProperty("invalid", bool(text) and not warning)
        self.editor.style().unpolish(self.editor)
        self.editor.style().polish(self.editor)

    def message_text(self) -> str:
        return self.message.text() if self.message.isVisible() or self.message.text() else ""
