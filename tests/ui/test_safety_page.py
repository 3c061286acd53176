"""The 安全监督 page driven as a clerk would: quick entry of an inspection with hazards, closing
one of them, and the counts, the overdue marks and the navigation badge following."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from app import clock
from app.db import Database
from app.services.safety.projects import ProjectForm, create_project
from app.services.unit import create_unit
from tests.conftest import open_sqlite
from ui.main_window import MainWindow
from ui.pages.safety_page import TAB_HAZARDS, TAB_STATS, SafetyPage
from ui.widgets.safety_fields import to_qdate

STATUS_COLUMN = 8


def _open_window(qtbot, tmp_path: Path) -> tuple[MainWindow, SafetyPage, int]:
    path = tmp_path / "data.sqlite3"
    db: Database = open_sqlite(path)
    # The page's today is the clock's (ZJTB_TODAY in the tests).
    unit_id = create_unit(db, "测试县建筑工程服务中心", clock.today().year)
    project_id = create_project(
        db, unit_id, ProjectForm(name="城北小区一期"), "在建", clock.today() - timedelta(90)
    )
    create_project(
        db, unit_id, ProjectForm(name="城南学校", kind="房屋建筑"), "在建", clock.today() - timedelta(90)
    )
    db.dispose()
    window = MainWindow(str(path), QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.open_database()
    page = window.page("safety")
    window.show_page("safety")
    return window, page, project_id


def _click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _type(widget, text: str) -> None:
    """Type Chinese the way an input method does (QTest.keyClicks only knows ASCII keys)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def test_an_inspection_with_two_hazards_then_one_closed(qtbot, tmp_path: Path) -> None:
    window, page, project_id = _open_window(qtbot, tmp_path)
    qtbot.waitUntil(lambda: window.nav.badge("safety") == 0, timeout=5000)
    checked = clock.today() - timedelta(days=19)  # 2024-01-01: in the working year, both deadlines past

    # WHEN the clerk opens the quick entry, picks the project and types two hazards …
    with qtbot.waitSignal(page.dialog_opened) as opened:
        _click(qtbot, page.new_inspection_button)
    dialog = opened.args[0]
    dialog.checked_on.setDate(to_qdate(checked))
    dialog.kind.setCurrentText("月例行检查")
    _type(dialog.inspectors, "李志刚、王建军")
    dialog.set_projects_checked([project_id])
    first = dialog.rows[0]
    _type(first.description, "三层临边防护栏杆缺失")
    first.deadline.setDate(to_qdate(checked + timedelta(days=10)))
    _click(qtbot, dialog.add_button)
    second = dialog.rows[1]
    _type(second.measures, "立即更换漏电保护器")
    second.category.setCurrentText("临时用电")
    second.deadline.setDate(to_qdate(checked + timedelta(days=15)))
    # … forgetting the second one's description: the save is refused, naming row and field
    _click(qtbot, dialog.save_button)
    assert dialog.isVisible()
    assert "第2条隐患：请填写隐患描述" in dialog.errors.text()
    assert second.description.toolTip() == "第2条隐患：请填写隐患描述"
    assert page.inspections.model.total() == 0
    # … then completes it and saves
    _type(second.description, "开关箱漏电保护器失效")
    with qtbot.waitSignal(dialog.finished):
        _click(qtbot, dialog.save_button)

    # THEN both hazards are in the ledger, both overdue (red, marked 逾期), and the badge says 2
    page.tabs.setCurrentIndex(TAB_HAZARDS)
    hazards = page.hazards
    hazards.scope.setCurrentIndex(1)  # 全部年度 (the inspection may fall in last year in January)
    assert hazards.model.total() == 2
    assert (hazards.summary.total, hazards.summary.open, hazards.summary.overdue) == (2, 2, 2)
    for row in range(2):
        assert hazards.model.index(row, STATUS_COLUMN).data().endswith("（逾期）")
        colour = hazards.model.index(row, 1).data(Qt.ItemDataRole.ForegroundRole).color()
        assert colour == QColor("#c62828")
    assert "逾期 2 条" in hazards.count.text()
    qtbot.waitUntil(lambda: window.nav.badge("safety") == 2, timeout=5000)
    assert "2 条隐患逾期未整改" in page.alert.text()

    # WHEN the first hazard is closed (整改销号) today, reviewed by 李志刚
    row = next(r for r in range(2) if hazards.model.index(r, 2).data() == "三层临边防护栏杆缺失")
    hazards.view.selectRow(row)
    with qtbot.waitSignal(page.dialog_opened) as opened:
        _click(qtbot, hazards.rectify_button)
    rectify = opened.args[0]
    assert rectify.reviewer.text() == "李志刚"
    with qtbot.waitSignal(rectify.finished):
        rectify.buttons.accepted.emit()

    # THEN the counts, the overdue marks and the badge follow
    assert (hazards.summary.total, hazards.summary.open, hazards.summary.overdue) == (2, 1, 1)
    closed = next(r for r in range(2) if hazards.model.index(r, 2).data() == "三层临边防护栏杆缺失")
    still = 1 - closed
    assert hazards.model.index(closed, STATUS_COLUMN).data() == "已整改"
    assert hazards.model.index(closed, 1).data(Qt.ItemDataRole.ForegroundRole) is None
    assert hazards.model.index(still, STATUS_COLUMN).data() == "待整改（逾期）"
    qtbot.waitUntil(lambda: window.nav.badge("safety") == 1, timeout=5000)
    assert "1 条隐患逾期未整改" in page.alert.text()
    # AND the statistics of the inspection's year count one found-and-rectified of two
    page.tabs.setCurrentIndex(TAB_STATS)
    with qtbot.waitSignal(page.stats.refreshed, timeout=10000):
        page.stats.picker.set_year(checked.year)
    rows = page.stats.model
    assert rows.row_for("hazards.found").text == "2"
    assert rows.row_for("hazards.rectified").text == "1"
    assert rows.row_for("hazards.rate").text == "50.00%"
    assert rows.row_for("inspections.checks").text == "1"


def test_the_statistics_view_shows_the_example_year(
    qtbot, example_db: Database, example_unit_id: int
) -> None:
    from app.registry import default_registry
    from ui.context import AppContext
    from ui.tasks import TaskRunner

    ctx = AppContext(example_db, default_registry(), TaskRunner(), example_unit_id, 2023)
    page = SafetyPage(ctx, today=lambda: date(2024, 1, 15))
    qtbot.addWidget(page)
    page.load()
    with qtbot.waitSignal(page.stats.refreshed, timeout=10000):
        page.tabs.setCurrentIndex(TAB_STATS)
    model = page.stats.model
    texts = {
        key: model.row_for(key).text
        for key in ("projects.house.area", "inspections.checks", "hazards.rectified")
    }
    assert texts == {
        "projects.house.area": "285.17",
        "inspections.checks": "825",
        "hazards.rectified": "2092",
    }
    assert model.row_for("inspections.checks").change.text == "同比增长35.2%"
    # The first quarter, as seed 002 quotes it
    with qtbot.waitSignal(page.stats.refreshed, timeout=10000):
        page.stats.picker.mode.setCurrentIndex(1)
    assert model.row_for("inspections.projects").text == "47"
    assert model.row_for("hazards.found").text == "49"
    assert model.row_for("documents.rectify_notice").text == "3"
    assert model.row_for("work.selfbuilt.survey_rate").text == "95.34%"
    assert page.overdue == 19


def test_the_project_dialog_names_the_field(qtbot, db: Database) -> None:
    from ui.dialogs.safety_record_dialogs import ProjectDialog

    unit_id = create_unit(db, "单位", 2024)
    dialog = ProjectDialog(db, unit_id)
    qtbot.addWidget(dialog)
    _type(dialog.area, "一万")
    dialog.save()
    assert dialog.fields["area"].message.text() == "建筑面积“一万”不是数字"
    dialog.area.clear()
    dialog.save()
    assert dialog.fields["name"].message.text() == "请填写项目名称"
    _type(dialog.name, "城北小区一期")
    qtbot.keyClicks(dialog.cost, "5120.36")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.saved_id is not None


def test_workload_entry_saves_and_computes_rates(qtbot, db: Database) -> None:
    from ui.widgets.safety_stats import WorkloadView

    unit_id = create_unit(db, "单位", 2023)
    view = WorkloadView(db, unit_id, 2023)
    qtbot.addWidget(view)
    view.picker.mode.setCurrentIndex(1)  # 第一季度
    qtbot.keyClicks(view.editors["selfbuilt.patches"], "587209")
    qtbot.keyClicks(view.editors["selfbuilt.surveyed"], "559823")
    assert view.is_dirty()
    qtbot.keyClicks(view.editors["fire.design.accepted"], "2.5")
    assert view.editors["fire.design.accepted"].toolTip() == "受理消防设计审查应为整数"
    view.editors["fire.design.accepted"].clear()
    assert view.save()
    assert not view.is_dirty()
    from app.services.safety.workload import figures_for_period

    with db.session() as s:
        figures = figures_for_period(s, unit_id, date(2023, 1, 1), date(2023, 12, 31))
    assert figures["selfbuilt.survey_rate"].text == "95.34%"


def test_a_finding_opens_the_overdue_hazards(qtbot, example_db: Database, example_unit_id: int) -> None:
    from app.findings import Target
    from app.registry import default_registry
    from app.services.safety.checks import check_safety
    from ui.context import AppContext
    from ui.tasks import TaskRunner

    with example_db.session() as s:
        findings = check_safety(s, example_unit_id, 2023, today=date(2024, 1, 15))
    target = next(f.target for f in findings if f.field == "整改期限")
    assert target == Target("safety", "hazards:overdue")
    ctx = AppContext(example_db, default_registry(), TaskRunner(), example_unit_id, 2023)
    page = SafetyPage(ctx, today=lambda: date(2024, 1, 15))
    qtbot.addWidget(page)
    page.load()
    page.show_target(target)
    assert page.tabs.currentIndex() == TAB_HAZARDS
    assert page.hazards.status.currentText() == "逾期未整改"
    assert page.hazards.model.total() == 19
    assert all(page.hazards.model.is_overdue_row(r) for r in range(19))


def test_projects_documents_activities_and_workload_items_through_the_page(qtbot, db: Database) -> None:
    from app.registry import default_registry
    from ui.context import AppContext
    from ui.tasks import TaskRunner

    unit_id = create_unit(db, "单位", 2024)
    ctx = AppContext(db, default_registry(), TaskRunner(), unit_id, 2024)
    today = date(2024, 6, 30)
    page = SafetyPage(ctx, today=lambda: today)
    qtbot.addWidget(page)
    page.load()
    opened = []
    page.dialog_opened.connect(opened.append)

    # a new project, listed and shown in the detail pane
    page.new_project()
    dialog = opened[-1]
    _type(dialog.name, "城北小区一期")
    dialog.since.setDate(to_qdate(date(2024, 3, 1)))
    dialog.save()
    assert page.projects.model.total() == 1
    project_id = page.projects.current_project
    assert page.projects.detail_title.text() == "城北小区一期"
    # its status changes to 停工; the dialog proposes 竣工验收 after 在建
    page.change_status(project_id)
    dialog = opened[-1]
    assert dialog.status.currentText() == "竣工验收"
    dialog.status.setCurrentText("停工")
    dialog.since.setDate(to_qdate(date(2024, 6, 1)))
    dialog.save()
    assert page.projects.model.index(0, 2).data() == "停工"
    # a document for it, and an activity
    page.tabs.setCurrentIndex(0)
    page.new_document()
    dialog = opened[-1]
    assert dialog.project.project_id() == project_id
    dialog.kind.setCurrentText("停工整改通知书")
    dialog.issued.setDate(to_qdate(date(2024, 6, 1)))
    dialog.deadline.set_value(date(2024, 5, 1))
    dialog.save()
    assert dialog.fields["deadline"].message.text() == "整改期限不能早于下发日期"
    dialog.deadline.set_value(date(2024, 6, 15))
    dialog.save()
    assert page.documents.model.total() == 1
    assert page.documents.model.index(0, 6).data() == "逾期未办结"
    page.new_activity()
    dialog = opened[-1]
    dialog.kind.setCurrentText("警示约谈")
    dialog.held.setDate(to_qdate(date(2024, 6, 2)))
    qtbot.keyClicks(dialog.participants, "25")
    dialog.save()
    assert page.activities.model.total() == 1
    # a figure of the unit's own in 工作量统计
    page.new_workload_item()
    dialog = opened[-1]
    _type(dialog.name, "受理质量监督注册")
    _type(dialog.unit, "项")
    dialog.save()
    assert "custom.1" in page.workload.editors
    with qtbot.waitSignal(page.stats.refreshed, timeout=10000):
        page.tabs.setCurrentIndex(TAB_STATS)
    assert page.stats.model.row_for("documents.stop_work").text == "1"
    assert page.stats.model.row_for("activities.warning_talk").text == "1"
    assert page.stats.model.row_for("projects.status.suspended").text == "1"


def test_editing_a_hazard_and_deleting_an_inspection(qtbot, db: Database, monkeypatch) -> None:
    from app.registry import default_registry
    from app.services.safety.inspections import HazardDraft, InspectionDraft, create_inspection
    from ui.context import AppContext
    from ui.tasks import TaskRunner

    unit_id = create_unit(db, "单位", 2024)
    pid = create_project(db, unit_id, ProjectForm(name="城北小区一期"), "在建", date(2024, 1, 2))
    draft = InspectionDraft(date(2024, 6, 3), "月例行检查", [pid], inspectors="李志刚")
    create_inspection(db, unit_id, draft, [HazardDraft(pid, "临边防护缺失", "高处坠落", date(2024, 6, 10))])
    ctx = AppContext(db, default_registry(), TaskRunner(), unit_id, 2024)
    page = SafetyPage(ctx, today=lambda: date(2024, 6, 30))
    qtbot.addWidget(page)
    page.load()
    opened = []
    page.dialog_opened.connect(opened.append)
    hazard_id = page.hazards.model.row_key(0)
    assert page.overdue == 1
    page.edit_hazard(hazard_id)
    dialog = opened[-1]
    dialog.status.setCurrentText("已整改")
    dialog.save()
    assert dialog.fields["rectified_on"].message.text() == "已整改的隐患请填写整改完成日期"
    dialog.rectified.set_value(date(2024, 6, 8))
    dialog.reviewer.setText("李志刚")
    dialog.save()
    assert page.hazards.model.index(0, 8).data() == "已整改"
    assert page.overdue == 0
    page.inspections.view.selectRow(0)
    inspection_id = page.inspections.selected_key()
    from app.services.safety.inspections import delete_inspection, load_inspection, update_inspection

    # a delete from the list of an inspection changed elsewhere since the list read it is refused
    with db.session() as s:
        elsewhere = load_inspection(s, inspection_id)
    elsewhere.summary = "另一台电脑补记的检查情况"
    update_inspection(db, inspection_id, elsewhere)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    page.inspections.delete_selected("删除？", delete_inspection, "inspections")
    assert len(warnings) == 1 and "本次未删除" in warnings[0]
    assert page.inspections.model.total() == 1
    # and once the list shows the newer copy, it can be deleted
    page.inspections.view.selectRow(0)
    page.inspections.delete_selected("删除？", delete_inspection, "inspections")
    assert len(warnings) == 1
    assert page.inspections.model.total() == 0 and page.hazards.model.total() == 0
