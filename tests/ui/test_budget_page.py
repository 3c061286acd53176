"""The 预算绩效 page driven as a clerk would: type, paste, save, jump to a finding, export, import."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QMessageBox

from app.db import Database
from app.registry import default_registry
from app.services.budget.data import load_year
from ui.context import AppContext
from ui.models.budget_control_model import BuildingTableModel, ControlTableModel
from ui.models.budget_import_model import ProblemTableModel
from ui.models.budget_indicator_model import COL, IndicatorTableModel
from ui.models.budget_project_list_model import ProjectListModel
from ui.pages.budget_page import TAB_BASE, TAB_DEPARTMENT, TAB_PROJECTS, BudgetPage
from ui.tasks import TaskRunner

D = Decimal


@pytest.fixture
def page(qtbot, example_db: Database, example_unit_id: int) -> BudgetPage:
    tasks = TaskRunner()
    ctx = AppContext(example_db, default_registry(), tasks, example_unit_id, 2023)
    widget = BudgetPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.load()
    widget.show()
    yield widget
    tasks.shutdown()


def type_text(qtbot, widget, text: str) -> None:
    """Type as a clerk does: ASCII key by key, Chinese committed by the input method (IME)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def row_named(model: IndicatorTableModel, name: str) -> int:
    return next(i for i, ind in enumerate(model.indicators) if ind.name == name)


def type_into_cell(qtbot, editor_widget, row: int, key: str, text: str) -> None:
    """Open the cell's editor and type, as a clerk does (committed keystroke by keystroke)."""
    view = editor_widget.view
    index = editor_widget.model.index(row, COL[key])
    view.setCurrentIndex(index)
    view.edit(index)
    [line] = [w for w in view.findChildren(QLineEdit) if w.isVisible()]
    line.selectAll()
    type_text(qtbot, line, text)


def test_models_pass_the_model_tester(qtmodeltester, page: BudgetPage) -> None:
    qtmodeltester.check(page.dept_tab.indicators.model, force_py=True)
    qtmodeltester.check(page.base_tab.control_model, force_py=True)
    qtmodeltester.check(page.projects_tab.list_model, force_py=True)
    buildings = BuildingTableModel()
    buildings.set_buildings(page.data.buildings, ())
    buildings.add()
    qtmodeltester.check(buildings, force_py=True)
    problems = ProblemTableModel()
    from app.importers.budget_xlsx import Problem

    problems.set_problems([Problem("错误", "表", "A1", "原因"), Problem("警告", "表", "", "提示")])
    qtmodeltester.check(problems, force_py=True)
    assert isinstance(page.base_tab.control_model, ControlTableModel)
    assert isinstance(page.projects_tab.list_model, ProjectListModel)


def test_the_example_is_shown_with_its_totals(page: BudgetPage) -> None:
    assert not page.is_dirty()
    assert page.dept_tab.funds.rate_field.text() == "100.00%"
    assert page.dept_tab.funds.score_field.text() == "10"
    assert page.dept_tab.projects_field.text() == "359.73"
    assert "总分 99.5" in page.dept_tab.indicators.total_label.text()
    assert "96.72%" in page.base_tab.staff_label.text()
    errors = [f for f in page.findings if f.is_error]
    assert errors == [] and len(page.findings) == 6
    assert page.findings_panel.summary.text().startswith("本页：错误 0、警告 6（全部：")


def test_typing_an_actual_updates_score_total_and_checks(qtbot, page: BudgetPage) -> None:
    editor = page.dept_tab.indicators
    page.tabs.setCurrentIndex(TAB_DEPARTMENT)
    row = row_named(editor.model, "工程建设监管执法率")
    # WHEN the clerk types 90% as the actual value
    type_into_cell(qtbot, editor, row, "actual", "90%")
    # THEN while still typing, the suggested and counted 得分 follow, and 总分 too
    model = editor.model
    assert model.index(row, COL["suggested"]).data() == "0.9"
    assert model.index(row, COL["score"]).data() == "0.9"
    assert "总分 99.4" in editor.total_label.text()
    # AND 校验 asks for a 偏差原因, marking the cell
    [error] = [f for f in page.findings if f.is_error]
    assert (error.row, error.field) == ("工程建设监管执法率", "偏差原因分析及改进措施")
    assert model.index(row, COL["reason"]).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert page.is_dirty() and page.state_label.text() == "● 有未保存的修改"
    # WHEN the reason is given
    type_into_cell(qtbot, editor, row, "reason", "年内新增项目未完成监管")
    assert [f for f in page.findings if f.is_error] == []


def test_a_typed_score_overrides_and_the_suggestion_stays_visible(qtbot, page: BudgetPage) -> None:
    editor = page.dept_tab.indicators
    row = row_named(editor.model, "办理项目竣工验收率")
    model = editor.model
    assert (model.index(row, COL["suggested"]).data(), model.index(row, COL["score"]).data()) == (
        "0.45",
        "0.5",
    )
    editor.view.setCurrentIndex(model.index(row, COL["score"]))
    editor.restore_suggested()
    assert model.index(row, COL["score"]).data() == "0.45"
    assert "总分 99.45" in editor.total_label.text()
    # a score above 分值 is refused with a message
    messages = []
    editor.status.connect(messages.append)
    assert not model.setData(model.index(row, COL["score"]), "2")
    assert messages == ["得分不能高于分值（1）"]


def test_pasting_rows_copied_from_wps(qtbot, page: BudgetPage) -> None:
    # GIVEN a new, empty project
    page.tabs.setCurrentIndex(TAB_PROJECTS)
    page.projects_tab.add_project()
    editor = page.projects_tab.editor
    type_text(qtbot, editor.name, "智慧工地平台运维")
    indicators = editor.indicators
    assert indicators.model.rowCount() == 0
    # WHEN a block copied from last year's form is pasted (merged cells blank, "(30分)", quotes)
    block = (
        '"产出指标\n(30分)"\t数量指标\t监管在建项目\t100个\t96个\t10\t9.6\t部分项目年底停工\n'
        "\t\t开展专项检查\t10次以上\t11次\t10\t10\t\n"
        "\t质量指标\t智慧工地覆盖率\t40%\t40%\t10\t10\t\n"
        "效益指标(30分)\t社会效益指标\t工程质量安全形势\t整体平稳\t整体平稳\t30\t30\t\n"
        "总分\t\t\t\t\t100\t99.6\t\n"
    )
    QGuiApplication.clipboard().setText(block)
    indicators.view.setFocus()
    qtbot.keyClick(indicators.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    # THEN the rows are filled, 一级/二级 carried down, and scores computed
    model = indicators.model
    assert model.rowCount() == 4
    rows = [(i.level1, i.level2, i.name, i.weight, i.score) for i in model.indicators]
    assert rows == [
        ("产出指标", "数量指标", "监管在建项目", D(10), None),  # 96/100 × 10 = 9.6: the suggestion
        ("产出指标", "数量指标", "开展专项检查", D(10), None),
        ("产出指标", "质量指标", "智慧工地覆盖率", D(10), None),
        ("效益指标", "社会效益指标", "工程质量安全形势", D(30), None),
    ]
    assert model.index(0, COL["score"]).data() == "9.6"
    assert model.indicators[0].reason == "部分项目年底停工"
    assert "已分配 30" in indicators.weight_labels["产出指标"].text()


def test_save_writes_once_and_discard_restores(
    qtbot, page: BudgetPage, example_db: Database, example_unit_id: int, monkeypatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a: warnings.append(text))
    page.tabs.setCurrentIndex(TAB_DEPARTMENT)
    page.dept_tab.fields["basic.initial"].setFocus()
    page.dept_tab.fields["basic.initial"].selectAll()
    qtbot.keyClicks(page.dept_tab.fields["basic.initial"], "460")
    assert page.data.basic_initial == D("460.00") and page.is_dirty()
    assert page.dept_tab.total_fields["initial"].text() == "810.00"  # 460 + the projects' 350
    assert page.save()
    assert not page.is_dirty()
    with example_db.session() as s:
        assert load_year(s, example_unit_id, 2023).department_funds().initial == D("810.00")
    # a third decimal is a slip: flagged, not rounded away
    other = page.dept_tab.fields["income.income_other"]
    other.setFocus()
    qtbot.keyClicks(other, "1")
    assert other.text() == "65.961" and not other.is_valid() and page.data.income_other == D("65.96")
    assert not page.save()  # refused while a field holds something that is not an amount
    assert warnings == ["有金额格子填写有误（红框标出：应为不小于0、最多两位小数的数字），请改正后再保存。"]
    # discard brings back the saved figures
    other.selectAll()
    qtbot.keyClicks(other, "66")
    assert page.is_dirty()
    page.discard()
    assert not page.is_dirty() and page.data.income_other == D("65.96")


def test_a_finding_jumps_to_its_cell(page: BudgetPage) -> None:
    finding = page.findings[0]
    page.tabs.setCurrentIndex(TAB_DEPARTMENT)
    page.show_target(finding.target)
    assert page.tabs.currentIndex() == TAB_BASE
    index = page.base_tab.control_view.currentIndex()
    assert page.base_tab.control_model.rows[index.row()].code == "office" and index.column() == 3
    # a project's indicator
    page.data.projects[2].indicators[5].reason = ""
    page._changed()
    target = next(f.target for f in page.findings if f.is_error)
    page.show_target(target)
    assert page.tabs.currentIndex() == TAB_PROJECTS
    assert page.projects_tab.current_index() == 2
    current = page.projects_tab.editor.indicators.view.currentIndex()
    assert (current.row(), current.column()) == (5, COL["reason"])


def test_carried_prior_is_marked_and_can_be_typed_over(page: BudgetPage) -> None:
    model = page.base_tab.control_model
    row = model.row_of("reception")
    index = model.index(row, 1)
    assert index.data() == "↻ 0.12"
    assert "结转" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert model.setData(index, "0.2")
    assert model.index(row, 1).data() == "0.20"
    assert any(f.row == "3、公务接待" and "不一致" in f.message for f in page.findings)
    assert model.restore_carried(row)
    page._changed()
    assert model.index(model.row_of("reception"), 1).data() == "↻ 0.12"


def test_copying_the_department_tree_into_a_project(qtbot, page: BudgetPage, monkeypatch) -> None:
    page.projects_tab.add_project()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.projects_tab.editor.indicators.buttons["department"].click()
    model = page.projects_tab.editor.indicators.model
    assert model.rowCount() == 29
    assert all(i.actual == "" and i.score is None for i in model.indicators)
    assert model.indicators[6].target == "60个"


def test_rule_set_is_chosen_per_year(page: BudgetPage) -> None:
    page.rule_combo.setCurrentIndex(page.rule_combo.findData("national"))
    page._rule_chosen(page.rule_combo.currentIndex())
    assert page.data.rule_set == "national"
    assert any(
        "不是评分规则" in f.message for f in page.findings if f.is_error
    )  # 成本指标 has no place there


def test_export_from_the_page(qtbot, page: BudgetPage, tmp_path: Path) -> None:
    task = page.export_to(tmp_path)
    with qtbot.waitSignal(task.ended, timeout=20000):
        pass
    files = sorted(p.name for p in (tmp_path / "预算绩效").glob("*.xlsx"))
    assert len(files) == 5
    assert page.export_box is not None and "已导出 5 个文件" in page.export_box.text()
    assert "打开文件夹" in [b.text() for b in page.export_box.buttons()]
    page.export_box.close()


def test_a_locked_target_is_a_message_not_a_crash(
    qtbot, page: BudgetPage, tmp_path: Path, monkeypatch
) -> None:
    from app.errors import TargetLockedError
    from app.exports import package

    def locked(pairs):
        raise TargetLockedError(
            "无法写入“附件1.xlsx”：文件可能正在被 WPS/Excel 打开，或没有写入权限。请关闭该文件后重试。"
        )

    monkeypatch.setattr(package, "move_into_place", locked)
    task = page.export_to(tmp_path)
    with qtbot.waitSignal(task.ended, timeout=20000):
        pass
    assert page.export_box is not None and "WPS/Excel" in page.export_box.text()
    assert page.export_button.isEnabled()
    page.export_box.close()


def test_import_from_the_page(
    qtbot, page: BudgetPage, tmp_path: Path, example_db: Database, example_unit_id: int
) -> None:
    from app.exports.package import export_year

    files = export_year(example_db, example_unit_id, 2023, tmp_path, keys={"budget.tables"}).files
    work = [p for p in files if "工作经费" in p.name]
    # the file says 工作经费 executed 334.70 rather than 334.73
    import openpyxl

    book = openpyxl.load_workbook(work[0])
    ws = book.active
    total_row = next(c.row for c in ws["B"] if c.value == "年度资金总额")
    ws[f"F{total_row}"] = 334.70
    ws[f"F{total_row + 1}"] = 334.70
    book.save(work[0])
    task = page.import_from(work)
    with qtbot.waitSignal(task.ended, timeout=20000):
        pass
    qtbot.waitUntil(lambda: page.import_dialog is not None and page.import_dialog.isVisible())
    dialog = page.import_dialog
    assert dialog.import_button.isEnabled()
    assert dialog.changes.stringList() == ["更新项目“工作经费”：资金 325.00/334.74/334.70，28项指标"]
    dialog.accept()
    assert page.data.project_named("工作经费").funds.executed == D("334.70")
    assert not page.is_dirty()
    with example_db.session() as s:
        assert load_year(s, example_unit_id, 2023).project_named("工作经费").funds.executed == D("334.70")


def test_ctrl_s_and_the_unsaved_guard_of_the_main_window(
    qtbot, example_path: Path, tmp_path: Path, monkeypatch
) -> None:
    from PySide6.QtCore import QSettings

    from ui.main_window import MainWindow

    window = MainWindow(str(example_path), QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.ctx is not None, timeout=10000)
    window.page("budget")
    page = window.show_page("budget")
    assert isinstance(page, BudgetPage) and window.current_page() is page
    # GIVEN an edit
    page.data.goal_actual = "任务全部完成"
    page._changed()
    assert window.isWindowModified()
    # WHEN Ctrl+S
    window.save_action.trigger()
    # THEN the page saved, in the database
    assert not page.is_dirty() and not window.isWindowModified()
    with window.db.session() as s:
        assert load_year(s, window.ctx.unit_id, 2023).goal_actual == "任务全部完成"
    # AND an unsaved edit is asked about before switching years; "discard" drops it
    page.data.goal_actual = "改了没保存"
    page._changed()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert window.confirm_unsaved("切换年度")
    assert not page.is_dirty() and page.data.goal_actual == "任务全部完成"
    window.tasks.shutdown()
