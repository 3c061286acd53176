"""Whether a form's edits are saved: "● 有未保存的修改" or "所有修改已保存", with the 保存 and
撤销修改 buttons that go with it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton

from ui.widgets.validated_field import repolish

DIRTY_TEXT = "● 有未保存的修改"
SAVED_TEXT = "所有修改已保存"


class SaveState(QLabel):
    """The label, and the form's dirtiness behind it.

    The owner places the label and the buttons in its own layout (a view that cannot revert
    leaves that button out), connects the buttons to its save/discard (so 保存 and Ctrl+S both go
    through Page.save), and forwards `dirty_changed` to its page's signal (the main window marks
    its title and asks before dropping edits). The colour comes from the style sheet
    (`QLabel#saveState[dirty="true"]`); the label is re-polished only when that property changes.
    """

    dirty_changed = Signal(bool)

    def __init__(self, save_tip: str = "", *, saved_text: str = SAVED_TEXT) -> None:
        super().__init__()
        self.setObjectName("saveState")
        self.saved_text = saved_text
        self._dirty = False
        self.revert_button = QPushButton("撤销修改")
        self.save_button = QPushButton("保存")
        self.save_button.setObjectName("primaryButton")
        if save_tip:
            self.save_button.setToolTip(save_tip)

    @property
    def dirty(self) -> bool:
        return self._dirty

    def set_dirty(self, dirty: bool) -> None:
        changed = dirty != self._dirty
        self._dirty = dirty
        text = DIRTY_TEXT if dirty else self.saved_text
        if text != self.text():
            self.setText(text)
        if self.property("dirty") != dirty:
            self.setProperty("dirty", dirty)
            repolish(self)
        self.revert_button.setEnabled(dirty)
        if changed:
            self.dirty_changed.emit(dirty)
