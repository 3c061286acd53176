"""The 工作台 on the example unit: where the app opens, its cards and charts filled in the
background, and a click on a card or a bar opening the page narrowed to exactly those records."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from app.services import workbench as wb
from app.services.safety.stats import period_statistics
from tests.ui.helpers import close_window, open_window
from ui.main_window import MainWindow
from ui.pages import PAGES
from ui.pages.workbench_page import WorkbenchPage

TIMEOUT = 20000


@pytest.fixture
def window(qtbot: QtBot, example_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("ui.pages.workbench_page.CHECKS_DELAY_MS", 0)
    window = open_window(qtbot, example_path)
    window.resize(1366, 768)
    yield window
    close_window(window)


def _filled(qtbot: QtBot, window: MainWindow, *, checks: bool = False) -> WorkbenchPage:
    page = window.pages["workbench"]
    assert isinstance(page, WorkbenchPage)
    qtbot.waitUntil(lambda: page.result is not None, timeout=TIMEOUT)
    if checks:
        qtbot.waitUntil(lambda: page.check_result is not None, timeout=TIMEOUT)
    return page


def _click_bar(qtbot: QtBot, page: WorkbenchPage, chart, series: int, index: int) -> None:
    page.scroll.ensureWidgetVisible(chart)
    chart.repaint()  # the bars' places are known once painted
    rect = chart.bar_rect(series, index)
    assert rect is not None
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())


def test_the_app_opens_on_the_workbench(qtbot: QtBot, window: MainWindow) -> None:
    assert PAGES[0].key == "workbench" and PAGES[0].title == "工作台"
    assert window.nav.currentRow() == 0
    assert window.current_page() is window.pages["workbench"]
    page = _filled(qtbot, window, checks=True)
    assert page.heading.text() == "工作台 · 2023年度"
    assert page.sub_heading.text() == "截至2024年1月20日 · 时间进度 100.00%"
    hazards = page.cards[wb.HAZARDS]
    assert hazards.count.text() == "19" and hazards.detail.text() == "已逾期 19 条"
    assert "神鼎山学生公寓项目：高支模立杆间距不符合专项方案" in hazards.items.text()
    assert page.cards[wb.RECTIFICATION].count.text() == "3"
    assert page.cards[wb.PETITIONS].count.text() == "0"
    assert page.cards[wb.CHECKS].count.text() == "0"
    assert page.cards[wb.REPORTS].count.text() == "0"
    assert not page.empty_state.isVisible()  # there is something to do


def test_charts_show_the_statistics_figures(qtbot: QtBot, window: MainWindow) -> None:
    page = _filled(qtbot, window)
    assert page.result is not None
    months = page.charts[wb.HAZARD_MONTHS]
    assert months.series[0].values == page.result.chart(wb.HAZARD_MONTHS).series[0].values
    with window.ctx.db.session() as session:
        june = period_statistics(session, window.ctx.unit_id, date(2023, 6, 1), date(2023, 6, 30))
    assert months.series[0].values[5] == june.hazards_found == 345
    assert months.tooltip_text(0, 5) == "6月　2023年排查 · 345 条"
    rates = page.charts[wb.BUDGET_RATES]
    assert rates.reference == 1 and rates.tooltip_text(0, 2) == "工作经费　100.00%"
    channels = page.charts[wb.PETITION_CHANNELS]
    assert channels.tooltip_text(0, 0) == "12345热线/信箱　239 件"


def test_a_card_opens_exactly_its_records_until_cleared(qtbot: QtBot, window: MainWindow) -> None:
    page = _filled(qtbot, window)
    qtbot.mouseClick(page.cards[wb.HAZARDS], Qt.MouseButton.LeftButton, pos=QPoint(40, 40))
    safety = window.pages["safety"]
    assert window.current_page() is safety
    assert safety.hazards.model.summary.total == 19 and safety.hazards.model.summary.overdue == 19
    assert safety.hazard_pin.isVisible() and safety.hazard_pin.label.text() == "仅显示工作台选中的 19 条"
    # a filter on top keeps to those records
    safety.hazards.category.setCurrentIndex(safety.hazards.category.findData("高处坠落"))
    assert safety.hazards.model.summary.total < 19
    qtbot.mouseClick(safety.hazard_pin.clear_button, Qt.MouseButton.LeftButton)
    assert not safety.hazard_pin.isVisible()
    with window.ctx.db.session() as session:
        year = period_statistics(session, window.ctx.unit_id, date(2023, 1, 1), date(2023, 12, 31))
    assert safety.hazards.model.summary.total == year.hazards_found == 2080  # the year's, filters cleared

    window.show_page("workbench")
    qtbot.mouseClick(page.cards[wb.RECTIFICATION], Qt.MouseButton.LeftButton, pos=QPoint(40, 40))
    rectification = window.pages["rectification"]
    assert window.current_page() is rectification
    assert rectification.list.model.total() == 3 and rectification.pin.bar.isVisible()
    qtbot.mouseClick(rectification.pin.bar.clear_button, Qt.MouseButton.LeftButton)
    assert rectification.list.model.total() > 3 and not rectification.pin.bar.isVisible()


def test_a_bar_opens_the_records_of_its_month_or_channel(qtbot: QtBot, window: MainWindow) -> None:
    page = _filled(qtbot, window)
    _click_bar(qtbot, page, page.charts[wb.HAZARD_MONTHS], 0, 5)
    safety = window.pages["safety"]
    assert window.current_page() is safety and safety.hazards.model.summary.total == 345

    window.show_page("workbench")
    channels = page.charts[wb.PETITION_CHANNELS]
    _click_bar(qtbot, page, channels, 0, channels.categories.index("12345热线/信箱"))
    petitions = window.pages["petitions"]
    assert window.current_page() is petitions
    assert petitions.list.model.total() == 239
    assert petitions.pin.bar.isVisible() and petitions.pin.bar.label.text() == "仅显示工作台选中的 239 条"
    assert petitions.pin.bar.window() is window  # in the page, not a window of its own
    qtbot.mouseClick(petitions.pin.bar.clear_button, Qt.MouseButton.LeftButton)
    assert petitions.list.model.total() == 284 + 236  # both years, now that the filter is cleared

    window.show_page("workbench")
    _click_bar(qtbot, page, page.charts[wb.BUDGET_RATES], 0, 2)
    budget = window.pages["budget"]
    assert window.current_page() is budget
    assert budget.projects_tab.current_index() == 2  # 工作经费


def test_year_switch_reloads_and_the_check_cards_open_their_pages(qtbot: QtBot, window: MainWindow) -> None:
    page = _filled(qtbot, window, checks=True)
    window.switch_year(2022)
    qtbot.waitUntil(lambda: page.check_result is not None and page.check_result.year == 2022, timeout=TIMEOUT)
    assert page.heading.text() == "工作台 · 2022年度"
    assert page.charts[wb.BUDGET_RATES].categories == ("智慧平台服务及专用检测费",)
    reports = page.cards[wb.REPORTS]
    assert reports.count.text() == "46"
    assert page.cards[wb.CHECKS].count.text() == "7"
    qtbot.mouseClick(reports, Qt.MouseButton.LeftButton, pos=QPoint(40, 40))
    assert window.current_page() is window.pages["reports"]
    window.show_page("workbench")
    qtbot.mouseClick(page.cards[wb.CHECKS], Qt.MouseButton.LeftButton, pos=QPoint(40, 40))
    assert window.findings_dock is not None and window.findings_dock.isVisible()


def test_the_page_fits_a_small_screen(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(1280, 720)
    page = _filled(qtbot, window)
    qtbot.wait(50)
    content = page.scroll.widget()
    assert content.minimumSizeHint().width() <= page.scroll.viewport().width()
    assert window.minimumSizeHint().width() <= 1280 and window.minimumSizeHint().height() <= 720


def test_an_empty_unit_says_there_is_nothing_to_do(qtbot: QtBot, tmp_path: Path, monkeypatch) -> None:
    from app.services.unit import create_unit
    from tests.conftest import open_sqlite

    monkeypatch.setattr("ui.pages.workbench_page.CHECKS_DELAY_MS", 0)
    path = tmp_path / "empty.sqlite3"
    db = open_sqlite(path)
    create_unit(db, "测试县质量安全监督站", 2024)
    db.dispose()
    window = open_window(qtbot, path)
    page = _filled(qtbot, window, checks=True)
    assert page.empty_state.isVisible() and page.empty_state.text() == "✓ 本年度暂无待办"
    assert page.cards[wb.HAZARDS].items.text() == "本年度暂无待办"
    close_window(window)
