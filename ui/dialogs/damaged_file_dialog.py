"""The data file is damaged (or is another program's database): what the user can do about it."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

RESTORE_LATEST, CHOOSE_BACKUP, OTHER_FILE, KEEP_USING, QUIT = (
    "restore_latest",
    "choose_backup",
    "other_file",
    "keep_using",
    "quit",
)


class DamagedFileDialog(QMessageBox):
    """`choice()` after `exec()`: one of the constants above. `has_backups` offers the restore;
    `in_use` (found by the check after opening) offers to keep using the file instead of opening
    another."""

    def __init__(
        self, message: str, parent: QWidget | None = None, *, has_backups: bool, in_use: bool
    ) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle("数据文件已损坏")
        hint = (
            "建议恢复最新的完好备份（先检查备份的完整性，当前文件另存一份“恢复前备份”）。"
            if has_backups
            else "此数据文件没有备份。可以打开其他数据文件。"
        )
        self.setText(f"{message}<br><br>{hint}")
        self._choices: dict[str, QPushButton] = {}
        Role = QMessageBox.ButtonRole
        if has_backups:
            self._add(RESTORE_LATEST, "恢复最新的完好备份", Role.AcceptRole)
            self._add(CHOOSE_BACKUP, "选择备份…", Role.ActionRole)
            self.setDefaultButton(self.choice_button(RESTORE_LATEST))
        if in_use:
            self._add(KEEP_USING, "继续使用（不建议）", Role.RejectRole)
        else:
            self._add(OTHER_FILE, "打开其他数据文件…", Role.ActionRole)
        self._add(QUIT, "退出", Role.DestructiveRole)
        # Esc or the title bar's close: keep using an open file, quit when none could be opened.
        self._closed = KEEP_USING if in_use else QUIT
        self.setEscapeButton(self.choice_button(self._closed))

    def _add(self, choice: str, text: str, role: QMessageBox.ButtonRole) -> None:
        self._choices[choice] = self.addButton(text, role)

    def choice_button(self, choice: str) -> QPushButton:
        return self._choices[choice]

    def choice(self) -> str:
        clicked = self.clickedButton()
        return next((c for c, b in self._choices.items() if b is clicked), self._closed)
