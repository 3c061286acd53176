"""The list half of a register page: a filter bar (search, state, deadline, the register's own
filters) over a lazy SQL table (QueryTableModel). Filtering, sorting and search run in SQL, so
100,000 items open with one page of rows fetched.

The page supplies `conditions(flt) -> [SQL conditions]`; the widget turns its controls into a
`RegisterFilter`, and `apply_filter(flt)` sets the controls from one (tests, benchmarks and the
page's count chips use it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from app.services.registers.common import DUE_FILTERS, RegisterFilter
from ui.models.query_table_model import QueryColumn, QueryTableModel
from ui.widgets.flow_layout import FlowWidget
from ui.widgets.table_columns import fit_columns

SEARCH_DELAY_MS = 300


@dataclass
class ExtraFilter:
    """A register-specific filter shown as a combo box: (label, value) options, the first "全部"."""

    key: str
    label: str
    options: list[tuple[str, Any]] = field(default_factory=list)


class RegisterList(QWidget):
    current_changed = Signal(object)  # the key of the selected row, or None
    filter_changed = Signal()

    def __init__(
        self,
        db: Any,
        columns: list[QueryColumn],
        key: Any,
        conditions: Callable[[RegisterFilter], list[Any]],
        *,
        statuses: Sequence[str] = (),
        extra_filters: Sequence[ExtraFilter] = (),
        search_placeholder: str = "搜索",
        unit_word: str = "件",
        row_colour: Callable[[Any], str | None] | None = None,
        row_tooltip: Callable[[Any], str | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.conditions = conditions
        self.unit_word = unit_word
        self.base = RegisterFilter()  # fields the page fixes (the period in view …)
        self.model = QueryTableModel(db, columns, key, self, row_colour=row_colour, row_tooltip=row_tooltip)

        self.search = QLineEdit()
        self.search.setPlaceholderText(search_placeholder)
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        self.status_combo = QComboBox()
        self.status_combo.addItem("全部状态", "")
        for status in statuses:
            self.status_combo.addItem(status, status)
        self.due_combo = QComboBox()
        for value, label in DUE_FILTERS.items():
            self.due_combo.addItem(label if value else "全部期限", value)
        self.extra_combos: dict[str, QComboBox] = {}
        self.clear_button = QPushButton("清除筛选")
        self.count_label = QLabel()
        self.count_label.setObjectName("listCount")

        # Wraps onto more lines when the list is narrow (a detail pane beside it, a small screen).
        self.filter_bar = FlowWidget()
        bar = self.filter_bar.flow
        bar.addWidget(self.search)
        bar.addWidget(self.status_combo)
        bar.addWidget(self.due_combo)
        for spec in extra_filters:
            combo = QComboBox()
            combo.setToolTip(spec.label)
            self._fill_extra(combo, spec)
            combo.currentIndexChanged.connect(self._on_controls_changed)
            self.extra_combos[spec.key] = combo
            bar.addWidget(combo)
        bar.addWidget(self.clear_button)
        bar.addWidget(self.count_label)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.horizontalHeader().setHighlightSections(False)
        self.column_fitter = fit_columns(self.view, columns)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.view, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.reload)
        self.status_combo.currentIndexChanged.connect(self._on_controls_changed)
        self.due_combo.currentIndexChanged.connect(self._on_controls_changed)
        self.clear_button.clicked.connect(self.clear_filters)
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        self.model.modelReset.connect(self._update_count)
        self._sorted = False
        self._default_sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)

    # -- filters -------------------------------------------------------------------------------

    def _fill_extra(self, combo: QComboBox, spec: ExtraFilter) -> None:
        combo.blockSignals(True)
        current = combo.currentData()
        combo.clear()
        combo.addItem(f"全部{spec.label}", None)
        for label, value in spec.options:
            combo.addItem(label, value)
        index = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def set_extra_options(self, spec: ExtraFilter) -> None:
        self._fill_extra(self.extra_combos[spec.key], spec)

    def filter(self) -> RegisterFilter:
        extra = dict(self.base.extra)
        for key, combo in self.extra_combos.items():
            if combo.currentData() is not None:
                extra[key] = combo.currentData()
        return replace(
            self.base,
            text=self.search.text().strip(),
            status=self.status_combo.currentData() or "",
            due=self.due_combo.currentData() or "",
            extra=extra,
        )

    def apply_filter(self, flt: RegisterFilter) -> None:
        """Set the controls from `flt` (its start/end become the base period) and reload once."""
        self.base = RegisterFilter(start=flt.start, end=flt.end)
        for widget in (self.search, self.status_combo, self.due_combo, *self.extra_combos.values()):
            widget.blockSignals(True)
        try:
            self.search.setText(flt.text)
            self.status_combo.setCurrentIndex(max(self.status_combo.findData(flt.status), 0))
            self.due_combo.setCurrentIndex(max(self.due_combo.findData(flt.due), 0))
            for key, combo in self.extra_combos.items():
                value = flt.extra.get(key)
                combo.setCurrentIndex(max(combo.findData(value), 0) if value is not None else 0)
        finally:
            for widget in (self.search, self.status_combo, self.due_combo, *self.extra_combos.values()):
                widget.blockSignals(False)
        self._search_timer.stop()
        self.reload()

    def clear_filters(self) -> None:
        self.apply_filter(RegisterFilter(start=self.base.start, end=self.base.end))

    def _on_controls_changed(self, *_args: object) -> None:
        self.reload()

    # -- loading -------------------------------------------------------------------------------

    def set_default_sort(self, column: int, order: Qt.SortOrder) -> None:
        """The order of the first load; the header drives it from then on (in SQL)."""
        self._default_sort = (column, order)

    def reload(self) -> None:
        """Re-run the query for the current filter, keeping the selection if it is still listed."""
        key = self.current_key()
        query = select(*self.model.selectables()).where(*self.conditions(self.filter()))
        if not self._sorted:
            # Enabling sorting makes the view call model.sort() with the indicator; with no query
            # set yet the model only records the order, and the query below is fetched once.
            self._sorted = True
            self.view.horizontalHeader().setSortIndicator(*self._default_sort)
            self.view.setSortingEnabled(True)
        self.model.set_query(query)
        self.filter_changed.emit()
        if key is not None and not self.select_key(key):
            self.current_changed.emit(None)

    def refresh_row(self, key: Any) -> None:
        if self.model.row_of(key) >= 0:
            self.model.refresh_row(key)
        else:
            self.reload()
            self.select_key(key)

    def _update_count(self) -> None:
        flt = self.filter()
        filtered = any(
            (flt.text, flt.status, flt.due, *(c.currentData() for c in self.extra_combos.values()))
        )
        self.count_label.setText(f"{'筛选出' if filtered else '共'} {self.model.total():,} {self.unit_word}")

    # -- selection -----------------------------------------------------------------------------

    def current_key(self) -> Any:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_key(rows[0].row()) if rows else None

    def select_key(self, key: Any) -> bool:
        """Select the row of `key` if it is among the fetched rows."""
        row = self.model.row_of(key)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.view.selectRow(row)
        self.view.scrollTo(index)
        return True

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.view.selectRow(row)

    def clear_selection(self) -> None:
        self.view.clearSelection()

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.current_changed.emit(self.current_key())
