"""The window at office sizes: 1366×768 at 100 % and 1280×720 logical (1920×1080 at 150 %).

Every page of ui.pages.PAGES and every tab of each (a record selected where a page has a list, a
project open in 预算绩效) leaves the whole window — menu, toolbar, navigation, page, status bar —
a minimum size inside 1280×720, so that the window takes exactly the size it is given; no page
scrolls sideways as a whole. Every dialog of ui/dialogs is opened through the app's own code (the
steps of tests/tools/plugin_tour.py) and must fit 1280×720 too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer
from PySide6.QtWidgets import QScrollArea, QSplitter, QTableView, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from tests.tools import plugin_tour
from tests.ui.helpers import close_window, open_window
from ui.main_window import FRAME_ALLOWANCE, MainWindow
from ui.pages import PAGES

SMALL = QSize(1280, 720)  # 1920×1080 at 150 %
OFFICE = QSize(1366, 768)
# Indicator rows the 项目指标 editor shows in a 1366×768 window.
MIN_INDICATOR_ROWS = 8


def fits(size: QSize, screen: QSize = SMALL) -> bool:
    """`size` of a window's contents, with its title bar and borders, inside `screen`."""
    return (
        size.width() + FRAME_ALLOWANCE.width() <= screen.width()
        and size.height() + FRAME_ALLOWANCE.height() <= screen.height()
    )


def settle(qtbot: QtBot, ms: int = 50) -> None:
    qtbot.wait(ms)


def select_first_rows(page: QWidget) -> None:
    """The first row of each record list of the page (a register's or a 安全监督 tab's)."""
    register_list = getattr(page, "list", None)
    if register_list is not None and hasattr(register_list, "select_row"):
        register_list.select_row(0)
    for view in page.findChildren(QTableView):
        model = view.model()
        rows = view.selectionBehavior() == QTableView.SelectionBehavior.SelectRows
        if (
            rows
            and view.isVisible()
            and model is not None
            and model.rowCount()
            and not view.selectedIndexes()
        ):
            view.selectRow(0)


def open_first_project(page: Any) -> None:
    if hasattr(page, "projects_tab"):
        page.tabs.setCurrentWidget(page.projects_tab)
        page.projects_tab.select(0)


def page_views(window: MainWindow, qtbot: QtBot) -> Iterator[tuple[str, QWidget]]:
    """Each page, then each tab of it, shown with a record selected: ("key › tab", page)."""
    for row, spec in enumerate(PAGES):
        window.nav.setCurrentRow(row)
        qtbot.waitUntil(lambda spec=spec: spec.key in window.pages, timeout=10000)
        page = window.pages[spec.key]
        settle(qtbot)
        select_first_rows(page)
        yield spec.key, page
        for tabs in page.findChildren(QTabWidget):
            for index in range(tabs.count()):
                tabs.setCurrentIndex(index)
                settle(qtbot)
                select_first_rows(page)
                yield f"{spec.key} › {tabs.tabText(index)}", page
        if spec.key == "budget":
            open_first_project(page)
            settle(qtbot)
            yield "budget › project", page


def sideways_scrolled(page: QWidget) -> list[str]:
    """The page's scrolled forms (not its tables) showing a horizontal scroll bar."""
    return [
        f"{type(area.widget()).__name__} in {type(area.parentWidget()).__name__}"
        for area in page.findChildren(QScrollArea)
        if area.isVisible() and area.horizontalScrollBar().isVisible()
    ]


@pytest.fixture
def window(qtbot: QtBot, example_path: Path) -> Iterator[MainWindow]:
    window = open_window(qtbot, example_path)
    yield window
    close_window(window)


def test_every_page_and_tab_fits_1280_by_720(qtbot: QtBot, window: MainWindow) -> None:
    seen, too_big, scrolled, refused = [], [], [], []
    for where, page in page_views(window, qtbot):
        seen.append(where)
        hint, minimum = window.minimumSizeHint(), window.minimumSize()
        if not (fits(hint) and fits(minimum)):
            sizes = f"{hint.width()}×{hint.height()} (minimum {minimum.width()}×{minimum.height()})"
            too_big.append(f"{where}: {sizes}")
        for size in (OFFICE, SMALL):
            window.resize(size)
            settle(qtbot, 30)
            if window.size() != size:
                wanted, got = f"{size.width()}×{size.height()}", f"{window.width()}×{window.height()}"
                refused.append(f"{where}: resize to {wanted} gave {got}")
        scrolled += [f"{where}: {area}" for area in sideways_scrolled(page)]
    assert {spec.key for spec in PAGES} <= {where.split(" › ")[0] for where in seen}
    assert "budget › project" in seen and "safety › 隐患台账" in seen
    assert too_big == []
    assert refused == []
    assert scrolled == []


def test_the_window_takes_office_sizes_exactly(qtbot: QtBot, window: MainWindow) -> None:
    for _where, _page in page_views(window, qtbot):
        pass  # every page created: the stack's minimum is the largest page's
    window.resize(OFFICE)
    settle(qtbot)
    assert (window.width(), window.height()) == (1366, 768)
    window.resize(SMALL)
    settle(qtbot)
    assert (window.width(), window.height()) == (1280, 720)


def test_the_project_indicator_editor_shows_eight_rows_at_768(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(OFFICE)
    page: Any = window.page("budget")
    window.show_page("budget")
    open_first_project(page)
    settle(qtbot, 100)
    view = page.projects_tab.editor.indicators.view
    assert page.projects_tab.editor.project is not None
    assert page.projects_tab.editor.project.name == page.data.projects[0].name
    rows = view.viewport().height() // view.verticalHeader().defaultSectionSize()
    assert rows >= MIN_INDICATOR_ROWS, f"{rows} rows in {view.viewport().height()} px"


@pytest.mark.parametrize("key", ["petitions", "rectification"])
def test_the_empty_detail_pane_gives_the_list_the_width(qtbot: QtBot, window: MainWindow, key: str) -> None:
    window.resize(OFFICE)
    page: Any = window.page(key)
    window.show_page(key)
    settle(qtbot)
    splitter = next(s for s in page.findChildren(QSplitter) if s.indexOf(page.list) >= 0)
    page.list.clear_selection()
    page._show_record(None)
    settle(qtbot)
    assert not page.detail_pane.isVisible()
    assert page.list.width() >= splitter.width() - splitter.handleWidth()
    page.list.select_row(0)
    # at once, not only after the next layout pass: a click on 保存 right away must land
    assert page.detail_pane.width() >= page.detail_pane.minimumSizeHint().width()
    assert page.save_button.width() > 0
    settle(qtbot)
    assert page.detail_pane.isVisible() and page._loaded is not None
    list_width, pane_width = splitter.sizes()[splitter.indexOf(page.list)], page.detail_pane.width()
    assert pane_width > 300 and list_width > 300
    # the splitter still moves the boundary
    splitter.setSizes([list_width - 100, pane_width + 100])
    settle(qtbot)
    assert abs(page.detail_pane.width() - (pane_width + 100)) <= 2


def test_the_status_bar_path_is_elided_with_the_full_path_as_tooltip(
    qtbot: QtBot, window: MainWindow
) -> None:
    long_path = "D:/单位数据/" + "很长的文件夹名称/" * 20 + "zjtb.sqlite3"
    window.file_label.setText(f"数据文件：{long_path}")
    window.file_label.setToolTip(long_path)
    window.resize(SMALL)
    settle(qtbot)
    assert window.width() == 1280
    assert window.file_label.width() < window.file_label.fontMetrics().horizontalAdvance(
        window.file_label.text()
    )
    assert window.file_label.elided and window.file_label.toolTip() == long_path


def test_the_first_start_and_a_restored_geometry_fit_a_small_screen(qtbot: QtBot, example_path: Path) -> None:
    from PySide6.QtGui import QGuiApplication

    from ui.application import create_application, ui_settings

    create_application()
    screen = QGuiApplication.primaryScreen().availableGeometry()  # offscreen: 800×800
    assert screen.width() < 1280
    settings = ui_settings()
    settings.remove("window/geometry")
    first = MainWindow(str(example_path), settings)
    qtbot.addWidget(first)
    assert first.width() <= screen.width() - FRAME_ALLOWANCE.width()
    assert first.height() <= screen.height() - FRAME_ALLOWANCE.height()
    # a geometry saved on a bigger monitor, off this screen
    first.resize(1600, 1000)
    first.move(900, 700)
    settings.setValue("window/geometry", first.saveGeometry())
    again = MainWindow(str(example_path), settings)
    qtbot.addWidget(again)
    assert again.width() <= screen.width() - FRAME_ALLOWANCE.width()
    assert again.height() <= screen.height() - FRAME_ALLOWANCE.height()
    assert screen.contains(again.pos())


# -- dialogs ----------------------------------------------------------------------------------------


def dialog_sizes(tour: plugin_tour.Tour, found: dict[str, dict[str, QSize]]) -> None:
    """Before the tour's watcher sees (and later closes) a dialog: its sizes, by class."""
    for dialog in plugin_tour._visible_dialogs():
        if dialog.property(plugin_tour.SEEN_PROPERTY) is None:
            name = plugin_tour._describe(dialog, tour.step)["class"]
            sizes = {
                "hint": dialog.sizeHint(),
                "minimum hint": dialog.minimumSizeHint(),
                "size": dialog.size(),
            }
            sizes["minimum"] = dialog.minimumSize()
            previous = found.get(name, {})
            found[name] = {k: v.expandedTo(previous.get(k, QSize())) for k, v in sizes.items()}
    tour.watch_dialogs()


# The menus step pops up menus (keyboard grab); two message boxes of the tour warn about a button.
@pytest.mark.qt_log_ignore("grabbing the keyboard", "without title", "QString::arg: Argument missing")
def test_every_dialog_fits_1280_by_720(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    native = QCoreApplication.testAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    window.resize(OFFICE)
    tour = plugin_tour.Tour(window, tmp_path, dwell_ms=40, timeout_s=60)
    found: dict[str, dict[str, QSize]] = {}
    watcher = QTimer()
    watcher.setInterval(20)
    watcher.timeout.connect(lambda: dialog_sizes(tour, found))
    watcher.start()
    try:
        plugin_tour.run_dialog_steps(tour)
    finally:
        watcher.stop()
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, native)
    assert tour.errors == []
    missed = [name for name in plugin_tour.app_dialog_classes() if name not in found]
    assert missed == [], "dialogs the tour never opened: add a step to tests/tools/plugin_tour.py"
    too_big = {
        name: {k: f"{v.width()}×{v.height()}" for k, v in sizes.items()}
        for name, sizes in found.items()
        if not all(fits(size) for size in sizes.values())
    }
    assert too_big == {}
    assert "ui.dialogs.safety_inspection_dialog.InspectionDialog" in found
