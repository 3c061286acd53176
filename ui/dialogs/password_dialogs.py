"""The password of an encrypted data file: asking for it, setting and changing it, resetting it
with the recovery code, showing the recovery code once, and asking it again before an unmasked
export. The checks themselves are app.protection.unlock's (scrypt only: these dialogs paint
before SQLCipher is loaded).
"""

from __future__ import annotations

import math
import os
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

WHY_PASSWORD = (
    "数据文件中有信访人的姓名、电话和身份证号等个人信息，设置密码后数据文件被加密，他人拿到文件也无法读取。"
)
NO_RECOVERY = "忘记密码又丢失恢复码，数据将无法恢复。"
ERROR_STYLE = "color:#c62828"
STRENGTH_COLORS = ("#c62828", "#c62828", "#ef6c00", "#2e7d32", "#1b5e20")


def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    return label


def _password_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    edit.setMinimumWidth(260)
    return edit


def _ok_cancel(ok: str, cancel: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel)
    return buttons


class RetryGate:
    """The growing wait after wrong tries (app.protection.unlock.retry_delay): `button` stays
    disabled and `label` counts down, on a QTimer (the GUI thread never sleeps)."""

    def __init__(self, button: QPushButton, label: QLabel, what: str = "密码") -> None:
        self.button = button
        self.label = label
        self.what = what
        self.failures = 0
        self.remaining = 0
        self.timer = QTimer(button)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)

    def failed(self) -> None:
        from app.protection.unlock import retry_delay

        self.failures += 1
        self.remaining = math.ceil(retry_delay(self.failures))
        if self.remaining <= 0:
            self.label.setText(f"{self.what}不正确，请重新输入")
            return
        self.button.setEnabled(False)
        self._show()
        self.timer.start()

    def succeeded(self) -> None:
        self.failures = 0

    @property
    def waiting(self) -> bool:
        return self.remaining > 0

    def _show(self) -> None:
        self.label.setText(f"{self.what}不正确，请在 {self.remaining} 秒后重试")

    def _tick(self) -> None:
        self.remaining -= 1
        if self.remaining > 0:
            self._show()
            return
        self.timer.stop()
        self.button.setEnabled(True)
        self.label.setText(f"{self.what}不正确，请重新输入")


class NewPasswordWidget(QWidget):
    """A new password entered twice, with its strength and (optionally) why to set one."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, explain: bool = True, label: str = "密码") -> None:
        super().__init__(parent)
        self.password_edit = _password_edit("至少 6 位，字母、数字和符号混用更安全")
        self.again_edit = _password_edit("再输入一次")
        self.strength_bar = QProgressBar()
        self.strength_bar.setRange(0, 4)
        self.strength_bar.setTextVisible(False)
        self.strength_bar.setFixedHeight(8)
        self.strength_bar.setMaximumWidth(160)
        self.strength_label = QLabel("")
        self.strength_label.setStyleSheet("color:#666")
        strength = QHBoxLayout()
        strength.setContentsMargins(0, 0, 0, 0)
        strength.addWidget(self.strength_bar)
        strength.addWidget(self.strength_label, 1)
        self.error_label = _error_label()
        self.why_label = QLabel(WHY_PASSWORD)
        self.why_label.setWordWrap(True)
        self.why_label.setStyleSheet("color:#555")
        self.why_label.setVisible(explain)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(label, self.password_edit)
        form.addRow("", strength)
        form.addRow(f"再次输入{label}", self.again_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.why_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        self.password_edit.textChanged.connect(self._on_edit)
        self.again_edit.textChanged.connect(self._on_edit)
        self._on_edit()

    def _on_edit(self, *_args: object) -> None:
        from app.protection.unlock import password_strength

        text = self.password_edit.text()
        self.error_label.clear()
        if not text:
            self.strength_bar.setValue(0)
            self.strength_label.setText("")
        else:
            score, hint = password_strength(text)
            self.strength_bar.setValue(score)
            color = STRENGTH_COLORS[max(0, min(score, 4))]
            self.strength_bar.setStyleSheet(f"QProgressBar::chunk {{ background: {color}; }}")
            self.strength_label.setText(f"强度：{hint}")
        self.changed.emit()

    def password(self) -> str:
        return self.password_edit.text()

    def problem(self) -> str | None:
        from app.protection.unlock import password_problem

        return password_problem(self.password_edit.text(), self.again_edit.text())

    def check(self) -> bool:
        """Show what is wrong with the new password, if anything; True when it is acceptable."""
        problem = self.problem()
        self.error_label.setText(problem or "")
        if problem:
            edit = self.again_edit if problem == "两次输入的密码不一致" else self.password_edit
            edit.setFocus()
            edit.selectAll()
        return problem is None

    def clear(self) -> None:
        self.password_edit.clear()
        self.again_edit.clear()


def _file_line(db_path: Path) -> QLabel:
    label = QLabel(f"数据文件：{db_path}")
    label.setWordWrap(True)
    label.setStyleSheet("color:#666")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class UnlockDialog(QDialog):
    """At start: the password of an encrypted data file, before any data is shown."""

    def __init__(self, db_path: Path, parent: QWidget | None = None, *, backup: bool = False) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.setWindowTitle("输入备份的密码" if backup else "输入密码")
        self.setMinimumWidth(460)
        what = "这份备份的密码（备份当时数据文件的密码）" if backup else "数据文件的密码"
        intro = QLabel(f"<b>请输入{what}</b>（{self.db_path.name}）")
        intro.setWordWrap(True)
        self.password_edit = _password_edit("密码")
        self.message_label = _error_label()
        self.forgot_button = QPushButton("忘记密码？用恢复码重设…")
        self.forgot_button.setFlat(True)
        self.forgot_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.forgot_button.setStyleSheet("color:#1565c0; text-align:left; padding:0")
        self.forgot_button.clicked.connect(self.reset_with_code)
        self.buttons = _ok_cancel("确定", "取消" if backup else "退出")
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.gate = RetryGate(self.ok_button, self.message_label)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(_file_line(self.db_path))
        layout.addSpacing(6)
        layout.addWidget(self.password_edit)
        layout.addWidget(self.message_label)
        forgot = QHBoxLayout()
        forgot.addWidget(self.forgot_button)
        forgot.addStretch(1)
        layout.addLayout(forgot)
        layout.addWidget(self.buttons)
        self.password_edit.setFocus()

    def _accept(self) -> None:
        from app.errors import UserError
        from app.protection.unlock import WrongPasswordError, unlock

        if self.gate.waiting:
            return
        password = self.password_edit.text()
        if not password:
            self.message_label.setText("请输入密码")
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            unlock(self.db_path, password)
        except WrongPasswordError:
            self.password_edit.selectAll()
            self.password_edit.setFocus()
            self.gate.failed()
            return
        except (UserError, OSError) as exc:
            self.message_label.setText(str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.gate.succeeded()
        self.accept()

    def reset_with_code(self) -> None:
        dialog = RecoveryResetDialog(self.db_path, self)
        self.reset_dialog = dialog
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.accept()  # the reset has unlocked the file with its new password


class RecoveryResetDialog(QDialog):
    """The recovery code alone sets a new password (and unlocks the file)."""

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.setWindowTitle("用恢复码重设密码")
        self.setMinimumWidth(500)
        intro = QLabel("输入设置密码时得到的恢复码（如 ABCDE-12345-…，不分大小写），再设置新密码。")
        intro.setWordWrap(True)
        self.code_edit = QLineEdit()
        self.code_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.code_edit.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX")
        self.new_password = NewPasswordWidget(explain=False, label="新密码")
        self.message_label = _error_label()
        self.buttons = _ok_cancel("重设密码", "取消")
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.gate = RetryGate(self.ok_button, self.message_label, what="恢复码")
        form = QFormLayout()
        form.addRow("恢复码", self.code_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(_file_line(self.db_path))
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addWidget(self.new_password)
        layout.addWidget(self.buttons)
        self.code_edit.setFocus()

    def _accept(self) -> None:
        from app.errors import UserError
        from app.protection.unlock import WrongPasswordError, reset_with_recovery_code

        if self.gate.waiting:
            return
        self.message_label.clear()
        if not self.code_edit.text().strip():
            self.message_label.setText("请输入恢复码")
            self.code_edit.setFocus()
            return
        if not self.new_password.check():
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            reset_with_recovery_code(self.db_path, self.code_edit.text(), self.new_password.password())
        except WrongPasswordError:
            self.code_edit.setFocus()
            self.code_edit.selectAll()
            self.gate.failed()
            return
        except (UserError, OSError) as exc:
            self.message_label.setText(str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.accept()


class SetPasswordDialog(QDialog):
    """文件 › 设置密码… for a plaintext data file: the new password (the caller encrypts)."""

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.setWindowTitle("设置密码")
        self.setMinimumWidth(520)
        intro = QLabel(
            "<b>为数据文件设置密码</b><br>程序先备份数据文件，再把它加密，核对每个表的记录数；"
            "之后每次打开都要输入密码。设置后会显示一个恢复码，请妥善保存。"
        )
        intro.setWordWrap(True)
        self.new_password = NewPasswordWidget()
        self.buttons = _ok_cancel("设置密码并加密", "取消")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(_file_line(self.db_path))
        layout.addSpacing(6)
        layout.addWidget(self.new_password)
        layout.addWidget(self.buttons)
        self.new_password.password_edit.setFocus()

    def password(self) -> str:
        return self.new_password.password()

    def _accept(self) -> None:
        if self.new_password.check():
            self.accept()


class ChangePasswordDialog(QDialog):
    """文件 › 修改密码… for an encrypted file: the old password and a new one (the key file is
    rewritten, not the data file)."""

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.setWindowTitle("修改密码")
        self.setMinimumWidth(500)
        self.old_edit = _password_edit("当前的密码")
        self.message_label = _error_label()
        self.new_password = NewPasswordWidget(explain=False, label="新密码")
        self.buttons = _ok_cancel("修改密码", "取消")
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.gate = RetryGate(self.ok_button, self.message_label, what="原密码")
        note = QLabel("恢复码不变，原来保存的恢复码仍然有效。")
        note.setStyleSheet("color:#666")
        form = QFormLayout()
        form.addRow("原密码", self.old_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(_file_line(self.db_path))
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addWidget(self.new_password)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.old_edit.setFocus()

    def _accept(self) -> None:
        from app.errors import UserError
        from app.protection.unlock import WrongPasswordError, change_password

        if self.gate.waiting:
            return
        self.message_label.clear()
        if not self.old_edit.text():
            self.message_label.setText("请输入原密码")
            self.old_edit.setFocus()
            return
        if not self.new_password.check():
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            change_password(self.db_path, self.old_edit.text(), self.new_password.password())
        except WrongPasswordError:
            self.old_edit.setFocus()
            self.old_edit.selectAll()
            self.gate.failed()
            return
        except (UserError, OSError) as exc:
            self.message_label.setText(str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.accept()


class PasswordCheckDialog(QDialog):
    """The password asked again before something sensitive (an export with the full personal
    data); checked with verify_password, the key is not touched."""

    def __init__(self, db_path: Path, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.setWindowTitle("确认密码")
        self.setMinimumWidth(420)
        intro = QLabel(reason)
        intro.setWordWrap(True)
        self.password_edit = _password_edit("数据文件的密码")
        self.message_label = _error_label()
        self.buttons = _ok_cancel("确定", "取消")
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.gate = RetryGate(self.ok_button, self.message_label)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.password_edit)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)
        self.password_edit.setFocus()

    def _accept(self) -> None:
        from app.errors import UserError
        from app.protection.unlock import verify_password

        if self.gate.waiting:
            return
        if not self.password_edit.text():
            self.message_label.setText("请输入密码")
            return
        try:
            right = verify_password(self.db_path, self.password_edit.text())
        except (UserError, OSError) as exc:
            self.message_label.setText(str(exc))
            return
        if not right:
            self.password_edit.selectAll()
            self.gate.failed()
            return
        self.accept()


def confirm_password(parent: QWidget | None, db_path: Path, reason: str) -> bool:
    """True when the user typed the password of `db_path` again (a plaintext file: True)."""
    from app.protection.files import is_encrypted

    if not is_encrypted(db_path):
        return True
    dialog = PasswordCheckDialog(db_path, reason, parent)
    return dialog.exec() == QDialog.DialogCode.Accepted


def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def recovery_text(code: str, unit_name: str, db_path: Path | None, day: date) -> str:
    """What a saved or printed recovery code says."""
    lines = [
        "住建填报助手 数据文件恢复码",
        "",
        f"单位：{unit_name or '—'}",
    ]
    if db_path is not None:
        lines.append(f"数据文件：{db_path}")
    lines += [
        f"日期：{_chinese_date(day)}",
        "",
        f"恢复码：{code}",
        "",
        "用途：忘记数据文件的密码时，在输入密码的窗口点“忘记密码？用恢复码重设…”，",
        "输入此恢复码即可设置新密码。修改密码后此恢复码仍然有效。",
        f"{NO_RECOVERY}",
        "请把本文件（或打印件）放在他人拿不到的地方，不要和数据文件放在一起。",
    ]
    return "\n".join(lines) + "\n"


def write_recovery_file(target: Path, text: str) -> None:
    """Write `text` readable by its owner only (0600 on POSIX, whatever the umask)."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\r\n" if os.name == "nt" else "\n") as handle:
        handle.write(text)
    if os.name == "posix":
        os.chmod(target, 0o600)


def print_text(parent: QWidget | None, text: str) -> bool:
    """The print dialog, then `text` printed; False when cancelled."""
    from PySide6.QtGui import QTextDocument
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("打印恢复码")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    document = QTextDocument()
    document.setPlainText(text)
    document.print_(printer)
    return True


class RecoveryCodeDialog(QDialog):
    """The recovery code, shown once after a password is set; the user confirms it was kept."""

    def __init__(
        self,
        code: str,
        parent: QWidget | None = None,
        *,
        unit_name: str = "",
        db_path: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.code = code
        self.unit_name = unit_name
        self.db_path = db_path
        self.saved_to: Path | None = None
        self.printed = False
        self.setWindowTitle("恢复码")
        self.setMinimumWidth(560)
        intro = QLabel(
            "<b>密码已设置。</b>下面是本数据文件的恢复码，只显示这一次。"
            "忘记密码时，凭它可以设置新密码。请保存到文件或打印，放在他人拿不到的地方。"
        )
        intro.setWordWrap(True)
        self.code_label = QLabel(code)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(18)
        font.setWeight(QFont.Weight.Bold)
        self.code_label.setFont(font)
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.code_label.setStyleSheet(
            "padding:12px; background:#f5f5f5; border:1px solid #ccc; border-radius:4px"
        )
        self.warning_label = QLabel(NO_RECOVERY)
        self.warning_label.setStyleSheet(ERROR_STYLE)
        self.status_label = QLabel("")
        self.status_label.setStyleSheet("color:#2e7d32")
        self.status_label.setWordWrap(True)
        self.save_button = QPushButton("保存到文件…")
        self.save_button.clicked.connect(self.save_to_file)
        self.print_button = QPushButton("打印…")
        self.print_button.clicked.connect(self.print_code)
        self.copy_button = QPushButton("复制")
        self.copy_button.clicked.connect(lambda: QApplication.clipboard().setText(self.code))
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.print_button)
        row.addWidget(self.copy_button)
        row.addStretch(1)
        self.kept_check = QCheckBox("我已妥善保存恢复码")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.done_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.done_button.setText("完成")
        self.done_button.setEnabled(False)
        self.kept_check.toggled.connect(self.done_button.setEnabled)
        self.buttons.accepted.connect(self._finish)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.code_label)
        layout.addWidget(self.warning_label)
        layout.addLayout(row)
        layout.addWidget(self.status_label)
        layout.addWidget(self.kept_check)
        layout.addWidget(self.buttons)

    def text(self) -> str:
        from app import clock

        return recovery_text(self.code, self.unit_name, self.db_path, clock.today())

    def save_to_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        start = Path.home() / f"恢复码-{self.unit_name or '住建填报助手'}.txt"
        chosen, _ = QFileDialog.getSaveFileName(self, "保存恢复码", str(start), "文本文件 (*.txt)")
        if not chosen:
            return
        target = Path(chosen)
        if target.suffix.lower() != ".txt":
            target = target.with_name(target.name + ".txt")
        self.save_to(target)

    def save_to(self, target: Path) -> bool:
        from app.errors import describe_os_error

        try:
            write_recovery_file(target, self.text())
        except OSError as exc:
            QMessageBox.warning(self, "未能保存恢复码", describe_os_error(exc, target))
            return False
        self.saved_to = target
        self.status_label.setText(f"已保存到 {target}")
        return True

    def print_code(self) -> None:
        if print_text(self, self.text()):
            self.printed = True
            self.status_label.setText("已送往打印机")

    def _finish(self) -> None:
        if self.kept_check.isChecked():
            self.accept()

    def confirm_without_keeping(self) -> bool:
        """The warning before closing without the tick; True when the user closes anyway."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("尚未保存恢复码")
        box.setText(f"您还没有确认已妥善保存恢复码。\n{NO_RECOVERY}")
        box.setInformativeText("恢复码只显示这一次。确定不保存就关闭吗？")
        back = box.addButton("返回保存恢复码", QMessageBox.ButtonRole.RejectRole)
        leave = box.addButton("不保存，关闭", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(back)
        self.warning_box = box
        box.exec()
        return box.clickedButton() is leave

    def reject(self) -> None:
        # Escape and the window's close button come here too (QDialog's closeEvent calls reject).
        if self.kept_check.isChecked() or self.confirm_without_keeping():
            super().reject()
