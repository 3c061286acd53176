"""Opening the main window in tests."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from ui.application import create_application, ui_settings
from ui.main_window import MainWindow
from ui.pages.unit_page import UnitPage


def open_window(qtbot: QtBot, db_path: Path, *, wait_for_unit: bool = True) -> MainWindow:
    create_application()
    window = MainWindow(str(db_path), ui_settings())
    qtbot.addWidget(window)
    window.show()
    window.start()
    if wait_for_unit:
        qtbot.waitUntil(lambda: window.ctx is not None and window.current_page() is not None, timeout=10000)
    return window


def unit_page(window: MainWindow) -> UnitPage:
    """The 单位信息 page, shown (the app opens on the 工作台)."""
    window.page("unit")
    page = window.show_page("unit")
    assert isinstance(page, UnitPage)
    return page


def close_window(window: MainWindow) -> None:
    """Close without the unsaved-changes question (a modal box would block the test)."""
    for page in window.pages.values():
        if page.is_dirty():
            page.discard()
    assert window.close()
