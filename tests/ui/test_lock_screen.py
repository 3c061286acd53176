"""文件 › 锁定 (Ctrl+L) and the automatic lock after idle time (issue 13, point 5): every page is
hidden behind the password, unsaved input survives, a wrong password is refused with a delay."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models.oplog import OperationLog
from app.protection import envelope, keys
from app.protection.protect import protect
from tests.conftest import encrypts_itself
from tests.ui.helpers import close_window, open_window, unit_page
from ui import lock_screen
from ui.main_window import MainWindow

pytestmark = encrypts_itself
PASSWORD = "suoding-2024"


@pytest.fixture(autouse=True)
def fast_scrypt(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(envelope, "SCRYPT_N", 2**10)
    yield
    keys.forget()


@pytest.fixture
def window(qtbot: QtBot, example_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    protect(example_path, PASSWORD)
    keys.forget()
    monkeypatch.setenv("ZJTB_PASSWORD", PASSWORD)
    opened = open_window(qtbot, example_path)
    assert opened.protection_badge.isHidden()
    yield opened
    if opened.lock_screen.locked:
        opened.lock_screen.unlock()
    close_window(opened)


def _type_unsaved_quota(qtbot: QtBot, window: MainWindow):
    page = unit_page(window)
    quota = page.fields["staff_quota"].editor
    quota.selectAll()
    qtbot.keyClicks(quota, "62")
    assert page.is_dirty()
    return page, quota


def _log(window: MainWindow) -> list[tuple[str, str]]:
    assert window.db is not None
    with window.db.session() as session:
        rows = session.scalars(select(OperationLog).order_by(OperationLog.id)).all()
        return [(r.action, r.detail) for r in rows]


def test_ctrl_l_hides_every_page_and_unlocking_keeps_the_unsaved_input(
    qtbot: QtBot, window: MainWindow
) -> None:
    page, quota = _type_unsaved_quota(qtbot, window)
    lock = window.lock_screen
    assert lock.lock_action.isEnabled()

    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)

    assert lock.locked
    assert lock.stack is not None and lock.stack.currentWidget() is lock.page
    assert not window.menuBar().isVisible()
    assert not page.isVisible() and not window.nav.isVisible()
    # a wrong password: refused, still locked, and the button waits before the third try
    lock.page.password_edit.setText("wrong-one")
    assert lock.try_unlock() is False
    lock.page.password_edit.setText("wrong-two")
    assert lock.try_unlock() is False
    assert lock.locked and "密码不正确" in lock.page.message_label.text()
    assert lock.page.gate.waiting and not lock.page.unlock_button.isEnabled()
    qtbot.waitUntil(lambda: not lock.page.gate.waiting, timeout=5000)

    lock.page.password_edit.setText(PASSWORD)
    assert lock.try_unlock() is True

    assert not lock.locked and window.menuBar().isVisible()
    assert window.current_page() is page and page.isVisible()
    assert page.is_dirty() and quota.text() == "62"  # the input is still there, unsaved
    actions = [a for a, _d in _log(window)]
    assert actions[-4:] == ["锁定", "解锁失败", "解锁失败", "解锁"]
    page.discard()


def test_the_window_locks_itself_after_the_idle_time(qtbot: QtBot, window: MainWindow) -> None:
    page, quota = _type_unsaved_quota(qtbot, window)
    lock = window.lock_screen
    assert lock_screen.lock_minutes() == 15  # the default, in settings.json's absence
    lock.set_idle_interval_ms(300)
    qtbot.waitUntil(lambda: lock.locked, timeout=5000)
    assert ("锁定", "自动锁定") in _log(window)
    lock.page.password_edit.setText(PASSWORD)
    qtbot.keyClick(lock.page.password_edit, Qt.Key.Key_Return)
    assert not lock.locked
    assert page.is_dirty() and quota.text() == "62"
    page.discard()


def test_input_postpones_the_automatic_lock(qtbot: QtBot, window: MainWindow) -> None:
    lock = window.lock_screen
    lock.set_idle_interval_ms(600)
    quota = unit_page(window).fields["staff_quota"].editor
    for _ in range(6):  # 6 × 200 ms of typing: never 600 ms idle
        qtbot.keyClick(quota, Qt.Key.Key_1)
        qtbot.wait(200)
    assert not lock.locked
    qtbot.waitUntil(lambda: lock.locked, timeout=5000)
    lock.unlock()
    unit_page(window).discard()


def test_the_lock_minutes_are_kept_in_the_settings(window: MainWindow) -> None:
    lock_screen.set_lock_minutes(5)
    assert lock_screen.lock_minutes() == 5
    window.lock_screen.refresh()
    assert window.lock_screen.interval_ms() == 5 * 60_000
    lock_screen.set_lock_minutes(0)
    window.lock_screen.refresh()
    assert not window.lock_screen.idle_timer.isActive()


def test_a_plaintext_file_cannot_be_locked(qtbot: QtBot, example_path: Path) -> None:
    window = open_window(qtbot, example_path)
    assert not window.lock_screen.lock_action.isEnabled()
    assert not window.protection_badge.isHidden()  # 未设密码: a click away from 设置密码…
    assert window.lock_screen.lock() is False
    assert QApplication.activeModalWidget() is None
    close_window(window)
