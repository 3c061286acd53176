"""The reports page inside the main window: Ctrl+S saves it, a 校验 finding jumps into it, and a year
switch asks about its unsaved edits."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence

from app.services.reports.prose import load_sections
from ui.main_window import MainWindow
from ui.pages.reports_page import ReportsPage


@pytest.fixture
def window(qtbot, example_path: Path, tmp_path: Path):
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    win = MainWindow(str(example_path), settings)
    qtbot.addWidget(win)
    win.open_database()
    win.nav.setCurrentRow(win.nav.row_of("reports"))
    yield win
    win.tasks.shutdown()
    if win.db is not None:
        win.db.dispose()


def test_ctrl_s_saves_the_reports_page(window: MainWindow) -> None:
    page = window.current_page()
    assert isinstance(page, ReportsPage)
    page.outline.select_key("other")
    page.editor.text.setPlainText("本年度无其他需要说明的情况。")
    assert window.isWindowModified()
    assert window.save_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    window.save_action.trigger()
    assert not page.is_dirty() and not window.isWindowModified()
    with window.db.session() as s:
        rows = load_sections(s, window.ctx.unit_id, 2023, "dept_self_eval", "")
    assert rows["other"].text == "本年度无其他需要说明的情况。"


def test_a_reports_finding_jumps_to_its_section(window: MainWindow) -> None:
    page = window.current_page()
    page.outline.select_key("problems")
    page.editor.text.setPlainText("全年【不存在的数据】件。")
    window.save_action.trigger()
    window.nav.setCurrentRow(window.nav.row_of("unit"))
    findings = window.run_checks()
    error = next(f for f in findings if f.is_error)
    assert error.table == "报告：部门整体支出绩效自评报告"
    window.jump_to(error)
    assert window.current_page() is page
    assert page.outline.current_key() == "problems"
    assert "【不存在的数据】" in page.editor.problems.text()
