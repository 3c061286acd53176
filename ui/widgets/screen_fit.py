"""Window sizes that fit the screen: a default size is shrunk to the screen's free area (a 1280×720
logical screen, a taskbar), the title bar and borders allowed for."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

FRAME_ALLOWANCE = QSize(16, 40)  # title bar and borders around a window's contents


def free_area(widget: QWidget) -> QSize | None:
    """The size a window's contents may take on `widget`'s screen (None: no screen)."""
    parent = widget.parentWidget()
    screen = (parent.window().screen() if parent is not None else None) or widget.screen()
    screen = screen or QGuiApplication.primaryScreen()
    if screen is None:
        return None
    area = screen.availableGeometry()
    return QSize(area.width() - FRAME_ALLOWANCE.width(), area.height() - FRAME_ALLOWANCE.height())


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """resize(width, height), no larger than the screen's free area."""
    area = free_area(widget)
    if area is not None:
        width, height = min(width, area.width()), min(height, area.height())
    widget.resize(width, height)
