"""工作台: the home page. Today's to-do lines (deadlines, budget execution, empty report sections,
check errors) as cards, and the year's charts. Everything is computed off the GUI thread
(app.services.workbench); the page shows its frame at once and fills it when the figures arrive.
A click on a card or a bar asks the main window to open the page narrowed to those records."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.services import workbench_model as wb
from app.services.calc import format_rate
from ui.context import AppContext
from ui.pages.base import Page
from ui.widgets.charts import BarChart, ChartSeries, HBarChart

if TYPE_CHECKING:
    from ui.tasks import Task

# The checks take seconds on a big unit: they start a moment after the page is filled, so that
# start-up (and a quick quit) never waits for them.
CHECKS_DELAY_MS = 1200
# The first figures wait this long after the page is created at start-up: starting a task maps
# every ORM model on the GUI thread (0.13 s), which would otherwise hold up the first view of the
# unit (the start-up bench's data-idle). A reload (year switch, 刷新, a save) starts at once.
FIRST_LOAD_DELAY_MS = 120
STYLE = """
QWidget#workbenchContent { background: #f5f7fa; }
QFrame#todoCard, QFrame#chartCard { background: #ffffff; border: 1px solid #dde3ea; border-radius: 6px; }
QFrame#todoCard[clickable="true"]:hover { border: 1px solid #1565c0; background: #f7fbff; }
QLabel#cardTitle { font-weight: bold; color: #37474f; }
QLabel#cardCount { font-size: 20pt; font-weight: bold; color: #1565c0; }
QLabel#cardCount[state="urgent"] { color: #c62828; }
QLabel#cardCount[state="none"] { color: #90a4ae; }
QLabel#cardDetail { color: #b26a00; }
QLabel#cardItem, QLabel#cardHint { color: #607d8b; }
QLabel#sectionTitle { font-size: 11pt; font-weight: bold; color: #263238; }
QLabel#emptyState { color: #2e7d32; font-size: 11pt; padding: 6px 2px; }
QLabel#subHeading { color: #607d8b; }
"""
CARD_ORDER = (wb.HAZARDS, wb.PETITIONS, wb.RECTIFICATION, wb.BUDGET, wb.REPORTS, wb.CHECKS)
CARD_TITLES = {
    wb.HAZARDS: "隐患整改",
    wb.PETITIONS: "信访办理期限",
    wb.RECTIFICATION: "巡察整改措施",
    wb.BUDGET: "预算执行进度",
    wb.REPORTS: "报告尚未填写的章节",
    wb.CHECKS: "校验错误",
}
UNITS = {wb.HAZARDS: "条", wb.PETITIONS: "件", wb.RECTIFICATION: "项", wb.BUDGET: "个项目"}
UNITS |= {wb.REPORTS: "节", wb.CHECKS: "项"}


def day_text(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _label(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    return label


def _restyle(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class TodoCard(QFrame):
    """One to-do line: its count, what is due, the first items; a click opens them."""

    clicked = Signal(str)

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.line: wb.TodoLine | None = None
        self.setObjectName("todoCard")
        self.title = _label(CARD_TITLES[kind], "cardTitle")
        self.count = _label("…", "cardCount")
        self.unit = _label(UNITS[kind], "cardHint")
        self.detail = _label("", "cardDetail")
        self.items = _label("", "cardItem")
        self.items.setWordWrap(False)
        self.items.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # room for the first items and the "… 共 N 条" line, so that every card is as tall
        self.items.setMinimumHeight(self.items.fontMetrics().lineSpacing() * (wb.FIRST_ITEMS + 1) + 4)
        self.hint = _label("", "cardHint")
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.hint)
        number = QHBoxLayout()
        number.addWidget(self.count)
        number.addWidget(self.unit, 0, Qt.AlignmentFlag.AlignBottom)
        number.addSpacing(8)
        number.addWidget(self.detail, 1, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addLayout(number)
        layout.addWidget(self.items)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.set_pending()

    def set_pending(self, text: str = "正在统计…") -> None:
        self.line = None
        self.count.setText("…")
        self.count.setProperty("state", "none")
        self.detail.setText("")
        self.items.setText(text)
        self.hint.setText("")
        self._clickable(False)

    def set_line(self, line: wb.TodoLine) -> None:
        self.line = line
        self.count.setText(f"{line.count:,}")
        self.count.setProperty("state", "urgent" if line.urgent else ("" if line.count else "none"))
        self.detail.setText(line.detail)
        if line.count:
            more = "" if line.count <= len(line.items) else f"\n… 共 {line.count:,} {UNITS[self.kind]}"
            self.items.setText("\n".join(f"· {item}" for item in line.items) + more)
        else:
            self.items.setText("本年度暂无待办" if self.kind != wb.CHECKS else "校验未发现错误")
        self.hint.setText("查看 ›" if line.count else "")
        self._clickable(bool(line.count))

    def _clickable(self, on: bool) -> None:
        self.setProperty("clickable", "true" if on else "false")
        self.setCursor(Qt.CursorShape.PointingHandCursor if on else Qt.CursorShape.ArrowCursor)
        self.setToolTip("点击打开这些记录" if on else "")
        _restyle(self)
        _restyle(self.count)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.line is not None and self.line.count:
            self.clicked.emit(self.kind)
        super().mouseReleaseEvent(event)


class ChartCard(QFrame):
    """A chart with its title; the chart itself is put in when the figures arrive."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.setObjectName("chartCard")
        self.title = _label(title, "cardTitle")
        self.hint = _label("点击柱条查看对应记录", "cardHint")
        self.placeholder = _label("正在统计…", "cardHint")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setMinimumHeight(180)
        self.chart: QWidget | None = None
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.hint)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(12, 8, 12, 10)
        self.body.addLayout(top)
        self.body.addWidget(self.placeholder, 1)

    def set_chart(self, title: str, chart: QWidget) -> None:
        self.title.setText(title)
        self._drop_chart()
        self.placeholder.hide()
        self.chart = chart
        self.body.addWidget(chart, 1)

    def set_pending(self) -> None:
        self._drop_chart()
        self.placeholder.show()

    def _drop_chart(self) -> None:
        if self.chart is not None:
            self.body.removeWidget(self.chart)
            self.chart.hide()
            self.chart.deleteLater()
            self.chart = None


class WorkbenchPage(Page):
    # (page key, kind, ids): open that page narrowed to those records (MainWindow.show_records)
    records_requested = Signal(str, str, object)
    checks_requested = Signal()  # open the findings (MainWindow.run_checks)
    filled = Signal()  # the figures are on screen (tests wait for it)
    checks_filled = Signal()

    CHARTS = (
        wb.HAZARD_MONTHS,
        wb.HAZARD_CATEGORIES,
        wb.PETITION_MONTHS,
        wb.PETITION_CHANNELS,
        wb.BUDGET_RATES,
    )

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.result: wb.Workbench | None = None
        self.check_result: wb.CheckLines | None = None
        self._task: Task | None = None  # the latest started; earlier ones' results are dropped
        self._stale = False
        self._checks_timer = QTimer(self)
        self._checks_timer.setSingleShot(True)
        self._checks_timer.setInterval(CHECKS_DELAY_MS)
        self._checks_timer.timeout.connect(self._start_checks)
        self._first_load = True
        self._start_timer = QTimer(self)
        self._start_timer.setSingleShot(True)
        self._start_timer.setInterval(FIRST_LOAD_DELAY_MS)
        self._start_timer.timeout.connect(self._start)
        self.setStyleSheet(STYLE)

        self.heading = _label("工作台", "pageHeading")
        self.sub_heading = _label("", "subHeading")
        self.state = _label("", "subHeading")
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.setToolTip("重新统计待办和图表")
        self.refresh_button.clicked.connect(self.load)
        header = QHBoxLayout()
        header.addWidget(self.heading)
        header.addSpacing(12)
        header.addWidget(self.sub_heading, 0, Qt.AlignmentFlag.AlignBottom)
        header.addStretch(1)
        header.addWidget(self.state)
        header.addWidget(self.refresh_button)

        self.cards = {kind: TodoCard(kind) for kind in CARD_ORDER}
        todo_grid = QGridLayout()
        todo_grid.setSpacing(10)
        for i, kind in enumerate(CARD_ORDER):
            todo_grid.addWidget(self.cards[kind], i // 3, i % 3)
            self.cards[kind].clicked.connect(self._card_clicked)
        for column in range(3):
            todo_grid.setColumnStretch(column, 1)
        self.empty_state = _label("✓ 本年度暂无待办", "emptyState")
        self.empty_state.hide()

        self.chart_cards = {key: ChartCard("") for key in self.CHARTS}
        self.charts: dict[str, Any] = {}
        chart_grid = QGridLayout()
        chart_grid.setSpacing(10)
        chart_grid.addWidget(self.chart_cards[wb.HAZARD_MONTHS], 0, 0)
        chart_grid.addWidget(self.chart_cards[wb.HAZARD_CATEGORIES], 0, 1)
        chart_grid.addWidget(self.chart_cards[wb.PETITION_MONTHS], 1, 0)
        chart_grid.addWidget(self.chart_cards[wb.PETITION_CHANNELS], 1, 1)
        chart_grid.addWidget(self.chart_cards[wb.BUDGET_RATES], 2, 0, 1, 2)
        chart_grid.setColumnStretch(0, 3)
        chart_grid.setColumnStretch(1, 2)

        content = QWidget()
        content.setObjectName("workbenchContent")
        body = QVBoxLayout(content)
        body.setContentsMargins(16, 12, 16, 16)
        body.setSpacing(8)
        body.addLayout(header)
        body.addWidget(_label("今日待办", "sectionTitle"))
        body.addWidget(self.empty_state)
        body.addLayout(todo_grid)
        body.addSpacing(6)
        body.addWidget(_label("年度概览", "sectionTitle"))
        body.addLayout(chart_grid)
        body.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)
        ctx.data_changed.connect(self._on_data_changed)

    # -- loading -------------------------------------------------------------------------------

    def load(self) -> None:
        """Show the frame now; the figures come from a background task."""
        self._stale = False
        self._checks_timer.stop()
        self._start_timer.stop()
        year, today = self.ctx.year, clock.today()
        self.result = self.check_result = None
        self.heading.setText(f"工作台 · {year}年度")
        self.sub_heading.setText(f"截至{day_text(today)}")
        self.state.setText("正在统计…")
        self.empty_state.hide()
        for card in self.cards.values():
            card.set_pending()
        for card in self.chart_cards.values():
            card.set_pending()
        self.charts = {}
        self._task = None
        if self._first_load:
            self._first_load = False
            self._start_timer.start()
        else:
            self._start()

    def _start(self) -> None:
        db, unit_id, year, today = self.ctx.db, self.ctx.unit_id, self.ctx.year, clock.today()

        def work(_progress, _cancel) -> wb.Workbench:
            # the statistics modules load here, off the GUI thread, the first time
            from app.services.workbench import workbench

            with db.session() as session:
                return workbench(session, unit_id, year, today)

        # Bound slots, not lambdas: they are let go of with the page; `sender()` tells a
        # superseded task (an earlier year) from the current one.
        self._task = self.ctx.tasks.start(work)
        self._task.finished.connect(self._show)
        self._task.failed.connect(self._failed)

    def _current(self) -> bool:
        return self.sender() is self._task

    def _failed(self, message: str, _details: str = "") -> None:
        if self._current():
            self.state.setText(f"统计失败：{message}")

    def _show(self, result: wb.Workbench) -> None:
        if not self._current():
            return
        self.result = result
        self.sub_heading.setText(f"截至{day_text(result.today)} · 时间进度 {format_rate(result.elapsed)}")
        for line in result.todos:
            self.cards[line.kind].set_line(line)
        for kind in (wb.REPORTS, wb.CHECKS):
            self.cards[kind].set_pending("正在校验…")
        for chart in result.charts:
            self._show_chart(chart)
        self.state.setText("正在校验…")
        self._checks_timer.start()
        self.filled.emit()

    def is_busy(self) -> bool:
        running = self._task is not None and not self._task.done.is_set()
        return running or self._start_timer.isActive() or self._checks_timer.isActive()

    def _start_checks(self) -> None:
        db, unit_id, year = self.ctx.db, self.ctx.unit_id, self.ctx.year

        def work(_progress, _cancel) -> wb.CheckLines:
            return wb.year_check_lines(db, unit_id, year)

        self._task = self.ctx.tasks.start(work)
        self._task.finished.connect(self._show_checks)
        self._task.failed.connect(self._failed)

    def _show_checks(self, result: wb.CheckLines) -> None:
        if not self._current():
            return
        self.check_result = result
        for line in result.todos:
            self.cards[line.kind].set_line(line)
        self.state.setText("")
        lines = [*(self.result.todos if self.result else ()), *result.todos]
        self.empty_state.setVisible(not any(line.count for line in lines))
        self.checks_filled.emit()

    def _on_data_changed(self, _module: str) -> None:
        if self.isVisible():
            self.load()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.load()

    # -- charts --------------------------------------------------------------------------------

    def _show_chart(self, chart: wb.Chart) -> None:
        series = [ChartSeries(s.name, s.values) for s in chart.series]
        if chart.unit == "%":
            widget: Any = HBarChart(
                chart.categories,
                series,
                unit="%",
                value_text=lambda v: format_rate(Decimal(v)),
                reference=chart.reference,
                reference_label=chart.reference_label,
                maximum=max([Decimal(1), *(Decimal(v) for v in chart.series[0].values)]),
            )
        elif chart.key in (wb.HAZARD_CATEGORIES, wb.PETITION_CHANNELS):
            widget = HBarChart(chart.categories, series, unit=chart.unit)
        else:
            widget = BarChart(chart.categories, series, unit=chart.unit)
        widget.setMinimumHeight(widget.minimumSizeHint().height())
        if chart.key != wb.BUDGET_RATES:
            widget.setMinimumHeight(220)
        widget.bar_clicked.connect(lambda s, i, key=chart.key: self.open_bar(key, s, i))
        self.charts[chart.key] = widget
        self.chart_cards[chart.key].set_chart(chart.title, widget)
        if not chart.categories or chart.is_empty:
            self.chart_cards[chart.key].hint.setText("")

    def open_bar(self, chart_key: str, series: int, index: int) -> None:
        """Open the records behind one bar (its month, category, channel or project)."""
        if self.result is None:
            return
        from app.services.workbench import chart_records

        chart = self.result.chart(chart_key)
        with self.ctx.db.session() as session:
            kind, ids = chart_records(
                session, self.ctx.unit_id, self.ctx.year, chart_key, series, chart.keys[index]
            )
        if ids:
            self.records_requested.emit(wb.PAGE_OF[kind], kind, ids)
        else:
            self.ctx.status_message.emit("这一项没有记录")

    # -- to-do cards ---------------------------------------------------------------------------

    def _card_clicked(self, kind: str) -> None:
        line = self.cards[kind].line
        if line is None or not line.count:
            return
        if kind == wb.CHECKS:
            self.checks_requested.emit()
        elif kind == wb.REPORTS:
            self.records_requested.emit(line.page, kind, list(line.targets))
        else:
            self.records_requested.emit(line.page, kind, list(line.ids))
