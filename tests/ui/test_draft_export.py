"""文件 › 导出… runs the one-click export of the year; with errors left, 导出草稿 exports at once and
the summary marks as drafts the files the errors reach."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices

from app.checks import run_checks
from app.cli import export_summary
from app.exports.drafts import draft_files
from app.exports.package import export_year
from app.registry import default_registry
from tests.conftest import connect_data
from ui.dialogs.reports_export_dialogs import ExportSummaryDialog, FindingsBeforeExportDialog

from .helpers import close_window, open_window

FOLDER = "汨罗市建筑工程服务中心2023年度填报材料"


def _break_the_unit(path: Path) -> None:
    """A wrong check digit in the 统一社会信用代码: an error of 单位信息, which every file quotes."""
    with connect_data(path) as conn:
        conn.execute("UPDATE unit SET credit_code = '12430681MB1C37256H'")
    conn.close()


def test_export_menu_offers_a_draft_when_errors_remain(
    qtbot, example_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: True)
    _break_the_unit(example_path)
    window = open_window(qtbot, example_path)
    try:
        page = window.page("reports")
        monkeypatch.setattr(page, "_choose_folder", lambda: tmp_path)
        window.show_page("unit")
        file_menu = window.menuBar().actions()[0].menu()
        assert "导出…" in [a.text() for a in file_menu.actions()]
        assert window.export_action.isEnabled()
        window.export_action.trigger()
        assert window.current_page() is page
        dialog = page.dialog
        assert isinstance(dialog, FindingsBeforeExportDialog)
        assert any(f.is_error for f in dialog.findings)
        assert not dialog.export_button.isEnabled()  # the final export still asks for the tick
        assert dialog.draft_button.isVisible() and dialog.draft_button.isEnabled()
        qtbot.mouseClick(dialog.draft_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: isinstance(page.dialog, ExportSummaryDialog), timeout=20000)
        summary = page.dialog
        folder = tmp_path / FOLDER
        written = {p for p in folder.rglob("*") if p.is_file()}
        assert folder / "2023年度部门整体支出绩效自评报告.docx" in written
        assert summary.drafts == written
        assert summary.windowTitle() == "导出完成（含草稿）"
        items = [
            summary.tree.topLevelItem(i).child(j).text(0)
            for i in range(summary.tree.topLevelItemCount())
            for j in range(summary.tree.topLevelItem(i).childCount())
        ]
        assert "2023年度部门整体支出绩效自评报告.docx（草稿）" in items
        assert len(items) == len(written) and all(t.endswith("（草稿）") for t in items)
    finally:
        close_window(window)


def test_continue_after_the_tick_is_not_a_draft(
    qtbot, example_path: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: True)
    _break_the_unit(example_path)
    window = open_window(qtbot, example_path)
    try:
        page = window.page("reports")
        monkeypatch.setattr(page, "_choose_folder", lambda: tmp_path)
        window.export_year()
        dialog = page.dialog
        dialog.confirm.setChecked(True)
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: isinstance(page.dialog, ExportSummaryDialog), timeout=20000)
        assert page.dialog.drafts == set() and page.dialog.windowTitle() == "导出完成"
    finally:
        close_window(window)


def test_the_cli_summary_lists_the_drafts_after_the_files(
    example_db, example_unit_id, tmp_path: Path
) -> None:
    registry = default_registry()
    clean = run_checks(example_db, example_unit_id, 2023, registry)
    assert not any(f.is_error for f in clean)
    result = export_year(example_db, example_unit_id, 2023, tmp_path, registry=registry)
    assert draft_files(registry, result.by_exporter, clean) == set()
    assert not any("草稿" in line for line in export_summary("单位", 2023, result, clean))
    # a budget error reaches the budget tables and every report, not the safety tables
    error = next(f for f in clean if f.target is not None and f.target.page == "budget")
    findings = [*clean, type(error)("错误", error.table, error.row, error.field, "示例错误", error.target)]
    drafts = draft_files(registry, result.by_exporter, findings)
    titles = {title for title, files in result.by_exporter if set(files) & drafts}
    assert "预算绩效自评表格" in titles and "部门整体支出绩效自评报告" in titles
    assert not titles & {"隐患排查治理台账", "信访事项登记台账"}
    lines = export_summary("单位", 2023, result, findings)
    files = [line for line in lines if line.startswith("  ")]
    assert len(files) == len(result.files)  # the file lines are unchanged
    marked = [line for line in lines if line.startswith("- 草稿：")]
    assert len(marked) == len(drafts)
    assert f"其中 {len(drafts)} 个文件为草稿（校验有错误，数字可能不对，改正后请重新导出）：" in lines
