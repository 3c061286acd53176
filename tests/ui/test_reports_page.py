"""The 报告导出 page driven as a user would: write a section with a figure, save, export, find the figure."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from PySide6.QtCore import Qt

from app.db import Database
from app.exports.docx_template import BUILTIN_TEMPLATE
from app.paths import templates_dir
from app.registry import default_registry
from app.services.reports.prose import load_sections, load_settings
from ui.context import AppContext
from ui.dialogs.reports_export_dialogs import ExportSummaryDialog, FindingsBeforeExportDialog
from ui.dialogs.reports_figure_picker import FigurePickerDialog
from ui.pages.reports_page import ReportsPage
from ui.tasks import TaskRunner
from ui.widgets.reports_outline import SETTINGS_KEY


@pytest.fixture
def page(
    qtbot, example_db: Database, example_unit_id: int, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ReportsPage]:
    from PySide6.QtGui import QDesktopServices

    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: True)  # no file manager in tests
    tasks = TaskRunner()
    ctx = AppContext(example_db, default_registry(), tasks, example_unit_id, 2023)
    widget = ReportsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.load()
    yield widget
    tasks.shutdown()


def type_text(widget, text: str) -> None:
    """Type as a keyboard (with an input method) would: QTest.keyClicks handles Latin-1 only."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def _docx_texts(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def _wait_for_summary(qtbot, page: ReportsPage) -> ExportSummaryDialog:
    qtbot.waitUntil(lambda: isinstance(page.dialog, ExportSummaryDialog), timeout=15000)
    return page.dialog


def test_a_figure_inserted_in_a_section_is_filled_in_the_exported_report(
    qtbot, page: ReportsPage, example_db: Database, example_unit_id: int, tmp_path: Path, monkeypatch
) -> None:
    # GIVEN the 部门整体支出绩效自评报告, section 七
    assert page.outline.select_key("problems")
    editor = page.editor
    editor.text.selectAll()
    type_text(editor.text, "本单位编制数为")
    # WHEN the user inserts 编制数 from the picker and finishes the sentence
    qtbot.mouseClick(editor.insert_button, Qt.MouseButton.LeftButton)
    picker = page.dialog
    assert isinstance(picker, FigurePickerDialog)
    assert picker.select_key("unit.staff_quota")
    picker.accept()
    type_text(editor.text, "。")
    assert editor.text.toPlainText() == "本单位编制数为【编制数】人。"
    assert "本单位编制数为61人。" in editor.preview.toPlainText()
    assert page.is_dirty() and page.outline.item_text("problems").startswith("●")
    # AND saves (Ctrl+S goes through the page's save) and exports this report
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert not page.is_dirty()
    with example_db.session() as s:
        assert (
            load_sections(s, example_unit_id, 2023, "dept_self_eval", "")["problems"].text
            == "本单位编制数为【编制数】人。"
        )
    monkeypatch.setattr(page, "_choose_folder", lambda: tmp_path / "out")
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    summary = _wait_for_summary(qtbot, page)
    # THEN the Word document says 61, under the app's numbering
    path = tmp_path / "out" / "2023年度部门整体支出绩效自评报告.docx"
    assert summary.folder == tmp_path / "out" and path.exists()
    texts = _docx_texts(path)
    assert texts[texts.index("七、存在的问题及原因分析") + 1] == "本单位编制数为61人。"


def test_a_quarters_figure_inserted_in_its_report_is_filled_from_the_safety_statistics(
    qtbot, page: ReportsPage, tmp_path: Path, monkeypatch
) -> None:
    # GIVEN the first quarter's report, section 三、下一步工作
    page.report_list.setCurrentRow(3)
    assert page.scope_combo.currentData() == "Q1"
    assert page.outline.select_key("next")
    editor = page.editor
    editor.text.selectAll()
    type_text(editor.text, "本季度共检查")
    # WHEN the user picks the quarter's 受检项目 (group “本季度”) and the year's 预算 figure
    qtbot.mouseClick(editor.insert_button, Qt.MouseButton.LeftButton)
    picker = page.dialog
    assert isinstance(picker, FigurePickerDialog)
    assert picker.select_key("quarter.inspections.projects")
    picker.accept()
    type_text(editor.text, "项目；全年基本支出")
    qtbot.mouseClick(editor.insert_button, Qt.MouseButton.LeftButton)
    assert page.dialog.select_key("budget.basic_expenditure")
    page.dialog.accept()
    type_text(editor.text, "。")
    # (the picker writes the unit word after the placeholder: 个, 万元)
    assert editor.text.toPlainText() == "本季度共检查【受检项目】个项目；全年基本支出【基本支出】万元。"
    assert "本季度共检查47个项目；全年基本支出592.17万元。" in editor.preview.toPlainText()
    # AND exports this report (saving first)
    monkeypatch.setattr(page, "_confirm", lambda *_: True)
    monkeypatch.setattr(page, "_choose_folder", lambda: tmp_path / "out")
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    _wait_for_summary(qtbot, page)
    # THEN the document has the quarter's count and the budget's amount in place
    texts = _docx_texts(tmp_path / "out" / "2023年第一季度房屋市政工程安全生产监督检查开展情况.docx")
    assert texts[texts.index("三、下一步工作") + 1] == "本季度共检查47个项目；全年基本支出592.17万元。"


def test_an_unknown_placeholder_is_marked_and_stops_the_export(
    qtbot, page: ReportsPage, tmp_path: Path, monkeypatch
) -> None:
    page.outline.select_key("improvements")
    page.editor.text.setPlainText("共【没有这个数】件")
    assert not page.editor.problems.isHidden() and "【没有这个数】" in page.editor.problems.text()
    assert "占位符有误" in page.outline.item_text("improvements")
    page.save()
    warnings = []
    monkeypatch.setattr(
        "ui.pages.reports_page.QMessageBox.warning", lambda _p, _t, text: warnings.append(text)
    )
    monkeypatch.setattr(page, "_choose_folder", lambda: pytest.fail("no folder is asked for"))
    page.export_current()
    assert "八、下一步改进措施" in warnings[0] and "【没有这个数】" in warnings[0]
    assert page.outline.current_key() == "improvements"


def test_one_click_export_shows_the_findings_first_then_writes_everything(
    qtbot, page: ReportsPage, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(page, "_choose_folder", lambda: tmp_path)
    qtbot.mouseClick(page.export_all_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, FindingsBeforeExportDialog)
    # the modules' own warnings (an overdue 巡察 problem …); every report section is written or drafted
    assert dialog.findings and not any(f.is_error for f in dialog.findings)
    assert not [f for f in dialog.findings if f.table.startswith("报告")]
    assert dialog.export_button.isEnabled() and not dialog.confirm.isVisible()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    summary = _wait_for_summary(qtbot, page)
    folder = tmp_path / "汨罗市建筑工程服务中心2023年度填报材料"
    assert summary.folder == folder
    written = {p.name for p in folder.iterdir()}
    assert {
        "2023年度部门整体支出绩效自评报告.docx",
        "2023年度项目支出绩效评价报告（工作经费）.docx",
        "2023年度平安建设工作自查报告.docx",
        "2023年第一季度房屋市政工程安全生产监督检查开展情况.docx",
        "巡察整改进展情况（市委第二巡察组工程建设和房地产领域专项巡察）.docx",
    } <= written
    assert summary.tree.topLevelItemCount() >= 2


def test_errors_need_an_explicit_confirmation_before_the_one_click_export(qtbot, page: ReportsPage) -> None:
    page.outline.select_key("problems")
    page.editor.text.setPlainText("【不存在】")
    page.save()
    page.export_all()
    dialog = page.dialog
    assert isinstance(dialog, FindingsBeforeExportDialog)
    assert any(f.is_error for f in dialog.findings)
    assert not dialog.export_button.isEnabled()
    dialog.confirm.setChecked(True)
    assert dialog.export_button.isEnabled()
    dialog.reject()


def test_added_subsections_are_numbered_and_saved(
    qtbot, page: ReportsPage, example_db: Database, example_unit_id: int, monkeypatch
) -> None:
    monkeypatch.setattr(page, "_ask_text", lambda *_: "夯实基础，积蓄高质量发展动能")
    page.outline.select_key("performance")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    key = page.outline.current_key()
    assert key.startswith("custom:")
    assert "（三）夯实基础，积蓄高质量发展动能" in page.outline.item_text(key)
    page.editor.text.setPlainText("为推动建筑业稳定发展，守牢建筑领域安全生产底线。")
    # hiding an optional section renumbers the rest
    page.outline.select_key("performance.party")
    page.editor.hidden.setChecked(True)
    assert "（二）夯实基础" in page.outline.item_text(key)
    assert page.save()
    with example_db.session() as s:
        rows = load_sections(s, example_unit_id, 2023, "dept_self_eval", "")
    assert rows[key].title == "夯实基础，积蓄高质量发展动能" and rows[key].parent_key == "performance"
    assert rows["performance.party"].hidden
    # and removing it again
    monkeypatch.setattr(page, "_confirm", lambda *_: True)
    page.outline.select_key(key)
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert key not in page.outline.section_keys()
    assert page.save()
    with example_db.session() as s:
        assert key not in load_sections(s, example_unit_id, 2023, "dept_self_eval", "")


def test_title_and_signature_settings_are_saved(
    qtbot, page: ReportsPage, example_db: Database, example_unit_id: int
) -> None:
    page.report_list.setCurrentRow(2)  # 平安建设工作自查报告
    assert page.outline.select_key(SETTINGS_KEY)
    form = page.settings_form
    assert form.addressee.placeholderText() == "市政法委"
    form.variant.setCurrentText("工作总结")
    form.date_mode.setCurrentIndex(1)  # 指定日期
    assert page.is_dirty()
    assert page.save()
    with example_db.session() as s:
        settings = load_settings(s, example_unit_id, 2023, "safety_self_check", "")
    assert settings.variant == "工作总结" and settings.sign_date is not None


def test_use_draft_asks_before_replacing_text_and_discard_reverts(
    qtbot, page: ReportsPage, monkeypatch
) -> None:
    page.outline.select_key("basic.staffing")
    draft = page.editor.text.toPlainText()
    assert draft.startswith("我单位是【主管部门】下属单位") and not page.is_dirty()
    page.editor.text.setPlainText("自己写的")
    asked = []
    monkeypatch.setattr(page, "_confirm", lambda title, _text: asked.append(title) or True)
    qtbot.mouseClick(page.editor.draft_button, Qt.MouseButton.LeftButton)
    assert asked == ["使用草稿"] and page.editor.text.toPlainText() == draft
    assert not page.is_dirty()  # back to the untouched draft
    page.editor.text.setPlainText("又改了")
    qtbot.mouseClick(page.revert_button, Qt.MouseButton.LeftButton)
    assert not page.is_dirty() and page.editor.text.toPlainText() == draft


def test_a_finding_jumps_to_its_section(page: ReportsPage) -> None:
    from app.findings import Target

    page.show_target(Target("reports", "safety_quarterly|Q2|next"))
    assert page.report_list.currentRow() == 3
    assert page.scope_combo.currentData() == "Q2" and page.outline.current_key() == "next"


def test_a_scoped_report_without_scopes_says_where_to_enter_them(page: ReportsPage) -> None:
    page.ctx.set_year(2022)  # the example's 巡察 was fed back in 2023: nothing to report for 2022
    page.load()
    page.report_list.setCurrentRow(4)  # 巡察整改进展情况
    assert page.scope_hint.isVisibleTo(page) and "巡察整改" in page.scope_hint.text()
    assert not page.outline.isEnabled() and not page.export_button.isEnabled()
    assert page.stack.currentWidget() is page.empty_label and "巡察整改" in page.empty_label.text()


def test_copying_the_template_puts_it_in_the_data_folder(qtbot, page: ReportsPage) -> None:
    qtbot.mouseClick(page.copy_template_button, Qt.MouseButton.LeftButton)
    assert (templates_dir() / BUILTIN_TEMPLATE).exists()
    assert "数据文件夹中的模板" in page.template_label.text()


def test_text_carried_into_a_new_year_is_flagged_until_confirmed(
    qtbot, page: ReportsPage, example_db: Database, example_unit_id: int
) -> None:
    from app.services.unit import add_year

    add_year(example_db, example_unit_id, 2024, carry_from=2023, registry=default_registry())
    page.ctx.set_year(2024)
    page.load()
    assert "2023年结转·待核对" in page.outline.item_text("problems")
    page.outline.select_key("problems")
    assert not page.editor.confirm_button.isHidden()
    assert page.editor.text.toPlainText().startswith("检测、监理企业对质量安全的认识")
    qtbot.mouseClick(page.editor.confirm_button, Qt.MouseButton.LeftButton)
    assert page.is_dirty()
    assert page.save()
    assert "待核对" not in page.outline.item_text("problems")
    with example_db.session() as s:
        row = load_sections(s, example_unit_id, 2024, "dept_self_eval", "")["problems"]
    assert row.carried_from is None and row.text.startswith("检测、监理企业")
