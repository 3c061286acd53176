"""文件 › 锁定 (Ctrl+L) and the automatic lock after some idle minutes, for an encrypted data file.

Locking puts a password page in front of the window's central widget (both in one
QStackedWidget) and hides the menus, tool bars and docks. Nothing is closed or reloaded: the pages
keep their unsaved input, and unlocking shows the same page again. The password is checked
against the key file (verify_password); the data key stays in memory while locked.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFrame,
    QLabel,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from ui.main_window import MainWindow

LOCK_MINUTES_KEY = "lock_minutes"
DEFAULT_LOCK_MINUTES = 15
MAX_LOCK_MINUTES = 24 * 60
NOT_ENCRYPTED = "未设置密码的数据文件不能锁定"
MODAL_RETRY_MS = 1000
# Input that counts as the user being there (not paints, timers or the mouse merely resting).
INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
    }
)


def lock_minutes() -> int:
    """settings.json `extra["lock_minutes"]`: idle minutes before the automatic lock, 0 = never."""
    from app.settings import load_settings

    value = load_settings().extra.get(LOCK_MINUTES_KEY, DEFAULT_LOCK_MINUTES)
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        return DEFAULT_LOCK_MINUTES
    return max(0, min(minutes, MAX_LOCK_MINUTES))


def set_lock_minutes(minutes: int) -> None:
    from app.settings import load_settings, save_settings

    settings = load_settings()
    settings.extra[LOCK_MINUTES_KEY] = int(minutes)
    save_settings(settings)


class LockPage(QWidget):
    """What a locked window shows: the password and 解锁."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from ui.dialogs.password_dialogs import RetryGate, _error_label, _password_edit

        self.setObjectName("lockPage")
        box = QFrame()
        box.setObjectName("lockBox")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setMaximumWidth(420)
        box.setMinimumWidth(420)  # narrower, the wrapped hint lost its last line
        title = QLabel("<span style='font-size:16pt'><b>已锁定</b></span>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.file_label = QLabel("")
        self.file_label.setWordWrap(True)
        self.file_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.file_label.setStyleSheet("color:#666")
        hint = QLabel("请输入数据文件的密码解锁。未保存的修改仍保留在各页面中。")
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.password_edit = _password_edit("密码")
        self.message_label = _error_label()
        self.unlock_button = QPushButton("解锁")
        self.unlock_button.setDefault(True)
        self.gate = RetryGate(self.unlock_button, self.message_label)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(24, 20, 24, 20)
        inner.addWidget(title)
        inner.addWidget(self.file_label)
        inner.addWidget(hint)
        inner.addSpacing(8)
        inner.addWidget(self.password_edit)
        inner.addWidget(self.message_label)
        inner.addWidget(self.unlock_button)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.password_edit.returnPressed.connect(self.unlock_button.click)


class LockScreen(QObject):
    """The lock of one main window: its actions, the idle timer, the lock page."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.locked = False
        self.page: LockPage | None = None
        self.stack: QStackedWidget | None = None
        self._content: QWidget | None = None
        self._hidden: list[QWidget] = []
        self._focus: QWidget | None = None
        self._watching = False
        self.lock_action = QAction("锁定", window)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.lock_action.triggered.connect(self.lock)
        self.auto_lock_action = QAction("自动锁定…", window)
        self.auto_lock_action.triggered.connect(self.choose_minutes)
        # on the window itself: the shortcut works with the menu bar hidden too
        window.addAction(self.lock_action)
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self._idle)
        self.idle_ms: int | None = None  # tests: a short interval instead of the minutes
        self.refresh()

    # -- when it applies ---------------------------------------------------------------------

    def available(self) -> bool:
        from app.protection.files import is_encrypted

        db = self.window.db
        return db is not None and db.location.path is not None and is_encrypted(db.location.path)

    def refresh(self) -> None:
        """After each open: enabled for an encrypted file only, and the idle watch on or off."""
        available = self.available()
        self.lock_action.setEnabled(available)
        self.auto_lock_action.setEnabled(available)
        tip = "锁定窗口，输入密码后继续（Ctrl+L）" if available else NOT_ENCRYPTED
        self.lock_action.setToolTip(tip)
        self.auto_lock_action.setToolTip("无操作多少分钟后自动锁定" if available else NOT_ENCRYPTED)
        self._watch(available and self.interval_ms() > 0)

    def interval_ms(self) -> int:
        return self.idle_ms if self.idle_ms is not None else lock_minutes() * 60_000

    def set_idle_interval_ms(self, ms: int) -> None:
        self.idle_ms = ms
        self.refresh()

    def _watch(self, on: bool) -> None:
        app = QApplication.instance()
        if on and not self._watching and app is not None:
            app.installEventFilter(self)
            self._watching = True
        elif not on and self._watching and app is not None:
            app.removeEventFilter(self)
            self._watching = False
        if on and not self.locked:
            self.idle_timer.start(self.interval_ms())
        elif not on:
            self.idle_timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.locked and event.type() in INPUT_EVENTS:
            self.idle_timer.start()
        return False

    def _idle(self) -> None:
        if self.locked or not self.available():
            return
        # An open dialog (a form being filled in, a progress dialog): the lock waits until it has
        # closed — closing it from here would lose its input or break the task behind it.
        if QApplication.activeModalWidget() is not None or QApplication.activePopupWidget() is not None:
            self.idle_timer.start(MODAL_RETRY_MS)
            return
        self.lock(automatic=True)

    def choose_minutes(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        minutes, ok = QInputDialog.getInt(
            self.window,
            "自动锁定",
            "无操作多少分钟后自动锁定（0 表示不自动锁定）：",
            lock_minutes(),
            0,
            MAX_LOCK_MINUTES,
            1,
        )
        if not ok:
            return
        try:
            set_lock_minutes(minutes)
        except OSError as exc:
            from app.errors import describe_os_error
            from app.settings import settings_path

            self.window.statusBar().showMessage(describe_os_error(exc, settings_path()), 10000)
            return
        self.refresh()
        text = f"无操作 {minutes} 分钟后自动锁定" if minutes else "已关闭自动锁定"
        self.window.statusBar().showMessage(text, 8000)

    # -- locking -----------------------------------------------------------------------------

    def _ensure_page(self) -> LockPage:
        if self.page is not None:
            return self.page
        window = self.window
        self._content = window.takeCentralWidget()
        self.stack = QStackedWidget()
        self.stack.setObjectName("lockStack")
        if self._content is not None:
            self.stack.addWidget(self._content)
        self.page = LockPage()
        self.page.unlock_button.clicked.connect(self.try_unlock)
        self.stack.addWidget(self.page)
        window.setCentralWidget(self.stack)
        return self.page

    def lock(self, *, automatic: bool = False) -> bool:
        """Hide the window's content behind the lock page; False when it does not apply."""
        if self.locked or not self.available():
            return False
        if QApplication.activeModalWidget() is not None:
            return False
        window = self.window
        page = self._ensure_page()
        self._focus = QApplication.focusWidget()
        self._hidden = [
            widget
            for widget in (
                window.menuBar(),
                *window.findChildren(QToolBar),
                *window.findChildren(QDockWidget),
            )
            if widget.isVisible()
        ]
        for widget in self._hidden:
            widget.hide()
        path = window.db.location.path if window.db is not None else None
        page.file_label.setText(f"数据文件：{path.name}" if path is not None else "")
        page.password_edit.clear()
        page.message_label.clear()
        assert self.stack is not None
        self.stack.setCurrentWidget(page)
        self.locked = True
        self.idle_timer.stop()
        page.password_edit.setFocus()
        self._record("LOCK", "自动锁定" if automatic else "")
        return True

    def try_unlock(self) -> bool:
        from app.errors import UserError
        from app.protection.unlock import verify_password

        page = self.page
        window = self.window
        if not self.locked or page is None or page.gate.waiting:
            return False
        path = window.db.location.path if window.db is not None else None
        password = page.password_edit.text()
        if not password:
            page.message_label.setText("请输入密码")
            return False
        right = False
        if path is not None:
            try:
                right = verify_password(path, password)
            except (UserError, OSError) as exc:
                page.message_label.setText(str(exc))
                return False
        if not right:
            page.password_edit.selectAll()
            page.gate.failed()
            self._record("UNLOCK_FAILED")
            return False
        page.gate.succeeded()
        self.unlock()
        return True

    def unlock(self) -> None:
        if not self.locked or self.stack is None or self._content is None:
            return
        assert self.page is not None
        self.page.password_edit.clear()
        self.stack.setCurrentWidget(self._content)
        for widget in self._hidden:
            widget.show()
        self._hidden = []
        self.locked = False
        if self._focus is not None:
            with contextlib.suppress(RuntimeError):  # the widget has gone meanwhile
                self._focus.setFocus()
        self._focus = None
        self._record("UNLOCK")
        self.refresh()

    def _record(self, action: str, detail: str = "") -> None:
        from ui.password_flow import record

        record(self.window, action, detail)
