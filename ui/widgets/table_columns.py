"""Column widths of the record lists: each column as wide as its content (measured once, on the
first rows fetched; the user may resize them after), the long text column taking the width the
others leave, but never less than its own width hint (the table then scrolls, not the page)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QHeaderView, QTableView

from ui.models.query_table_model import QueryColumn

MAX_CONTENT_WIDTH = 320  # a column of long texts is not widened past this by its content
MIN_STRETCH_WIDTH = 160  # the long text column, when its QueryColumn gives no width
# Rows measured per column: Qt's default (1000) reads every fetched row of every column, tens of
# thousands of data() calls on a page of lists; the first rows are a fair sample of the widths.
SAMPLED_ROWS = 50


class ColumnFitter(QObject):
    """Sizes `view`'s columns to their content the first time its model has rows, and keeps the
    long text column (QueryColumn.stretch) filling the rest of the view's width."""

    def __init__(self, view: QTableView, columns: Sequence[QueryColumn]) -> None:
        super().__init__(view)
        self.view = view
        self.stretch = next((i for i, column in enumerate(columns) if column.stretch), None)
        self.stretch_min = (
            (columns[self.stretch].width or MIN_STRETCH_WIDTH) if self.stretch is not None else 0
        )
        self.count = len(columns)
        self.fitted = False
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # What sizeHintForColumn reads when the user double-clicks a column's edge.
        header.setResizeContentsPrecision(SAMPLED_ROWS)
        header.setStretchLastSection(self.stretch is None)
        for index, column in enumerate(columns):
            if column.width:
                view.setColumnWidth(index, column.width)
        model = view.model()
        model.modelReset.connect(self.fit)
        model.rowsInserted.connect(self.fit)
        if self.stretch is not None:
            view.viewport().installEventFilter(self)
            header.sectionResized.connect(self._section_resized)

    def fit(self, *_args: object) -> None:
        if self.fitted or self.view.model().rowCount() == 0:
            return
        self.fitted = True
        header = self.view.horizontalHeader()
        self.view.ensurePolished()  # the font of the style sheet
        for index in range(self.count):
            if index == self.stretch:
                continue
            content = max(self._content_width(index), header.sectionSizeHint(index))
            self.view.setColumnWidth(index, min(content, MAX_CONTENT_WIDTH))
        self.fill()

    def _content_width(self, column: int) -> int:
        """What sizeHintForColumn gives over the first SAMPLED_ROWS rows, asking the delegate only
        for the row of the widest text: the delegate's margins are the same on every row, and
        sizing each cell through it costs a dozen data() calls."""
        model = self.view.model()
        metrics = self.view.fontMetrics()
        widest, widest_row = -1, 0
        for row in range(min(model.rowCount(), SAMPLED_ROWS)):
            text = str(model.data(model.index(row, column)) or "")
            lines = text.split("\n") if "\n" in text else (text,)
            width = max(metrics.horizontalAdvance(line) for line in lines)
            if width > widest:
                widest, widest_row = width, row
        hint = self.view.sizeHintForIndex(model.index(widest_row, column)).width()
        return hint + 1 if self.view.showGrid() else hint

    def fill(self) -> None:
        """The long text column: the width left in the viewport, at least its minimum."""
        if self.stretch is None:
            return
        header = self.view.horizontalHeader()
        others = sum(header.sectionSize(i) for i in range(self.count) if i != self.stretch)
        width = max(self.stretch_min, self.view.viewport().width() - others)
        if header.sectionSize(self.stretch) != width:
            header.resizeSection(self.stretch, width)

    def _section_resized(self, index: int, _old: int, _new: int) -> None:
        if index != self.stretch:
            self.fill()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fill()
        return False


def fit_columns(view: QTableView, columns: Sequence[QueryColumn]) -> ColumnFitter:
    fitter = ColumnFitter(view, columns)
    fitter.fit()
    return fitter
