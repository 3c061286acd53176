"""The left-hand navigation: one row a page, with a red badge for what needs attention."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyledItemDelegate, QStyleOptionViewItem, QWidget

BADGE_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2


class _BadgeDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 36, max(size.height(), 40))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        super().paint(painter, option, index)
        count = index.data(BADGE_ROLE)
        if not count:
            return
        text = str(count) if count < 1000 else "999+"
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(option.font)
        font.setPointSizeF(max(font.pointSizeF() - 1, 7))
        font.setBold(True)
        painter.setFont(font)
        width = max(painter.fontMetrics().horizontalAdvance(text) + 12, 20)
        rect = QRect(option.rect.right() - width - 10, option.rect.center().y() - 10, width, 20)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#d32f2f"))
        painter.drawRoundedRect(rect, 10, 10)
        painter.setPen(QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()


class Navigation(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigation")
        self.setItemDelegate(_BadgeDelegate(self))
        self.setIconSize(QSize(20, 20))
        self.setUniformItemSizes(True)
        self.setFixedWidth(176)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def add_page(self, key: str, title: str, icon: QIcon) -> None:
        item = QListWidgetItem(icon, title)
        item.setData(KEY_ROLE, key)
        self.addItem(item)

    def key_at(self, row: int) -> str:
        item = self.item(row)
        return item.data(KEY_ROLE) if item else ""

    def row_of(self, key: str) -> int:
        return next((row for row in range(self.count()) if self.key_at(row) == key), -1)

    def set_badge(self, key: str, count: int) -> None:
        row = self.row_of(key)
        if row >= 0:
            item = self.item(row)
            item.setData(BADGE_ROLE, count)
            title = item.text()
            item.setToolTip(f"{title}：{count} 项需要处理" if count else title)

    def badge(self, key: str) -> int:
        row = self.row_of(key)
        return int(self.item(row).data(BADGE_ROLE) or 0) if row >= 0 else 0
