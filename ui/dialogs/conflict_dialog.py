"""What to do when a save is refused because the record was saved elsewhere in the meantime."""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


class ConflictChoice(Enum):
    RELOAD = "reload"  # show the other copy; the user's edits are dropped
    REAPPLY = "reapply"  # the other copy with the user's own changes put back on it, not yet saved
    CANCEL = "cancel"  # leave the form as it is


def ask_conflict(parent: QWidget | None, message: str) -> ConflictChoice:
    """The refusal in the user's words, and the two ways on. Tests replace this function."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("记录已在别处被修改")
    box.setText(message)
    box.setInformativeText(
        "“重新载入”显示对方保存的内容，放弃您的修改；"
        "“保留我的修改”载入对方保存的内容后，把您改过的项重新填回表单，请核对后再保存。"
    )
    keep = box.addButton("保留我的修改", QMessageBox.ButtonRole.AcceptRole)
    reload = box.addButton("重新载入", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    for label in box.findChildren(QLabel):
        label.setWordWrap(True)
    box.exec()
    clicked = box.clickedButton()
    if clicked is keep:
        return ConflictChoice.REAPPLY
    if clicked is reload:
        return ConflictChoice.RELOAD
    return ConflictChoice.CANCEL


def clash_note(labels: dict[str, str], clashes: list[str]) -> str:
    """“对方也修改了：联系电话、内容摘要（表单中为您的修改）”, or '' when nothing clashes."""
    if not clashes:
        return ""
    names = "、".join(labels.get(name, name) for name in clashes)
    return f"对方也修改了：{names}（表单中为您的修改，请核对）"
