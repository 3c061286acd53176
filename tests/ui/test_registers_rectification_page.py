"""巡察整改 driven as a clerk would: a new 巡察, a problem with measures, through to 销号."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices, QGuiApplication, QInputMethodEvent
from PySide6.QtWidgets import QApplication

from app.db import Database
from app.models.registers import PROBLEM_DONE, PROBLEM_IN_PROGRESS, PROBLEM_NOT_STARTED
from app.registry import default_registry
from app.services.registers.common import OVERDUE, RegisterFilter
from ui.context import AppContext
from ui.dialogs.registers_action_dialog import ActionDialog
from ui.dialogs.registers_inspection_dialog import InspectionDialog
from ui.pages.rectification_page import RectificationPage
from ui.tasks import TaskRunner

TODAY = date(2023, 12, 20)


def type_text(widget, text: str) -> None:
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def page(qtbot, example_db: Database, example_unit_id: int) -> RectificationPage:
    ctx = AppContext(example_db, default_registry(), TaskRunner(), example_unit_id, 2023)
    widget = RectificationPage(ctx)
    widget.today = lambda: TODAY
    qtbot.addWidget(widget)
    widget.resize(1400, 860)
    widget.load()
    widget.show()
    return widget


def _accept_dialogs(monkeypatch: pytest.MonkeyPatch, values: dict | None = None) -> list[str]:
    seen: list[str] = []

    def fake_exec(dialog: ActionDialog) -> int:
        seen.append(dialog.windowTitle())
        for key, value in (values or {}).items():
            if key in dialog.form.specs:
                dialog.set_value(key, value)
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(ActionDialog, "exec", fake_exec)
    return seen


def test_the_example_inspection_shows_its_progress(qtbot, page: RectificationPage) -> None:
    assert page.inspection_combo.currentText() == "工程建设和房地产领域专项巡察（2023年1月反馈）"
    assert page.list.model.total() == 12
    assert "3个方面 12项问题" in page.progress_label.text() and "完成率 75%" in page.progress_label.text()
    assert page.progress_bar.value() == 75
    assert page.chip_overdue.text() == "超期 2"
    qtbot.mouseClick(page.chip_overdue, Qt.MouseButton.LeftButton)
    assert page.list.filter().due == OVERDUE
    assert [page.list.model.index(r, 0).data() for r in range(page.list.model.rowCount())] == ["5", "10"]
    page.list.select_row(0)
    assert page._loaded.number == 5
    assert "已超期50天" in page.state_label.text()
    assert page.form.value("aspect") == "履行工程建设监管职责方面"
    assert len(page.form.value("measures")) == 3


def test_a_new_inspection_and_a_problem_through_to_closing_off(
    qtbot, page: RectificationPage, monkeypatch, tmp_path: Path
) -> None:
    # GIVEN a new 巡察 entered in its dialog
    def fill(dialog: InspectionDialog) -> int:
        type_text(dialog.form.editor("name"), "住房保障领域专项巡察")
        type_text(dialog.form.editor("team"), "市委第三巡察组")
        qtbot.keyClicks(dialog.form.editor("feedback_on").line, "2023-11-10")
        dialog.set_aspects(["落实主体责任方面", "资金管理方面"])
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(InspectionDialog, "exec", fill)
    qtbot.mouseClick(page.new_inspection_button, Qt.MouseButton.LeftButton)
    assert page.inspection_combo.count() == 2
    assert page.inspection_combo.currentText() == "住房保障领域专项巡察（2023年11月反馈）"
    assert page.list.model.total() == 0

    # WHEN a problem is added with two measures pasted from WPS, an owner and a deadline
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert page.form.value("number") == 1
    page.form.editor("aspect").setCurrentText("资金管理方面")
    type_text(page.form.editor("description"), "保障性住房资金拨付不及时")
    QGuiApplication.clipboard().setText("一是建立资金拨付台账；\n二是每月通报拨付进度。")
    qtbot.mouseClick(page.form.editor("measures").paste_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.form.editor("due_on").line, "2023-12-31")
    type_text(page.form.editor("leader"), "李卫东")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    # THEN it is listed as 未启动 with its deadline
    assert page.list.model.total() == 1 and not page.is_dirty()
    assert page._loaded.status == PROBLEM_NOT_STARTED
    assert page._loaded.measures == ["建立资金拨付台账", "每月通报拨付进度"]
    assert "整改时限：" in page.state_label.text() and "还剩11天" in page.state_label.text()
    assert "完成率 0%" in page.progress_label.text()
    assert page.chip_soon.text() == "本周到期 0"

    # WHEN work starts and finishes with its evidence
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert page._loaded.status == PROBLEM_IN_PROGRESS
    seen = _accept_dialogs(monkeypatch, {"on": date(2023, 12, 18), "evidence": "资金拨付台账"})
    qtbot.mouseClick(page.complete_button, Qt.MouseButton.LeftButton)
    assert seen == ["完成整改"]
    assert (page._loaded.status, page._loaded.completed_on) == (PROBLEM_DONE, date(2023, 12, 18))
    assert "完成率 100%" in page.progress_label.text()

    # AND evidence files are attached (copied) and open with the system viewer
    source = tmp_path / "拨付台账.xlsx"
    source.write_bytes(b"evidence")
    assert page.add_attachments([source]) == 1
    assert page.attachments.count() == 1 and page.attachments.item(0).text().startswith("拨付台账.xlsx")
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    page.attachments.setCurrentRow(0)
    assert page.open_attachment()
    assert opened and Path(opened[0]).read_bytes() == b"evidence" and Path(opened[0]) != source

    # AND it is struck off (销号), not before its completion
    seen = _accept_dialogs(monkeypatch, {"on": date(2023, 12, 17)})
    assert not page.close_off_current()
    seen = _accept_dialogs(monkeypatch, {"on": date(2023, 12, 20)})
    qtbot.mouseClick(page.close_off_button, Qt.MouseButton.LeftButton)
    assert seen == ["销号"] and page._loaded.closed_on == date(2023, 12, 20)
    assert "已销号 1项" in page.progress_label.text()
    assert "已销号（2023-12-20）" in page.state_label.text()

    # AND the ledger of this 巡察 lists it with its four 清单
    target = tmp_path / "台账.xlsx"
    task = page.export_ledger(target)
    with qtbot.waitSignal(task.ended, timeout=20000):
        pass
    ws = load_workbook(target)["整改台账"]
    assert ws["A1"].value == "住房保障领域专项巡察反馈问题整改台账"
    row = next(r for r in ws.iter_rows(min_row=6, values_only=True) if r[0] == 1)
    assert row[1] == "保障性住房资金拨付不及时"
    assert row[2] == "一是建立资金拨付台账；\n二是每月通报拨付进度。"
    assert row[4] == "李卫东" and row[7] == "已完成"


def test_renaming_an_aspect_keeps_its_problems(qtbot, page: RectificationPage, monkeypatch) -> None:
    def rename(dialog: InspectionDialog) -> int:
        dialog.aspects.item(1).setText("落实工程建设监管职责方面")
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(InspectionDialog, "exec", rename)
    qtbot.mouseClick(page.edit_inspection_button, Qt.MouseButton.LeftButton)
    page.list.select_row(4)
    assert page._loaded.number == 5
    assert page.form.value("aspect") == "落实工程建设监管职责方面"
    assert page.list.model.index(4, 1).data() == "落实工程建设监管职责方面"


def test_a_finding_of_the_checks_jumps_to_its_problem(
    page: RectificationPage, example_db, example_unit_id
) -> None:
    from app.checks import run_checks

    finding = next(f for f in run_checks(example_db, example_unit_id, 2023) if f.table == "巡察整改")
    page.list.apply_filter(RegisterFilter(status="已完成"))
    page.show_target(finding.target)
    assert page._loaded.number == 5
    assert page.list.current_key() == page._loaded.id
