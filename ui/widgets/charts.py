"""Small charts painted with QPainter: grouped vertical bars, and horizontal bars with a reference
line. They draw in the widget's font (the application's), so Chinese renders as elsewhere; hovering
a bar shows its figure, clicking one emits `bar_clicked(series, index)`.

Values are plain numbers here; the caller formats them (`value_text`) — a percentage chart gets
fractions and a formatter writing "96.72%".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

PALETTE = ("#1565c0", "#43a047", "#90caf9", "#a5d6a7", "#fb8c00", "#8e24aa")
INK = QColor("#263238")
MUTED = QColor("#607d8b")
GRID = QColor("#e3e8ee")
HOVER = QColor("#ffb300")
REFERENCE = QColor("#c62828")
LAGGING = QColor("#ef6c00")

Number = int | float | Decimal


@dataclass(frozen=True)
class ChartSeries:
    name: str
    values: tuple[Number, ...]
    colour: str = ""


def nice_step(top: float, ticks: int = 4) -> float:
    """A round step (1, 2, 5 × 10ⁿ) giving about `ticks` intervals up to `top`."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return float(factor * power)
    return float(10 * power)


def _plain(value: Number) -> str:
    number = float(value)
    return f"{number:,.0f}" if number == int(number) else f"{number:,.2f}"


class _Chart(QWidget):
    bar_clicked = Signal(int, int)  # series, category index

    def __init__(
        self,
        categories: Sequence[str],
        series: Sequence[ChartSeries],
        *,
        unit: str = "",
        value_text: Callable[[Number], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.categories = tuple(categories)
        self.series = tuple(
            s if s.colour else ChartSeries(s.name, s.values, PALETTE[i % len(PALETTE)])
            for i, s in enumerate(series)
        )
        self.unit = unit
        self.value_text = value_text or (lambda v: f"{_plain(v)} {unit}".strip())
        self._bars: list[tuple[QRectF, int, int]] = []
        self._hover: tuple[int, int] | None = None
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    # -- interaction -------------------------------------------------------------------------

    def bar_at(self, point: QPointF) -> tuple[int, int] | None:
        for rect, series, index in self._bars:
            if rect.adjusted(-1, -3, 1, 3).contains(point):
                return series, index
        return None

    def bar_rect(self, series: int, index: int) -> QRectF | None:
        """Where a bar was last painted (tests click it)."""
        return next((r for r, s, i in self._bars if (s, i) == (series, index)), None)

    def tooltip_text(self, series: int, index: int) -> str:
        s = self.series[series]
        name = f"{s.name} · " if len(self.series) > 1 else ""
        return f"{self.categories[index]}　{name}{self.value_text(s.values[index])}"

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hit = self.bar_at(event.position())
        if hit != self._hover:
            self._hover = hit
            self.update()
        if hit is None:
            QToolTip.hideText()
            self.unsetCursor()
        else:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            QToolTip.showText(event.globalPosition().toPoint(), self.tooltip_text(*hit), self)
        super().mouseMoveEvent(event)

    def leaveEvent(self, event) -> None:
        self._hover = None
        self.update()
        super().leaveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        hit = self.bar_at(event.position())
        if hit is not None and event.button() == Qt.MouseButton.LeftButton:
            self.bar_clicked.emit(*hit)
        super().mouseReleaseEvent(event)

    # -- painting helpers ----------------------------------------------------------------------

    def _legend(self, painter: QPainter, top: float, unit: str = "") -> float:
        """The series names across the top, the unit at its right end; returns the height used."""
        if len(self.series) < 2 and not unit:
            return 0.0
        metrics = QFontMetrics(self.font())
        x = 8.0
        for s in self.series if len(self.series) > 1 else ():
            painter.fillRect(QRectF(x, top + 4, 12, 10), QColor(s.colour))
            painter.setPen(INK)
            painter.drawText(QPointF(x + 16, top + 4 + metrics.ascent() - 2), s.name)
            x += 16 + metrics.horizontalAdvance(s.name) + 18
        if unit:
            painter.setPen(MUTED)
            painter.drawText(
                QRectF(0, top, self.width() - 8, metrics.height() + 4),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"单位：{unit}",
            )
        return metrics.height() + 6.0

    def _fill(self, series: int, index: int) -> QColor:
        colour = QColor(self.series[series].colour)
        return HOVER if self._hover == (series, index) else colour

    def _empty(self, painter: QPainter) -> bool:
        if any(float(v) for s in self.series for v in s.values):
            return False
        painter.setPen(MUTED)
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "暂无数据")
        return True


class BarChart(_Chart):
    """Vertical bars, one group per category, one bar per series; a value axis on the left."""

    def sizeHint(self) -> QSize:
        return QSize(520, 240)

    def minimumSizeHint(self) -> QSize:
        return QSize(260, 180)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self.font())
        self._bars = []
        if self._empty(painter):
            return
        metrics = QFontMetrics(self.font())
        legend = self._legend(painter, 0, self.unit)
        top_value = max(float(v) for s in self.series for v in s.values)
        step = nice_step(top_value)
        top = step * math.ceil(top_value / step) if top_value > 0 else 1.0
        labels = [_plain(step * i) for i in range(round(top / step) + 1)]
        left = 10 + max(metrics.horizontalAdvance(t) for t in labels)
        plot = QRectF(left, legend + metrics.height() * 0.6, self.width() - left - 8, 0)
        plot.setBottom(self.height() - metrics.height() - 8)
        if plot.height() < 20 or plot.width() < 20:
            return
        # grid and value axis
        for i, text in enumerate(labels):
            y = plot.bottom() - plot.height() * (step * i) / top
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(MUTED)
            painter.drawText(
                QRectF(0, y - metrics.height() / 2, left - 6, metrics.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
        # bars
        groups = max(len(self.categories), 1)
        slot = plot.width() / groups
        gap = max(slot * 0.18, 2.0)
        width = (slot - gap) / max(len(self.series), 1)
        for index, category in enumerate(self.categories):
            x0 = plot.left() + slot * index + gap / 2
            for series, s in enumerate(self.series):
                value = float(s.values[index])
                height = plot.height() * value / top
                rect = QRectF(x0 + width * series, plot.bottom() - height, max(width - 1, 1), height)
                painter.fillRect(rect, self._fill(series, index))
                self._bars.append((rect if height >= 3 else rect.adjusted(0, -3, 0, 0), series, index))
            painter.setPen(INK)
            text = metrics.elidedText(category, Qt.TextElideMode.ElideRight, int(slot))
            painter.drawText(
                QRectF(plot.left() + slot * index, plot.bottom() + 4, slot, metrics.height()),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                text,
            )
        painter.setPen(QPen(MUTED, 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())


class HBarChart(_Chart):
    """Horizontal bars, one per category (the first series), the value written at the bar's end;
    an optional reference line (the time elapsed) with its label; bars short of it in orange."""

    ROW = 26

    def __init__(
        self,
        *args,
        reference: Number | None = None,
        reference_label: str = "",
        maximum: Number | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.reference = reference
        self.reference_label = reference_label
        self.maximum = maximum

    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(self.font())
        return QSize(520, metrics.height() * 2 + 12 + self.ROW * max(len(self.categories), 1))

    def minimumSizeHint(self) -> QSize:
        return QSize(260, min(self.sizeHint().height(), 160))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self.font())
        self._bars = []
        if not self.categories or (self._empty(painter) and self.reference is None):
            return
        metrics = QFontMetrics(self.font())
        values = [float(v) for v in self.series[0].values]
        top = float(self.maximum) if self.maximum is not None else max([*values, 0.0]) or 1.0
        label_width = min(max(metrics.horizontalAdvance(c) for c in self.categories) + 12, self.width() * 0.4)
        value_width = max(metrics.horizontalAdvance(self.value_text(v)) for v in self.series[0].values) + 10
        header = metrics.height() + 6 if self.reference is not None else 4
        plot = QRectF(label_width, header, self.width() - label_width - value_width - 8, 0)
        row = min(float(self.ROW), (self.height() - header - 4) / max(len(self.categories), 1))
        plot.setHeight(row * len(self.categories))
        if plot.width() < 20:
            return
        for index, category in enumerate(self.categories):
            y = plot.top() + row * index
            painter.setPen(INK)
            text = metrics.elidedText(category, Qt.TextElideMode.ElideRight, int(label_width - 10))
            painter.drawText(
                QRectF(0, y, label_width - 8, row),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            painter.fillRect(QRectF(plot.left(), y + row * 0.2, plot.width(), row * 0.6), QColor("#eef2f6"))
            length = plot.width() * min(values[index], top) / top
            rect = QRectF(plot.left(), y + row * 0.2, max(length, 2), row * 0.6)
            lagging = self.reference is not None and values[index] < float(self.reference)
            colour = (
                HOVER
                if self._hover == (0, index)
                else (LAGGING if lagging else QColor(self.series[0].colour))
            )
            painter.fillRect(rect, colour)
            self._bars.append((QRectF(plot.left(), y + row * 0.2, plot.width(), row * 0.6), 0, index))
            painter.setPen(INK)
            painter.drawText(
                QRectF(plot.right() + 6, y, value_width, row),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                self.value_text(self.series[0].values[index]),
            )
        if self.reference is not None:
            x = plot.left() + plot.width() * min(float(self.reference), top) / top
            painter.setPen(QPen(REFERENCE, 1.5, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(x, plot.top() - 2), QPointF(x, plot.bottom() + 2))
            painter.setPen(REFERENCE)
            text_width = metrics.horizontalAdvance(self.reference_label)
            tx = min(max(x - text_width / 2, 0), self.width() - text_width - 2)
            painter.drawText(QPointF(tx, metrics.ascent() + 1), self.reference_label)
