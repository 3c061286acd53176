"""At every start: the password of an encrypted data file, before anything opens it.

Only app.protection's scrypt check runs here (no SQLCipher, no SQLAlchemy engine): the prompt
paints as early as the window does.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QWidget


def unlock_at_start(parent: QWidget, path: Path | None) -> bool:
    """True when `path` can be opened: not encrypted, already unlocked, unlocked by ZJTB_PASSWORD
    or by the password the user typed. False: the user chose 退出."""
    if path is None:
        return True
    from app.protection.files import needs_password

    if not needs_password(path):
        return True
    from app.errors import UserError
    from app.protection.unlock import password_from_environment, unlock

    given = password_from_environment()
    if given is not None:
        try:
            unlock(path, given)
            return True
        except UserError:
            pass  # a wrong ZJTB_PASSWORD: ask, as if it were not set
    from ui.dialogs.password_dialogs import UnlockDialog

    dialog = UnlockDialog(path, parent)
    parent.unlock_dialog = dialog  # type: ignore[attr-defined]  # for tests and the tour
    return dialog.exec() == QDialog.DialogCode.Accepted
