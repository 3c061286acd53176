"""Column widths of the record lists: sized to the content of the first rows (not to every row
fetched: a page of 256 rows in each of the 安全监督 lists was tens of thousands of data() calls),
the long text column taking what the others leave."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTableView

from ui.main_window import MainWindow
from ui.models.query_table_model import QueryColumn
from ui.pages.safety_page import SafetyPage
from ui.widgets.table_columns import MAX_CONTENT_WIDTH, SAMPLED_ROWS, fit_columns


def _qt_width(view: QTableView, column: int) -> int:
    """What Qt itself measures for the column (over SAMPLED_ROWS rows: the header's precision)."""
    header = view.horizontalHeader()
    return min(max(view.sizeHintForColumn(column), header.sectionSizeHint(column)), MAX_CONTENT_WIDTH)


def test_the_safety_lists_are_sized_as_qt_measures_their_first_rows(
    qtbot, example_path: Path, tmp_path: Path
):
    window = MainWindow(str(example_path), QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.open_database()
    page = window.page("safety")
    assert isinstance(page, SafetyPage)
    window.show_page("safety")
    checked = 0
    for tab in (page.projects, page.inspections, page.hazards, page.documents, page.activities):
        view = tab.view
        assert tab.model.rowCount() > (SAMPLED_ROWS if tab is page.hazards else 0)
        assert view.horizontalHeader().resizeContentsPrecision() == SAMPLED_ROWS
        stretch = next((i for i, c in enumerate(tab.model.columns) if c.stretch), None)
        for column in range(len(tab.model.columns)):
            if column != stretch:
                assert view.columnWidth(column) == _qt_width(view, column), (type(tab).__name__, column)
                checked += 1
    assert checked > 25
    window.close()


def test_rows_past_the_sample_do_not_widen_a_column(qtbot) -> None:
    model = QStandardItemModel(0, 2)
    model.setHorizontalHeaderLabels(["名称", "说明"])
    long_name = "很长的名称" * 8
    for i in range(3 * SAMPLED_ROWS):
        name = long_name if i == 2 * SAMPLED_ROWS else f"项目{i}"
        model.appendRow([QStandardItem(name), QStandardItem("说明")])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(600, 400)
    fit_columns(view, [QueryColumn("名称", None), QueryColumn("说明", None, stretch=True)])
    width = view.columnWidth(0)
    assert width == _qt_width(view, 0)
    assert view.fontMetrics().horizontalAdvance(f"项目{SAMPLED_ROWS - 1}") < width
    assert width < view.fontMetrics().horizontalAdvance(long_name)
    # The long text column takes the rest of the viewport.
    assert view.columnWidth(1) == view.viewport().width() - width
