"""The crash dialog: an unexpected error, its traceback saved to the log folder."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

log = logging.getLogger(__name__)


def save_traceback(details: str) -> Path | None:
    from app.paths import logs_dir

    try:
        path = logs_dir() / f"crash-{datetime.now():%Y%m%d-%H%M%S}.txt"
        path.write_text(details, encoding="utf-8")
        return path
    except OSError:
        return None


def show_error(parent: QWidget | None, message: str, details: str = "") -> None:
    """A user-fixable error (no details) or a bug (details = traceback, saved and shown folded)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if not details else QMessageBox.Icon.Critical)
    box.setWindowTitle("出错了" if details else "提示")
    if details:
        log.error("%s\n%s", message, details)
        saved = save_traceback(details)
        where = f"<br>错误详情已保存到：{saved}" if saved else ""
        box.setText(f"{message}<br><br>程序遇到了意外错误，已保存的数据不受影响。{where}")
        box.setDetailedText(details)
    else:
        box.setText(message)
    box.exec()
