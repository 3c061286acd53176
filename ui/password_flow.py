"""Setting and changing the data file's password from the window: 文件 › 设置密码… / 修改密码…,
and the password chosen in the 欢迎 dialog. Encrypting runs as a task (app.protection.protect)
with the database closed; the window opens the file again afterwards.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox

if TYPE_CHECKING:
    from app.protection.protect import ProtectResult
    from ui.dialogs.first_run_dialog import FirstRunDialog
    from ui.main_window import MainWindow

_log = logging.getLogger(__name__)

SET_TEXT, CHANGE_TEXT = "设置密码…", "修改密码…"
NO_PASSWORD_FOR_SERVER = (
    "使用 PostgreSQL 数据库时，由数据库服务器的账号和权限保护数据，不能为其设置数据文件密码。"
)
NO_PASSWORD_FOR_EXAMPLE = "示例数据（虚构）不需要密码。"


def record(window: MainWindow, action: str, detail: str = "") -> None:
    """A line in the operation log (app/oplog.py), when the window has a database."""
    if window.db is None:
        return
    try:
        from app import oplog
    except ImportError:  # pragma: no cover - the log lands with issue 13's other parts
        return
    unit_id = window.ctx.unit_id if window.ctx is not None else None
    oplog.record(window.db, getattr(oplog, action), detail, unit_id)


def add_password_action(window: MainWindow, menu: QMenu) -> QAction:
    action = QAction(SET_TEXT, window)
    action.setEnabled(False)
    action.triggered.connect(lambda: set_or_change_password(window))
    menu.addAction(action)
    window.password_action = action  # type: ignore[attr-defined]
    return action


def add_protection_badge(window: MainWindow) -> None:
    """A status-bar button for a local file without a password (until the user declines
    explicitly): one click to 设置密码…."""
    from PySide6.QtWidgets import QToolButton

    badge = QToolButton()
    badge.setText("未设密码")
    badge.setAutoRaise(True)
    badge.setStyleSheet("color:#c62828")
    badge.setToolTip("数据文件中有信访人的个人信息，但还没有密码：点此设置密码（先备份，再加密）")
    badge.clicked.connect(lambda: set_or_change_password(window))
    badge.setVisible(False)
    window.statusBar().addPermanentWidget(badge)
    window.protection_badge = badge  # type: ignore[attr-defined]


def _show_badge(window: MainWindow, path: Path | None, plain: bool) -> None:
    badge = getattr(window, "protection_badge", None)
    if badge is None:
        return
    show = plain and path is not None and not window.showing_example
    if show:
        from app.protection.choice import password_declined

        show = not password_declined(path)
    badge.setVisible(show)


def refresh_security_actions(window: MainWindow) -> None:
    """After each open: 设置密码… or 修改密码…, whether 锁定 applies, and the 未设密码 badge."""
    from app.protection.files import is_encrypted

    action: QAction = window.password_action  # type: ignore[attr-defined]
    path = window.db.location.path if window.db is not None else None
    _show_badge(window, path, window.db is not None and path is not None and not is_encrypted(path))
    if window.db is None:
        action.setEnabled(False)
    elif path is None:
        action.setText(SET_TEXT)
        action.setEnabled(False)
        action.setToolTip(NO_PASSWORD_FOR_SERVER)
    elif is_encrypted(path):
        action.setText(CHANGE_TEXT)
        action.setEnabled(True)
        action.setToolTip("修改数据文件的密码（恢复码不变）")
    elif window.showing_example:
        action.setText(SET_TEXT)
        action.setEnabled(False)
        action.setToolTip(NO_PASSWORD_FOR_EXAMPLE)
    else:
        action.setText(SET_TEXT)
        action.setEnabled(True)
        action.setToolTip("为数据文件设置密码：先备份，再加密")
    lock = getattr(window, "lock_screen", None)
    if lock is not None:
        lock.refresh()


def set_or_change_password(window: MainWindow) -> None:
    from app.protection.files import is_encrypted

    if window.db is None or window.db.location.path is None:
        return
    path = window.db.location.path
    if is_encrypted(path):
        change_password(window, path)
    else:
        set_password(window, path)


def change_password(window: MainWindow, path: Path) -> None:
    from ui.dialogs.password_dialogs import ChangePasswordDialog

    dialog = ChangePasswordDialog(path, window)
    window.password_dialog = dialog  # type: ignore[attr-defined]
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    record(window, "PASSWORD", "修改密码")
    window.statusBar().showMessage("密码已修改；恢复码不变", 8000)


def set_password(window: MainWindow, path: Path) -> None:
    """SetPasswordDialog, then the file encrypted in place as a task, then the plaintext backups
    (deleted or kept, as the user says), the recovery code, and the file opened again."""
    from ui.dialogs.password_dialogs import SetPasswordDialog

    if not window.confirm_unsaved("设置密码"):
        return
    dialog = SetPasswordDialog(path, window)
    window.password_dialog = dialog  # type: ignore[attr-defined]
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    unit_name = window.unit_name

    def done(result: ProtectResult) -> None:
        _offer_removing_copies(window, result.plaintext_copies)
        _after_protect(window, path, result, unit_name, "设置密码（加密数据文件）")

    _protect(window, path, dialog.password(), done, cancellable=True)


def _protect(window: MainWindow, path: Path, password: str, done, *, cancellable: bool) -> None:
    from app.registry import Cancelled

    window._close_database()

    def work(progress, cancel):
        from app.protection.protect import ProtectCancelled, protect

        try:
            return protect(path, password, progress=progress, cancel=cancel)
        except ProtectCancelled as exc:
            raise Cancelled from exc

    def failed(message: str, details: str) -> None:
        from ui.dialogs.error_dialog import show_error

        show_error(window, f"未能设置密码，数据文件没有改动（仍未加密）。<br>{message}", details)
        window.open_database()

    def cancelled() -> None:
        window.statusBar().showMessage("已取消设置密码，数据文件没有改动", 8000)
        window.open_database()

    window.tasks.run_with_progress(
        window,
        "设置密码",
        work,
        cancellable=cancellable,
        on_finished=done,
        on_failed=failed,
        on_cancelled=cancelled,
    )


def _offer_removing_copies(window: MainWindow, copies: list[Path]) -> None:
    from app.protection.protect import remove_plaintext_copies

    if not copies:
        return
    box = QMessageBox(window)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("未加密的备份")
    box.setText(
        f"备份文件夹中还有 {len(copies)} 份未加密的备份（含升级前备份），其中有信访人的个人信息。是否删除？"
    )
    box.setInformativeText("保留的备份不受密码保护，任何人拿到都能读取；加密后的数据文件以后的备份都会加密。")
    delete = box.addButton("删除", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("保留", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(delete)
    window.copies_box = box  # type: ignore[attr-defined]
    box.exec()
    if box.clickedButton() is delete:
        removed = remove_plaintext_copies(copies)
        window.statusBar().showMessage(f"已删除 {removed} 份未加密的备份", 8000)


def _after_protect(window: MainWindow, path: Path, result: ProtectResult, unit_name: str, what: str) -> None:
    from app.protection.choice import set_password_declined
    from ui.dialogs.password_dialogs import RecoveryCodeDialog

    try:
        set_password_declined(path, False)
    except OSError:
        _log.warning("could not update settings.json", exc_info=True)
    dialog = RecoveryCodeDialog(result.recovery_code, window, unit_name=unit_name, db_path=path)
    window.recovery_dialog = dialog  # type: ignore[attr-defined]
    dialog.exec()
    window.open_database()
    record(window, "PASSWORD", what)
    window.statusBar().showMessage("已设置密码，数据文件已加密", 8000)


def first_unit_created(window: MainWindow, dialog: FirstRunDialog, unit_id: int) -> None:
    """The 欢迎 dialog's new unit has been created: encrypt the file with the password chosen
    there, or remember that the user declined; then show the unit."""
    from app.protection.choice import set_password_declined

    assert window.db is not None
    path = window.db.location.path
    password = dialog.password()
    if path is None or password is None:
        if path is not None and dialog.password_declined():
            try:
                set_password_declined(path, True)
            except OSError:
                _log.warning("could not update settings.json", exc_info=True)
            refresh_security_actions(window)
        window._enter(unit_id)
        return
    unit_name = dialog.unit_name()

    def done(result: ProtectResult) -> None:
        from app.protection.protect import remove_plaintext_copies

        # The copies taken a moment ago hold nothing but the new unit's name and year.
        remove_plaintext_copies(result.plaintext_copies)
        _after_protect(window, path, result, unit_name, "设置密码（新建单位）")

    _protect(window, path, password, done, cancellable=False)
